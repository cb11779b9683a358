// Opens the incident for a failed deploy, or, if one is already open for the environment (a
// concurrent run got there first), adds to it instead: never two open incidents for one cause.
// Both writes carry a marker of this run, so one that may have happened is found, not repeated.
import type { IncidentText } from '../report/incident-text.ts';
import type { IncidentRef } from '../core/outcome.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { closeAsDuplicate, commentOnIssue, ensureLabel, openIssue } from '../github/incidents.ts';
import type { Log } from '../log.ts';
import type { RunContext } from '../run-context.ts';
import { forgetIncident, recordIncident } from '../github/incident-records.ts';
import { checkGate, type IncidentScope } from './gate.ts';

export function runMarker(ctx: Pick<RunContext, 'runId' | 'runAttempt'>): string {
  return `<!-- deploy-guard:run=${ctx.runId}-${ctx.runAttempt} -->`;
}

export async function openIncident(
  gh: GitHubClient,
  repo: Repo,
  scope: IncidentScope,
  text: IncidentText,
  log: Log,
  ctx: Pick<RunContext, 'runId' | 'runAttempt'>,
  /** The version the incident is about (its record points there when GitHub allows). */
  sha: string,
): Promise<IncidentRef> {
  const { label, environment } = scope;
  const marker = runMarker(ctx);
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
  if (open.length) {
    const mine = open.find((i) => i.body.includes(marker));
    if (mine) {
      await record(mine.number);
      return { number: mine.number, url: mine.htmlUrl };
    }
    const existing = open[0]!;
    await commentOnIssue(gh, repo, existing.number, `## ${text.title}\n\n${text.body}\n${marker}`, marker);
    await record(existing.number);
    log.warning(`Incident #${existing.number} was already open for ${environment}; added this to it: ${existing.htmlUrl}`);
    return { number: existing.number, url: existing.htmlUrl };
  }
  const incident = await openIssue(gh, repo, { title: text.title, body: `${text.body}\n${marker}`, label }, async () => {
    const mine = (await openNow()).find((i) => i.body.includes(marker));
    return mine ? { number: mine.number, url: mine.htmlUrl } : undefined;
  });
  await record(incident.number);
  // Two runs may both have found no incident and opened one each: the oldest stands, and a newer
  // one of ours is closed into it, so one cause never leaves two open incidents.
  const oldest = (await openNow())[0];
  if (oldest && oldest.number < incident.number) {
    await commentOnIssue(gh, repo, oldest.number, `## ${text.title}\n\n${text.body}\n${marker}`, marker);
    await closeAsDuplicate(gh, repo, incident.number, oldest.htmlUrl);
    await forgetIncident(gh, repo, scope, incident.number).catch(() => {}); // closed by deploy-guard itself: never blocks (core/incident-judgement.ts)
    log.warning(`Another run opened incident #${oldest.number} at the same time; added this to it: ${oldest.htmlUrl}`);
    return { number: oldest.number, url: oldest.htmlUrl };
  }
  log.error(`Opened incident #${incident.number}: ${incident.url}\n${text.title}`);
  return incident;
}
