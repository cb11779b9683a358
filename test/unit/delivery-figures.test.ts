import { describe, expect, it } from 'vitest';
import { deliveryFigures, lastDrill, median, percentile } from '../../src/core/delivery-figures.ts';
import { failedDeploy } from '../../src/core/deployment-end.ts';
import { failedChecksOf, failingChecks, STATUS_DESCRIPTION_MAX, withFailedChecks } from '../../src/core/failed-checks.ts';
import type { Round } from '../../src/core/verdict.ts';
import type { DeploymentRecord } from '../../src/github/deployments.ts';
import { deliveryLines } from '../../src/report/delivery-text.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const now = Date.parse('2026-12-02T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

let nextId = 1;
type Status = [state: string, at: number, description?: string];
/** A deploy-guard deployment made `at`, with its statuses (oldest first as written; stored newest first). */
function dep(at: number, statuses: Status[], extra: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: nextId++,
    sha: 'a'.repeat(40),
    createdAt: iso(at),
    rollback: false,
    dryRun: false,
    statuses: statuses.map(([state, t, description]) => ({ state, createdAt: iso(t), ...(description !== undefined ? { description } : {}) })).reverse(),
    ...extra,
  };
}
const healthy = (at: number, extra: Partial<DeploymentRecord> = {}) => dep(at, [['in_progress', at], ['success', at + 5 * MIN]], extra);
const failing = (at: number, description = 'unhealthy: 3 consecutive health rounds failed', extra: Partial<DeploymentRecord> = {}) =>
  dep(at, [['in_progress', at], ['failure', at + 5 * MIN, description]], extra);
/** Newest first, as the reader gives them. */
const figures = (list: DeploymentRecord[], days = 30) => deliveryFigures([...list].sort((a, b) => b.id - a.id), { now, days });

