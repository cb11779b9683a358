// Is another deploy of the environment still running, or was one abandoned by a lost runner?

export type InFlight = { kind: 'none' } | { kind: 'running'; ageMs: number; abandonAfterMs: number } | { kind: 'abandoned'; ageMs: number };

const UNFINISHED = new Set(['in_progress', 'queued', 'pending']);

/** A deployment state that is not an end: its run may still be going (or was lost). */
export function isUnfinished(state: string): boolean {
  return UNFINISHED.has(state);
}
/** Slack for API calls and the rollback that may follow a deploy. */
const GRACE_MS = 5 * 60_000;

/**
 * A deployment still unfinished after the longest a deploy can take (command timeout, warm-up and
 * window, twice for a rollback) plus a grace period was left by a runner that disappeared.
 */
export function inFlight(
  newest: { state: string | undefined; since: string } | undefined,
  limits: { deployTimeoutMs: number; healthInitialDelayMs: number; healthWindowMs: number },
  now: number,
): InFlight {
  if (!newest || !isUnfinished(newest.state ?? 'pending')) return { kind: 'none' };
  const abandonAfterMs = 2 * (limits.deployTimeoutMs + limits.healthInitialDelayMs + limits.healthWindowMs) + GRACE_MS;
  const ageMs = now - Date.parse(newest.since);
  return ageMs > abandonAfterMs ? { kind: 'abandoned', ageMs } : { kind: 'running', ageMs, abandonAfterMs };
}
