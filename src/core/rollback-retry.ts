// How a rollback is tried again: the same target, up to rollback-attempts times, with a wait that
// doubles after each failed attempt (capped). Time and cancellation come in; nothing here runs a command.
import type { Clock } from '../clock.ts';
import type { Failure } from './outcome.ts';

/** rollback-attempts accepts 1 (no retry, the default) to this many. */
export const MAX_ROLLBACK_ATTEMPTS = 10;
/** No wait between two attempts is longer than this, however far the doubling went. */
export const ROLLBACK_WAIT_CAP_MS = 10 * 60_000;
/** A long wait is slept in slices of this, so a cancel is seen within one. */
const WAIT_SLICE_MS = 1_000;

export interface RetryPolicy {
  attempts: number;
  /** The wait before the second attempt (rollback-backoff); it doubles before each later one. */
  backoffMs: number;
}

/** The wait before attempt `next` (2 or more): backoff, 2 × backoff, 4 × backoff, …, capped. */
export function waitBeforeAttempt(next: number, backoffMs: number): number {
  return Math.min(backoffMs * 2 ** Math.max(0, next - 2), ROLLBACK_WAIT_CAP_MS);
}

/** The waits before attempts 2 to `attempts`, in order (empty for one attempt). */
export function waitSchedule(p: RetryPolicy): number[] {
  return Array.from({ length: Math.max(0, p.attempts - 1) }, (_, i) => waitBeforeAttempt(i + 2, p.backoffMs));
}

/** One attempt as the incident names it: which, when, and how it ended (no failure: healthy). */
export interface AttemptRecord {
  /** 1-based. */
  number: number;
  start: number;
  end: number;
  failure?: Failure;
}

/** The maintenance hooks around a rollback, by their input's name. */
export type HookInput = 'before-rollback-command' | 'after-rollback-command';

/** One run of a hook (no failure: it exited 0), or why it did not run. */
export interface HookRecord {
  input: HookInput;
  start: number;
  end: number;
  failure?: Failure;
  /** Set when it was not started (the run was cancelled); then start = end. */
  notRun?: string;
}

/** What a rollback did, as it went: each attempt and each hook. Read even when the rollback threw. */
export interface RollbackJournal {
  /** rollback-attempts. */
  limit: number;
  attempts: AttemptRecord[];
  hooks: HookRecord[];
}

/** A hook that failed or did not run: never hidden, and it fails a manual rollback's step. */
export function troubledHooks(journal: RollbackJournal | undefined): HookRecord[] {
  return journal?.hooks.filter((h) => h.failure || h.notRun) ?? [];
}

export interface RetryScope {
  clock: Clock;
  /** Throws once the run was cancelled: no further attempt starts, no wait runs on. */
  throwIfCancelled: () => void;
  /** Told before each wait: the attempt that failed, and how long until the next. */
  onRetry?: (failed: AttemptRecord, waitMs: number) => void;
}

/**
 * Runs `attempt(1)`, and again with the next number after each failure, until one succeeds or
 * `policy.attempts` have failed. Returns the last attempt's result and the record of each.
 */
export async function attemptInTurn<T extends { failure?: Failure }>(
  policy: RetryPolicy,
  scope: RetryScope,
  attempt: (n: number) => Promise<T>,
  /** Each attempt's record is pushed here as it ends. */
  records: AttemptRecord[] = [],
): Promise<{ last: T; records: AttemptRecord[] }> {
  for (let n = 1; ; n += 1) {
    const start = scope.clock.now();
    const last = await attempt(n).catch((error: Error) => {
      records.push({ number: n, start, end: scope.clock.now(), failure: { kind: 'error', message: error.message } });
      throw error;
    });
    const record: AttemptRecord = { number: n, start, end: scope.clock.now(), ...(last.failure ? { failure: last.failure } : {}) };
    records.push(record);
    if (!last.failure || n >= policy.attempts) return { last, records };
    const waitMs = waitBeforeAttempt(n + 1, policy.backoffMs);
    scope.onRetry?.(record, waitMs);
    await waitUnlessCancelled(scope, waitMs);
  }
}

async function waitUnlessCancelled(scope: RetryScope, ms: number): Promise<void> {
  for (let left = ms; ; left -= WAIT_SLICE_MS) {
    scope.throwIfCancelled();
    if (left <= 0) return;
    await scope.clock.sleep(Math.min(WAIT_SLICE_MS, left));
  }
}
