// Watch: the pre-deploy baselines, and the timed health window of the version that went out.
import type { RunDeps } from '../deps.ts';
import { formatDuration } from '../core/duration.ts';
import { shortSha } from '../core/tag-names.ts';
import type { Round } from '../core/verdict.ts';
import { usesBaseline } from '../health/check-types.ts';
import type { Probe } from '../health/probe.ts';
import { watchHealth, type WatchResult } from '../health/watch.ts';
import type { Settings } from '../settings.ts';

/**
 * Measures, just before the deploy command runs, the value each ratio-to-baseline check is compared
 * with. A baseline that cannot be measured, or is below the check's floor, counts as the floor.
 */
export async function measureBaselines(deps: Pick<RunDeps, 'measureBaseline' | 'log'>, settings: Pick<Settings, 'checks'>): Promise<Map<string, number>> {
  const baselines = new Map<string, number>();
  for (const check of settings.checks.filter(usesBaseline)) {
    const floor = check.baselineFloor ?? 0;
    const measured = await deps.measureBaseline(check);
    const baseline = Math.max(measured.baseline ?? floor, floor);
    baselines.set(check.name, baseline);
    const note = measured.baseline === undefined ? `could not be measured (${measured.detail}); using the floor` : measured.baseline < floor ? `is below the floor; using the floor` : '';
    deps.log.info(`Baseline of "${check.name}": ${measured.baseline ?? 'none'}${note ? ` ${note}` : ''} -> ${baseline}.`);
  }
  return baselines;
}

/** The health window of `sha`, in its own log group. */
export function watchWindow(
  deps: Pick<RunDeps, 'clock' | 'log'>,
  settings: Settings,
  probe: Probe,
  sha: string,
  onFailedRound?: (round: Round) => void,
): Promise<WatchResult> {
  return deps.log.group(`Health window: ${formatDuration(settings.healthWindowMs)} of ${shortSha(sha)}`, () =>
    watchHealth({
      checks: settings.checks,
      policy: {
        windowMs: settings.healthWindowMs,
        intervalMs: settings.healthIntervalMs,
        initialDelayMs: settings.healthInitialDelayMs,
        failureThreshold: settings.failureThreshold,
        maxFailedRounds: settings.maxFailedRounds,
        inconclusiveThreshold: settings.inconclusiveThreshold,
      },
      clock: deps.clock,
      log: deps.log,
      probe,
      ...(onFailedRound ? { onFailedRound } : {}),
    }),
  );
}
