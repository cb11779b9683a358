// At most `max` GitHub API requests at a time, with no wait otherwise. It stands in for
// @octokit/plugin-throttling's global (and auth and search) Bottleneck groups, whose local store
// yields to the event loop with setTimeout(0) at each step of a job: about 9 ms of idle time before
// each request (a CPU profile of a deploy's first request), a deploy's 8 requests in a row.
// The plugin's rate-limit handling (its retry limiter and the onRateLimit callbacks) is unchanged.

/** The `key(id).schedule(options, job, ...args)` slice of a Bottleneck group that the throttling plugin calls. */
export interface ConcurrencyLimit {
  key(id?: string): ConcurrencyLimit;
  schedule<A extends unknown[], T>(options: unknown, job: (...args: A) => Promise<T>, ...args: A): Promise<T>;
}

export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  const limit: ConcurrencyLimit = {
    key: () => limit,
    async schedule(_options, job, ...args) {
      if (running >= max) await new Promise<void>((turn) => waiting.push(turn));
      running += 1;
      try {
        return await job(...args);
      } finally {
        release();
      }
    },
  };
  return limit;
}
