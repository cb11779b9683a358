// What a deploy does once its verdict is in. Pure.
import type { Failure } from './outcome.ts';

export type NextStep =
  /** Healthy: known-good moves to the version. */
  | { kind: 'promote' }
  /** A dry run reports its verdict and stops: no known-good move, no rollback, no incident. */
  | { kind: 'report-dry-run' }
  /** Unhealthy with a version to go back to: roll back, then open the incident. */
  | { kind: 'roll-back'; to: string }
  /** Unhealthy with nothing to go back to: open the incident, which blocks until a person acts. */
  | { kind: 'open-incident' };

export function nextStep(verdict: { failure?: Failure | undefined }, run: { dryRun: boolean; knownGoodSha: string | undefined }): NextStep {
  if (run.dryRun) return { kind: 'report-dry-run' };
  if (!verdict.failure) return { kind: 'promote' };
  return run.knownGoodSha ? { kind: 'roll-back', to: run.knownGoodSha } : { kind: 'open-incident' };
}
