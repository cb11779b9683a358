// Which checks made a deploy unhealthy, kept where status mode can read them back at no cost: at the
// end of the failed deployment's terminal status description (GitHub keeps at most 140 characters),
// as `; failed checks: "http", "db"` (each name a JSON string, so any name reads back as written).
// Status mode reads the descriptions with the statuses it reads anyway (one GraphQL page per 100
// deployments) and counts the checks that failed most.
import type { Round } from './verdict.ts';

/** GitHub keeps at most this many characters of a deployment status description. */
export const STATUS_DESCRIPTION_MAX = 140;

const MARK = '; failed checks: ';
/** The reason keeps at least this many characters; the names take what is left. */
const REASON_MIN = 40;

/**
 * The checks that failed in the rounds, the one that failed most first (then in the order they
 * first failed). Warn-only checks are left out: they never make a deploy unhealthy.
 */
export function failingChecks(rounds: readonly Round[]): string[] {
  const fails = new Map<string, number>();
  for (const round of rounds) {
    for (const sample of round.samples) if (sample.outcome === 'fail' && !sample.warnOnly) fails.set(sample.check, (fails.get(sample.check) ?? 0) + 1);
  }
  return [...fails.entries()].sort((a, b) => b[1] - a[1]).map(([check]) => check);
}

/**
 * `reason` with the failed checks' names after it, within `max` characters: as many names as fit
 * whole (at least the first, cut if it must be), the reason cut to make room. No checks: the reason alone.
 */
export function withFailedChecks(reason: string, checks: readonly string[], max = STATUS_DESCRIPTION_MAX): string {
  if (!checks.length) return cut(reason, max);
  const room = max - MARK.length - Math.min(reason.length, REASON_MIN);
  const names: string[] = [];
  for (const check of checks) {
    const next = [...names, JSON.stringify(check)].join(', ');
    if (next.length > room) break;
    names.push(JSON.stringify(check));
  }
  if (!names.length) names.push(JSON.stringify(cut(checks[0]!, Math.max(1, room - 2))));
  const list = names.join(', ');
  return `${cut(reason, max - MARK.length - list.length)}${MARK}${list}`;
}

/** The check names a description written by withFailedChecks ends with; none for any other text. */
export function failedChecksOf(description: string | undefined): string[] {
  const at = description?.lastIndexOf(MARK) ?? -1;
  if (!description || at < 0) return [];
  try {
    const names: unknown = JSON.parse(`[${description.slice(at + MARK.length)}]`);
    return Array.isArray(names) && names.every((n) => typeof n === 'string') ? names : [];
  } catch {
    return [];
  }
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
