// The health verdict: a pure state machine fed one round at a time. Time comes in with each round.

export type Outcome = 'pass' | 'fail' | 'inconclusive';

export interface Sample {
  check: string;
  outcome: Outcome;
  /** Milliseconds since the window started. */
  at: number;
  latencyMs: number;
  /** HTTP status, exit code or metric value, when there is one. */
  value?: string;
  detail: string;
}

export interface Round {
  index: number;
  /** Milliseconds since the window started. */
  at: number;
  outcome: Outcome;
  samples: Sample[];
}

export interface VerdictPolicy {
  windowMs: number;
  /** Consecutive failed rounds that make the deploy unhealthy. */
  failureThreshold: number;
}

export type Verdict =
  | { kind: 'watching' }
  | { kind: 'healthy'; rounds: number }
  | { kind: 'unhealthy'; reason: string; failedRounds: number };

/** A round fails if any check failed; it is inconclusive if none failed but one could not measure. */
export function roundOutcome(samples: readonly Sample[]): Outcome {
  if (samples.some((s) => s.outcome === 'fail')) return 'fail';
  if (samples.some((s) => s.outcome === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

export interface VerdictTracker {
  record(round: Round): Verdict;
  readonly rounds: readonly Round[];
  readonly consecutiveFailures: number;
}

/**
 * Healthy only once the window is over and the last rounds are not failing: a failure streak
 * still open at the end of the window keeps the watch going until it either clears (a round
 * passes) or reaches the threshold, so a crash in the final seconds is not waved through.
 * Inconclusive rounds neither pass nor fail: they do not break a failure streak.
 */
export function createVerdictTracker(policy: VerdictPolicy): VerdictTracker {
  const rounds: Round[] = [];
  let consecutiveFailures = 0;
  let failedRounds = 0;
  let lastDecisive: Outcome | undefined;

  return {
    get rounds() {
      return rounds;
    },
    get consecutiveFailures() {
      return consecutiveFailures;
    },
    record(round) {
      rounds.push(round);
      if (round.outcome === 'fail') {
        consecutiveFailures += 1;
        failedRounds += 1;
        lastDecisive = 'fail';
      } else if (round.outcome === 'pass') {
        consecutiveFailures = 0;
        lastDecisive = 'pass';
      }
      if (consecutiveFailures >= policy.failureThreshold) {
        return {
          kind: 'unhealthy',
          reason: `${consecutiveFailures} consecutive health rounds failed (failure-threshold is ${policy.failureThreshold})`,
          failedRounds,
        };
      }
      if (round.at >= policy.windowMs && consecutiveFailures === 0) {
        if (lastDecisive !== 'pass') {
          return {
            kind: 'unhealthy',
            reason: 'no health round passed during the whole window: every measurement was inconclusive',
            failedRounds,
          };
        }
        return { kind: 'healthy', rounds: rounds.length };
      }
      return { kind: 'watching' };
    },
  };
}
