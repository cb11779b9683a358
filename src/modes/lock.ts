// Lock and unlock modes: a person with write access holds an environment's deploys during an
// investigation or a migration, and lets it go. A lock is an issue (visible, survives re-runs) plus
// its record (github/incident-records.ts): deploys and the gate are refused while it holds
// (phases/locks.ts); rollbacks still run.
import type { RunDeps, RunResult } from '../deps.ts';
import { describeLock, LOCK_LABEL, type HeldLock } from '../core/environment-lock.ts';
import type { IncidentRef } from '../core/outcome.ts';
import type { Repo } from '../github/client.ts';
import { environmentRecords, forgetRecord, recordIssue } from '../github/incident-records.ts';
import { commentOnIssue, ensureLabel, listOpenLabeledIssues, openIssue } from '../github/incidents.ts';
import { closeIssue } from '../github/lock-issues.ts';
import { lockIssueText, unlockComment } from '../report/lock-text.ts';
import { quoteForLog } from '../report/log-text.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { runMarker } from '../phases/incident.ts';
import { heldLocks, lockScope } from '../phases/locks.ts';
import { writeAccessRefusal } from '../phases/write-access.ts';

export async function runLock(s: Settings, ctx: RunContext, deps: RunDeps): Promise<RunResult> {
  const repo = { owner: ctx.owner, repo: ctx.repo };
  const refusal = await writeAccessRefusal(deps, repo, ctx, 'locking an environment');
  if (refusal) return refuse(deps, 'Lock', refusal);
  const held = await locksNow(s, deps, repo);
  if (held[0]) {
    const lock = held[0];
    deps.log.warning(`${describeLock(s.environment, lock, deps.clock.now())} Not taking a second lock.`, `${s.environment}: already locked (#${lock.number})`);
    return { outcome: { kind: 'locked', lock: { number: lock.number, url: lock.url, holder: lock.holder }, already: true }, knownGoodSha: undefined };
  }

  const { gh } = deps;
  const holder = { actor: ctx.actor, reason: s.reason, since: deps.clock.now() };
  const marker = runMarker(ctx);
  const text = lockIssueText({ environment: s.environment, holder, runUrl: ctx.runUrl, runMarker: marker });
  await ensureLabel(gh, repo, LOCK_LABEL);
  const issue = await openIssue(gh, repo, { ...text, labels: [LOCK_LABEL] }, async () => {
    const found = (await listOpenLabeledIssues(gh, repo, LOCK_LABEL)).find((i) => i.body.includes(marker));
    return found ? { number: found.number, url: found.htmlUrl } : undefined;
  });
  // The record makes it a lock; it points at the checked-out commit when there is one.
  const sha = await deps.git.headSha().catch(() => undefined);
  try {
    await recordIssue(gh, repo, lockScope(s), 'locks', issue.number, sha);
  } catch (error) {
    // Unrecorded, the issue would look like a lock that is not one: it is closed.
    await closeIssue(gh, repo, issue.number).catch(() => {});
    throw new Error(
      `opened lock issue #${issue.number} (${issue.url}) but could not record it, so ${s.environment} is not locked and the issue was closed: ${(error as Error).message}. ` +
        'Give the token contents: write (the record is a ref), then run mode: lock again.',
      { cause: error },
    );
  }
  deps.log.warning(
    `Locked ${s.environment} for @${ctx.actor}: ${quoteForLog(s.reason)} (${issue.url}). Deploys and the gate are refused until it is unlocked; rollbacks still run.`,
    `${s.environment}: locked (#${issue.number})`,
  );
  return { outcome: { kind: 'locked', lock: { ...issue, holder }, already: false }, knownGoodSha: undefined };
}

export async function runUnlock(s: Settings, ctx: RunContext, deps: RunDeps): Promise<RunResult> {
  const repo = { owner: ctx.owner, repo: ctx.repo };
  const refusal = await writeAccessRefusal(deps, repo, ctx, 'unlocking an environment');
  if (refusal) return refuse(deps, 'Unlock', refusal);
  const held = await locksNow(s, deps, repo);
  if (!held.length) deps.log.info(`${s.environment} is not locked; there is nothing to unlock.`);
  const released: IncidentRef[] = [];
  for (const lock of held) {
    // The record first: once it is gone the lock is released, whatever happens to the issue.
    await forgetRecord(deps.gh, repo, lockScope(s), 'locks', lock.number);
    released.push({ number: lock.number, url: lock.url });
    await closeLockIssue(s, ctx, deps, repo, lock).catch((error: Error) =>
      deps.log.warning(`${s.environment} is unlocked, but lock issue #${lock.number} could not be closed: ${error.message}. Close it by hand.`),
    );
    deps.log.warning(`Unlocked ${s.environment} (#${lock.number}) for @${ctx.actor}: ${quoteForLog(s.reason)}.`, `${s.environment}: unlocked (#${lock.number})`);
  }
  return { outcome: { kind: 'unlocked', released, actor: ctx.actor, reason: s.reason }, knownGoodSha: undefined };
}

/** The locks that hold the environment now; the records of released ones are forgotten (the token has contents: write). */
async function locksNow(s: Settings, deps: RunDeps, repo: Repo): Promise<HeldLock[]> {
  const { locks } = await environmentRecords(deps.gh, repo, lockScope(s));
  return heldLocks(deps, repo, lockScope(s), locks, true);
}

/** Says who unlocked it and why on the issue, and closes it unless someone already did. */
async function closeLockIssue(s: Settings, ctx: RunContext, deps: RunDeps, repo: Repo, lock: HeldLock): Promise<void> {
  const marker = runMarker(ctx);
  await commentOnIssue(deps.gh, repo, lock.number, unlockComment({ environment: s.environment, actor: ctx.actor, reason: s.reason, runUrl: ctx.runUrl, runMarker: marker }), marker);
  if (!lock.closedBelowWrite) await closeIssue(deps.gh, repo, lock.number);
}

function refuse(deps: RunDeps, what: string, reason: string): RunResult {
  deps.log.error(`${what} refused: ${reason}`);
  return { outcome: { kind: 'refused', what, reason }, knownGoodSha: undefined };
}
