// The retry limiter @octokit/plugin-throttling runs every request through: the plugin's own "failed"
// handler decides whether a rate-limited request is tried again and after how long (onRateLimit and
// onSecondaryRateLimit, client.ts); this runs the request, asks the handler on a failure, waits and
// tries again. It stands in for the plugin's Bottleneck, which yields to the event loop with
// setTimeout(0) before each request (see concurrency-limit.ts) and does nothing else here.
import type { Clock } from '../clock.ts';

/** What Bottleneck tells a "failed" listener: the job's arguments and how many times it was retried. */
export interface FailedJob {
  args: unknown[];
  retryCount: number;
}
type FailedListener = (error: unknown, job: FailedJob) => unknown;

/** The slice of a Bottleneck the throttling plugin uses for its retries. */
export interface RateLimitRetries {
  on(event: string, listener: FailedListener): void;
  schedule<A extends unknown[], T>(job: (...args: A) => Promise<T>, ...args: A): Promise<T>;
}

export function createRateLimitRetries(clock: Pick<Clock, 'sleep'>): RateLimitRetries {
  const listeners: FailedListener[] = [];
  return {
    on(event, listener) {
      if (event === 'failed') listeners.push(listener);
    },
    async schedule(job, ...args) {
      for (let retryCount = 0; ; retryCount += 1) {
        try {
          return await job(...args);
        } catch (error) {
          let waitMs: unknown;
          for (const listener of listeners) waitMs = (await listener(error, { args, retryCount })) ?? waitMs;
          if (typeof waitMs !== 'number') throw error;
          await clock.sleep(waitMs);
        }
      }
    },
  };
}
