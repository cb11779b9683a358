// Durations as users write them in workflow inputs: 500ms, 30s, 5m, 1h.
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const HOUR_MS = 3_600_000;

/**
 * Node's timers hold at most 2^31 - 1 ms (about 596 hours): a longer delay fires after 1 ms, so
 * a longer health window or deploy timeout would end at once. Every duration has a maximum far
 * below that, and sums of them (warm-up + window + the watch past it) stay below it too.
 */
export const TIMER_MAX_MS = 2 ** 31 - 1;

/** The longest value each duration input (and check field) accepts. Documented in the README. */
export const DURATION_MAX_MS = {
  /** A job on a GitHub-hosted runner stops after 6 hours; a self-hosted one may watch a day. */
  'health-window': 24 * HOUR_MS,
  'health-interval': HOUR_MS,
  'health-initial-delay': HOUR_MS,
  /** Also bounded by health-interval. */
  'request-timeout': HOUR_MS,
  'deploy-timeout': 24 * HOUR_MS,
  /** A check's `timeout` (also bounded by health-interval) and `max-latency`. */
  'check-timeout': HOUR_MS,
  'max-latency': HOUR_MS,
  /** The wait before a rollback's second attempt; later waits double it, capped (core/rollback-retry.ts). */
  'rollback-backoff': 10 * 60_000,
} as const;

export type DurationResult = { ok: true; ms: number } | { ok: false; error: string };

/** `maxMs`: the longest accepted (default: the longest a Node timer holds). */
export function parseDuration(text: string, maxMs: number = TIMER_MAX_MS): DurationResult {
  const match = DURATION.exec(text.trim());
  if (!match) {
    return { ok: false, error: `"${text}" is not a duration; write a number and a unit, e.g. 500ms, 30s, 5m or 1h` };
  }
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  if (ms <= 0) return { ok: false, error: `"${text}" must be longer than zero` };
  if (ms > maxMs) return { ok: false, error: `"${text}" is longer than the maximum, ${formatDuration(maxMs)}` };
  return { ok: true, ms };
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1_000)}s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1_000);
    return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
  }
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return minutes ? `${hours}h${minutes}m` : `${hours}h`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(2)));
}
