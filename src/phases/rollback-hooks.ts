// The maintenance hooks around a rollback (before-rollback-command, after-rollback-command): run in
// the rollback's checkout by the deploy command's runner, so with its process group, timeout,
// output fencing and environment. A hook's failure is reported loudly and kept in the journal; it
// never stops the rollback and is never taken for a success.
import { describeFailure, type Failure } from '../core/outcome.ts';
import type { HookInput, HookRecord } from '../core/rollback-retry.ts';
import { shortSha } from '../core/tag-names.ts';
import type { AttemptPlace } from './attempt.ts';
import { runDeployCommand } from './deploy.ts';

/** Where and for what a hook runs: the rollback's checkout and target, and the variables its command gets. */
export interface HookRun {
  cwd: string;
  sha: string;
  deploymentId: number | undefined;
  env: Record<string, string>;
}

const HOOK_NAMES: Record<HookInput, string> = { 'before-rollback-command': 'before-rollback', 'after-rollback-command': 'after-rollback' };

/** Runs the hook `input` names (nothing if it is empty) and returns its record; never throws. */
export async function runHook(place: Pick<AttemptPlace, 'settings' | 'deps'>, input: HookInput, run: HookRun): Promise<HookRecord | undefined> {
  const { settings: s, deps } = place;
  const command = input === 'before-rollback-command' ? s.beforeRollbackCommand : s.afterRollbackCommand;
  if (!command) return undefined;
  const start = deps.clock.now();
  const notRun = cancelledReason(deps.throwIfCancelled);
  if (notRun) {
    deps.log.error(`${input} was not run: ${notRun}. Run it by hand if the rollback left something to undo.`, `${s.environment}: ${input} not run`);
    return { input, start, end: start, notRun };
  }
  const failure = await deps.log.group(`${input} (rollback to ${shortSha(run.sha)})`, async (): Promise<Failure | undefined> => {
    try {
      const env = { ...run.env, DEPLOY_GUARD_HOOK: HOOK_NAMES[input] };
      const result = await runDeployCommand(deps, s, { command, cwd: run.cwd, sha: run.sha, rollback: true, deploymentId: run.deploymentId, env });
      if (result.exitCode === 0 && !result.timedOut) return undefined;
      return { kind: 'command-failed', exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, timeoutMs: s.deployTimeoutMs };
    } catch (error) {
      return { kind: 'error', message: (error as Error).message };
    }
  });
  const end = deps.clock.now();
  if (failure) {
    const then = input === 'before-rollback-command' ? 'Rolling back anyway: the rollback matters more.' : 'Check what it should have undone.';
    deps.log.error(`${input} failed: ${describeFailure(failure)}. ${then}`, `${s.environment}: ${input} failed`);
    return { input, start, end, failure };
  }
  deps.log.info(`${input} finished.`);
  return { input, start, end };
}

function cancelledReason(throwIfCancelled: () => void): string | undefined {
  try {
    throwIfCancelled();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
