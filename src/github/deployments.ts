// GitHub deployments and their statuses: one deployment per attempt, one per rollback.
import { call, type GitHubClient, type Repo } from './client.ts';
import { createOnce, NO_RETRY } from './create-once.ts';
import { passedWindow, type EarlierDeployment } from '../core/deploy-lock.ts';

/** The legs of a rollback drill: `back` puts the previous proven version out, `forward` known-good again. */
export type DrillLeg = 'back' | 'forward';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

/**
 * The task of deploy-guard's deployments. GitHub makes a deployment of its own (task `deploy`,
 * empty payload, by github-actions[bot]) for every job with `environment:`; every read here asks
 * only for this task and then keeps only deployments with deploy-guard's payload marker, so such
 * a deployment never holds the lock, is never marked abandoned and never proves a version healthy.
 */
export const DEPLOY_GUARD_TASK = 'deploy:deploy-guard';

export interface NewDeployment {
  sha: string;
  environment: string;
  description: string;
  rollback: boolean;
  /** Recorded under payload['deploy-guard'] (with `rollback`), e.g. which deployment a rollback undid. */
  payload?: Record<string, unknown>;
  /** Which run made it, so a create that may have happened can be found instead of repeated. */
  run: { id: string; attempt: string; kind: string };
}

export async function createDeployment(gh: GitHubClient, repo: Repo, d: NewDeployment): Promise<number> {
  const marker = { 'deploy-guard': { ...d.payload, rollback: d.rollback, run: d.run } };
  return createOnce(
    'POST /deployments',
    async () => {
      const response = await gh.request('POST /repos/{owner}/{repo}/deployments', {
        ...repo,
        ref: d.sha,
        environment: d.environment,
        description: d.description.slice(0, 140),
        auto_merge: false,
        required_contexts: [],
        task: DEPLOY_GUARD_TASK,
        production_environment: d.environment === 'production',
        payload: marker,
        ...NO_RETRY,
      });
      if (!('id' in response.data)) {
        throw new Error(`GitHub API POST /deployments did not create a deployment: ${response.data.message ?? response.status}`);
      }
      return Number(response.data.id);
    },
    () => findDeploymentOfRun(gh, repo, d),
  );
}

/** The deployment this run already made for the same purpose, if any. */
async function findDeploymentOfRun(gh: GitHubClient, repo: Repo, d: NewDeployment): Promise<number | undefined> {
  const same = (await listOwn(gh, repo, { environment: d.environment, sha: d.sha }, 100)).find((dep) => {
    const run = ownMarker(dep.payload)?.run as NewDeployment['run'] | undefined;
    return run?.id === d.run.id && run.attempt === d.run.attempt && run.kind === d.run.kind;
  });
  return same ? Number(same.id) : undefined;
}

export async function setDeploymentStatus(
  gh: GitHubClient,
  repo: Repo,
  deploymentId: number,
  state: DeploymentState,
  details: { description: string; logUrl: string },
): Promise<void> {
  const description = truncate(details.description, 140);
  await createOnce(
    `POST /deployments/${deploymentId}/statuses`,
    async () => {
      await gh.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        ...repo,
        deployment_id: deploymentId,
        state,
        description,
        log_url: details.logUrl,
        ...NO_RETRY,
      });
      return true;
    },
    // The same state and description: a stage's or a retried rollback's in_progress follows another in_progress.
    async () => {
      const [latest] = await statusesOf(gh, repo, deploymentId, 1);
      return latest?.state === state && latest.description === description ? true : undefined;
    },
  );
}

/** A deployment's newest state (GitHub lists statuses newest first), or undefined if it has none. */
export async function latestDeploymentState(gh: GitHubClient, repo: Repo, deploymentId: number): Promise<string | undefined> {
  return (await statusesOf(gh, repo, deploymentId, 1))[0]?.state;
}

/**
 * What deploy-guard recorded under payload['deploy-guard'] (see createDeployment), if anything.
 * The payload comes as an object (REST) or as JSON text (GraphQL's String), possibly encoded twice.
 */
