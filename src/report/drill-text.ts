// What a rollback drill reports: the incident a failed drill opens, and the drill's section of the
// job summary. A drill puts the previous proven version out with the rollback command (the back
// leg), then known-good again with the deploy command (the forward leg); see modes/drill.ts.
import { incidentMarker } from '../core/gate-decision.ts';
import type { DrillLegResult, Failure } from '../core/outcome.ts';
import { severityMarker, severityOf } from '../core/severity.ts';
import { shortSha } from '../core/tag-names.ts';
import { cut } from './markdown.ts';
import { facetLines, MAX_BODY_CHARS, postmortem, titled, type IncidentOrigin, type IncidentText } from './incident-text.ts';
import { chartSection, commitLink, cutNote, failureText } from './report-sections.ts';

export interface DrillFacts {
  environment: string;
  knownGoodSha: string;
  back: DrillLegResult;
  /** Absent when the run could not start the forward leg. */
  forward?: DrillLegResult | undefined;
  /** Who started the run (a schedule: whoever last changed the workflow's cron). */
  actor: string;
  runUrl: string;
  /** https://github.com/<owner>/<repo>, for links to the commits and the deployments. */
  repoUrl: string | undefined;
  origin?: IncidentOrigin | undefined;
}

const LEG_NAMES = { back: 'Back (rollback command)', forward: 'Forward (deploy command)' } as const;

/** One row per leg: the version, the deployment, how it ended. */
function legsTable(f: Pick<DrillFacts, 'back' | 'forward' | 'knownGoodSha' | 'repoUrl'>): string[] {
  const row = (leg: DrillLegResult | undefined, name: keyof typeof LEG_NAMES, sha: string) =>
    `| ${LEG_NAMES[name]} | ${commitLink(sha, f.repoUrl)} | ${leg ? leg.deploymentId : '–'} | ${!leg ? 'did not run' : leg.failure ? `**failed:** ${failureText(leg.failure)}` : 'healthy for its whole window'} |`;
  return ['| Leg | Version | Deployment | Result |', '| --- | --- | --- | --- |', row(f.back, 'back', f.back.sha), row(f.forward, 'forward', f.knownGoodSha)];
}

/** The incident of a failed drill: the rollback path is broken (back leg), or known-good may not run (forward leg). */
export function drillIncidentText(f: DrillFacts): IncidentText {
  const env = f.environment;
  const forwardFailed = !f.forward || f.forward.failure !== undefined;
  const severity = severityOf({ kind: 'drill', forwardFailed });
  const title = forwardFailed
    ? `Rollback drill of ${env}: rolling forward to known-good ${shortSha(f.knownGoodSha)} failed; ${env} may be on ${shortSha(f.back.sha)}`
    : `Rollback drill of ${env} failed: the rollback to ${shortSha(f.back.sha)} failed, so the rollback path is broken`;
  const failed = [f.back, f.forward].filter((leg): leg is DrillLegResult & { failure: Failure } => leg?.failure !== undefined);
  const lines = [
    incidentMarker(env),
    severityMarker(severity),
    forwardFailed
      ? `**Rollback drill: the roll forward to known-good failed. ${env} may be serving the older version ${shortSha(f.back.sha)}; it needs a person now.**`
      : `**Rollback drill: the back leg failed: the rollback path of ${env} is broken.** ${env} is on known-good again.`,
    '',
    ...facetLines(severity, f.origin),
    '',
    `A drill (started by @${f.actor}) rolled **${env}** back to the previous proven version with the rollback command and watched it, ` +
      `then rolled forward to known-good with the deploy command and watched it again. Known-good was not moved.`,
    '',
    ...legsTable(f),
    '',
    '## What failed',
    '',
    ...failed.map((leg) => `- ${LEG_NAMES[leg.leg]}: ${failureText(leg.failure)}`),
    ...(f.forward ? [] : [`- ${LEG_NAMES.forward}: did not run`]),
    '',
    '## What to do next',
    '',
    forwardFailed
      ? `1. **Now:** check what ${env} is serving. Put known-good \`${f.knownGoodSha}\` back (mode: rollback with an empty rollback-to, or your runbook).`
      : `1. Nothing is urgent: ${env} serves known-good again. But a real rollback would fail the same way: fix the rollback command, or what keeps \`${shortSha(f.back.sha)}\` from running (the run log has the command's output).`,
    `2. Run the drill again once it is fixed, to see it pass.`,
    `3. Write the [postmortem](#postmortem) at the end of this issue (edit the description).`,
    `4. Close this issue: deploy-guard refuses deploys to **${env}** while it is open, and closing it unblocks deploys to ${env}.`,
  ];
  for (const leg of failed) {
    lines.push('', ...chartSection(leg.rounds, `Health of ${shortSha(leg.sha)} on ${env} (${leg.leg} leg)`, { charts: true, runUrl: f.runUrl }));
  }
  lines.push('', '## Links', '', `- Run log: ${f.runUrl}`, ...(f.repoUrl ? [`- Deployments of ${env}: ${f.repoUrl}/deployments/${encodeURIComponent(env)}`] : []));
  const footer = `\n\n${postmortem(env).join('\n')}`;
  let body = lines.join('\n');
  if (body.length + footer.length > MAX_BODY_CHARS) body = `${cut(body, MAX_BODY_CHARS - footer.length - 200)}\n\n${cutNote(f.runUrl)}`;
  return { title: titled(title, f.origin), body: body + footer, severity };
}

/** The drill's section of the job summary: the legs and each leg's health chart. */
export function drillSummaryLines(f: Omit<DrillFacts, 'actor' | 'origin'>): string[] {
  const lines = ['### Rollback drill', '', ...legsTable(f), '', `Known-good \`${shortSha(f.knownGoodSha)}\` was not moved.`];
  for (const leg of [f.back, f.forward]) {
    if (leg?.rounds.length) lines.push('', ...chartSection(leg.rounds, `Health of ${shortSha(leg.sha)} on ${f.environment} (${leg.leg} leg)`, { charts: true, runUrl: f.runUrl }));
  }
  return lines;
}
