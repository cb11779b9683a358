// Opens the incident for a failed deploy, or, if one is already open for the environment (a
// concurrent run got there first), adds to it instead: never two open incidents for one cause.
// Both writes carry a marker of this run, so one that may have happened is found, not repeated.
import type { IncidentText } from '../report/incident-text.ts';
import type { IncidentRef } from '../core/outcome.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { closeAsDuplicate, commentOnIssue, ensureLabel, listOpenLabeledIssues, openIssue } from '../github/incidents.ts';
import { markedIncidents, type IssueSummary } from '../core/gate-decision.ts';
import type { Log } from '../log.ts';
import type { RunContext } from '../run-context.ts';
import { forgetIncident, recordIncident } from '../github/incident-records.ts';
import { checkGate, type IncidentScope } from './gate.ts';
import { encodePendingIncident, type PendingIncident } from '../core/pending-incident.ts';
import { PENDING_INCIDENT_STATE } from '../state-names.ts';

export function runMarker(ctx: Pick<RunContext, 'runId' | 'runAttempt'>): string {
  return `<!-- deploy-guard:run=${ctx.runId}-${ctx.runAttempt} -->`;
}

/** Where and for which run an incident is opened. */
export interface IncidentPlace {
  gh: GitHubClient;
  repo: Repo;
  scope: IncidentScope;
  log: Log;
  context: Pick<RunContext, 'runId' | 'runAttempt'>;
}

/**
 * Opens the incident (or adds to the one already open). `sha`: the version it is about (its record
 * points there when GitHub allows). The gate is read once; the check for a run that opened one at
 * the same moment reads only the labeled issues.
 */
export async function openIncident(place: IncidentPlace, text: IncidentText, sha: string): Promise<IncidentRef> {
  const { gh, repo, scope, log } = place;
  const { label, environment } = scope;
  const marker = runMarker(place.context);
  const record = (issue: number) =>
    recordIncident(gh, repo, scope, issue, sha).catch((error: Error) =>
      // The label, the marker and deploy-guard's authorship still make it block (gate.ts).
      log.warning(`Could not record incident #${issue} for ${environment}: ${error.message}. It blocks deploys while it is open and labeled "${label}".`),
    );
  // With no closing rules, every incident the gate still counts is an open one.
  const openNow = async () => {
    const gate = await checkGate(gh, repo, scope);
    return gate.kind === 'blocked' ? gate.incidents : [];
  };
  await ensureLabel(gh, repo, label);
  const open = await openNow();
  const addTo = async (existing: { number: number; htmlUrl: string }, why: string): Promise<IncidentRef> => {
    await commentOnIssue(gh, repo, existing.number, `## ${text.title}\n\n${text.body}\n${marker}`, marker);
    log.warning(`${why}; added this to it: ${existing.htmlUrl}`);
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
  const incident = await openIssue(gh, repo, { title: text.title, body: `${text.body}\n${marker}`, label }, async () => {
    const found = (await openNow()).find((i) => i.body.includes(marker));
    return found ? { number: found.number, url: found.htmlUrl } : undefined;
  });
  await record(incident.number);
  // Two runs may both have found no incident and opened one each: the oldest stands, and a newer
  // one of ours is closed into it, so one cause never leaves two open incidents.
  const oldest = await olderTwin(gh, repo, scope, incident.number);
  if (oldest) {
    const kept = await addTo(oldest, `Another run opened incident #${oldest.number} at the same time`);
    await closeAsDuplicate(gh, repo, incident.number, oldest.htmlUrl);
    await forgetIncident(gh, repo, scope, incident.number).catch(() => {}); // closed by deploy-guard itself: never blocks (core/incident-judgement.ts)
    return kept;
  }
  log.error(`Opened incident #${incident.number}: ${incident.url}\n${text.title}`);
  return incident;
}

/**
 * The oldest open incident of the environment opened by the same identity as `ours` (so by
 * deploy-guard, never a look-alike) before it, if another run opened one at the same moment.
 */
async function olderTwin(gh: GitHubClient, repo: Repo, scope: IncidentScope, ours: number): Promise<IssueSummary | undefined> {
  const marked = markedIncidents(await listOpenLabeledIssues(gh, repo, scope.label), scope.environment);
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
