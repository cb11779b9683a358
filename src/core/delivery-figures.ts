// Delivery figures of one environment over a period (the four DORA keys, the rollbacks, the checks
// that failed most, the last drill), computed from deploy-guard's deployment records. Pure: the
// records and the time come in. What counts (README, "Delivery figures"):
// - a deploy: a deploy-guard deploy made in the period that reached a verdict (a `success` or a
//   `failure`, or undone by a rollback); not a dry run, a drill leg, a rollback or mark-known-good;
// - a failed deploy: one with a `failure` status, or one a rollback undid;
// - time to restore: from a failed deploy's start to the next `success` in the environment (a
//   rollback's or a later deploy's; not a dry run's or a drill's);
// - lead time: from the deployed commit's commit time to the deploy's `success`.
import type { DeploymentRecord } from '../github/deployments.ts';
import { failedChecksOf } from './failed-checks.ts';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** The checks listed as the ones that failed most. */
export const FAILED_CHECKS_LISTED = 5;

export interface DrillLeg {
  leg: 'back' | 'forward';
  deploymentId: number;
  sha: string;
  /** success, failure, error, or in_progress while it runs. */
  state: string;
  createdAt: string;
}

export interface LastDrill {
  run: number;
  /** When its first leg started. */
  at: string;
  /** passed: both legs healthy; failed: `failedLeg` was unhealthy, ended in error or never started. */
  result: 'passed' | 'failed' | 'in-progress';
  failedLeg?: 'back' | 'forward';
  legs: DrillLeg[];
}

export interface DeliveryFigures {
  period: { days: number; since: string; until: string };
  deploys: { count: number; perDay: number; perWeek: number };
  failedDeploys: number;
  /** failedDeploys / deploys.count; null with no deploys. */
  changeFailureRate: number | null;
  /** Of the failed deploys of the period: restored ones, and the ones not restored yet. */
  timeToRestore: { restored: number; unrestored: number; medianMs: number | null; worstMs: number | null };
  /** Of the deploys that proved healthy, with a known commit time. */
  leadTime: { count: number; medianMs: number | null; p90Ms: number | null };
  /** Rollbacks that ran (a success or a failure); automatic: they name the deploy they undid (rollback-of); manual: mode rollback. */
  rollbacks: { count: number; succeeded: number; failed: number; successRate: number | null; automatic: number; manual: number };
  /** The checks named by the most failed deploys, most first (at most FAILED_CHECKS_LISTED). */
  failedChecks: Array<{ check: string; failures: number }>;
  /** Seven-day buckets from the period's start; the last may be shorter. */
  weeks: Array<{ start: string; deploys: number; failures: number }>;
  /** The newest drill of the period; null: no drill in the period. */
  lastDrill: LastDrill | null;
}

const has = (d: DeploymentRecord, state: string): boolean => d.statuses.some((s) => s.state === state);
const firstAt = (d: DeploymentRecord, state: string): number | undefined =>
  d.statuses.filter((s) => s.state === state).map((s) => Date.parse(s.createdAt)).sort((a, b) => a - b)[0];
const isDeploy = (d: DeploymentRecord): boolean => !d.rollback && !d.dryRun && d.drill === undefined && !d.markKnownGood;

export function deliveryFigures(deployments: readonly DeploymentRecord[], at: { now: number; days: number }): DeliveryFigures {
  const since = at.now - at.days * DAY_MS;
  const inPeriod = deployments.filter((d) => Date.parse(d.createdAt) >= since);
  const undone = new Set(deployments.flatMap((d) => (d.rollback && d.rollbackOf !== undefined ? [d.rollbackOf] : [])));
  const failed = (d: DeploymentRecord): boolean => has(d, 'failure') || undone.has(d.id);
  const deploys = inPeriod.filter((d) => isDeploy(d) && (has(d, 'success') || failed(d)));
  const failures = deploys.filter(failed);
  const restores = failures.map((f) => restoreMs(f, deployments));
  const restored = restores.filter((ms): ms is number => ms !== undefined);
  const leadTimes = deploys.filter((d) => !failed(d)).flatMap((d) => leadTimeMs(d));
  return {
    period: { days: at.days, since: new Date(since).toISOString(), until: new Date(at.now).toISOString() },
    deploys: { count: deploys.length, perDay: round(deploys.length / at.days), perWeek: round((deploys.length * 7) / at.days) },
    failedDeploys: failures.length,
    changeFailureRate: deploys.length ? round(failures.length / deploys.length) : null,
    timeToRestore: { restored: restored.length, unrestored: restores.length - restored.length, medianMs: median(restored), worstMs: restored.length ? Math.max(...restored) : null },
    leadTime: { count: leadTimes.length, medianMs: median(leadTimes), p90Ms: percentile(leadTimes, 0.9) },
    rollbacks: rollbackFigures(inPeriod),
    failedChecks: mostFailed(failures),
    weeks: weekly(deploys, failed, since, at.now),
    lastDrill: lastDrill(inPeriod),
  };
}

