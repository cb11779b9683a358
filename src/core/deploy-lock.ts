// One deploy per environment at a time, with GitHub's deployments as the lock.
//
// Every run first records its deployment, then looks at the environment's deployments made before
// it, newest first. GitHub gives deployments increasing ids, so of two runs racing, the later one
// sees the earlier one unfinished and steps back; the earlier one never waits for a later one.
// A run that steps back closes its deployment as `error`, so earlier `error` deployments are
// passed over; the first `success`, `failure` or `inactive` one ends the search.
import { inFlight } from './in-flight.ts';

export interface EarlierDeployment {
  id: number;
  sha: string;
  /** Latest status; undefined when it has none yet (just created). */
  state: string | undefined;
  /** When it got its latest status (or was created). */
  since: string;
  rollback: boolean;
  /** Where its run's log is, from its latest status. */
  logUrl?: string | undefined;
  /** It ever got a `success` status; its latest may since be `inactive` (GitHub's auto_inactive). */
  succeeded: boolean;
  /** A dry run: its `success` does not make its version known-good. */
  dryRun: boolean;
  /** A leg of a rollback drill (modes/drill.ts): like a dry run's, its `success` proves nothing. */
  drill?: 'back' | 'forward' | undefined;
}

/** Its version stayed healthy for a whole window (core/known-good.ts); a dry run or a drill's leg never counts. */
export function passedWindow(d: Pick<EarlierDeployment, 'succeeded' | 'dryRun' | 'drill'>): boolean {
  return d.succeeded && !d.dryRun && !d.drill;
}

export interface LockLimits {
  deployTimeoutMs: number;
  healthInitialDelayMs: number;
  healthWindowMs: number;
}

export type EarlierVerdict =
  /** Another deploy is running: this run must not deploy. */
  | { kind: 'held'; ageMs: number; abandonAfterMs: number }
  /** Left unfinished by a lost runner: mark it `error` and look further. */
  | { kind: 'abandoned'; ageMs: number }
  /** Ended in `error` (a run that stepped back, or one that crashed): look further. */
  | { kind: 'passed-over' }
  /** Finished for real: nothing older can be holding the environment. */
  | { kind: 'settled' };

export function judgeEarlier(earlier: EarlierDeployment, limits: LockLimits, now: number): EarlierVerdict {
  const flight = inFlight(earlier, limits, now);
  if (flight.kind === 'running') return { kind: 'held', ageMs: flight.ageMs, abandonAfterMs: flight.abandonAfterMs };
  if (flight.kind === 'abandoned') return { kind: 'abandoned', ageMs: flight.ageMs };
  return earlier.state === 'error' ? { kind: 'passed-over' } : { kind: 'settled' };
}

/**
 * Whether the gate must be read again now that this run holds the environment. A run that ends
 * in an incident opens it before its last deployment gets a terminal status, so only when the
 * deployment before this one failed, was a rollback or ended in an error can an incident have been
 * opened after this run's first look at the gate.
 */
export function gateMayHaveChanged(previous: EarlierDeployment | undefined, passedOver: number): boolean {
  if (passedOver > 0) return true;
  if (!previous) return false;
  // A success that GitHub later marked inactive (a newer deployment in the environment, such as a
  // job's own, succeeded) is still a success. A drill's leg opens its incident (a broken rollback
  // path) before it lets go even when it ended healthy, like a rollback.
  return previous.rollback || previous.drill !== undefined || !previous.succeeded;
}

/** How many earlier deployments are looked at, at most (one page). */
export const EARLIER_LOOKED_AT = 10;
