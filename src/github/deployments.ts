// GitHub deployments and their statuses: one deployment per attempt, one per rollback.
import { call, type GitHubClient, type Repo } from './client.ts';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface NewDeployment {
  sha: string;
  environment: string;
  description: string;
  rollback: boolean;
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
      payload: { 'deploy-guard': { rollback: d.rollback } },
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
