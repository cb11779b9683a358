// Opens the incident for a failed deploy, or, if one is already open for the environment (a
// concurrent run got there first), adds to it instead: never two open incidents for one cause.
// Both writes carry a marker of this run, so one that may have happened is found, not repeated.
// The incident is kept where the scope says: this repository, or incident-repository.
import { severityLabelLook, withSeverity, type IncidentOrigin, type IncidentText } from '../report/incident-text.ts';
import type { IncidentRef } from '../core/outcome.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { closeAsDuplicate, commentOnIssue, ensureLabel, listOpenLabeledIssues, openIssue, setIssueBody, swapLabel } from '../github/incidents.ts';
import { markedForAllEnvironments, markedIncidents, type IssueSummary } from '../core/gate-decision.ts';
import { atLeast, severityInBody, severityLabel } from '../core/severity.ts';
import type { Log } from '../log.ts';
import type { RunContext } from '../run-context.ts';
import { forgetIncident, recordIncident } from '../github/incident-records.ts';
import { checkGate, type IncidentScope } from './gate.ts';
import { elsewhere, incidentHome, withAccessAdvice } from './incident-home.ts';
import { encodePendingIncident, type PendingIncident } from '../core/pending-incident.ts';
import { PENDING_INCIDENT_STATE } from '../state-names.ts';

/**
 * The marker of this run's writes. Run ids are unique within a repository only, so an incident kept
 * in another repository (where several repositories' runs meet) names the repository too.
 */
export function runMarker(ctx: Pick<RunContext, 'runId' | 'runAttempt'>, shared?: Repo): string {
  return shared ? `<!-- deploy-guard:run=${shared.owner}/${shared.repo}/${ctx.runId}-${ctx.runAttempt} -->` : `<!-- deploy-guard:run=${ctx.runId}-${ctx.runAttempt} -->`;
}

/** Where and for which run an incident is opened. */
export interface IncidentPlace {
  gh: GitHubClient;
  /** The repository deploy-guard runs for. */
  repo: Repo;
  scope: IncidentScope;
  log: Log;
  context: Pick<RunContext, 'runId' | 'runAttempt'>;
}

/** The repository an incident kept in incident-repository is about, for its title and body; undefined when it is kept here. */
export function incidentOrigin(scope: IncidentScope, context: Pick<RunContext, 'owner' | 'repo' | 'serverUrl'>): IncidentOrigin | undefined {
  const repo = { owner: context.owner, repo: context.repo };
  return elsewhere(repo, scope) ? { repository: `${repo.owner}/${repo.repo}`, url: `${context.serverUrl}/${repo.owner}/${repo.repo}` } : undefined;
}

/**
 * Opens the incident (or adds to the one already open). `sha`: the version it is about (its record
 * points there when GitHub allows). The gate is read once; the check for a run that opened one at
 * the same moment reads only the labeled issues. When the token cannot reach incident-repository,
 * the error says what it lacks there.
 */
export async function openIncident(place: IncidentPlace, text: IncidentText, sha: string): Promise<IncidentRef> {
  try {
    return await openOrAddTo(place, text, sha);
  } catch (error) {
    throw withAccessAdvice(error as Error, place.repo, place.scope);
  }
}

