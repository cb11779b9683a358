// The health window: a round of every check on a fixed schedule until the verdict is in.
import type { Clock } from '../clock.ts';
import { formatDuration } from '../core/duration.ts';
import { createVerdictTracker, roundOutcome, type Round, type Verdict, type VerdictPolicy } from '../core/verdict.ts';
import type { Log } from '../log.ts';
import { isWarnOnly, type Check } from './check-types.ts';
import type { ProbeResult } from './check-types.ts';

import type { Probe } from './probe.ts';

export type { Probe } from './probe.ts';

export interface WatchOptions {
  checks: readonly Check[];
  policy: VerdictPolicy & { intervalMs: number; initialDelayMs?: number };
  clock: Clock;
  log: Log;
  probe: Probe;
  /** Called after each failed round, before the next: e.g. to get a rollback ready while the verdict is still open. */
  onFailedRound?: (round: Round) => void;
}

export interface WatchResult {
  verdict: Exclude<Verdict, { kind: 'watching' }>;
  rounds: Round[];
  /** Clock time of round 0, from which `Round.at` counts. */
  startedAt: number;
}

/**
 * Round k is due at start + k * interval. The checks of a round run in parallel. A round that
 * overruns its slot makes the next round start at the next free slot rather than drift.
 */
export async function watchHealth(options: WatchOptions): Promise<WatchResult> {
  const { clock, policy, log } = options;
  const tracker = createVerdictTracker(policy);
  if (policy.initialDelayMs) {
    log.info(`Warming up for ${formatDuration(policy.initialDelayMs)} before the first round.`);
    await clock.sleep(policy.initialDelayMs);
  }
  const start = clock.now();
  let slot = 0;
  for (;;) {
    await clock.sleep(start + slot * policy.intervalMs - clock.now());
    const at = slot * policy.intervalMs;
    const samples = await Promise.all(
      options.checks.map(async (check) => ({ ...(await options.probe(check)), at: clock.now() - start, ...(isWarnOnly(check) ? { warnOnly: true } : {}) })),
    );
    const round: Round = { index: tracker.rounds.length, at, outcome: roundOutcome(samples), samples };
    const verdict = tracker.record(round);
    log.info(
      `round ${round.index + 1} at +${formatDuration(at)}: ${round.outcome.toUpperCase()}` +
        (tracker.consecutiveFailures ? ` (${tracker.consecutiveFailures}/${policy.failureThreshold} consecutive failures)` : '') +
        ` | ${samples.map((s) => `${s.check}${s.warnOnly ? ' (warn only)' : ''}: ${s.detail}, ${s.latencyMs}ms`).join(' | ')}`,
    );
    if (verdict.kind !== 'watching') return { verdict, rounds: [...tracker.rounds], startedAt: start };
    if (round.outcome === 'fail') options.onFailedRound?.(round);
    slot = Math.max(slot + 1, Math.ceil((clock.now() - start) / policy.intervalMs));
  }
}
