// Opens the incident for a failed deploy, or, if one is already open for the environment (a
// concurrent run got there first), adds to it instead: never two open incidents for one cause.
// Both writes carry a marker of this run, so one that may have happened is found, not repeated.
import type { IncidentText } from '../core/incident-text.ts';
import type { IncidentRef } from '../core/outcome.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { closeAsDuplicate, commentOnIssue, ensureLabel, openIssue } from '../github/incidents.ts';
import type { Log } from '../log.ts';
import type { RunContext } from '../run-context.ts';
import { checkGate } from './gate.ts';

export function runMarker(ctx: Pick<RunContext, 'runId' | 'runAttempt'>): string {
  return `<!-- deploy-guard:run=${ctx.runId}-${ctx.runAttempt} -->`;
}

export async function openIncident(
  gh: GitHubClient,
  repo: Repo,
  label: string,
  environment: string,
  text: IncidentText,
  log: Log,
  ctx: Pick<RunContext, 'runId' | 'runAttempt'>,
): Promise<IncidentRef> {
  const marker = runMarker(ctx);
  await ensureLabel(gh, repo, label);
  const gate = await checkGate(gh, repo, label, environment);
  if (gate.kind === 'blocked') {
    const mine = gate.incidents.find((i) => i.body.includes(marker));
    if (mine) return { number: mine.number, url: mine.htmlUrl };
    const existing = gate.incidents[0]!;
    await commentOnIssue(gh, repo, existing.number, `## ${text.title}\n\n${text.body}\n${marker}`, marker);
    log.warning(`Incident #${existing.number} was already open for ${environment}; added this to it: ${existing.htmlUrl}`);
    return { number: existing.number, url: existing.htmlUrl };
  }
  const incident = await openIssue(gh, repo, { title: text.title, body: `${text.body}\n${marker}`, label }, async () => {
    const again = await checkGate(gh, repo, label, environment);
    const mine = again.kind === 'blocked' ? again.incidents.find((i) => i.body.includes(marker)) : undefined;
    return mine ? { number: mine.number, url: mine.htmlUrl } : undefined;
  });
  // Two runs may both have found no incident and opened one each: the oldest stands, and a newer
  // one of ours is closed into it, so one cause never leaves two open incidents.
  const after = await checkGate(gh, repo, label, environment);
  const oldest = after.kind === 'blocked' ? after.incidents[0] : undefined;
  if (oldest && oldest.number < incident.number) {
    await commentOnIssue(gh, repo, oldest.number, `## ${text.title}\n\n${text.body}\n${marker}`, marker);
    await closeAsDuplicate(gh, repo, incident.number, oldest.htmlUrl);
    log.warning(`Another run opened incident #${oldest.number} at the same time; added this to it: ${oldest.htmlUrl}`);
    return { number: oldest.number, url: oldest.htmlUrl };
  }
  log.error(`Opened incident #${incident.number}: ${incident.url}\n${text.title}`);
  return incident;
}
