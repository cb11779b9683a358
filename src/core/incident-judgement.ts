// Whether an incident deploy-guard recorded still blocks deploys. Pure: the issue, its events and
// the roles of the people in them come in.
//
// deploy-guard records every incident it opens (a ref only it writes, see github/incident-records.ts),
// so neither the label nor the marker decides whether an issue is an incident: taking the label
// off, renaming or deleting the label, or editing the marker out does not unblock. Only closing it
// does, by someone with `incident-closer-role` when that is set, and with its postmortem written
// when `require-postmortem` asks for one at the incident's severity.
import { closerQualifies, type Role } from './gate-decision.ts';
import { atLeast, severityInBody, type Severity } from './severity.ts';
import { postmortemGaps, type PostmortemSection } from '../report/incident-text.ts';

export interface IssueEvent {
  event: string;
  actor: string | undefined;
  /** For labeled/unlabeled: the label's name. */
  label?: string | undefined;
}

export interface RecordedIncident {
  number: number;
  title: string;
  htmlUrl: string;
  body: string;
  state: 'open' | 'closed';
  /** GitHub's state_reason: deploy-guard closes a duplicate as 'not_planned'. */
  stateReason: string | null;
  author: { login: string; type: string };
  /** The issue's `closed_by`: the last closer. */
  closedBy: string | undefined;
  /** Oldest first; read only for a closed incident. */
  events: IssueEvent[];
}

export interface ClosingRules {
  label: string;
  /** A closed incident unblocks only if its closer has at least this role. */
  closerRole?: Role | undefined;
  /**
   * A closed incident unblocks only once its root cause and corrective actions are written: every
   * one (true), or one of this severity or above (read from deploy-guard's marker in its body).
   */
  requirePostmortem?: boolean | Severity | undefined;
}

export type Judgement =
  | { blocking: false; why: string }
  | { blocking: true; why: string; postmortemGaps?: PostmortemSection[]; severity?: Severity };

/** The least severity whose closed incidents need a postmortem; undefined: none do. */
export function postmortemFrom(rule: ClosingRules['requirePostmortem']): Severity | undefined {
  return rule === true ? 'low' : rule || undefined;
}

/** Who closed it last: the newest `closed` event, else the issue's `closed_by`. */
export function closerOf(incident: RecordedIncident): string | undefined {
  return [...incident.events].reverse().find((e) => e.event === 'closed')?.actor ?? incident.closedBy;
}

/** Who took the label off, if it is off now (the newest labeled/unlabeled event for it is unlabeled). */
export function labelRemovedBy(incident: RecordedIncident, label: string): string | undefined {
  const last = [...incident.events].reverse().find((e) => (e.event === 'labeled' || e.event === 'unlabeled') && e.label?.toLowerCase() === label.toLowerCase());
  return last?.event === 'unlabeled' ? (last.actor ?? 'unknown') : undefined;
}

/**
 * deploy-guard closes an incident itself only as the duplicate of another (two runs opened one
 * each): as not planned, by its own identity, which is the author of every incident it opened.
 */
function closedByDeployGuard(incident: RecordedIncident, closer: string | undefined, ownLogin: string | undefined): boolean {
  if (!closer || incident.stateReason !== 'not_planned') return false;
  if (ownLogin !== undefined) return closer === ownLogin && incident.author.login === ownLogin;
  return incident.author.type === 'Bot' && closer === incident.author.login;
}

/** The logins whose roles `judgeIncident` needs: the closer and whoever took the label off. */
export function actorsToCheck(incident: RecordedIncident, rules: ClosingRules): string[] {
  if (incident.state === 'open' || !rules.closerRole) return [];
  return [...new Set([closerOf(incident), labelRemovedBy(incident, rules.label)].filter((login): login is string => Boolean(login) && login !== 'unknown'))];
}

export function judgeIncident(
  incident: RecordedIncident,
  rules: ClosingRules,
  roleOf: (login: string) => string | undefined,
  ownLogin: string | undefined,
): Judgement {
  const remover = labelRemovedBy(incident, rules.label);
  const describe = (login: string) => `@${login} (${roleOf(login) ?? 'no role'})`;
  if (incident.state === 'open') {
    const note = remover ? `; its label was taken off by @${remover}, which does not unblock: close it once the cause is fixed` : '';
    return { blocking: true, why: `it is open${note}` };
  }
  const closer = closerOf(incident);
  if (closedByDeployGuard(incident, closer, ownLogin)) return { blocking: false, why: 'closed by deploy-guard as a duplicate' };
  if (rules.closerRole) {
    if (!closerQualifies(closer ? roleOf(closer) : undefined, rules.closerRole)) {
      return {
        blocking: true,
        why: `it was closed by ${closer ? describe(closer) : '@unknown (no role)'}, and incident-closer-role needs ${rules.closerRole} or above to unblock; someone with that role should reopen and close it`,
      };
    }
    if (remover && !closerQualifies(roleOf(remover), rules.closerRole)) {
      return {
        blocking: true,
        why: `its label "${rules.label}" was taken off by ${describe(remover)}, below incident-closer-role ${rules.closerRole}; someone with that role should put it back`,
      };
    }
  }
  const from = postmortemFrom(rules.requirePostmortem);
  // An incident without deploy-guard's severity marker counts as critical (core/severity.ts).
  const severity = severityInBody(incident.body);
  if (from && atLeast(severity, from)) {
    const gaps = postmortemGaps(incident.body);
    if (gaps.length) return { blocking: true, why: 'postmortem', postmortemGaps: gaps, severity };
  }
  return { blocking: false, why: closer ? `closed by @${closer}` : 'closed' };
}
