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
  /** A command check's output (bounded), for the report. */
  output?: string;
  /** The start of a failing HTTP answer's body (at most 300 characters, whitespace collapsed). */
  excerpt?: string;
  /** Of a warn-only check (`on-failure: warn`): reported, never counted by the verdict. */
  warnOnly?: boolean;
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
  /** More failed rounds than this, in all, make the deploy unhealthy. Undefined: no budget. */
  maxFailedRounds?: number | undefined;
  /** Consecutive inconclusive rounds that make the deploy unhealthy. 0 or undefined: never. */
  inconclusiveThreshold?: number | undefined;
}

export type Verdict =
  | { kind: 'watching' }
  | { kind: 'healthy'; rounds: number; inconclusiveRounds: number }
  | { kind: 'unhealthy'; reason: string; failedRounds: number };

/**
 * A round fails if any check failed; it is inconclusive if none failed but one could not measure.
 * Warn-only checks do not count: their failures are warnings (core/warnings.ts).
 */
export function roundOutcome(samples: readonly Sample[]): Outcome {
  const counted = samples.filter((s) => !s.warnOnly);
  if (counted.some((s) => s.outcome === 'fail')) return 'fail';
  if (counted.some((s) => s.outcome === 'inconclusive')) return 'inconclusive';
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
 * Inconclusive rounds neither pass nor fail: they do not break a failure streak, and they make
 * the deploy unhealthy only past `inconclusiveThreshold` in a row. A window in which no check
 * ever passed is not healthy, whatever else happened. Warn-only checks count for none of this.
 */
export function createVerdictTracker(policy: VerdictPolicy): VerdictTracker {
  const rounds: Round[] = [];
  let consecutiveFailures = 0;
  let consecutiveInconclusive = 0;
  let failedRounds = 0;
  let inconclusiveRounds = 0;
  let anyCheckPassed = false;
  const unhealthy = (reason: string): Verdict => ({ kind: 'unhealthy', reason, failedRounds });

  return {
    get rounds() {
      return rounds;
    },
    get consecutiveFailures() {
      return consecutiveFailures;
    },
    record(round) {
      rounds.push(round);
      anyCheckPassed ||= round.samples.some((s) => s.outcome === 'pass' && !s.warnOnly);
      if (round.outcome === 'fail') {
        consecutiveFailures += 1;
        consecutiveInconclusive = 0;
        failedRounds += 1;
      } else if (round.outcome === 'pass') {
        consecutiveFailures = 0;
        consecutiveInconclusive = 0;
      } else {
        consecutiveInconclusive += 1;
        inconclusiveRounds += 1;
      }
      if (consecutiveFailures >= policy.failureThreshold) {
        return unhealthy(`${consecutiveFailures} consecutive health rounds failed (failure-threshold is ${policy.failureThreshold})`);
      }
      if (policy.maxFailedRounds !== undefined && failedRounds > policy.maxFailedRounds) {
        return unhealthy(`${failedRounds} health rounds failed in the window (max-failed-rounds is ${policy.maxFailedRounds})`);
      }
      if (policy.inconclusiveThreshold && consecutiveInconclusive >= policy.inconclusiveThreshold) {
        return unhealthy(
          `${consecutiveInconclusive} consecutive health rounds could not be measured (inconclusive-threshold is ${policy.inconclusiveThreshold})`,
        );
      }
      if (round.at >= policy.windowMs && consecutiveFailures === 0) {
        if (!anyCheckPassed) return unhealthy('no health check passed during the whole window: every measurement was inconclusive');
        return { kind: 'healthy', rounds: rounds.length, inconclusiveRounds };
      }
      return { kind: 'watching' };
    },
  };
}