async function openOrAddTo(place: IncidentPlace, text: IncidentText, sha: string): Promise<IncidentRef> {
  const { gh, repo, scope, log } = place;
  const { label, environment } = scope;
  const home = incidentHome(repo, scope);
  const shared = elsewhere(repo, scope);
  const marker = runMarker(place.context, shared ? repo : undefined);
  const record = (issue: number) =>
    // The version's commit is in this repository only: a record kept elsewhere points at that repository's default branch.
    recordIncident(gh, home, scope, issue, shared ? undefined : sha).catch((error: Error) =>
      // The label, the marker and deploy-guard's authorship still make it block (gate.ts).
      log.warning(`Could not record incident #${issue} for ${environment}: ${sentence(withAccessAdvice(error, repo, scope).message)} It blocks deploys while it is open and labeled "${label}".`),
    );
  // With no closing rules, every incident the gate still counts is an open one. An issue a person
  // marked for all environments blocks, but is not this environment's incident to add to.
  const openNow = async () => {
    const gate = await checkGate(gh, repo, scope);
    const forAll = new Set(markedForAllEnvironments(gate.kind === 'blocked' ? gate.incidents : []).map((i) => i.number));
    return gate.kind === 'blocked' ? gate.incidents.filter((i) => !forAll.has(i.number)) : [];
  };
  await ensureLabel(gh, home, label);
  await ensureLabel(gh, home, severityLabel(text.severity), severityLabelLook(text.severity));
  const open = await openNow();
  const addTo = async (existing: IssueSummary, why: string): Promise<IncidentRef> => {
    await commentOnIssue(gh, home, existing.number, `## ${text.title}\n\n${text.body}\n${marker}`, marker);
    log.warning(`${why}; added this to it: ${existing.htmlUrl}`);
    await raiseSeverity(place, home, existing, text);
    return { number: existing.number, url: existing.htmlUrl };
  };
  const mine = open.find((i) => i.body.includes(marker));
  if (mine) {
    await record(mine.number);
    return { number: mine.number, url: mine.htmlUrl };
  }
  if (open.length) {
    const existing = await addTo(open[0]!, `Incident #${open[0]!.number} was already open for ${environment}`);
    await record(existing.number);
    return existing;
  }
  const labels = [label, severityLabel(text.severity)];
  const incident = await openIssue(gh, home, { title: text.title, body: `${text.body}\n${marker}`, labels }, async () => {
    const found = (await openNow()).find((i) => i.body.includes(marker));
    return found ? { number: found.number, url: found.htmlUrl } : undefined;
  });
  await record(incident.number);
  // Two runs may both have found no incident and opened one each: the oldest stands, and a newer
  // one of ours is closed into it, so one cause never leaves two open incidents.
  const oldest = await olderTwin(gh, home, scope, incident.number);
  if (oldest) {
    const kept = await addTo(oldest, `Another run opened incident #${oldest.number} at the same time`);
    await closeAsDuplicate(gh, home, incident.number, oldest.htmlUrl);
    await forgetIncident(gh, home, scope, incident.number).catch(() => {}); // closed by deploy-guard itself: never blocks (core/incident-judgement.ts)
    return kept;
  }
  log.error(`Opened incident #${incident.number}: ${incident.url}\n${text.title}`);
  return incident;
}

/**
 * An open incident takes the severity of the most severe event added to it: its marker (which the
 * closing rules read) and its label. Best effort: the incident blocks whatever its severity.
 */
async function raiseSeverity(place: IncidentPlace, home: Repo, existing: IssueSummary, text: IncidentText): Promise<void> {
  const from = severityInBody(existing.body);
  if (atLeast(from, text.severity)) return;
  try {
    await setIssueBody(place.gh, home, existing.number, withSeverity(existing.body, from, text.severity));
    await swapLabel(place.gh, home, existing.number, severityLabel(text.severity), severityLabel(from));
    place.log.info(`Raised the severity of incident #${existing.number} from ${from} to ${text.severity}.`);
  } catch (error) {
    place.log.warning(`Could not raise the severity of incident #${existing.number} from ${from} to ${text.severity}: ${withAccessAdvice(error as Error, place.repo, place.scope).message}`);
  }
}

function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/**
 * The oldest open incident of the environment opened by the same identity as `ours` (so by
 * deploy-guard, never a look-alike) before it, if another run opened one at the same moment.
 */
async function olderTwin(gh: GitHubClient, home: Repo, scope: IncidentScope, ours: number): Promise<IssueSummary | undefined> {
  const marked = markedIncidents(await listOpenLabeledIssues(gh, home, scope.label), scope.environment);
  const author = marked.find((i) => i.number === ours)?.author.login;
  if (!author) return undefined;
  return marked.filter((i) => i.number < ours && i.author.login === author).sort((a, b) => a.number - b.number)[0];
}

/**
 * Saves the incident a failed deploy owes to the step state, so the post step opens it if this run
 * is killed before it does (post.ts); `paid` once it is open.
 */
export function oweIncident(saveState: (name: string, value: string) => void, owed: PendingIncident) {
  saveState(PENDING_INCIDENT_STATE, encodePendingIncident(owed));
  return {
    rolledBack: (result: NonNullable<PendingIncident['rollbackResult']>) => saveState(PENDING_INCIDENT_STATE, encodePendingIncident({ ...owed, rollbackResult: result })),
    paid: () => saveState(PENDING_INCIDENT_STATE, ''),
  };
}
