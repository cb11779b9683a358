// How much of an environment's deployment history status mode reads. GitHub lists deployments
// newest first, a page at a time, deploy-guard's own among GitHub's job deployments; the report
// needs the whole reporting period, the newest few whatever their age, the version that last
// passed a health window and the bad deployments its rollbacks undid. Once a page reaches before
// the period and those are in hand, older history changes nothing: the reads stay as many as the
// period needs, however long the history.
import { passedWindow } from './deploy-lock.ts';
import { PERIOD_DAYS, periodStart, RECENT } from './status-report.ts';
import type { DeploymentRecord } from '../github/deployments.ts';

/** As far back as known-good is looked for when the period has no deployment that passed its window. */
export const KNOWN_GOOD_LOOKBACK = 100;

export interface HistoryRead {
  /** deploy-guard's own deployments read so far. */
  own: DeploymentRecord[];
  /** When the oldest deployment read so far (any deployment, not only own ones) was made. */
  oldestCreatedAt: string | undefined;
  /** GitHub has older deployments of the environment. */
  hasOlder: boolean;
  now: number;
  /** The `period` asked for, in days (default 30); the read covers at least 30 days, which last30Days reports on. */
  periodDays?: number;
}

/** The newest of the deployments that passed a whole health window (not a dry run, not a drill's leg). */
export function newestProven(deployments: readonly DeploymentRecord[]): DeploymentRecord | undefined {
  return [...deployments]
    .sort((a, b) => b.id - a.id)
    .find((d) => passedWindow({ succeeded: d.statuses.some((s) => s.state === 'success'), dryRun: d.dryRun, drill: d.drill }));
}

/** Whether the report still needs an older page of deployments. */
export function needsOlderPage(read: HistoryRead): boolean {
  if (!read.hasOlder) return false;
  const since = periodStart(read.now, Math.max(read.periodDays ?? PERIOD_DAYS, PERIOD_DAYS));
  if (read.oldestCreatedAt === undefined || Date.parse(read.oldestCreatedAt) >= since) return true;
  if (read.own.length < RECENT) return true;
  if (!newestProven(read.own) && read.own.length < KNOWN_GOOD_LOOKBACK) return true;
  // A rollback in the period whose bad deployment is older than everything read (ids grow with time).
  const oldestId = Math.min(...read.own.map((d) => d.id));
  return read.own.some((d) => d.rollbackOf !== undefined && d.rollbackOf < oldestId && Date.parse(d.createdAt) >= since);
}
