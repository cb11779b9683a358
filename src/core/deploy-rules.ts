// What the schedule and require-proven-in say about a deploy starting now, in words a person acts
// on. Pure: the verdicts come in.
import { formatLocal, type DeploySchedule, type ScheduleVerdict } from './deploy-window.ts';
import type { Outcome, Override } from './outcome.ts';
import { shortSha } from './tag-names.ts';

type Blocked = Extract<Outcome, { kind: 'blocked' }>;

/** The refusal for a closed schedule. */
export function scheduleRefusal(environment: string, schedule: DeploySchedule, verdict: Extract<ScheduleVerdict, { open: false }>): Blocked {
  const next = verdict.nextOpening === undefined ? 'no opening within a year' : `the next opening is ${formatLocal(verdict.nextOpening, schedule.timeZone)}`;
  const why =
    verdict.why === 'freeze'
      ? `deploys to ${environment} are frozen (${freezeText(verdict.freeze!)})`
      : `deploys to ${environment} start only within its deploy windows (${schedule.windows.map((w) => w.text).join('; ')}, ${schedule.timeZone})`;
  return {
    kind: 'blocked',
    by: verdict.why === 'freeze' ? 'freeze' : 'window',
    incidents: [],
    reason: `${why}; ${next}. To deploy now anyway, a maintainer can run it with override-reason set. Rollbacks are never refused.`,
    ...(verdict.nextOpening !== undefined ? { nextOpening: verdict.nextOpening } : {}),
  };
}

/** A person below maintain asked to override: refused, naming the role it takes. */
export function overrideRefusal(blocked: Blocked, actor: string, role: string | undefined): Blocked {
  return { ...blocked, reason: `${blocked.reason} override-reason was given, but @${actor || 'unknown'} has ${role ? `the ${role} role` : 'no role'}; overriding takes the maintain role or more.` };
}

export function overrideNote(environment: string, override: Override, blocked: Blocked): string {
  return `@${override.actor} deploys to ${environment} through a ${override.over === 'freeze' ? 'freeze' : 'closed deploy window'}: "${override.reason}". (Without it: ${blocked.reason})`;
}

export function notProvenRefusal(environment: string, provenIn: string, sha: string): Blocked {
  return {
    kind: 'blocked',
    by: 'not-proven',
    incidents: [],
    reason:
      `${shortSha(sha)} has not passed a whole health window in ${provenIn}, and ${environment} deploys only versions that have (require-proven-in: ${provenIn}). ` +
      `Deploy it to ${provenIn} first, then here.`,
  };
}

function freezeText(freeze: { from: string; to: string; reason: string }): string {
  const dates = freeze.from === freeze.to ? freeze.from : `${freeze.from} to ${freeze.to}`;
  return freeze.reason ? `${freeze.reason}, ${dates}` : dates;
}