describe('delivery figures', () => {
  it('with no deploys: zero counts, no rates, no chart, and no drill in the period', () => {
    const f = figures([]);
    expect(f.deploys).toEqual({ count: 0, perDay: 0, perWeek: 0 });
    expect(f.changeFailureRate).toBeNull();
    expect(f.timeToRestore).toEqual({ restored: 0, unrestored: 0, medianMs: null, worstMs: null });
    expect(f.leadTime).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(f.rollbacks.successRate).toBeNull();
    expect(f.lastDrill).toBeNull();
    expect(f.weeks).toHaveLength(5);
    expect(f.period).toEqual({ days: 30, since: '2026-11-02T12:00:00.000Z', until: '2026-12-02T12:00:00.000Z' });
    const text = deliveryLines(f).join('\n');
    expect(text).toContain('| Change failure rate | n/a (no deploys) |');
    expect(text).toContain('| Last drill | no drill in the period |');
    expect(text).not.toContain('```mermaid');
  });

  it('counts only deploys that ran: not dry runs, drill legs, rollbacks, mark-known-good, refused or running deploys', () => {
    const list = [
      healthy(now - 10 * DAY),
      healthy(now - 9 * DAY, { dryRun: true }),
      healthy(now - 8 * DAY, { drill: 'back', drillRun: 7 }),
      healthy(now - 8 * DAY + HOUR, { drill: 'forward', drillRun: 7 }),
      healthy(now - 7 * DAY, { markKnownGood: true }),
      dep(now - 6 * DAY, [['in_progress', now - 6 * DAY], ['error', now - 6 * DAY + MIN, 'Not deployed: deployment 3 was in progress']]),
      dep(now - MIN, [['in_progress', now - MIN]]),
      healthy(now - 40 * DAY),
    ];
    const f = figures(list);
    expect(f.deploys.count).toBe(1);
    expect(f.failedDeploys).toBe(0);
    expect(f.changeFailureRate).toBe(0);
    expect(f.rollbacks.count).toBe(0);
  });

  it('all failed: the rate is 1, each restored by the next success (a rollback or a later deploy), the worst named', () => {
    const f1 = failing(now - 5 * DAY);
    const rollback = healthy(now - 5 * DAY + 6 * MIN, { rollback: true, rollbackOf: f1.id }); // success at +11m
    const f2 = failing(now - 3 * DAY);
    const manual = dep(now - 3 * DAY + HOUR, [['in_progress', now - 3 * DAY + HOUR], ['failure', now - 3 * DAY + 2 * HOUR]], { rollback: true });
    const f3 = failing(now - 2 * DAY); // restored by the deploy below? No: it fails too; restored by nothing of its own
    const f4 = failing(now - DAY);
    const f = figures([f1, rollback, f2, manual, f3, f4]);
    expect(f.deploys.count).toBe(4);
    expect(f.failedDeploys).toBe(4);
    expect(f.changeFailureRate).toBe(1);
    expect(f.timeToRestore).toEqual({ restored: 1, unrestored: 3, medianMs: 11 * MIN, worstMs: 11 * MIN });
    expect(f.rollbacks).toEqual({ count: 2, succeeded: 1, failed: 1, successRate: 0.5, automatic: 1, manual: 1 });
    expect(f.leadTime.count).toBe(0);
  });

  it('a later deploy restores too; a dry run or a drill does not', () => {
    const bad = failing(now - 4 * DAY);
    const dry = healthy(now - 4 * DAY + HOUR, { dryRun: true });
    const drill = healthy(now - 4 * DAY + 2 * HOUR, { drill: 'back', drillRun: 3 });
    const fix = healthy(now - 4 * DAY + 3 * HOUR); // success 3h05m after the bad deploy started
    const f = figures([bad, dry, drill, fix]);
    expect(f.timeToRestore).toMatchObject({ restored: 1, medianMs: 3 * HOUR + 5 * MIN });
    expect(f.changeFailureRate).toBe(0.5);
  });

  it('a deploy a rollback undid counts as failed even without a failure status (the run stopped in its window)', () => {
    const stopped = dep(now - 2 * DAY, [['in_progress', now - 2 * DAY], ['error', now - 2 * DAY + 3 * MIN, 'deploy-guard stopped before this deployment finished; see the run log']]);
    const rollback = healthy(now - 2 * DAY + 4 * MIN, { rollback: true, rollbackOf: stopped.id });
    const f = figures([stopped, rollback]);
    expect(f.deploys.count).toBe(1);
    expect(f.failedDeploys).toBe(1);
    expect(f.timeToRestore.medianMs).toBe(9 * MIN);
  });

  it('a restore across the period start: a failure before the period is not counted, one inside it is, restored inside it', () => {
    const before = failing(now - 30 * DAY - HOUR);
    const restoreOfBefore = healthy(now - 30 * DAY + HOUR, { rollback: true, rollbackOf: before.id });
    const inside = failing(now - 30 * DAY + 2 * HOUR);
    const later = healthy(now - 29 * DAY);
    const f = figures([before, restoreOfBefore, inside, later]);
    expect(f.failedDeploys).toBe(1);
    expect(f.deploys.count).toBe(2);
    expect(f.timeToRestore).toEqual({ restored: 1, unrestored: 0, medianMs: DAY - 2 * HOUR + 5 * MIN, worstMs: DAY - 2 * HOUR + 5 * MIN });
    // The rollback ran in the period: it counts among the rollbacks.
    expect(f.rollbacks).toMatchObject({ count: 1, automatic: 1, succeeded: 1 });
  });

  it('a failure still unrestored at the end of the period counts as not restored', () => {
    const f = figures([healthy(now - 3 * DAY), failing(now - HOUR)]);
    expect(f.timeToRestore).toEqual({ restored: 0, unrestored: 1, medianMs: null, worstMs: null });
    expect(deliveryLines(f).join('\n')).toContain('| Time to restore (failed deploy to the next healthy version) | n/a; 1 not restored yet |');
  });

  it('lead time: from the commit time to the success of the deploy, median and p90 (nearest rank); unknown and future commit times', () => {
    const hours = [1, 2, 3, 4, 5, 6, 7, 8, 9, 20];
    const list = hours.map((h, i) => healthy(now - (20 - i) * DAY, { committedAt: iso(now - (20 - i) * DAY + 5 * MIN - h * HOUR) }));
    const f = figures([...list, healthy(now - 2 * DAY), healthy(now - DAY, { committedAt: iso(now) })]);
    expect(f.leadTime.count).toBe(11);
    expect(f.leadTime.medianMs).toBe(5 * HOUR);
    expect(f.leadTime.p90Ms).toBe(9 * HOUR);
    expect(median([4, 1, 3, 2])).toBe(3); // (2 + 3) / 2, rounded
    expect(percentile([1, 2, 3], 0.9)).toBe(3);
  });

  it('deploy frequency and the weekly buckets of deploys and failures', () => {
    const list = [healthy(now - 29 * DAY), failing(now - 28 * DAY), healthy(now - 2 * DAY), healthy(now - MIN)];
    const f = figures(list);
    expect(f.deploys).toEqual({ count: 4, perDay: 0.133, perWeek: 0.933 });
    expect(f.weeks.map((w) => [w.deploys, w.failures])).toEqual([[2, 1], [0, 0], [0, 0], [0, 0], [2, 0]]);
    expect(f.weeks[0]!.start).toBe('2026-11-02T12:00:00.000Z');
    const text = deliveryLines(f).join('\n');
    expect(text).toContain('### Delivery figures (last 30 days)');
    expect(text).toContain('xychart-beta');
    expect(text).toContain('  x-axis "Week from (UTC, month-day)" ["11-02", "11-09", "11-16", "11-23", "11-30"]');
    expect(text).toContain('  bar "deploys" [2, 0, 0, 0, 2]');
    expect(text).toContain('  line "failed deploys" [1, 0, 0, 0, 0]');
    expect(text).toContain('| Change failure rate | 25% (1 of 4 deploys failed) |');
  });

  it('the checks that failed most, read from the failed deploys\' status descriptions', () => {
    const described = (checks: string[]) => withFailedChecks('unhealthy: 3 consecutive health rounds failed (failure-threshold is 3)', checks);
    const f = figures([
      failing(now - 5 * DAY, described(['http', 'p95 "latency"'])),
      failing(now - 4 * DAY, described(['http'])),
      failing(now - 3 * DAY, described(['db'])),
      failing(now - 2 * DAY, 'the command exited with code 1'),
      healthy(now - DAY),
    ]);
    expect(f.failedChecks).toEqual([
      { check: 'http', failures: 2 },
      { check: 'db', failures: 1 },
      { check: 'p95 "latency"', failures: 1 },
    ]);
    expect(deliveryLines(f).join('\n')).toContain('| Checks that failed most | `http` (2), `db` (1), `p95 "latency"` (1) |');
  });
});

