// GitHub deployments and their statuses: one deployment per attempt, one per rollback.
import { call, type GitHubClient, type Repo } from './client.ts';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface NewDeployment {
  sha: string;
  environment: string;
  description: string;
  rollback: boolean;
  /** Recorded under payload['deploy-guard'] (with `rollback`), e.g. which deployment a rollback undid. */
  payload?: Record<string, unknown>;
}

export async function createDeployment(gh: GitHubClient, repo: Repo, d: NewDeployment): Promise<number> {
  const response = await call('POST /deployments', () =>
    gh.rest.repos.createDeployment({
      ...repo,
      ref: d.sha,
      environment: d.environment,
      description: d.description.slice(0, 140),
      auto_merge: false,
      required_contexts: [],
      task: 'deploy',
      production_environment: d.environment === 'production',
      payload: { 'deploy-guard': { ...d.payload, rollback: d.rollback } },
    }),
  );
  if (!('id' in response.data)) {
    throw new Error(`GitHub API POST /deployments did not create a deployment: ${response.data.message ?? response.status}`);
  }
  return response.data.id;
}

export async function setDeploymentStatus(
  gh: GitHubClient,
  repo: Repo,
  deploymentId: number,
  state: DeploymentState,
  details: { description: string; logUrl: string },
): Promise<void> {
  await call(`POST /deployments/${deploymentId}/statuses`, () =>
    gh.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: deploymentId,
      state,
      description: truncate(details.description, 140),
      log_url: details.logUrl,
    }),
  );
}

export async function latestDeploymentState(gh: GitHubClient, repo: Repo, deploymentId: number): Promise<string | undefined> {
  const { data } = await call(`GET /deployments/${deploymentId}/statuses`, () =>
    gh.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: deploymentId, per_page: 1 }),
  );
  return data[0]?.state;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  createdAt: string;
  rollback: boolean;
  /** For an automatic rollback: the deployment it undid. */
  rollbackOf?: number;
  /** Newest first. */
  statuses: Array<{ state: string; createdAt: string }>;
}

/** The environment's deployments, newest first, with their statuses; at most `limit` of them. */
export async function deploymentHistory(
  gh: GitHubClient,
  repo: Repo,
  filter: { environment: string; sha?: string },
  limit = 100,
): Promise<DeploymentRecord[]> {
  const list = await call('GET /deployments', () =>
    gh.paginate(gh.rest.repos.listDeployments, { ...repo, environment: filter.environment, ...(filter.sha ? { sha: filter.sha } : {}), per_page: 100 }, (response, done) => {
      if (response.data.length >= limit) done();
      return response.data;
    }),
  );
  return Promise.all(
    list.slice(0, limit).map(async (d) => {
      const statuses = await call(`GET /deployments/${d.id}/statuses`, () =>
        gh.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: d.id, per_page: 100 }),
      );
      const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload) as Record<string, { rollback?: unknown; 'rollback-of'?: unknown }>;
      const own = payload?.['deploy-guard'];
      return {
        id: d.id,
        sha: d.sha,
        createdAt: d.created_at,
        rollback: own?.rollback === true,
        ...(typeof own?.['rollback-of'] === 'number' ? { rollbackOf: own['rollback-of'] } : {}),
        statuses: statuses.data.map((st) => ({ state: st.state, createdAt: st.created_at })),
      };
    }),
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
