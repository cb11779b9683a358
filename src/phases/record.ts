// Records a version going out as a deploy-guard deployment on GitHub, in progress: the run's
// claim on the environment (core/deploy-lock.ts) and what people see on its page.
import { shortSha } from '../core/tag-names.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { DeploymentLedger } from '../github/deployment-ledger.ts';
import type { RunDeps } from '../deps.ts';
import { createDeployment } from '../github/deployments.ts';
import type { RunContext } from '../run-context.ts';

export interface DeploymentSpec {
  sha: string;
  rollback: boolean;
  /** What the run is doing (deploy, rollback, manual-rollback); default from `rollback`. */
  kind?: string;
  description?: string;
  payload?: Record<string, unknown>;
}

/** Creates the deployment of `spec` in `environment` and marks it in progress through the ledger. */
export async function recordDeployment(
  where: { gh: GitHubClient; repo: Repo; environment: string; context: Pick<RunContext, 'runId' | 'runAttempt'> },
  ledger: DeploymentLedger,
  spec: DeploymentSpec,
): Promise<number> {
  const { context: ctx } = where;
  const id = await createDeployment(where.gh, where.repo, {
    sha: spec.sha,
    environment: where.environment,
    description: spec.description ?? (spec.rollback ? `deploy-guard rollback to ${shortSha(spec.sha)}` : `deploy-guard deploy of ${shortSha(spec.sha)}`),
    rollback: spec.rollback,
    ...(spec.payload ? { payload: spec.payload } : {}),
    run: { id: ctx.runId, attempt: ctx.runAttempt, kind: spec.kind ?? (spec.rollback ? 'rollback' : 'deploy') },
  });
  await ledger.start(id, `${spec.rollback ? 'Rollback' : 'Deploy'} of ${shortSha(spec.sha)} in progress`);
  return id;
}

/**
 * Runs `body` with a ledger of the deployments it opens, and closes each of them when it is done,
 * however it ends: with the end a phase planned, or as `error` when the run stopped before one was.
 */
export async function withDeployments<T>(
  deps: Pick<RunDeps, 'gh' | 'log' | 'saveState'>,
  repo: Repo,
  context: Pick<RunContext, 'runUrl'>,
  body: (ledger: DeploymentLedger) => Promise<T>,
): Promise<T> {
  const ledger = new DeploymentLedger(deps.gh, repo, context.runUrl, deps.saveState);
  try {
    return await body(ledger);
  } finally {
    const problems = await ledger.closeAll();
    problems.forEach((p) => deps.log.warning(`Could not close ${p}`));
  }
}
