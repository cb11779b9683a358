// Gate mode: does an open incident block deploys of the environment? (A job that only gates.)
import type { RunDeps, RunResult } from '../deps.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { checkGate, closingRules, gateOutcome, incidentScope } from '../phases/gate.ts';
import { checkDeployRules, refused } from '../phases/schedule.ts';

export async function runGate(settings: Settings, context: RunContext, deps: RunDeps): Promise<RunResult> {
  const repo = { owner: context.owner, repo: context.repo };
  // A gate job may run without a checkout: then require-proven-in is left to the deploy job.
  const sha = await deps.git.headSha().catch(() => undefined);
  const rules = await checkDeployRules(sha ? settings : { ...settings, requireProvenIn: undefined }, context, deps, repo, sha ?? '');
  if (rules.kind === 'blocked') return refused(deps, settings.environment, rules);
  const reading = await checkGate(deps.gh, repo, incidentScope(settings), closingRules(settings), { log: deps.log });
  return { outcome: gateOutcome(reading, settings.environment, deps.log), knownGoodSha: undefined };
}
