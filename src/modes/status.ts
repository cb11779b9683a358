// Status mode: a report of one environment, for people (summary) and for tools (JSON output).
import type { RunDeps, RunResult } from '../deps.ts';
import type { RunContext } from '../run-context.ts';
import { statusReport } from '../core/status-report.ts';
import { passedWindow } from '../core/deploy-lock.ts';
import { chooseKnownGood } from '../core/known-good.ts';
import { knownGoodRef } from '../core/tag-names.ts';
import { deploymentHistory } from '../github/deployments.ts';
import { readTag } from '../github/tags.ts';
import type { Settings } from '../settings.ts';
import { checkGate, closingRules, incidentScope } from '../phases/gate.ts';

export async function runStatus(s: Settings, context: RunContext, deps: RunDeps): Promise<RunResult> {
  const { gh } = deps;
  const repo = { owner: context.owner, repo: context.repo };
  const now = deps.clock.now();
  const [tagSha, deployments, gate] = await Promise.all([
    readTag(gh, repo, knownGoodRef(s.tagPrefix, s.environment)),
    deploymentHistory(gh, repo, { environment: s.environment }),
    checkGate(gh, repo, incidentScope(s), closingRules(s)),
  ]);
  const proven = deployments.find((d) => passedWindow({ succeeded: d.statuses.some((st) => st.state === 'success'), dryRun: d.dryRun }));
  const knownGoodSha = chooseKnownGood(tagSha, proven).sha;
  const openIncidents = gate.kind === 'blocked' ? gate.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) : [];
  const report = statusReport({ environment: s.environment, knownGoodSha, deployments, openIncidents, now });
  return { outcome: { kind: 'status', report }, knownGoodSha };
}
