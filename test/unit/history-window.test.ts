import { describe, expect, it } from 'vitest';
import { KNOWN_GOOD_LOOKBACK, needsOlderPage, newestProven } from '../../src/core/history-window.ts';
import type { DeploymentRecord } from '../../src/github/deployments.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-11-23T12:00:00Z');
const ago = (days: number) => new Date(now - days * DAY).toISOString();

/** `count` own deployments, ids from `firstId` down, the newest `daysAgo` old, one a day older each; healthy unless `states` says otherwise. */
function own(count: number, firstId: number, daysAgo: number, extra: Partial<DeploymentRecord> = {}, states = ['success', 'in_progress']): DeploymentRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    id: firstId - i,
    sha: 'a',
    createdAt: ago(daysAgo + i),
    rollback: false,
    dryRun: false,
    statuses: states.map((state) => ({ state, createdAt: ago(daysAgo + i) })),
    ...extra,
  }));
}

describe('how much deployment history status mode reads', () => {
  const read = (list: DeploymentRecord[], oldestDaysAgo: number, hasOlder = true) => needsOlderPage({ own: list, oldestCreatedAt: ago(oldestDaysAgo), hasOlder, now });

  it('reads on while the pages are inside the 30-day period', () => {
    expect(read(own(50, 1000, 1), 29)).toBe(true);
  });

  it('stops at the first page that reaches before the period, with ten deployments and a proven version in hand', () => {
    expect(read(own(50, 1000, 1), 31)).toBe(false);
    expect(read(own(10, 1000, 25), 31)).toBe(false);
  });

  it('stops when GitHub has nothing older, whatever is missing', () => {
    expect(read([], 1, false)).toBe(false);
    expect(read(own(2, 10, 1, {}, ['failure']), 1, false)).toBe(false);
  });

  it('reads past the period for the newest ten deployments', () => {
    expect(read(own(9, 1000, 25), 40)).toBe(true);
  });

  it('reads past the period for the version that last passed a window, as far back as 100 deployments', () => {
    expect(read(own(20, 1000, 1, {}, ['failure', 'in_progress']), 40)).toBe(true);
    expect(read(own(20, 1000, 1, { dryRun: true }), 40)).toBe(true);
    expect(read(own(KNOWN_GOOD_LOOKBACK, 1000, 1, {}, ['failure']), 200)).toBe(false);
  });

  it('reads past the period for the bad deployment a rollback in the period undid', () => {
    const list = [...own(1, 1000, 2, { rollback: true, rollbackOf: 500 }), ...own(12, 999, 3)];
    expect(read(list, 35)).toBe(true);
    // Already read, or newer than the oldest read (then it is not one of deploy-guard's here): enough.
    expect(read([...own(1, 1000, 2, { rollback: true, rollbackOf: 990 }), ...own(12, 999, 3)], 35)).toBe(false);
    // A rollback before the period does not count.
    expect(read([...own(12, 999, 3), ...own(1, 900, 40, { rollback: true, rollbackOf: 500 })], 45)).toBe(false);
  });

  it('reads the whole of a longer period (period: 365d), and never less than 30 days for a shorter one', () => {
    const year = (list: DeploymentRecord[], oldestDaysAgo: number, periodDays: number) =>
      needsOlderPage({ own: list, oldestCreatedAt: ago(oldestDaysAgo), hasOlder: true, now, periodDays });
    expect(year(own(50, 1000, 1), 200, 365)).toBe(true);
    expect(year(own(50, 1000, 1), 366, 365)).toBe(false);
    expect(year(own(50, 1000, 1), 20, 7)).toBe(true);
    expect(year(own(50, 1000, 1), 31, 7)).toBe(false);
  });

  it('names the newest deployment that passed its window, not a dry run', () => {
    const list = [...own(1, 30, 1, { dryRun: true }), ...own(1, 20, 2, {}, ['failure']), ...own(1, 10, 3), ...own(1, 40, 0, {}, ['in_progress'])];
    expect(newestProven(list)?.id).toBe(10);
  });
});
