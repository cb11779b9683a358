// Status mode: a report of one environment, for people (summary) and for tools (JSON output).
// The deployments of the period, their statuses and the known-good tag come from GitHub's GraphQL
// API, a page per 100 deployments of the period however long the history (github/deployment-history.ts).
import type { RunDeps, RunResult } from '../deps.ts';
import type { RunContext } from '../run-context.ts';
import { statusReport } from '../core/status-report.ts';
import { newestProven } from '../core/history-window.ts';
import { chooseKnownGood } from '../core/known-good.ts';
import { knownGoodRef } from '../core/tag-names.ts';
import { readStatusHistory } from '../github/deployment-history.ts';
import type { Settings } from '../settings.ts';
import { checkGate, closingRules, incidentScope } from '../phases/gate.ts';

export async function runStatus(s: Settings, context: RunContext, deps: RunDeps): Promise<RunResult> {
  const { gh } = deps;
  const repo = { owner: context.owner, repo: context.repo };
  const now = deps.clock.now();
  const [history, gate] = await Promise.all([
    readStatusHistory(gh, repo, { environment: s.environment, ref: `refs/${knownGoodRef(s.tagPrefix, s.environment)}`, now, periodDays: s.periodDays }),
    checkGate(gh, repo, incidentScope(s), closingRules(s)),
  ]);
  const { deployments } = history;
  const knownGoodSha = chooseKnownGood(history.refSha, newestProven(deployments)).sha;
  const openIncidents = gate.kind === 'blocked' ? gate.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) : [];
  const report = statusReport({ environment: s.environment, knownGoodSha, deployments, openIncidents, now, periodDays: s.periodDays });
  return { outcome: { kind: 'status', report }, knownGoodSha };
}
