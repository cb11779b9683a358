// The moments of one attempt (a deploy, or a rollback), as epoch milliseconds; absent: did not
// happen. The phases fill it in; the reports render it in UTC.
export interface Timeline {
  /** The attempt started (before its command ran). */
  start: number;
  /** Its command ended. */
  commandEnd?: number;
  /** Round 0 of its health window; `Round.at` and `Sample.at` count from here. */
  windowStart?: number;
  firstFailure?: number;
  /** Its verdict: the one that started the rollback, or that ended the run. */
  verdict?: number;
}

/**
 * A staged deploy (the `stages` input) keeps the moments of each stage in `stages`; then the
 * attempt's own moments past `start` are those of the last stage that ran (its rounds' window).
 */
export interface Timeline {
  stages?: StageMoments[];
}

/** One stage's moments; a stage after the one that failed was never reached. */
export interface StageMoments extends Omit<Timeline, 'start' | 'stages'> {
  name: string;
  windowMs: number;
  start?: number;
  result: 'healthy' | 'failed' | 'not-reached';
}
