// Roll back: put a known version out again from a checkout of it, as a deployment of its own, and
// watch it. One path for the automatic rollback after a failed deploy and for the manual one.
import path from 'node:path';
import type { RunDeps } from '../deps.ts';
import { formatDuration } from '../core/duration.ts';
import { describeFailure } from '../core/outcome.ts';
import { attemptInTurn, type AttemptRecord, type HookInput, type RollbackJournal } from '../core/rollback-retry.ts';
import { shortSha } from '../core/tag-names.ts';
import type { Probe } from '../health/probe.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { WORKTREE_STATE } from '../state-names.ts';
import { deployAndWatch, type Attempt, type AttemptPlace } from './attempt.ts';
import type { DeploymentSpec } from './record.ts';
import { runHook } from './rollback-hooks.ts';

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
  /** Why it starts, for the rollback-started notice: after which version failed, or who asked. */
  cause: { failedSha?: string; actor?: string; reason: string };
  /** Filled in as the rollback goes (its attempts and hooks): the caller reads it however rollBack ends. */
  journal: RollbackJournal;
}

export function newJournal(s: Pick<Settings, 'rollbackAttempts'>): RollbackJournal {
  return { limit: s.rollbackAttempts, attempts: [], hooks: [] };
}

/**
 * Announces the rollback (without waiting), runs the before hook, then the rollback command as
 * soon as its checkout is ready and watches the version, up to rollback-attempts times; the after
 * hook runs however that ended. The rollback's deployment is left open with no end planned: the
 * caller plans it, once it knows.
 */
export async function rollBack(place: AttemptPlace, probe: Probe, r: RollbackRun): Promise<Attempt> {
  const { settings: s, deps } = place;
  announce(place, r);
  const dir = await r.checkout.catch((error: Error) => {
    throw new Error(`could not check out ${shortSha(r.sha)}: ${error.message}`, { cause: error });
  });
  const rollbackOf = rollbackOfEnv(r);
  const hook = async (input: HookInput, deploymentId: number | undefined, env: Record<string, string> = {}) => {
    const record = await runHook(place, input, { cwd: dir, sha: r.sha, deploymentId, env: { ...rollbackOf, ...env } });
    if (record) r.journal.hooks.push(record);
  };
  await hook('before-rollback-command', r.deploymentId);
  let latest: Attempt | undefined; // the last attempt that ended: its deployment is the one every retry reuses
  let attempt: Attempt | undefined;
  try {
    const tried = await attemptInTurn(
      { attempts: r.journal.limit, backoffMs: s.rollbackBackoffMs },
      { clock: deps.clock, throwIfCancelled: deps.throwIfCancelled, onRetry: (failed, waitMs) => tellRetry(place, r, failed, waitMs) },
      async (n) => (latest = await rollBackOnce(place, probe, r, { n, dir, deploymentId: latest?.deploymentId ?? r.deploymentId })),
      r.journal.attempts,
    );
    attempt = tried.last;
  } finally {
    const result = !attempt ? 'error' : attempt.failure ? 'failed' : 'healthy';
    await hook('after-rollback-command', latest?.deploymentId ?? r.deploymentId, { DEPLOY_GUARD_ROLLBACK_RESULT: result });
  }
  if (attempt.failure) {
    deps.log.error(`Rollback to ${shortSha(r.sha)} failed: ${describeFailure(attempt.failure)}. Not rolling back a rollback.`, `${s.environment}: rollback failed`);
  } else {
    deps.log.warning(`Rolled back ${s.environment} to ${shortSha(r.sha)}; it stayed healthy for the whole window.`, `${s.environment}: rolled back to ${shortSha(r.sha)}`);
  }
  // With retries, the rollback's moments run from its first attempt's start to its last verdict.
  const first = r.journal.attempts[0];
  return r.journal.attempts.length > 1 && first ? { ...attempt, timeline: { ...attempt.timeline, start: first.start } } : attempt;
}

/**
 * Attempt `n` of the rollback: the same target, checkout and command every time. The first records
 * the deployment (unless the caller did); a later one puts the same deployment in progress again.
 */
async function rollBackOnce(place: AttemptPlace, probe: Probe, r: RollbackRun, at: { n: number; dir: string; deploymentId: number | undefined }): Promise<Attempt> {
  const { settings: s } = place;
  const replaced = r.replaces;
  const limit = r.journal.limit;
  if (at.n > 1 && at.deploymentId !== undefined) {
    await place.ledger.start(at.deploymentId, `Rollback attempt ${at.n}/${limit} of ${shortSha(r.sha)} in progress`);
  }
  const rollbackOf = rollbackOfEnv(r);
  return deployAndWatch(place, probe, {
    ...r.spec,
    sha: r.sha,
    cwd: at.dir,
    command: s.rollbackCommand,
    rollback: true,
    env: { ...rollbackOf, DEPLOY_GUARD_ROLLBACK_ATTEMPT: String(at.n) },
    ...(at.deploymentId !== undefined ? { deploymentId: at.deploymentId } : {}),
    ...(replaced
      ? {
          payload: { rollback: true, 'rollback-of': replaced.deploymentId },
          ...(at.n === 1 ? { recordWhileRunning: { after: replaced.close, env: rollbackOf } } : {}),
        }
      : {}),
  });
}

/** What the rollback's commands (hooks too) are told besides the usual: the deployment it replaces, the stage that failed. */
function rollbackOfEnv(r: RollbackRun): Record<string, string> {
  return { ...r.env, ...(r.replaces ? { DEPLOY_GUARD_ROLLBACK_OF: String(r.replaces.deploymentId) } : {}) };
}

function tellRetry(place: AttemptPlace, r: RollbackRun, failed: AttemptRecord, waitMs: number): void {
  const { deps, settings: s } = place;
  const why = failed.failure ? describeFailure(failed.failure) : 'failed';
  deps.log.warning(
    `Rollback attempt ${failed.number}/${r.journal.limit} to ${shortSha(r.sha)} failed: ${why}. Trying again in ${formatDuration(waitMs)}, to the same version from the same checkout.`,
    `${s.environment}: rollback attempt ${failed.number} failed`,
  );
}

/** Tells the notify-webhook the rollback starts, without waiting for it (index.ts waits before the run's last notice). */
function announce(place: AttemptPlace, r: RollbackRun): void {
  const { context: c, settings: s, deps } = place;
  deps.notices?.send({ kind: 'rollback-started', repository: `${c.owner}/${c.repo}`, environment: s.environment, runUrl: c.runUrl, sha: r.sha, ...r.cause });
}
