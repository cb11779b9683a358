// The stand-ins for @octokit/plugin-throttling's Bottleneck: the global group's limit of requests at
// a time, and the retry limiter that asks the plugin's "failed" handler whether and when to retry.
import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from '../../src/github/concurrency-limit.ts';
import { createRateLimitRetries } from '../../src/github/rate-limit-retries.ts';

describe('concurrency limit', () => {
  it('runs at most max jobs at a time, passes the arguments on, and starts the next as one ends', async () => {
    const limit = createConcurrencyLimit(2).key('id');
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const job = async (n: number) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((done) => releases.push(done));
      running -= 1;
      return n * 10;
    };
    const results = [1, 2, 3, 4].map((n) => limit.schedule({}, job, n));
    await Promise.resolve();
    expect(releases).toHaveLength(2);
    while (releases.length) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40]);
    expect(most).toBe(2);
  });

  it('lets the next job go when one fails', async () => {
    const limit = createConcurrencyLimit(1);
    await expect(limit.schedule({}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.schedule({}, async () => 'next')).toBe('next');
  });
});

describe('rate-limit retries', () => {
  const clock = () => {
    const slept: number[] = [];
    return { slept, sleep: async (ms: number) => void slept.push(ms) };
  };

  it('retries after the wait the failed handler returns, telling it the retry count and the arguments', async () => {
    const c = clock();
    const retries = createRateLimitRetries(c);
    const seen: Array<{ retryCount: number; args: unknown[] }> = [];
    retries.on('failed', async (_error, job) => {
      seen.push(job);
      return job.retryCount < 2 ? 1_000 : undefined;
    });
    let calls = 0;
    const result = retries.schedule(async (a: string) => {
      calls += 1;
      if (calls < 3) throw new Error(`limited ${a}`);
      return `ok ${a}`;
    }, 'x');
    expect(await result).toBe('ok x');
    expect(seen).toEqual([{ retryCount: 0, args: ['x'] }, { retryCount: 1, args: ['x'] }]);
    expect(c.slept).toEqual([1_000, 1_000]);
  });

  it('fails with the error when the handler does not ask for a retry', async () => {
    const c = clock();
    const retries = createRateLimitRetries(c);
    retries.on('failed', () => undefined);
    await expect(retries.schedule(async () => Promise.reject(new Error('404')))).rejects.toThrow('404');
    expect(c.slept).toEqual([]);
  });
});
