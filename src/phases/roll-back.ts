// Roll back: put a known version out again from a checkout of it, as a deployment of its own, and
// watch it. One path for the automatic rollback after a failed deploy and for the manual one.
import path from 'node:path';
import type { RunDeps } from '../deps.ts';
import { describeFailure } from '../core/outcome.ts';
import { shortSha } from '../core/tag-names.ts';
import type { Probe } from '../health/probe.ts';
import type { RunContext } from '../run-context.ts';
import { WORKTREE_STATE } from '../state-names.ts';
import { deployAndWatch, type Attempt, type AttemptPlace } from './attempt.ts';
import type { DeploymentSpec } from './record.ts';

/** Makes a git worktree of `sha` (fetched through `tagRef` if needed) for a rollback command to run in. */
export async function checkOutVersion(
  deps: Pick<RunDeps, 'git' | 'log' | 'clock' | 'saveState'>,
  context: Pick<RunContext, 'runnerTemp' | 'runId' | 'runAttempt'>,
  sha: string,
  tagRef: string,
): Promise<string> {
  const dir = path.join(context.runnerTemp, `deploy-guard-rollback-${context.runId}-${context.runAttempt}-${deps.clock.now()}`);
  // No log group: this may run while the health window's group is open.
  deps.log.info(`Checking out ${shortSha(sha)} for a rollback, in case one is needed.`);
  await deps.git.fetchCommit(sha, tagRef);
  await deps.git.addWorktree(dir, sha);
  deps.saveState(WORKTREE_STATE, dir);
  deps.log.info(`Checked out ${sha} in ${dir}.`);
  return dir;
}

export interface RollbackRun {
  sha: string;
  /** The checkout of `sha` (started early by an automatic rollback, so it is ready at the verdict). */
  checkout: Promise<string>;
  /** How the deployment is described on GitHub (a manual rollback names who and why). */
  spec?: Omit<DeploymentSpec, 'sha' | 'rollback'>;
  /** A manual rollback records its deployment first: it is its claim on the environment. */
  deploymentId?: number;
  /**
   * An automatic rollback replaces the failed deployment: its command starts at once, its deployment
   * is recorded meanwhile, and then `close` lets the failed one go (the environment stays held).
   */
  replaces?: { deploymentId: number; close: () => Promise<void> };
  /** More variables for the rollback command (the stage of a staged deploy that failed). */
  env?: Record<string, string>;
}

/**
 * Runs the rollback command as soon as its checkout is ready, then watches the version. The
 * rollback's deployment is left open with no end planned: the caller plans it, once it knows.
 */
export async function rollBack(place: AttemptPlace, probe: Probe, r: RollbackRun): Promise<Attempt> {
  const { settings: s, deps } = place;
  const dir = await r.checkout.catch((error: Error) => {
    throw new Error(`could not check out ${shortSha(r.sha)}: ${error.message}`, { cause: error });
  });
  const replaced = r.replaces;
  const attempt = await deployAndWatch(place, probe, {
    ...r.spec,
    sha: r.sha,
    cwd: dir,
    command: s.rollbackCommand,
    rollback: true,
    ...(r.env ? { env: r.env } : {}),
    ...(r.deploymentId !== undefined ? { deploymentId: r.deploymentId } : {}),
    ...(replaced
      ? {
          payload: { rollback: true, 'rollback-of': replaced.deploymentId },
          recordWhileRunning: { after: replaced.close, env: { DEPLOY_GUARD_ROLLBACK_OF: String(replaced.deploymentId) } },
        }
      : {}),
  });
  if (attempt.failure) {
    deps.log.error(`Rollback to ${shortSha(r.sha)} failed: ${describeFailure(attempt.failure)}. Not rolling back a rollback.`, `${s.environment}: rollback failed`);
  } else {
    deps.log.warning(`Rolled back ${s.environment} to ${shortSha(r.sha)}; it stayed healthy for the whole window.`, `${s.environment}: rolled back to ${shortSha(r.sha)}`);
  }
  return attempt;
}