describe('the last drill', () => {
  const leg = (at: number, drill: 'back' | 'forward', run: number, state: string) =>
    dep(at, [['in_progress', at], ...(state === 'in_progress' ? [] : [[state, at + 5 * MIN] as Status])], { drill, drillRun: run });

  it('passed when both legs of the newest drill run were healthy; older runs do not count', () => {
    const d = lastDrill([leg(now - 9 * DAY, 'back', 1, 'failure'), leg(now - 2 * DAY, 'back', 2, 'success'), leg(now - 2 * DAY + HOUR, 'forward', 2, 'success')].reverse());
    expect(d).toMatchObject({ run: 2, result: 'passed', at: iso(now - 2 * DAY) });
    expect(d!.legs.map((l) => [l.leg, l.state])).toEqual([['back', 'success'], ['forward', 'success']]);
    expect(d).not.toHaveProperty('failedLeg');
  });

  it('failed, naming the leg: the back leg unhealthy (no forward leg), or the forward leg ending in error', () => {
    expect(lastDrill([leg(now - DAY, 'back', 3, 'failure')])).toMatchObject({ result: 'failed', failedLeg: 'back' });
    expect(lastDrill([leg(now - DAY + HOUR, 'forward', 4, 'error'), leg(now - DAY, 'back', 4, 'success')])).toMatchObject({ result: 'failed', failedLeg: 'forward' });
  });

  it('in progress while a leg runs', () => {
    expect(lastDrill([leg(now - MIN, 'back', 5, 'in_progress')])).toMatchObject({ result: 'in-progress' });
    const text = deliveryLines(figures([leg(now - DAY, 'back', 6, 'failure')])).join('\n');
    expect(text).toContain('| Last drill | **failed** (back leg): run 6, ');
  });
});

describe('failed checks in a failed deploy\'s status description', () => {
  const round = (index: number, fails: string[], passes: string[] = []): Round => ({
    index,
    at: index * 10_000,
    outcome: fails.length ? 'fail' : 'pass',
    samples: [...fails.map((check) => ({ check, outcome: 'fail' as const, at: 0, latencyMs: 1, detail: '' })), ...passes.map((check) => ({ check, outcome: 'pass' as const, at: 0, latencyMs: 1, detail: '' }))],
  });

  it('names the checks that failed, the one that failed most first, and reads them back', () => {
    const rounds = [round(0, [], ['http', 'db']), round(1, ['http', 'db']), round(2, ['http', 'db']), round(3, ['http'])];
    expect(failingChecks(rounds)).toEqual(['http', 'db']);
    const end = failedDeploy({ kind: 'unhealthy', reason: '3 consecutive health rounds failed (failure-threshold is 3)', rounds });
    expect(end).toEqual({ state: 'failure', description: 'unhealthy: 3 consecutive health rounds failed (failure-threshold is 3); failed checks: "http", "db"' });
    expect(failedChecksOf(end.description)).toEqual(['http', 'db']);
  });

  it('leaves out warn-only checks: they never make a deploy unhealthy', () => {
    const warned = (r: Round): Round => ({ ...r, samples: [...r.samples, { check: 'p95', outcome: 'fail', at: 0, latencyMs: 1, detail: '', warnOnly: true }] });
    const rounds = [round(1, ['http']), round(2, ['http'])].map(warned);
    expect(failingChecks(rounds)).toEqual(['http']);
  });

  it('stays within GitHub\'s 140 characters: the reason is cut, names that do not fit are left out', () => {
    const names = Array.from({ length: 6 }, (_, i) => `check-${i}-${'x'.repeat(20)}`);
    const text = withFailedChecks(`unhealthy: ${'r'.repeat(200)}`, names);
    expect(text.length).toBeLessThanOrEqual(STATUS_DESCRIPTION_MAX);
    expect(failedChecksOf(text)).toEqual(names.slice(0, 2));
    const long = withFailedChecks('unhealthy', ['y'.repeat(200)]);
    expect(long.length).toBeLessThanOrEqual(STATUS_DESCRIPTION_MAX);
    expect(failedChecksOf(long)[0]).toMatch(/^y+…$/);
  });

  it('a command failure names no check, and other descriptions read as none', () => {
    expect(failedDeploy({ kind: 'command-failed', exitCode: 1, signal: null, timedOut: false, timeoutMs: 0 }).description).toBe('the command exited with code 1');
    expect(failedChecksOf('the command exited with code 1')).toEqual([]);
    expect(failedChecksOf('x; failed checks: not json')).toEqual([]);
    expect(failedChecksOf(undefined)).toEqual([]);
  });
});
