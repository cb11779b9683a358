// Gate mode: does an open incident block deploys of the environment? (A job that only gates.)
import type { RunDeps, RunResult } from '../deps.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { checkGate, closingRules, gateOutcome, incidentScope } from '../phases/gate.ts';

export async function runGate(settings: Settings, context: RunContext, deps: RunDeps): Promise<RunResult> {
  const reading = await checkGate(deps.gh, { owner: context.owner, repo: context.repo }, incidentScope(settings), closingRules(settings), { log: deps.log });
  return { outcome: gateOutcome(reading, settings.environment, deps.log), knownGoodSha: undefined };
}
