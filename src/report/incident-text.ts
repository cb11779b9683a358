// The incident issue's title and body, written so that someone who reads only the issue (often on a
// phone) can tell what broke, when, what was done and what to do next, and closes with the
// postmortem the gate can ask for. The body always fits GitHub's limit on issue bodies.
import { incidentMarker } from '../core/gate-decision.ts';
import { cut, escapeCell } from './markdown.ts';
import type { Failure } from '../core/outcome.ts';
import type { IncidentFacts } from './report-facts.ts';
import {
  chartSection,
  checkSections,
  commitsSection,
  cutNote,
  deployEvents,
  failureText,
  formatUtc,
  incidentHeadline,
  incidentResult,
  linksSection,
  timelineTable,
  type TimelineEvent,
} from './report-sections.ts';
import { stagesTable } from './stage-sections.ts';
import { shortSha } from '../core/tag-names.ts';
import { warningsSection } from './warnings-text.ts';
import type { Round } from '../core/verdict.ts';
import type { Timeline } from '../core/timeline.ts';

import type { PendingIncident } from '../core/pending-incident.ts';
import type { RollbackJournal } from '../core/rollback-retry.ts';
import { hookAlarm, journalSection } from './rollback-journal-text.ts';
import { severityMarker, severityOf, type Severity } from '../core/severity.ts';

export type { IncidentFacts } from './report-facts.ts';
export { escapeCell } from './markdown.ts';

export interface IncidentText {
  title: string;
  body: string;
  /** Written into the body (core/severity.ts) and put on the issue as a label. */
  severity: Severity;
}

/** The repository deploy-guard ran for, named in an incident kept in another one (incident-repository). */
export interface IncidentOrigin {
  /** owner/name */
  repository: string;
  /** https://github.com/<owner>/<name> */
  url: string;
}

/** The severity as people see it, in the bullets under the headline; raised in place by withSeverity. */
function severityLine(severity: Severity): string {
  return `- **Severity:** ${severity}`;
}
const SEVERITY_LINE = /^- \*\*Severity:\*\* .*$/m;
const SEVERITY_MARKER = /<!-- deploy-guard:severity=\w+ -->/;

/** The severity, and the repository the incident is about when it is kept in another one. */
export function facetLines(severity: Severity, origin: IncidentOrigin | undefined): string[] {
  return [severityLine(severity), ...(origin ? [`- **Repository:** [${origin.repository}](${origin.url})`] : [])];
}

/** Titles name the repository when the incident is kept in another one, where several repositories' incidents meet. */
export function titled(title: string, origin: IncidentOrigin | undefined): string {
  return origin ? `${origin.repository}: ${title}` : title;
}

/**
 * The body of an open incident with its severity raised to `to` (the marker the gate reads, and
 * the line people read), when a more severe event was added to it as a comment.
 */
export function withSeverity(body: string, from: Severity, to: Severity): string {
  const marked = SEVERITY_MARKER.test(body) ? body.replace(SEVERITY_MARKER, severityMarker(to)) : `${severityMarker(to)}\n${body}`;
  const line = `${severityLine(to)} (raised from ${from} by a later event; see the comments)`;
  return SEVERITY_LINE.test(marked) ? marked.replace(SEVERITY_LINE, line) : marked.replace(severityMarker(to), `${severityMarker(to)}\n${line}\n`);
}

/** The label of each severity: red for the urgent ones, down to green. */
export function severityLabelLook(severity: Severity): { color: string; description: string } {
  const color = { critical: 'b60205', high: 'd93f0b', medium: 'fbca04', low: '0e8a16' }[severity];
  return { color, description: `deploy-guard: a ${severity} severity incident` };
}

/** GitHub refuses issue bodies over 65,536 characters; this leaves a margin. */
export const MAX_BODY_CHARS = 65_000;