/** From the failed deploy's start to the first `success` after it in the environment; undefined while none. */
function restoreMs(failed: DeploymentRecord, deployments: readonly DeploymentRecord[]): number | undefined {
  const start = Date.parse(failed.createdAt);
  const healthyAt = deployments
    .filter((d) => d.id > failed.id && !d.dryRun && d.drill === undefined)
    .flatMap((d) => d.statuses.filter((s) => s.state === 'success').map((s) => Date.parse(s.createdAt)))
    .filter((t) => t >= start)
    .sort((a, b) => a - b)[0];
  return healthyAt === undefined ? undefined : healthyAt - start;
}

/** A commit time after the deploy (a clock off, a rewritten commit) counts as no wait at all. */
function leadTimeMs(d: DeploymentRecord): number[] {
  const proven = firstAt(d, 'success');
  const committed = d.committedAt ? Date.parse(d.committedAt) : NaN;
  return proven === undefined || Number.isNaN(committed) ? [] : [Math.max(0, proven - committed)];
}

function rollbackFigures(inPeriod: readonly DeploymentRecord[]): DeliveryFigures['rollbacks'] {
  const ran = inPeriod.filter((d) => d.rollback && d.drill === undefined && (has(d, 'success') || has(d, 'failure')));
  const succeeded = ran.filter((d) => has(d, 'success')).length;
  const automatic = ran.filter((d) => d.rollbackOf !== undefined).length;
  return {
    count: ran.length,
    succeeded,
    failed: ran.length - succeeded,
    successRate: ran.length ? round(succeeded / ran.length) : null,
    automatic,
    manual: ran.length - automatic,
  };
}

function mostFailed(failures: readonly DeploymentRecord[]): DeliveryFigures['failedChecks'] {
  const counts = new Map<string, number>();
  for (const d of failures) {
    const named = new Set(d.statuses.filter((s) => s.state === 'failure').flatMap((s) => failedChecksOf(s.description)));
    for (const check of named) counts.set(check, (counts.get(check) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, FAILED_CHECKS_LISTED)
    .map(([check, failures]) => ({ check, failures }));
}

function weekly(deploys: readonly DeploymentRecord[], failed: (d: DeploymentRecord) => boolean, since: number, now: number): DeliveryFigures['weeks'] {
  const count = Math.max(1, Math.ceil((now - since) / WEEK_MS));
  const weeks = Array.from({ length: count }, (_, i) => ({ start: new Date(since + i * WEEK_MS).toISOString(), deploys: 0, failures: 0 }));
  for (const d of deploys) {
    const week = weeks[Math.min(count - 1, Math.floor((Date.parse(d.createdAt) - since) / WEEK_MS))]!;
    week.deploys += 1;
    if (failed(d)) week.failures += 1;
  }
  return weeks;
}

/** The newest drill run of the period, its legs and its result. */
export function lastDrill(inPeriod: readonly DeploymentRecord[]): LastDrill | null {
  const drills = inPeriod.filter((d) => d.drill !== undefined && d.drillRun !== undefined).sort((a, b) => b.id - a.id);
  const newest = drills[0];
  if (!newest) return null;
  const legOf = (leg: 'back' | 'forward') => drills.find((d) => d.drillRun === newest.drillRun && d.drill === leg);
  const legs = (['back', 'forward'] as const).flatMap((leg) => {
    const d = legOf(leg);
    return d ? [{ leg, deploymentId: d.id, sha: d.sha, state: legState(d), createdAt: d.createdAt }] : [];
  });
  const state = (leg: 'back' | 'forward') => legs.find((l) => l.leg === leg)?.state;
  const failedLeg = (['back', 'forward'] as const).find((leg) => state(leg) !== 'success');
  const running = legs.some((l) => l.state === 'in_progress') || (state('back') === 'success' && !state('forward'));
  const result = !failedLeg ? 'passed' : running ? 'in-progress' : 'failed';
  return { run: newest.drillRun!, at: legs[0]!.createdAt, result, ...(result === 'failed' ? { failedLeg: failedLeg! } : {}), legs };
}

function legState(d: DeploymentRecord): string {
  if (has(d, 'success')) return 'success';
  return ['failure', 'error'].find((state) => has(d, state)) ?? 'in_progress';
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The nearest-rank percentile: the smallest value with at least `p` of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
