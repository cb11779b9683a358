// Environment locks (mode: lock): a person with write access holds an environment's deploys during
// an investigation or a migration. A lock is an issue deploy-guard opened plus its record ref
// (github/incident-records.ts); it holds while the record exists and the issue is open, and fails
// closed on a close it cannot trust. Pure: the issue, its closer and the closer's role come in.
import { formatDuration } from './duration.ts';
import { closerQualifies } from './gate-decision.ts';
import type { Outcome } from './outcome.ts';
import { quoteForLog } from '../report/log-text.ts';

/** The label of lock issues, created when missing. */
export const LOCK_LABEL = 'deploy-lock';

/** The marker in every lock issue of `env`. */
export function lockMarker(env: string): string {
  return `<!-- deploy-guard:lock=${env} -->`;
}

/** Who took the lock, why, and when (ms since the epoch). */
export interface LockHolder {
  actor: string;
  reason: string;
  since: number;
}

/**
 * The holder as a hidden line of the lock issue, read back by the gate. `<` and `>` are written as
 * JSON escapes, so a reason can never end the comment early. Someone who may edit the issue can
 * change what the line says, but not whether the lock holds: the record and the issue's state decide.
 */
export function holderLine(holder: LockHolder): string {
  const json = JSON.stringify({ actor: holder.actor, reason: holder.reason, since: holder.since }).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `<!-- deploy-guard:lock-holder ${json} -->`;
}

const HOLDER_LINE = /<!-- deploy-guard:lock-holder (\{.*\}) -->/;

/** The holder written into a lock issue's body, or undefined when the line is missing or edited beyond reading. */
export function readHolder(body: string): LockHolder | undefined {
  const json = HOLDER_LINE.exec(body)?.[1];
  if (!json) return undefined;
  try {
    const value = JSON.parse(json) as Partial<LockHolder>;
    if (typeof value.actor !== 'string' || typeof value.reason !== 'string' || typeof value.since !== 'number' || !Number.isFinite(value.since)) return undefined;
    return { actor: value.actor, reason: value.reason, since: value.since };
  } catch {
    return undefined;
  }
}

/** A lock issue as it is now. */
export interface LockIssue {
  number: number;
  htmlUrl: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  /** Who closed it last (closed issues only); undefined when GitHub does not say. */
  closer?: string | undefined;
}

export type LockVerdict =
  | { holds: true; closedBelowWrite?: { login: string; role: string | undefined } }
  | { holds: false; why: string };

/**
 * Whether a recorded lock still holds. Closing the issue releases it only when the closer has
 * write access or more (the bar for taking one): a triager can close issues, but not release a lock.
 */
export function judgeLock(issue: LockIssue, closerRole: string | undefined): LockVerdict {
  if (issue.state === 'open') return { holds: true };
  if (issue.closer && closerQualifies(closerRole, 'write')) return { holds: false, why: `closed by @${issue.closer} (${closerRole})` };
  return { holds: true, closedBelowWrite: { login: issue.closer ?? 'unknown', role: closerRole } };
}

/** A lock that holds, for the refusal. */
export interface HeldLock {
  number: number;
  url: string;
  title: string;
  holder: LockHolder | undefined;
  closedBelowWrite?: { login: string; role: string | undefined } | undefined;
}

/** One lock in words: who, why, since when, and its issue. */
export function describeLock(environment: string, lock: HeldLock, now: number): string {
  const issue = `lock issue #${lock.number}, ${lock.url}`;
  const { holder } = lock;
  const what = holder
    ? `${environment} is locked by @${holder.actor} since ${formatSince(holder.since, now)}: ${quoteForLog(holder.reason)} (${issue})`
    : `${environment} is locked (${issue}, ${quoteForLog(lock.title)}; who and why could not be read from it)`;
  const closed = lock.closedBelowWrite;
  if (!closed) return `${what}.`;
  const by = `@${closed.login} (${closed.role ? `the ${closed.role} role` : 'no role'})`;
  return `${what}. #${lock.number} was closed by ${by}, below write access, so the lock still holds.`;
}

/** Not deployed while `locks` hold: who holds the environment, why and since when, and how to let it go. */
export function lockRefusal(environment: string, locks: readonly HeldLock[], now: number): Extract<Outcome, { kind: 'blocked' }> {
  const numbers = locks.map((l) => `#${l.number}`).join(', ');
  return {
    kind: 'blocked',
    by: 'lock',
    incidents: [],
    reason:
      `${locks.map((lock) => describeLock(environment, lock, now)).join(' ')} ` +
      `To unlock: run deploy-guard with mode: unlock and a reason, or close ${numbers} as someone with write access or more. Rollbacks still run.`,
  };
}

function formatSince(since: number, now: number): string {
  const at = `${new Date(since).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return now >= since ? `${at} (${formatDuration(now - since)} ago)` : at;
}
