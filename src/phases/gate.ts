// Gate: does an incident deploy-guard opened for the environment still block deploys?
//
// The incidents are the ones deploy-guard recorded (github/incident-records.ts), each judged as it
// is now (core/incident-judgement.ts), plus, for incidents opened before records existed or whose
// record could not be written, the open issues with the label and the environment's marker that
// deploy-guard's own identity opened. Fails closed: anything that cannot be read or makes no sense
// means nothing may be deployed.
import { decideGate, markedIncidents, type GateDecision, type IssueSummary, type Role } from '../core/gate-decision.ts';
import { actorsToCheck, closerOf, judgeIncident, type RecordedIncident } from '../core/incident-judgement.ts';
import { postmortemAnchor, type PostmortemSection } from '../report/incident-text.ts';
import type { IncidentRef, Outcome } from '../core/outcome.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { forgetIncident, recordedIncidents } from '../github/incident-records.ts';
import { listOpenLabeledIssues, ownIdentity, readIncident } from '../github/incidents.ts';
import { repositoryRole } from '../github/permissions.ts';
import type { Log } from '../log.ts';
import type { Settings } from '../settings.ts';

/** Where incidents of one environment are found: their label, and the prefix of their records. */
export interface IncidentScope {
  label: string;
  environment: string;
  prefix: string;
}

/** The incidents of the environment `settings` name. */
export function incidentScope(s: Pick<Settings, 'incidentLabel' | 'environment' | 'tagPrefix'>): IncidentScope {
  return { label: s.incidentLabel, environment: s.environment, prefix: s.tagPrefix };
}

/** When a closed incident stops blocking, as `settings` say. */
export function closingRules(s: Pick<Settings, 'incidentCloserRole' | 'requirePostmortem'>): ClosingRules {
  return { closerRole: s.incidentCloserRole, requirePostmortem: s.requirePostmortem };
}

export interface ClosingRules {
  /** A closed incident unblocks only if its closer has at least this role. */
  closerRole?: Role | undefined;
  /** A closed incident unblocks only once its root cause and corrective actions are written. */
  requirePostmortem?: boolean | undefined;
}

export type GateReading = GateDecision & {
  /** Recorded incidents that no longer block (closed as the rules ask), newest first. */
  resolved: IssueSummary[];
};

export interface GateOptions {
  /** Forget the records of resolved incidents (needs contents: write; a deploy does, the gate mode may not). */
  settle?: boolean;
  log?: Log;
}

export async function checkGate(gh: GitHubClient, repo: Repo, scope: IncidentScope, rules: ClosingRules = {}, options: GateOptions = {}): Promise<GateReading> {
  const { environment } = scope;
  try {
    const [openLabeled, recorded] = await Promise.all([listOpenLabeledIssues(gh, repo, scope.label), recordedIncidents(gh, repo, scope)]);
    const incidents = await Promise.all(recorded.map(async (n) => [n, await readIncident(gh, repo, n, scope.label)] as const));
    const unrecorded = openLabeled.filter((issue) => !recorded.includes(issue.number));
    const present = incidents.flatMap(([, incident]) => (incident === 'deleted' ? [] : [incident]));

    // deploy-guard's identity is needed only to trust an unrecorded issue, or to tell its own close of a duplicate.
    const needsIdentity = markedIncidents(unrecorded, environment).length > 0 || present.some((i) => i.state === 'closed' && i.stateReason === 'not_planned' && closerOf(i) === i.author.login);
    const login = needsIdentity ? await ownIdentity(gh, repo) : undefined;

    const roles = new Map<string, string | undefined>();
    const judged = { label: scope.label, closerRole: rules.closerRole, requirePostmortem: rules.requirePostmortem };
    const actors = [...new Set(present.flatMap((i) => actorsToCheck(i, judged)))];
    await Promise.all(actors.map(async (actor) => roles.set(actor, await repositoryRole(gh, repo, actor))));

    const blocking: IssueSummary[] = [];
    const resolved: IssueSummary[] = [];
    for (const [n, incident] of incidents) {
      if (incident === 'deleted') {
        options.log?.warning(`Incident #${n} of ${environment} was deleted (only an admin can delete an issue); it no longer blocks deploys.`);
        if (options.settle) await forgetQuietly(gh, repo, scope, n, options.log);
        continue;
      }
      const judgement = judgeIncident(incident, judged, (actor) => roles.get(actor), login);
      const summary = summaryOf(incident);
      if (!judgement.blocking) {
        resolved.unshift(summary);
        if (options.settle) await forgetQuietly(gh, repo, scope, n, options.log);
        continue;
      }
      const stillBlocking = judgement.postmortemGaps ? postmortemMissing(incident.htmlUrl, judgement.postmortemGaps) : judgement.why === 'it is open' ? undefined : judgement.why;
      blocking.push({ ...summary, ...(stillBlocking ? { stillBlocking } : {}) });
    }

    const legacy = decideGate(unrecorded, environment, login);
    const all = [...blocking, ...(legacy.kind === 'blocked' ? legacy.incidents : [])].sort((a, b) => a.number - b.number);
    return all.length ? { kind: 'blocked', incidents: all, ignored: legacy.ignored, resolved } : { kind: 'clear', ignored: legacy.ignored, resolved };
  } catch (error) {
    throw new Error(`cannot verify incident state for ${environment}, so nothing is deployed: ${(error as Error).message}`, { cause: error });
  }
}

function summaryOf(incident: RecordedIncident): IssueSummary {
  return { number: incident.number, title: incident.title, htmlUrl: incident.htmlUrl, body: incident.body, isPullRequest: false, author: incident.author };
}

async function forgetQuietly(gh: GitHubClient, repo: Repo, scope: IncidentScope, issue: number, log: Log | undefined): Promise<void> {
  // A record left behind costs a read on the next gate, never a wrong answer.
  await forgetIncident(gh, repo, scope, issue).catch((error: Error) => log?.info(`Could not forget the record of resolved incident #${issue}: ${error.message}`));
}

function postmortemMissing(url: string, gaps: PostmortemSection[]): string {
  const sections = gaps.map((gap) => `"${gap}" (${url}${postmortemAnchor(gap)})`);
  return `it is closed, but require-postmortem is on and its postmortem section${gaps.length > 1 ? 's' : ''} ${sections.join(' and ')} ${gaps.length > 1 ? 'are' : 'is'} empty; fill ${gaps.length > 1 ? 'them' : 'it'} in the issue's description to unblock`;
}

/** The newest incident that no longer blocks, for a recovery notice. */
export function recoveredFrom(reading: GateReading): IncidentRef[] {
  return reading.resolved.slice(0, 1).map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title }));
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
  return { kind: 'blocked', by: 'incident', incidents: decision.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) };
}
