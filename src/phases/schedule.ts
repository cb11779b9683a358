// The deploy rules beyond incidents, read before anything is written: the deploy windows and
// freezes (a maintainer may override them for one deploy) and require-proven-in.
import type { RunDeps, RunResult } from '../deps.ts';
import { judgeSchedule } from '../core/deploy-window.ts';
import { notProvenRefusal, overrideNote, overrideRefusal, scheduleRefusal } from '../core/deploy-rules.ts';
import type { Outcome, Override } from '../core/outcome.ts';
import { mayTakeOver } from '../core/take-over.ts';
import type { Repo } from '../github/client.ts';
import { everSucceeded } from '../github/deployments.ts';
import { repositoryRole } from '../github/permissions.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';

export type RulesVerdict = { kind: 'clear'; override?: Override } | Extract<Outcome, { kind: 'blocked' }>;

export async function checkDeployRules(
  settings: Pick<Settings, 'environment' | 'schedule' | 'overrideReason' | 'requireProvenIn'>,
  context: Pick<RunContext, 'actor'>,
  deps: Pick<RunDeps, 'gh' | 'log' | 'clock'>,
  repo: Repo,
  sha: string,
): Promise<RulesVerdict> {
  const { environment } = settings;
  let override: Override | undefined;
  const verdict = judgeSchedule(settings.schedule, deps.clock.now());
  if (!verdict.open) {
    const blocked = scheduleRefusal(environment, settings.schedule, verdict);
    if (!settings.overrideReason) return blocked;
    const role = context.actor ? await repositoryRole(deps.gh, repo, context.actor) : undefined;
    // The same bar as taking an environment over: maintain or more.
    if (!mayTakeOver(role)) return overrideRefusal(blocked, context.actor, role);
    override = { actor: context.actor, reason: settings.overrideReason, over: verdict.why === 'freeze' ? 'freeze' : 'window' };
    deps.log.warning(overrideNote(environment, override, blocked), `${environment}: deploy-window override by @${context.actor}`);
  }
  if (settings.requireProvenIn && !(await everSucceeded(deps.gh, repo, settings.requireProvenIn, sha))) {
    return notProvenRefusal(environment, settings.requireProvenIn, sha);
  }
  return { kind: 'clear', ...(override ? { override } : {}) };
}

/** Not deployed, by a rule: the log says why and what to do next. */
export function refused(deps: Pick<RunDeps, 'log'>, environment: string, blocked: Extract<RulesVerdict, { kind: 'blocked' }>): RunResult {
  deps.log.error(`Not deployed: ${blocked.reason}`, `${environment}: not deployed (${blocked.by})`);
  return { outcome: blocked, knownGoodSha: undefined };
}
