// Warn-only checks (`on-failure: warn`): what their failures add up to over a health window. They
// are probed every round like the other checks, but the verdict leaves them out (core/verdict.ts).
import type { Round } from './verdict.ts';

/** One warn-only check that failed at least once in the window. */
export interface CheckWarning {
  check: string;
  /** Rounds in which it failed, and rounds in all. */
  failedRounds: number;
  rounds: number;
  /** Epoch milliseconds of its first and last failed sample. */
  firstFailedAt: number;
  lastFailedAt: number;
  /** What its last failed sample said. */
  lastDetail: string;
}

/**
 * The warn-only checks that failed in `rounds`, in the order the checks are configured.
 * `windowStart`: epoch ms of round 0, from which the samples' `at` counts.
 */
export function checkWarnings(rounds: readonly Round[], windowStart: number): CheckWarning[] {
  const byCheck = new Map<string, CheckWarning>();
  for (const sample of rounds.flatMap((r) => r.samples)) {
    if (!sample.warnOnly || sample.outcome !== 'fail') continue;
    const at = windowStart + sample.at;
    const known = byCheck.get(sample.check);
    if (known) Object.assign(known, { failedRounds: known.failedRounds + 1, lastFailedAt: at, lastDetail: sample.detail });
    else byCheck.set(sample.check, { check: sample.check, failedRounds: 1, rounds: 0, firstFailedAt: at, lastFailedAt: at, lastDetail: sample.detail });
  }
  for (const warning of byCheck.values()) warning.rounds = rounds.filter((r) => r.samples.some((s) => s.check === warning.check)).length;
  return [...byCheck.values()];
}

/** The `warnings` output: a JSON array, times in ISO 8601. */
export function warningsJson(warnings: readonly CheckWarning[]): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  return JSON.stringify(warnings.map((w) => ({ ...w, firstFailedAt: iso(w.firstFailedAt), lastFailedAt: iso(w.lastFailedAt) })));
}
