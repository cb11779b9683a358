// Gate: is an incident this action opened for the environment still open?
import { closerQualifies, decideGate, type GateDecision, type IssueSummary, type Role } from '../core/gate-decision.ts';
import type { IncidentRef, Outcome } from '../core/outcome.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { closedBy, listOpenLabeledIssues, listRecentlyClosedLabeledIssues, ownLogin } from '../github/incidents.ts';
import { repositoryRole } from '../github/permissions.ts';
import type { Log } from '../log.ts';
import { postmortemAnchor, postmortemGaps, type PostmortemSection } from '../core/incident-text.ts';

/** How many recently closed incidents are checked for who closed them. */
const CLOSED_CHECKED = 10;

/**
 * Fails closed: if the incidents cannot be read, nothing may be deployed. With `closerRole`, an
 * incident closed by someone below that role keeps blocking.
 */
export interface ClosingRules {
  /** A closed incident unblocks only if its closer has at least this role. */
  closerRole?: Role | undefined;
  /** A closed incident unblocks only once its root cause and corrective actions are written. */
  requirePostmortem?: boolean;
}

export async function checkGate(gh: GitHubClient, repo: Repo, label: string, environment: string, rules: ClosingRules = {}): Promise<GateDecision> {
  const { closerRole, requirePostmortem } = rules;
  try {
    const open = await listOpenLabeledIssues(gh, repo, label);
    // Whose incidents count is asked only when there is an issue to judge: a clear gate is one request.
    const login = open.length || closerRole || requirePostmortem ? await ownLogin(gh) : undefined;
    const decision = decideGate(open, environment, login);
    if (!closerRole && !requirePostmortem) return decision;
    const closed = decideGate(await listRecentlyClosedLabeledIssues(gh, repo, label, CLOSED_CHECKED), environment, login);
    const weak: IssueSummary[] = [];
    for (const incident of closed.kind === 'blocked' ? closed.incidents : []) {
      const gaps = requirePostmortem ? postmortemGaps(incident.body) : [];
      if (gaps.length) {
        weak.push({ ...incident, stillBlocking: postmortemMissing(incident.htmlUrl, gaps) });
        continue;
      }
      if (!closerRole) continue;
      const closer = await closedBy(gh, repo, incident.number);
      const role = closer ? await repositoryRole(gh, repo, closer) : undefined;
      if (!closerQualifies(role, closerRole)) {
        weak.push({
          ...incident,
          stillBlocking: `it was closed by @${closer ?? 'unknown'} (${role ?? 'no role'}), and incident-closer-role needs ${closerRole} or above to unblock; someone with that role should reopen and close it`,
        });
      }
    }
    const incidents = [...(decision.kind === 'blocked' ? decision.incidents : []), ...weak];
    return incidents.length ? { kind: 'blocked', incidents, ignored: decision.ignored } : decision;
  } catch (error) {
    throw new Error(`cannot verify incident state for ${environment}, so nothing is deployed: ${(error as Error).message}`, { cause: error });
  }
}

/** The environment's most recently closed incident opened by deploy-guard, if any (for a recovery notice). */
export async function lastClosedIncidents(gh: GitHubClient, repo: Repo, label: string, environment: string): Promise<IncidentRef[]> {
  const closed = decideGate(await listRecentlyClosedLabeledIssues(gh, repo, label, 5), environment, await ownLogin(gh));
  return closed.kind === 'blocked' ? closed.incidents.slice(0, 1).map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) : [];
}

function postmortemMissing(url: string, gaps: PostmortemSection[]): string {
  const sections = gaps.map((gap) => `"${gap}" (${url}${postmortemAnchor(gap)})`);
  return `it is closed, but require-postmortem is on and its postmortem section${gaps.length > 1 ? 's' : ''} ${sections.join(' and ')} ${gaps.length > 1 ? 'are' : 'is'} empty; fill ${gaps.length > 1 ? 'them' : 'it'} in the issue's description to unblock`;
}

export function gateOutcome(decision: GateDecision, environment: string, log: Log): Outcome {
  for (const issue of decision.ignored) {
    log.warning(
      `Issue #${issue.number} (${issue.htmlUrl}) looks like a deploy-guard incident for ${environment} but was opened by @${issue.author.login}, not by deploy-guard; it does not block deploys.`,
      `Ignored look-alike incident #${issue.number}`,
    );
  }
  if (decision.kind === 'clear') {
    log.info(`Gate: no open incident blocks deploys to ${environment}.`);
    return { kind: 'clear' };
  }
  for (const incident of decision.incidents) {
    log.error(
      incident.stillBlocking
        ? `Deploys to ${environment} are blocked by incident #${incident.number} (${incident.htmlUrl}): ${incident.stillBlocking}.`
        : `Deploys to ${environment} are blocked by open incident #${incident.number} (${incident.htmlUrl}). ` +
            `Close it once the cause is fixed to unblock deploys.`,
      `${environment}: deploys blocked by #${incident.number}`,
    );
  }
  return { kind: 'blocked', incidents: decision.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) };
}

export async function runGateMode(gh: GitHubClient, repo: Repo, label: string, environment: string, log: Log, rules: ClosingRules = {}): Promise<Outcome> {
  return gateOutcome(await checkGate(gh, repo, label, environment, rules), environment, log);
}
