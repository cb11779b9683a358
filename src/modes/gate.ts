// Gate: is an incident this action opened for the environment still open?
import { closerQualifies, decideGate, type GateDecision, type IssueSummary, type Role } from '../core/gate-decision.ts';
import type { Outcome } from '../core/outcome.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { closedBy, listOpenLabeledIssues, listRecentlyClosedLabeledIssues, ownLogin } from '../github/incidents.ts';
import { repositoryRole } from '../github/permissions.ts';
import type { Log } from '../log.ts';

/** How many recently closed incidents are checked for who closed them. */
const CLOSED_CHECKED = 10;

/**
 * Fails closed: if the incidents cannot be read, nothing may be deployed. With `closerRole`, an
 * incident closed by someone below that role keeps blocking.
 */
export async function checkGate(gh: GitHubClient, repo: Repo, label: string, environment: string, closerRole?: Role): Promise<GateDecision> {
  try {
    const open = await listOpenLabeledIssues(gh, repo, label);
    // Whose incidents count is asked only when there is an issue to judge: a clear gate is one request.
    const login = open.length || closerRole ? await ownLogin(gh) : undefined;
    const decision = decideGate(open, environment, login);
    if (!closerRole) return decision;
    const closed = decideGate(await listRecentlyClosedLabeledIssues(gh, repo, label, CLOSED_CHECKED), environment, login);
    const weak: IssueSummary[] = [];
    for (const incident of closed.kind === 'blocked' ? closed.incidents : []) {
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

export function gateOutcome(decision: GateDecision, environment: string, log: Log): Outcome {
  for (const issue of decision.ignored) {
    log.warning(
      `Issue #${issue.number} (${issue.htmlUrl}) looks like a deploy-guard incident for ${environment} but was opened by @${issue.author.login}, not by deploy-guard; it does not block deploys.`,
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
    );
  }
  return { kind: 'blocked', incidents: decision.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) };
}

export async function runGateMode(gh: GitHubClient, repo: Repo, label: string, environment: string, log: Log, closerRole?: Role): Promise<Outcome> {
  return gateOutcome(await checkGate(gh, repo, label, environment, closerRole), environment, log);
}
