// Whether something that deploys may start, before anything is written: the deploy windows,
// freezes (a maintainer's override-reason included) and require-proven-in, then the open
// incidents, then the locks. A deploy asks it of the checked-out commit; a drill, which deploys
// two versions that are not the checkout, without require-proven-in.
import type { RunDeps, RunResult } from '../deps.ts';
import type { Override } from '../core/outcome.ts';
import type { Repo } from '../github/client.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { checkGate, closingRules, gateOutcome, incidentScope, type GateReading } from './gate.ts';
import { checkLocks } from './locks.ts';
import { checkDeployRules, refused } from './schedule.ts';

export interface StartPlace {
  settings: Settings;
  context: RunContext;
  deps: RunDeps;
  repo: Repo;
}

/** `sha`: the version require-proven-in is asked of; undefined: require-proven-in does not apply. */
export async function mayStart(p: StartPlace, sha: string | undefined): Promise<RunResult | { gate: GateReading; override: Override | undefined }> {
  const { settings: s, context, deps } = p;
  const rules = await checkDeployRules(sha === undefined ? { ...s, requireProvenIn: undefined } : s, context, deps, p.repo, sha ?? '');
  if (rules.kind === 'blocked') return refused(deps, s.environment, rules);
  const gate = await deps.log.group('Gate', () => checkGate(deps.gh, p.repo, incidentScope(s), closingRules(s), { settle: true, log: deps.log }));
  const gated = gateOutcome(gate, s.environment, deps.log);
  if (gated.kind === 'blocked') return { outcome: gated, knownGoodSha: undefined };
  const locked = await checkLocks(deps, p.repo, s, gate.locks, true);
  if (locked) return refused(deps, s.environment, locked);
  return { gate, override: rules.override };
}