/** The postmortem's sections, with the anchors GitHub gives their headings. */
export const POSTMORTEM_SECTIONS = [
  { name: 'Impact', anchor: '#impact', prompt: 'What broke, for whom, for how long?' },
  { name: 'Root cause', anchor: '#root-cause', prompt: 'Why did it break, and why did nothing catch it before the deploy?' },
  { name: 'Corrective actions', anchor: '#corrective-actions', prompt: 'What will keep it from happening again? Link the issues or pull requests.' },
] as const;
export type PostmortemSection = (typeof POSTMORTEM_SECTIONS)[number]['name'];
/** The sections that must be written before a closed incident unblocks (with require-postmortem). */
export const REQUIRED_POSTMORTEM_SECTIONS = ['Root cause', 'Corrective actions'] as const satisfies readonly PostmortemSection[];

/** `#root-cause` for "Root cause": where a link to the section in the issue goes. */
export function postmortemAnchor(section: PostmortemSection): string {
  return POSTMORTEM_SECTIONS.find((s) => s.name === section)!.anchor;
}

/** How much is shown; lowered step by step until the body fits. */
interface Detail {
  charts: boolean;
  samplesPerCheck: number;
  outputChars: number;
  checksShown: number;
  commitsShown: number;
}

const DETAIL_LEVELS: readonly Detail[] = [
  { charts: true, samplesPerCheck: 5, outputChars: 1_500, checksShown: 10, commitsShown: 20 },
  { charts: false, samplesPerCheck: 5, outputChars: 1_500, checksShown: 10, commitsShown: 20 },
  { charts: false, samplesPerCheck: 3, outputChars: 500, checksShown: 10, commitsShown: 20 },
  { charts: false, samplesPerCheck: 1, outputChars: 200, checksShown: 5, commitsShown: 10 },
  // No code blocks or tables of samples: small whatever the facts, and safe to cut anywhere.
  { charts: false, samplesPerCheck: 0, outputChars: 0, checksShown: 0, commitsShown: 0 },
];

/** `origin`: set when the incident is kept in another repository (incident-repository). */
export function incidentText(facts: IncidentFacts, origin?: IncidentOrigin): IncidentText {
  const env = facts.environment;
  const failed = shortSha(facts.failedSha);
  const title = !facts.rollback
    ? `Deploy of ${failed} to ${env} failed and there is no known-good version to roll back to`
    : facts.rollback.failure
      ? `Deploy of ${failed} to ${env} failed and the rollback to ${shortSha(facts.rollback.sha)} failed too`
      : `Deploy of ${failed} to ${env} failed; rolled back to ${shortSha(facts.rollback.sha)}`;
  const severity = severityOf({ kind: incidentResult(facts) });
  return {
    title: titled(title, origin),
    body: fitted((detail, budgeted) => incidentBody(facts, detail, budgeted, severity, origin), facts.links.runUrl, postmortem(env)),
    severity,
  };
}

