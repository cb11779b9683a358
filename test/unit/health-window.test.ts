import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/core/verdict.ts';
import { createVerdictTracker, roundOutcome } from '../../src/core/verdict.ts';
import { worstCaseDetectionMs } from '../../src/core/detection.ts';
import { watchHealth, type Probe } from '../../src/health/watch.ts';
import type { Log } from '../../src/log.ts';
import type { Check } from '../../src/health/check-types.ts';
import { fakeClock } from './fake-clock.ts';

const check: Check = {
  type: 'http',
  name: 'web',
  url: 'http://127.0.0.1:1/health',
  method: 'GET',
  headers: {},
  statusRanges: [[200, 299]],
  redirects: 'same-host',
  timeoutMs: 1_000,
};
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
  it('with a zero-length window, is one round right away', async () => {
    const { clock, result } = watch(() => 'pass', { windowMs: 0 });
    const { verdict, rounds } = await result;
    expect(verdict.kind).toBe('healthy');
    expect(rounds.map((r) => r.at)).toEqual([0]);
    expect(clock.elapsed()).toBe(0);
  });

  it('with a zero-length window, a failing first round is watched on until it clears or reaches the threshold', async () => {
    const failing = await watch(() => 'fail', { windowMs: 0, intervalMs: 1_000 }).result;
    expect(failing.verdict.kind).toBe('unhealthy');
    expect(failing.rounds.map((r) => r.at)).toEqual([0, 1_000, 2_000]);
    const blip = await watch((t) => (t < 1_000 ? 'fail' : 'pass'), { windowMs: 0, intervalMs: 1_000 }).result;
    expect(blip.verdict.kind).toBe('healthy');
    expect(blip.rounds.map((r) => r.outcome)).toEqual(['fail', 'pass']);
  });

  it('reports each failed round that does not end the watch, so a rollback can be got ready', async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const { verdict } = await watchHealth({
      checks: [check],
      policy: { windowMs: 60_000, intervalMs: 10_000, failureThreshold: 3 },
      clock,
      log: silent,
      probe: probeBy(clock, (t) => (t >= 20_000 ? 'fail' : 'pass')),
      onFailedRound: (round) => seen.push(round.at),
    });
    expect(verdict.kind).toBe('unhealthy');
    expect(seen).toEqual([20_000, 30_000]);
  });

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

describe('failure budget and inconclusive rounds', () => {
  const round = (index: number, outcome: Outcome) => ({
    index,
    at: index * 10_000,
    outcome,
    samples: [{ check: 'c', outcome, at: index * 10_000, latencyMs: 1, detail: '' }],
  });
  const feed = (outcomes: Outcome[], policy: Partial<Parameters<typeof createVerdictTracker>[0]>) => {
    const tracker = createVerdictTracker({ windowMs: 100_000, failureThreshold: 3, ...policy });
    return outcomes.map((o, i) => tracker.record(round(i, o)).kind);
  };

  it('the budget rolls back on scattered failures that never reach the consecutive threshold', () => {
    // "More than 3 failed health checks in 5 minutes": the fourth failure trips it.
    const kinds = feed(['fail', 'pass', 'fail', 'pass', 'fail', 'pass', 'fail'], { maxFailedRounds: 3 });
    expect(kinds).toEqual(['watching', 'watching', 'watching', 'watching', 'watching', 'watching', 'unhealthy']);
    expect(feed(['fail', 'pass', 'fail', 'pass', 'fail', 'pass', 'fail'], {})).not.toContain('unhealthy');
  });

  it('inconclusive rounds roll back only past inconclusive-threshold, and never by default', () => {
    expect(feed(['pass', 'inconclusive', 'inconclusive', 'inconclusive'], { inconclusiveThreshold: 3 }).at(-1)).toBe('unhealthy');
    expect(feed(['pass', 'inconclusive', 'inconclusive', 'pass', 'inconclusive', 'inconclusive'], { inconclusiveThreshold: 3 })).not.toContain('unhealthy');
    expect(feed(Array(10).fill('inconclusive').map((o, i) => (i === 0 ? 'pass' : o)) as Outcome[], {})).not.toContain('unhealthy');
  });

  it('a window whose rounds were inconclusive is still healthy if some check passed in it', () => {
    const tracker = createVerdictTracker({ windowMs: 20_000, failureThreshold: 3 });
    const mixed = (index: number) => ({
      index,
      at: index * 10_000,
      outcome: 'inconclusive' as const,
      samples: [
        { check: 'http', outcome: 'pass' as const, at: 0, latencyMs: 1, detail: '' },
        { check: 'prom', outcome: 'inconclusive' as const, at: 0, latencyMs: 1, detail: 'unreachable' },
      ],
    });
    tracker.record(mixed(0));
    tracker.record(mixed(1));
    expect(tracker.record(mixed(2))).toEqual({ kind: 'healthy', rounds: 3, inconclusiveRounds: 3 });
  });
});

