// Spacing of GitHub API writes. GitHub asks integrations that make many writes to leave a second
// between them (secondary rate limits: at most 80 content-creating requests a minute). A deploy
// makes a handful, so a burst goes out at once and only a longer run of writes is spaced: a token
// bucket of `burst` writes refilled at one per `intervalMs`, with writes started one at a time.
// It stands in for @octokit/plugin-throttling's write group, whose fixed one-second spacing would
// put several seconds of waiting into every deploy and between a bad verdict and its rollback.
import type { Clock } from '../clock.ts';

export interface PacerOptions {
  burst: number;
  intervalMs: number;
  clock: Clock;
}

/** The `key(id).schedule(options, job)` slice of a Bottleneck group that the throttling plugin calls. */
export interface Pacer {
  key(id?: string): Pacer;
  schedule<T>(options: unknown, job: () => Promise<T>): Promise<T>;
  /** Writes started so far (for the log and tests). */
  readonly started: number;
}

export function createWritePacer(options: PacerOptions): Pacer {
  let tokens = options.burst;
  let refilledAt = options.clock.now();
  let queue: Promise<void> = Promise.resolve();
  let started = 0;

  const takeToken = async (): Promise<void> => {
    const now = options.clock.now();
    const refill = Math.floor((now - refilledAt) / options.intervalMs);
    if (refill > 0) {
      tokens = Math.min(options.burst, tokens + refill);
      refilledAt = tokens === options.burst ? now : refilledAt + refill * options.intervalMs;
    }
    if (tokens === 0) {
      await options.clock.sleep(refilledAt + options.intervalMs - now);
      tokens = 1;
      refilledAt += options.intervalMs;
    }
    tokens -= 1;
    started += 1;
  };

  const pacer: Pacer = {
    key: () => pacer,
    schedule<T>(_options: unknown, job: () => Promise<T>): Promise<T> {
      const turn = queue.then(takeToken);
      queue = turn.catch(() => {});
      return turn.then(job);
    },
    get started() {
      return started;
    },
  };
  return pacer;
}