function incidentBody(facts: IncidentFacts, detail: Detail, budgeted: boolean, severity: Severity, origin: IncidentOrigin | undefined): string {
  const env = facts.environment;
  const { repoUrl, runUrl } = facts.links;
  const t = facts.timeline;
  const rollback = facts.rollback;
  const sectionDetail = { ...detail, runUrl, budgeted, headingLevel: 3 };
  const lines: string[] = [
    incidentMarker(env),
    severityMarker(severity),
    ...incidentHeadline({ ...facts, repoUrl }),
    ...facetLines(severity, origin),
    ...alarmLines(rollback?.journal),
    '',
    '## What to do next',
    '',
    ...nextSteps(facts),
  ];

  const timeline = timelineTable(deployEvents(t, { sha: facts.failedSha, failure: facts.failure, ...(rollback ? { rollback } : {}) }), t.start, 'deploy start');
  if (timeline.length) lines.push('', '## Timeline', '', ...timeline);
  if (t.stages) lines.push('', '## Stages', '', ...stagesTable(t.stages, facts.failure));

  lines.push('', '## What failed', '', `Deploying \`${facts.failedSha}\` to **${env}** (deployment ${facts.deploymentId}) failed: ${failureText(facts.failure)}.`);
  lines.push(...failureDetail(facts.failure, 'deploy', t.windowStart, sectionDetail));
  const rounds = failureRounds(facts.failure);
  if (rounds.length) {
    lines.push('', '### Health chart', '', ...chartSection(rounds, `Health of ${shortSha(facts.failedSha)} on ${env}`, sectionDetail));
  }
  if (facts.warnings?.length) lines.push('', ...warningsSection(facts.warnings, 3));

  if (rollback) {
    lines.push('', '## Rollback', '');
    const deployment = rollback.deploymentId ? ` (deployment ${rollback.deploymentId})` : '';
    if (!rollback.failure) {
      lines.push(`Rolled back to the known-good version \`${rollback.sha}\`${deployment}; it deployed and stayed healthy for its health window.`);
    } else {
      lines.push(
        `Tried to roll back to the known-good version \`${rollback.sha}\`${deployment}, but the rollback failed: ${failureText(rollback.failure)}. **${env} needs a person now.**`,
        ...failureDetail(rollback.failure, 'rollback', rollback.timeline?.windowStart, sectionDetail),
      );
    }
    lines.push(...journalSection(rollback.journal, 3));
    const rollbackRounds = rollback.rounds ?? (rollback.failure ? failureRounds(rollback.failure) : []);
    if (rollbackRounds.length) {
      lines.push('', '### Health chart of the rollback', '', ...chartSection(rollbackRounds, `Health of the rollback to ${shortSha(rollback.sha)}`, sectionDetail));
    }

    lines.push('', '## Commits since the known-good version', '');
    lines.push(...commitsSection({ commits: facts.commits, failedSha: facts.failedSha, knownGoodSha: rollback.sha, repoUrl }, { ...detail, runUrl, budgeted }));
  }

  lines.push('', '## Links', '', ...linksSection(facts));
  return lines.join('\n');
}

function nextSteps(facts: IncidentFacts): string[] {
  const env = facts.environment;
  const failed = `\`${shortSha(facts.failedSha)}\``;
  const unblock = `Close this issue: deploy-guard refuses deploys to **${env}** while it is open, and closing it unblocks deploys to ${env}.`;
  const postmortem = `Write the [postmortem](#postmortem) at the end of this issue (edit the description).`;
  switch (incidentResult(facts)) {
    case 'rolled-back':
      return [
        `1. Nothing is urgent: ${env} is serving the known-good version again.`,
        `2. Find why ${failed} failed: the failing checks, the timeline and the commits below, and the run log.`,
        `3. ${postmortem}`,
        `4. ${unblock}`,
      ];
    case 'rollback-failed':
      return [
        `1. **Now:** check what ${env} is serving. Put a working version back by hand (deploy-guard's rollback mode, or your runbook).`,
        `2. Find why both the deploy of ${failed} and the rollback failed: see below and the run log.`,
        `3. ${postmortem}`,
        `4. ${unblock}`,
      ];
    case 'no-rollback-target':
      return [
        `1. **Now:** check what ${env} is serving; it may be the failed version ${failed}.`,
        `2. To deploy a fix, close this issue first: deploy-guard refuses deploys to **${env}** while it is open, and closing it unblocks deploys to ${env}.`,
        `3. ${postmortem}`,
      ];
  }
}

function failureRounds(failure: Failure): Round[] {
  return failure.kind === 'unhealthy' ? failure.rounds : [];
}

/** Below the sentence naming the failure: the checks, or what a failed command means. */
function failureDetail(failure: Failure, step: 'deploy' | 'rollback', windowStart: number | undefined, d: Parameters<typeof checkSections>[1]): string[] {
  switch (failure.kind) {
    case 'unhealthy':
      return failure.rounds.length ? checkSections(failure.rounds, { ...d, windowStart }) : [];
    case 'command-failed': {
      const how = failure.timedOut
        ? `did not finish within its ${Math.round(failure.timeoutMs / 1000)}s timeout and was killed`
        : failure.signal
          ? `was killed by ${failure.signal}`
          : `exited with code ${failure.exitCode}`;
      return ['', `The ${step} command ${how}, so no health check ran. Its output is in the run log: ${d.runUrl}`];
    }
    case 'error':
      return ['', `deploy-guard could not carry this step out. The run log has the details: ${d.runUrl}`];
  }
}