export function ownMarker(payload: unknown): Record<string, unknown> | undefined {
  let parsed = payload;
  for (let layer = 0; layer < 2 && typeof parsed === 'string'; layer += 1) parsed = safeJson(parsed);
  const own = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)['deploy-guard'] : undefined;
  return own && typeof own === 'object' ? (own as Record<string, unknown>) : undefined;
}

/** What a deployment's marker says about it. */
export function markerFacts(own: Record<string, unknown>): Pick<DeploymentRecord, 'rollback' | 'dryRun' | 'rollbackOf' | 'drill' | 'drillRun' | 'markKnownGood'> {
  const drillRun = Number(own['drill-run']);
  return {
    rollback: own.rollback === true,
    dryRun: own['dry-run'] === true,
    ...(typeof own['rollback-of'] === 'number' ? { rollbackOf: own['rollback-of'] } : {}),
    ...(own.drill === 'back' || own.drill === 'forward' ? { drill: own.drill } : {}),
    ...(own.drill !== undefined && Number.isSafeInteger(drillRun) ? { drillRun } : {}),
    ...(own['mark-known-good'] === true ? { markKnownGood: true } : {}),
  };
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
  /** A dry run: its `success` does not make its version known-good. */
  dryRun: boolean;
  /** A leg of a rollback drill (modes/drill.ts): never proven (its `success` never makes its version known-good), never a deploy, a failure or a rollback in the figures. */
  drill?: DrillLeg;
  /** The run (GITHUB_RUN_ID) of the drill this leg belongs to: its two legs share it. */
  drillRun?: number;
  /** mode mark-known-good: a version watched with no deploy command. */
  markKnownGood?: true;
  /** When the deployed commit was committed (GraphQL reads only); absent when GitHub no longer has it. */
  committedAt?: string;
  /** Newest first; `description` as written (GraphQL reads only). */
  statuses: Array<{ state: string; createdAt: string; description?: string }>;
}

/** deploy-guard's own deployments of the environment (and commit), newest first, at most `limit`. */
async function listOwn(gh: GitHubClient, repo: Repo, filter: { environment: string; sha?: string }, limit: number) {
  const list = await call('GET /deployments', () =>
    gh.paginate(
      'GET /repos/{owner}/{repo}/deployments',
      { ...repo, environment: filter.environment, task: DEPLOY_GUARD_TASK, ...(filter.sha ? { sha: filter.sha } : {}), per_page: Math.min(100, limit) },
      (response, done) => {
        if (response.data.length >= limit) done();
        return response.data;
      },
    ),
  );
  return list
    .filter((d) => ownMarker(d.payload) !== undefined)
    .sort((a, b) => Number(b.id) - Number(a.id))
    .slice(0, limit);
}

/** A deployment's statuses, newest first, at most `count` (one page: a deploy-guard deployment has a handful). */
async function statusesOf(gh: GitHubClient, repo: Repo, deploymentId: number, count = 100) {
  const { data } = await call(`GET /deployments/${deploymentId}/statuses`, () =>
    gh.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { ...repo, deployment_id: deploymentId, per_page: count }),
  );
  return data;
}

/**
 * Whether a deploy-guard deployment of `sha` to the environment ever passed a whole health window
 * (a `success` status, not a dry run's or a drill's). Reads the newest deployments of that commit one by one
 * and stops at the first that did (usually two requests).
 */
export async function everSucceeded(gh: GitHubClient, repo: Repo, environment: string, sha: string): Promise<boolean> {
  for (const deployment of await listOwn(gh, repo, { environment, sha }, 100)) {
    const { dryRun, drill } = markerFacts(ownMarker(deployment.payload) ?? {});
    if (dryRun || drill) continue; // no status read needed: a dry run or a drill never counts
    const statuses = await statusesOf(gh, repo, Number(deployment.id));
    if (passedWindow({ succeeded: statuses.some((st) => st.state === 'success'), dryRun })) return true;
  }
  return false;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

