// Locks: which of the environment's recorded locks hold, each judged as it is now
// (core/environment-lock.ts). The records come with the incidents' in the gate's one listing
// (phases/gate.ts), so an environment without locks costs no request here. Fails closed: a lock
// that cannot be read means nothing may be deployed.
import type { RunDeps } from '../deps.ts';
import { judgeLock, LOCK_LABEL, lockRefusal, readHolder, type HeldLock } from '../core/environment-lock.ts';
import { closerOf } from '../core/incident-judgement.ts';
import type { Outcome } from '../core/outcome.ts';
import type { Repo } from '../github/client.ts';
import { forgetRecord, type RecordScope } from '../github/incident-records.ts';
import { readIncident } from '../github/incidents.ts';
import { repositoryRole } from '../github/permissions.ts';
import type { Settings } from '../settings.ts';

/** Where the locks of the environment `settings` name are recorded. */
export function lockScope(s: Pick<Settings, 'tagPrefix' | 'environment'>): RecordScope {
  return { prefix: s.tagPrefix, environment: s.environment };
}

/**
 * The recorded locks that hold, oldest first. With `settle` (a deploy's or a lock's token has
 * contents: write; a gate job's may not), the records of released locks are forgotten.
 */
export async function heldLocks(deps: Pick<RunDeps, 'gh' | 'log'>, repo: Repo, scope: RecordScope, recorded: readonly number[], settle: boolean): Promise<HeldLock[]> {
  const { gh, log } = deps;
  const forget = async (issue: number) => {
    // A record left behind costs a read on the next gate, never a wrong answer.
    if (settle) await forgetRecord(gh, repo, scope, 'locks', issue).catch((error: Error) => log.info(`Could not forget the record of released lock #${issue}: ${error.message}`));
  };
  try {
    const judged = await Promise.all(
      recorded.map(async (n): Promise<HeldLock | undefined> => {
        const issue = await readIncident(gh, repo, n, LOCK_LABEL);
        if (issue === 'deleted') {
          log.warning(`Lock issue #${n} of ${scope.environment} was deleted (only an admin can delete an issue); the lock is released.`);
          await forget(n);
          return undefined;
        }
        const closer = issue.state === 'closed' ? closerOf(issue) : undefined;
        const verdict = judgeLock({ ...issue, closer }, closer ? await repositoryRole(gh, repo, closer) : undefined);
        if (!verdict.holds) {
          log.info(`Lock #${n} of ${scope.environment} (${issue.htmlUrl}) was released: ${verdict.why}.`);
          await forget(n);
          return undefined;
        }
        return { number: n, url: issue.htmlUrl, title: issue.title, holder: readHolder(issue.body), closedBelowWrite: verdict.closedBelowWrite };
      }),
    );
    return judged.filter((lock): lock is HeldLock => lock !== undefined);
  } catch (error) {
    throw new Error(`cannot verify the locks of ${scope.environment}, so nothing is deployed: ${(error as Error).message}`, { cause: error });
  }
}

/** The refusal while a lock holds the environment, or undefined when none does. Writes nothing unless `settle`. */
export async function checkLocks(
  deps: Pick<RunDeps, 'gh' | 'log' | 'clock'>,
  repo: Repo,
  settings: Pick<Settings, 'tagPrefix' | 'environment'>,
  recorded: readonly number[],
  settle: boolean,
): Promise<Extract<Outcome, { kind: 'blocked' }> | undefined> {
  if (!recorded.length) return undefined;
  const held = await heldLocks(deps, repo, lockScope(settings), recorded, settle);
  return held.length ? lockRefusal(settings.environment, held, deps.clock.now()) : undefined;
}