describe('worst-case detection time', () => {
  const settings = (over: Partial<{ healthIntervalMs: number; healthInitialDelayMs: number; failureThreshold: number; timeoutMs: number }> = {}) => ({
    healthIntervalMs: over.healthIntervalMs ?? 10_000,
    healthInitialDelayMs: over.healthInitialDelayMs ?? 0,
    failureThreshold: over.failureThreshold ?? 3,
    checks: [{ ...check, timeoutMs: over.timeoutMs ?? 2_000 }],
  });

  it('is threshold x interval + the slowest timeout, or longer after a long warm-up', () => {
    expect(worstCaseDetectionMs(settings())).toBe(32_000);
    expect(worstCaseDetectionMs(settings({ healthInitialDelayMs: 60_000 }))).toBe(82_000);
  });

  it('matches what the engine does for a failure that starts just after a round measured', async () => {
    for (const s of [settings(), settings({ failureThreshold: 1 }), settings({ healthIntervalMs: 5_000, failureThreshold: 4, timeoutMs: 5_000 })]) {
      const clock = fakeClock();
      const onset = 2 * s.healthIntervalMs + 1; // just after round 3 measured
      const { verdict } = await watchHealth({
        checks: s.checks,
        policy: { windowMs: 600_000, intervalMs: s.healthIntervalMs, failureThreshold: s.failureThreshold },
        clock,
        log: silent,
        // After the onset, each probe hangs for its whole timeout and then fails: the slowest way to fail.
        probe: async (c) => {
          if (clock.elapsed() < onset) return { check: c.name, outcome: 'pass', latencyMs: 0, detail: '' };
          await clock.sleep(c.timeoutMs);
          return { check: c.name, outcome: 'fail', latencyMs: c.timeoutMs, detail: 'timeout' };
        },
      });
      expect(verdict.kind).toBe('unhealthy');
      expect(clock.elapsed() - onset).toBe(worstCaseDetectionMs(s) - 1);
    }
  });

  it('during warm-up no round runs, and the window starts after it', async () => {
    const clock = fakeClock();
    const { rounds } = await watchHealth({
      checks: [check],
      policy: { windowMs: 20_000, intervalMs: 10_000, failureThreshold: 3, initialDelayMs: 30_000 },
      clock,
      log: silent,
      probe: probeBy(clock, () => 'pass'),
    });
    expect(rounds.map((r) => r.at)).toEqual([0, 10_000, 20_000]);
    expect(clock.elapsed()).toBe(50_000);
  });
});

describe('in-flight deployments', async () => {
  const { inFlight } = await import('../../src/core/in-flight.ts');
  const limits = { deployTimeoutMs: 30 * 60_000, healthInitialDelayMs: 0, healthWindowMs: 5 * 60_000 };
  const now = Date.parse('2026-11-23T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();
  it('a finished or absent deployment is no obstacle', () => {
    expect(inFlight(undefined, limits, now)).toEqual({ kind: 'none' });
    expect(inFlight({ state: 'success', since: ago(1000) }, limits, now)).toEqual({ kind: 'none' });
  });
  it('an unfinished one is running until twice the longest deploy plus 5 minutes, then abandoned', () => {
    const limit = 2 * 35 * 60_000 + 5 * 60_000;
    expect(inFlight({ state: 'in_progress', since: ago(limit) }, limits, now)).toEqual({ kind: 'running', ageMs: limit, abandonAfterMs: limit });
    expect(inFlight({ state: 'queued', since: ago(limit + 1) }, limits, now)).toEqual({ kind: 'abandoned', ageMs: limit + 1 });
  });
});