// ---- Postmortem ----

export function postmortem(env: string): string[] {
  return [
    '## Postmortem',
    ...POSTMORTEM_SECTIONS.flatMap((s) => ['', `### ${s.name}`, '', `<!-- ${s.prompt} -->`]),
    '',
    '---',
    '',
    `Close this issue to unblock deploys to ${env}.`,
  ];
}

/**
 * The required postmortem sections that are missing or empty. Empty: nothing but whitespace and
 * HTML comments (the template's prompts) before the next heading or horizontal rule. The last
 * heading of a name counts, since the postmortem ends the body.
 */
export function postmortemGaps(body: string): PostmortemSection[] {
  const blocks = sectionsByHeading(body);
  return REQUIRED_POSTMORTEM_SECTIONS.filter((name) => {
    const content = blocks.filter((b) => normalize(b.heading) === normalize(name)).pop()?.content;
    return content === undefined || !stripComments(content).trim();
  });
}

function normalize(heading: string): string {
  return heading.replace(/[*_`:]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

function stripComments(text: string): string {
  // An unclosed comment hides the rest of the body on GitHub, so it counts as a comment too.
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
}

const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;

/** The body's headings, each with the text up to the next heading or horizontal rule. */
function sectionsByHeading(body: string): Array<{ heading: string; content: string }> {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const sections: Array<{ heading: string; content: string[] }> = [];
  let current: { heading: string; content: string[] } | undefined;
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence) {
      if (line.trim().startsWith(fence)) fence = undefined;
      current?.content.push(line);
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      fence = opening[1]!;
      current?.content.push(line);
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    const next = lines[i + 1];
    const setext = line.trim() !== '' && next !== undefined && SETEXT_UNDERLINE.test(next) && !THEMATIC_BREAK.test(line);
    if (atx || setext) {
      current = { heading: atx ? (atx[1] ?? '') : line.trim(), content: [] };
      sections.push(current);
      if (setext) i += 1;
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      current = undefined;
      continue;
    }
    current?.content.push(line);
  }
  return sections.map((s) => ({ heading: s.heading, content: s.content.join('\n') }));
}

// ---- Size ----

/**
 * The body at the most detail that fits MAX_BODY_CHARS. The postmortem footer is always kept
 * whole; a body too long even at the least detail is cut before it, where no code block is open.
 */
function fitted(render: (detail: Detail, budgeted: boolean) => string, runUrl: string, footer: string[]): string {
  const end = `\n\n${footer.join('\n')}`;
  let body = '';
  for (const [i, detail] of DETAIL_LEVELS.entries()) {
    body = render(detail, i > 0);
    if (body.length + end.length <= MAX_BODY_CHARS) return body + end;
  }
  const note = `\n\n${cutNote(runUrl)}`;
  return cut(body, MAX_BODY_CHARS - end.length - note.length) + note + end;
}

// ---- Manual rollback ----

export interface ManualRollbackFacts {
  environment: string;
  sha: string;
  deploymentId: number;
  actor: string;
  reason: string;
  runUrl: string;
  /** Absent when the rollback deployed and stayed healthy. */
  failure?: Failure;
  /** https://github.com/<owner>/<repo>, for links to the commit and the deployments. */
  repoUrl?: string;
  /** Epoch ms of the rollback's moments (`verdict`: when the health window ended it). */
  timeline?: Timeline;
  /** The rollback's health rounds. */
  rounds?: Round[];
  /** Deployments the actor took the environment over from (take-over: true); each was marked error. */
  takenOver?: Array<{ id: number; sha: string }>;
  /** The severity the person chose (input `severity`); critical anyway if the rollback failed. */
  severity?: Severity;
  /** Set when the incident is kept in another repository (incident-repository). */
  origin?: IncidentOrigin;
  /** The rollback's attempts and maintenance hooks. */
  journal?: RollbackJournal;
}

/** The record of a rollback a person asked for. */
export function manualRollbackText(facts: ManualRollbackFacts): IncidentText {
  const env = facts.environment;
  const target = shortSha(facts.sha);
  const title = facts.failure
    ? `Manual rollback of ${env} to ${target} by @${facts.actor} failed`
    : `Manual rollback of ${env} to ${target} by @${facts.actor}`;
  const severity = severityOf({ kind: 'manual-rollback', chosen: facts.severity, failed: facts.failure !== undefined });
  return {
    title: titled(title, facts.origin),
    body: fitted((detail, budgeted) => manualRollbackBody(facts, detail, budgeted, severity), facts.runUrl, postmortem(env)),
    severity,
  };
}

function manualRollbackBody(facts: ManualRollbackFacts, detail: Detail, budgeted: boolean, severity: Severity): string {
  const env = facts.environment;
  const version = facts.repoUrl ? `[\`${facts.sha}\`](${facts.repoUrl}/commit/${facts.sha})` : `\`${facts.sha}\``;
  const sectionDetail = { ...detail, runUrl: facts.runUrl, budgeted, headingLevel: 3 };
  const t = facts.timeline;
  const lines = [
    incidentMarker(env),
    severityMarker(severity),
    facts.failure ? `**Manual rollback failed: ${env} needs a person now.**` : `**Manual rollback: healthy.**`,
    '',
    ...facetLines(severity, facts.origin),
    ...alarmLines(facts.journal),
    '',
    `@${facts.actor} rolled **${env}** back to ${version} (deployment ${facts.deploymentId}).`,
    '',
    // One line of plain text: a reason cannot add headings, hide the postmortem in a comment or notify anyone.
    `Reason: ${escapeCell(facts.reason, 1_000)}`,
    '',
    ...takeOverLines(facts),
    facts.failure
      ? `The rollback failed: ${failureText(facts.failure)}. **${env} needs a person now.**`
      : `It deployed and stayed healthy for its health window; it is now the known-good version.`,
  ];
  if (t) {
    const events: TimelineEvent[] = [
      { at: t.start, what: `Rollback to \`${shortSha(facts.sha)}\` started` },
      { at: t.commandEnd, what: 'Rollback command finished' },
      { at: t.windowStart, what: 'Health window started (round 1)' },
      { at: t.firstFailure, what: 'First failed health round' },
      { at: t.verdict, what: facts.failure ? `**Failed:** ${failureText(facts.failure)}` : '**Healthy** for its whole health window' },
    ];
    lines.push('', '## Timeline', '', ...timelineTable(events, t.start, 'rollback start'));
  }
  if (facts.failure) lines.push('', '## What failed', ...failureDetail(facts.failure, 'rollback', t?.windowStart, sectionDetail));
  lines.push(...journalSection(facts.journal, 2));
  const rounds = facts.rounds ?? (facts.failure ? failureRounds(facts.failure) : []);
  if (rounds.length) lines.push('', '## Health chart', '', ...chartSection(rounds, `Health of ${shortSha(facts.sha)} on ${env}`, sectionDetail));
  lines.push('', '## Links', '', `- Run log: ${facts.runUrl}`);
  if (facts.repoUrl) lines.push(`- Deployment: ${facts.deploymentId}, in [deployments of ${env}](${facts.repoUrl}/deployments/${encodeURIComponent(env)})`);
  return lines.join('\n');
}

/** Under the headline: each maintenance hook that failed or did not run. */
function alarmLines(journal: RollbackJournal | undefined): string[] {
  const alarm = hookAlarm(journal);
  return alarm.length ? ['', ...alarm] : [];
}

/** A rollback that took the environment over says from which deployments, which it ended. */
function takeOverLines(facts: ManualRollbackFacts): string[] {
  const taken = facts.takenOver ?? [];
  if (!taken.length) return [];
  const list = taken.map((d) => `deployment ${d.id} of \`${shortSha(d.sha)}\``).join(', ');
  return [
    `**Took the environment over** (take-over: true) from ${list}, still in progress (its run stopped or its runner was lost), ` +
      `and marked ${taken.length === 1 ? 'it' : 'them'} \`error\` with who took over and why.`,
    '',
  ];
}

// ---- A run stopped before it opened its incident ----

/**
 * Opened by the post step of a run whose deploy failed and which ended before its incident was
 * open (killed, usually during the rollback), from what the run saved: while the rollback's outcome
 * is unknown, a person must look now.
 */
export function stoppedRunIncidentText(
  p: PendingIncident,
  links: { runUrl: string; repoUrl: string; openDeploymentIds: readonly number[]; origin?: IncidentOrigin | undefined },
): IncidentText {
  const env = p.environment;
  const failed = shortSha(p.failedSha);
  const good = p.knownGoodSha ? shortSha(p.knownGoodSha) : '';
  const unknown = p.knownGoodSha !== undefined && p.rollbackResult === undefined;
  const title = !p.knownGoodSha
    ? `Deploy of ${failed} to ${env} failed and there is no known-good version to roll back to`
    : unknown
      ? `Deploy of ${failed} to ${env} failed, and the run was killed during the rollback to ${good}: outcome unknown`
      : p.rollbackResult === 'failed'
        ? `Deploy of ${failed} to ${env} failed and the rollback to ${good} failed too`
        : `Deploy of ${failed} to ${env} failed; rolled back to ${good}`;
  const rollbackIds = links.openDeploymentIds.filter((id) => id !== p.failedDeploymentId);
  const rollbackDeployment = rollbackIds.length ? ` (deployment ${rollbackIds.join(', ')})` : '';
  const urgent = unknown || p.rollbackResult === 'failed' || !p.knownGoodSha;
  const severity = severityOf({ kind: 'stopped', rollbackResult: p.rollbackResult });
  const lines = [
    incidentMarker(env),
    severityMarker(severity),
    unknown
      ? `**The deploy-guard run was killed during the rollback: what ${env} is serving now is unknown. ${env} needs a person now.**`
      : `**The deploy-guard run ended before it opened this incident; its post step opened it.**`,
    '',
    ...facetLines(severity, links.origin),
    '',
    `Deploying \`${p.failedSha}\` to **${env}** (deployment ${p.failedDeploymentId}) failed at ${formatUtc(p.failedAt)}: ${escapeCell(p.failure, 500)}.`,
    '',
    !p.knownGoodSha
      ? `There was no known-good version to roll back to. **${env} may be serving the failed version ${failed}.**`
      : unknown
        ? `deploy-guard started rolling back to the known-good version \`${p.knownGoodSha}\`${rollbackDeployment}, and its step was killed before the rollback ` +
          `finished, so whether the rollback took effect is unknown. This incident was opened by the step's post step.`
        : p.rollbackResult === 'failed'
          ? `The rollback to the known-good version \`${p.knownGoodSha}\` failed. **${env} needs a person now.**`
          : `It was rolled back to the known-good version \`${p.knownGoodSha}\`, which stayed healthy for its health window.`,
    '',
    '## What to do next',
    '',
    urgent
      ? `1. **Now:** check what ${env} is serving. Put a working version back by hand (deploy-guard's rollback mode, or your runbook).`
      : `1. Nothing is urgent: ${env} is serving the known-good version again.`,
    `2. Find why \`${failed}\` failed, and why the run ended before it opened this incident (killed, cancelled, or GitHub refused the incident): see the run log.`,
    `3. Write the [postmortem](#postmortem) at the end of this issue (edit the description).`,
    `4. Close this issue: deploy-guard refuses deploys to **${env}** while it is open, and closing it unblocks deploys to ${env}.`,
    '',
    '## Links',
    '',
    `- Run log: ${links.runUrl}`,
    `- Deployments: ${[p.failedDeploymentId, ...rollbackIds].join(', ')}, in [deployments of ${env}](${links.repoUrl}/deployments/${encodeURIComponent(env)})`,
  ];
  return { title: titled(title, links.origin), body: fitted(() => lines.join('\n'), links.runUrl, postmortem(env)), severity };
}
