// Opens the incident for a failed deploy, or, if one is already open for the environment (a
// concurrent run got there first), adds to it instead: never two open incidents for one cause.
import type { IncidentText } from '../core/incident-text.ts';
import type { IncidentRef } from '../core/outcome.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { commentOnIssue, ensureLabel, openIssue } from '../github/incidents.ts';
import type { Log } from '../log.ts';
import { checkGate } from './gate.ts';

export async function openIncident(
  gh: GitHubClient,
  repo: Repo,
  label: string,
  environment: string,
  text: IncidentText,
  log: Log,
): Promise<IncidentRef> {
  await ensureLabel(gh, repo, label);
  const gate = await checkGate(gh, repo, label, environment);
  if (gate.kind === 'blocked') {
    const existing = gate.incidents[0]!;
    await commentOnIssue(gh, repo, existing.number, `## ${text.title}\n\n${text.body}`);
    log.warning(`Incident #${existing.number} was already open for ${environment}; added this failure to it: ${existing.htmlUrl}`);
    return { number: existing.number, url: existing.htmlUrl };
  }
  const incident = await openIssue(gh, repo, { title: text.title, body: text.body, label });
  log.error(`Opened incident #${incident.number}: ${incident.url}\n${text.title}`);
  return incident;
}
