import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/core/verdict.ts';
import { createVerdictTracker, roundOutcome } from '../../src/core/verdict.ts';
import { watchHealth, type Probe } from '../../src/health/watch.ts';
import type { Log } from '../../src/log.ts';
import type { Check } from '../../src/settings.ts';
import { fakeClock } from './fake-clock.ts';

const check: Check = { type: 'http', name: 'web', url: 'http://127.0.0.1:1/health', statusRanges: [[200, 299]], timeoutMs: 1_000 };
const silent: Log = { info: () => {}, warning: () => {}, error: () => {}, group: (_t, body) => body() };

/** A probe whose outcome is a function of virtual time since the window started. */
function probeBy(clock: ReturnType<typeof fakeClock>, outcomeAt: (elapsedMs: number) => Outcome, costMs = 0): Probe {
  return async () => {
    const elapsed = clock.elapsed();
    await clock.sleep(costMs);
    return { check: 'web', outcome: outcomeAt(elapsed), latencyMs: costMs, detail: 'x' };
  };
}

function watch(outcomeAt: (elapsedMs: number) => Outcome, opts: { windowMs?: number; intervalMs?: number; failureThreshold?: number; costMs?: number } = {}) {
  const clock = fakeClock();
  const result = watchHealth({
    checks: [check],
    policy: { windowMs: opts.windowMs ?? 60_000, intervalMs: opts.intervalMs ?? 10_000, failureThreshold: opts.failureThreshold ?? 3 },
    clock,
    log: silent,
    probe: probeBy(clock, outcomeAt, opts.costMs),
  });
  return { clock, result };
}

describe('the health window', () => {
  it('is healthy only after every round of the whole window passed', async () => {
    const { clock, result } = watch(() => 'pass');
    const { verdict, rounds } = await result;
    expect(verdict.kind).toBe('healthy');
    expect(rounds.map((r) => r.at)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(clock.elapsed()).toBe(60_000);
  });

  it('does not roll back for failed rounds that stay below the threshold (flapping)', async () => {
    // Fails every other round: never two in a row.
    const { result } = watch((t) => ((t / 10_000) % 2 === 1 ? 'fail' : 'pass'), { failureThreshold: 2 });
    const { verdict, rounds } = await result;
    expect(verdict.kind).toBe('healthy');
    expect(rounds.filter((r) => r.outcome === 'fail')).toHaveLength(3);
  });

  it('a single failed round below the threshold does not roll back', async () => {
    const { result } = watch((t) => (t === 20_000 ? 'fail' : 'pass'));
    expect((await result).verdict.kind).toBe('healthy');
  });

  it('turns unhealthy as soon as the threshold of consecutive failures is reached, not at the end of the window', async () => {
    // Healthy at first, then crashes at 25s: rounds at 30s, 40s, 50s fail.
    const { clock, result } = watch((t) => (t < 25_000 ? 'pass' : 'fail'), { windowMs: 300_000 });
    const { verdict, rounds } = await result;
    expect(verdict).toMatchObject({ kind: 'unhealthy', failedRounds: 3 });
    expect(rounds).toHaveLength(6);
    expect(clock.elapsed()).toBe(50_000);
  });

  it('one good answer at the start proves nothing', async () => {
    const { result } = watch((t) => (t === 0 ? 'pass' : 'fail'));
    expect((await result).verdict.kind).toBe('unhealthy');
  });

  it('keeps watching past the window while a failure streak is open, and is healthy once it clears', async () => {
    // Fails at 50s and 60s (the last scheduled round), passes at 70s.
    const { clock, result } = watch((t) => (t === 50_000 || t === 60_000 ? 'fail' : 'pass'));
    const { verdict, rounds } = await result;
    expect(verdict.kind).toBe('healthy');
    expect(rounds.at(-1)!.at).toBe(70_000);
    expect(clock.elapsed()).toBe(70_000);
  });

  it('a crash in the last seconds of the window is caught by watching on until the threshold', async () => {
    const { result } = watch((t) => (t >= 55_000 ? 'fail' : 'pass'));
    const { verdict, rounds } = await result;
    expect(verdict.kind).toBe('unhealthy');
    expect(rounds.map((r) => r.at).slice(-3)).toEqual([60_000, 70_000, 80_000]);
  });

  it('a round that overruns its slot moves the next round to the next free slot instead of drifting', async () => {
    const { result } = watch(() => 'pass', { costMs: 15_000 });
    const { rounds } = await result;
    expect(rounds.map((r) => r.at)).toEqual([0, 20_000, 40_000, 60_000]);
  });

  it('is not healthy when no round could measure anything', async () => {
    const { result } = watch(() => 'inconclusive');
    expect((await result).verdict).toMatchObject({ kind: 'unhealthy', reason: expect.stringMatching(/inconclusive/) });
  });
});

describe('round outcome', () => {
  const s = (outcome: Outcome) => ({ check: 'c', outcome, at: 0, latencyMs: 1, detail: '' });
  it('fails if any check failed, is inconclusive if none failed but one could not measure', () => {
    expect(roundOutcome([s('pass'), s('fail'), s('inconclusive')])).toBe('fail');
    expect(roundOutcome([s('pass'), s('inconclusive')])).toBe('inconclusive');
    expect(roundOutcome([s('pass'), s('pass')])).toBe('pass');
  });

  it('an inconclusive round does not break a failure streak', () => {
    const tracker = createVerdictTracker({ windowMs: 100_000, failureThreshold: 2 });
    const round = (index: number, outcome: Outcome) => ({ index, at: index * 10_000, outcome, samples: [] });
    expect(tracker.record(round(0, 'fail')).kind).toBe('watching');
    expect(tracker.record(round(1, 'inconclusive')).kind).toBe('watching');
    expect(tracker.record(round(2, 'fail')).kind).toBe('unhealthy');
  });
});
