// Gate: is an incident this action opened for the environment still open?
import { decideGate, type GateDecision } from '../core/gate-decision.ts';
import type { Outcome } from '../core/outcome.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { listOpenLabeledIssues, ownLogin } from '../github/incidents.ts';
import type { Log } from '../log.ts';

/** Fails closed: if the open incidents cannot be read, nothing may be deployed. */
export async function checkGate(gh: GitHubClient, repo: Repo, label: string, environment: string): Promise<GateDecision> {
  let issues;
  try {
    issues = await listOpenLabeledIssues(gh, repo, label);
  } catch (error) {
    throw new Error(`cannot verify incident state for ${environment}, so nothing is deployed: ${(error as Error).message}`, { cause: error });
  }
  return decideGate(issues, environment, await ownLogin(gh));
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
      `Deploys to ${environment} are blocked by open incident #${incident.number} (${incident.htmlUrl}). ` +
        `Close it once the cause is fixed to unblock deploys.`,
    );
  }
  return { kind: 'blocked', incidents: decision.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) };
}

export async function runGateMode(gh: GitHubClient, repo: Repo, label: string, environment: string, log: Log): Promise<Outcome> {
  return gateOutcome(await checkGate(gh, repo, label, environment), environment, log);
}
