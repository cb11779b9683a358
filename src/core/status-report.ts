// The status of one environment, computed from its deployments, tag and incidents. Pure: the
// records and the time come in.
import type { DeploymentRecord } from '../github/deployments.ts';
import { deliveryFigures, type DeliveryFigures } from './delivery-figures.ts';
import type { IncidentRef } from './outcome.ts';

export interface StatusReport {
  environment: string;
  knownGood: { sha: string; since: string | null } | null;
  recentDeployments: Array<{ id: number; sha: string; rollback: boolean; state: string; createdAt: string }>;
  openIncidents: IncidentRef[];
  last30Days: {
    deploys: number;
    rollbacks: number;
    /** rollbacks / deploys; null with no deploys. */
    rollbackRate: number | null;
    /** Mean time from a bad deploy's start to its rollback's success; null with none. */
    meanTimeToRecoveryMs: number | null;
  };
  /** Over the `period` input (core/delivery-figures.ts). */
  figures: DeliveryFigures;
}

const DAY_MS = 86_400_000;
/** How many of the newest deployments the report lists, whatever their age. */
export const RECENT = 10;

/** The days last30Days covers, and the default `period`. */
export const PERIOD_DAYS = 30;
/** The longest `period`: a year. */
export const PERIOD_MAX_DAYS = 365;

/** The start of a reporting period: `days` (default 30) before `now`. */
export function periodStart(now: number, days = PERIOD_DAYS): number {
  return now - days * DAY_MS;
}

export function statusReport(input: {
  environment: string;
  knownGoodSha: string | undefined;
  /** Newest first, as the API lists them. */
  deployments: DeploymentRecord[];
  openIncidents: IncidentRef[];
  now: number;
  /** The `period` input in days; default 30. */
  periodDays?: number;
}): StatusReport {
  const { deployments, now } = input;
  const since = periodStart(now);
  // A drill's legs (modes/drill.ts) are neither deploys nor rollbacks.
  const inWindow = deployments.filter((d) => !d.drill && Date.parse(d.createdAt) >= since);
  const deploys = inWindow.filter((d) => !d.rollback).length;
  const rollbacks = inWindow.filter((d) => d.rollback);
  const byId = new Map(deployments.map((d) => [d.id, d]));
  const recoveries = rollbacks.flatMap((r) => {
    const healthy = r.statuses.find((s) => s.state === 'success');
    const bad = r.rollbackOf !== undefined ? byId.get(r.rollbackOf) : undefined;
    return healthy && bad ? [Date.parse(healthy.createdAt) - Date.parse(bad.createdAt)] : [];
  });
  return {
    environment: input.environment,
    knownGood: input.knownGoodSha ? { sha: input.knownGoodSha, since: knownGoodSince(input.knownGoodSha, deployments) } : null,
    recentDeployments: deployments.slice(0, RECENT).map((d) => ({
      id: d.id,
      sha: d.sha,
      rollback: d.rollback,
      state: d.statuses[0]?.state ?? 'pending',
      createdAt: d.createdAt,
    })),
    openIncidents: input.openIncidents,
    last30Days: {
      deploys,
      rollbacks: rollbacks.length,
      rollbackRate: deploys ? rollbacks.length / deploys : null,
      meanTimeToRecoveryMs: recoveries.length ? Math.round(recoveries.reduce((a, b) => a + b, 0) / recoveries.length) : null,
    },
    figures: deliveryFigures(deployments, { now, days: input.periodDays ?? PERIOD_DAYS }),
  };
}

/** When the known-good version last became healthy: its newest `success` status (a drill's forward leg does not renew it). */
function knownGoodSince(sha: string, deployments: DeploymentRecord[]): string | null {
  const times = deployments
    .filter((d) => d.sha === sha && !d.drill)
    .flatMap((d) => d.statuses.filter((s) => s.state === 'success').map((s) => s.createdAt))
    .sort();
  return times.at(-1) ?? null;
}
