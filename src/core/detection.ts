// The worst case from a failure's onset to the verdict that starts a rollback, under the settings.
import type { Check } from '../health/check-types.ts';

export interface DetectionSettings {
  healthIntervalMs: number;
  healthInitialDelayMs: number;
  failureThreshold: number;
  checks: readonly Check[];
}

/**
 * A failure that begins just after a round has measured is first seen by the next round, one
 * interval later (or, during warm-up, by the first round, one initial delay later); the verdict
 * needs `failureThreshold` failed rounds in a row, and the last of them may take its slowest
 * check's whole timeout to fail. So: max(interval, initial delay) + (threshold - 1) x interval +
 * slowest timeout. A failure budget (max-failed-rounds) can only make it sooner. Warn-only checks
 * count here too: a round ends when all its checks have, so theirs can be the slowest timeout.
 */
export function worstCaseDetectionMs(s: DetectionSettings): number {
  const slowest = Math.max(0, ...s.checks.map((c) => c.timeoutMs));
  return Math.max(s.healthIntervalMs, s.healthInitialDelayMs) + (s.failureThreshold - 1) * s.healthIntervalMs + slowest;
}
