// The parts the incident issue and the job summary share: the headline, the timeline, the checks
// that did not pass, the chart, the commits and the links. Each part bounds what it quotes.
import { formatDuration } from '../core/duration.ts';
import { healthChart, renderHealthChart } from './health-chart.ts';
import { codeBlock, codeSpan, escapeCell, tail } from './markdown.ts';
import { describeFailure, type Failure } from '../core/outcome.ts';
import type { CommitRange, Links } from './report-facts.ts';
import type { Timeline } from '../core/timeline.ts';
import { shortSha } from '../core/tag-names.ts';
import type { Round, Sample } from '../core/verdict.ts';

/** How long a quoted failure reason, detail, excerpt or commit title may be. */
const REASON_CHARS = 500;
const DETAIL_CHARS = 300;
const EXCERPT_CHARS = 300;
const NAME_CHARS = 100;
const TITLE_CHARS = 120;
const AUTHOR_CHARS = 60;
/** Checks named at most in a list of names. */
const NAMES_LISTED = 20;

/** `2026-11-23 14:03:07.250 UTC` */
export function formatUtc(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** `+0s`, `+250ms`, `+7.25s`, `+1m3s`: how long after `origin`. */
export function formatSince(ms: number, origin: number): string {
  const delta = ms - origin;
  if (delta === 0) return '+0s';
  return delta > 0 ? `+${formatDuration(delta)}` : `-${formatDuration(-delta)}`;
}

/** `+40.0s`: a health round's or sample's time since its window started (when the start is not known). */
export function formatOffset(ms: number): string {
  return `+${(ms / 1000).toFixed(1)}s`;
}

/** What is said after a reference to something that was cut to fit. */
export function cutNote(runUrl: string): string {
  return runUrl ? `… cut; see the run log: ${runUrl}` : '… cut; see the run log';
}

export function failureText(failure: Failure): string {
  return escapeCell(describeFailure(failure), REASON_CHARS);
}

/** `` `abc1234` ``, linked to the commit when the repository is known. */
export function commitLink(sha: string, repoUrl: string | undefined): string {
  return repoUrl ? `[\`${shortSha(sha)}\`](${repoUrl}/commit/${sha})` : `\`${shortSha(sha)}\``;
}

// ---- Headline ----

export type IncidentResult = 'rolled-back' | 'rollback-failed' | 'no-rollback-target';

export interface HeadlineFacts {
  environment: string;
  failedSha: string;
  deploymentId?: number;
  failure: Failure;
  rollback?: { sha: string; deploymentId?: number; failure?: Failure };
  repoUrl?: string;
}

export function incidentResult(h: Pick<HeadlineFacts, 'rollback'>): IncidentResult {
  if (!h.rollback) return 'no-rollback-target';
  return h.rollback.failure ? 'rollback-failed' : 'rolled-back';
}

/** The result in one bold sentence, then the environment and both versions: all a phone shows first. */
export function incidentHeadline(h: HeadlineFacts): string[] {
  const env = h.environment;
  const failed = commitLink(h.failedSha, h.repoUrl);
  const deployment = (id: number | undefined) => (id ? ` (deployment ${id})` : '');
  const target = h.rollback ? commitLink(h.rollback.sha, h.repoUrl) : '';
  let lead: string;
  let rolledBackTo: string;
  switch (incidentResult(h)) {
    case 'rolled-back':
      lead = `**Rolled back and healthy.** ${env} is serving the known-good version ${target} again.`;
      rolledBackTo = `${target}${deployment(h.rollback!.deploymentId)} — it deployed and stayed healthy for its health window`;
      break;
    case 'rollback-failed':
      lead = `**Rollback failed: ${env} needs a person now.** ${env} may be down or serving the failed version ${failed}.`;
      rolledBackTo = `${target}${deployment(h.rollback!.deploymentId)} — but the rollback failed: ${failureText(h.rollback!.failure!)}`;
      break;
    case 'no-rollback-target':
      lead = `**Nothing to roll back to: ${env} may be serving the failed version** ${failed}.`;
      rolledBackTo = `nothing: there is no known-good version of ${env} yet (no deploy has stayed healthy for a whole health window)`;
      break;
  }
  return [
    lead,
    '',
    `- **Environment:** ${env}`,
    `- **Failed version:** ${failed}${deployment(h.deploymentId)} — ${failureText(h.failure)}`,
    `- **Rolled back to:** ${rolledBackTo}`,
  ];
}

// ---- Timeline ----

export interface TimelineEvent {
  at: number | undefined;
  /** Markdown for one table cell. */
  what: string;
}

/** The events that happened, in a table of UTC times and offsets from `origin`. */
export function timelineTable(events: readonly TimelineEvent[], origin: number, originName: string): string[] {
  const present = events.filter((e): e is { at: number; what: string } => e.at !== undefined && Number.isFinite(e.at));
  if (!present.length) return [];
  return [
    `| Time (UTC) | Since ${originName} | Event |`,
    '| --- | --- | --- |',
    ...present.map((e) => `| ${formatUtc(e.at)} | ${formatSince(e.at, origin)} | ${e.what} |`),
  ];
}

/** A deploy's moments, from its start to its rollback's end; `failure` absent: it stayed healthy. */
export function deployEvents(
  t: Timeline,
  d: { sha: string; failure?: Failure; rollback?: { sha: string; failure?: Failure; timeline?: Timeline } },
): TimelineEvent[] {
  const r = d.rollback?.timeline;
  const commandFailed = d.failure?.kind === 'command-failed';
  const rollbackCommandFailed = d.rollback?.failure?.kind === 'command-failed';
  const verdict = d.failure ? `Verdict: ${failureText(d.failure)}` : 'Verdict: healthy for the whole health window';
  const deploy: TimelineEvent[] = t.stages
    ? stageEvents(t, d)
    : [
        { at: t.start, what: `Deploy of \`${shortSha(d.sha)}\` started` },
        { at: t.commandEnd, what: commandFailed ? `Deploy command failed: ${failureText(d.failure!)}` : 'Deploy command finished' },
        { at: t.windowStart, what: 'Health window started (round 1)' },
        { at: t.firstFailure, what: 'First failed health round' },
        // A failed command is its own verdict: one line for both.
        { at: commandFailed && t.verdict === t.commandEnd ? undefined : t.verdict, what: verdict },
      ];
  return [
    ...deploy,
    { at: r?.start, what: d.rollback ? `Rollback to \`${shortSha(d.rollback.sha)}\` started` : 'Rollback started' },
    { at: r?.commandEnd, what: rollbackCommandFailed ? `Rollback command failed: ${failureText(d.rollback!.failure!)}` : 'Rollback command finished' },
    { at: r?.windowStart, what: 'Rollback health window started' },
    {
      at: rollbackCommandFailed && r?.verdict === r?.commandEnd ? undefined : r?.verdict,
      what: d.rollback?.failure ? `**Rollback failed:** ${failureText(d.rollback.failure)}` : '**Rollback healthy:** it stayed healthy for its health window',
    },
  ];
}

/** A staged deploy's moments, stage by stage (the stages never reached have none). */
function stageEvents(t: Timeline, d: { sha: string; failure?: Failure }): TimelineEvent[] {
  const stages = t.stages ?? [];
  const events: TimelineEvent[] = [{ at: t.start, what: `Deploy of \`${shortSha(d.sha)}\` started, in ${stages.length} stages` }];
  stages.forEach((s, i) => {
    const name = `Stage ${i + 1}/${stages.length} ${codeSpan(s.name, NAME_CHARS)}`;
    // The row names the stage already.
    const failed = s.result === 'failed' && d.failure ? { ...d.failure, stage: undefined } : undefined;
    const commandFailed = failed?.kind === 'command-failed';
    events.push(
      { at: s.start, what: `${name} started` },
      { at: s.commandEnd, what: commandFailed ? `${name}: command failed: ${failureText(failed)}` : `${name}: command finished` },
      { at: s.windowStart, what: `${name}: health window of ${formatDuration(s.windowMs)} started` },
      { at: s.firstFailure, what: `${name}: first failed health round` },
      {
        at: commandFailed && s.verdict === s.commandEnd ? undefined : s.verdict,
        what: failed ? `${name}: **failed**: ${failureText(failed)}` : `${name}: **healthy** for its ${formatDuration(s.windowMs)} window`,
      },
    );
  });
  return events;
}

// ---- Checks ----

export interface CheckDetail {
  /** Epoch ms of round 0, for UTC times; without it, times are offsets from the window start. */
  windowStart?: number;
  /** Last samples shown per check; 0: the checks are only named. */
  samplesPerCheck: number;
  /** Characters of a command check's output quoted in a code block; 0: none. */
  outputChars: number;
  /** Checks given a table of their own; the rest are named. */
  checksShown: number;
  /** Markdown heading level of each check's heading. */
  headingLevel: number;
  runUrl: string;
  /** The detail was lowered to fit the size limit: say where something was left out. */
  budgeted: boolean;
}

interface CheckHistory {
  check: string;
  /** A warn-only check: its failures are in the Warnings section (warnings-text.ts), not here. */
  warnOnly: boolean;
  entries: Array<{ round: Round; sample: Sample }>;
  failed: number;
  inconclusive: number;
  firstFailed?: Round;
}

function checkHistories(rounds: readonly Round[]): CheckHistory[] {
  const byCheck = new Map<string, CheckHistory>();
  for (const round of rounds) {
    for (const sample of round.samples) {
      let history = byCheck.get(sample.check);
      if (!history) byCheck.set(sample.check, (history = { check: sample.check, warnOnly: Boolean(sample.warnOnly), entries: [], failed: 0, inconclusive: 0 }));
      history.entries.push({ round, sample });
      if (sample.outcome === 'fail') {
        history.failed += 1;
        history.firstFailed ??= round;
      }
      if (sample.outcome === 'inconclusive') history.inconclusive += 1;
    }
  }
  return [...byCheck.values()];
}

/**
 * Each check that did not pass every round: how often, and its last samples; then the rest by name.
 * A warn-only check that failed is left to the Warnings section.
 */
export function checkSections(rounds: readonly Round[], d: CheckDetail): string[] {
  const histories = checkHistories(rounds);
  const counted = histories.filter((h) => !h.warnOnly);
  const troubled = [...counted.filter((h) => h.failed > 0), ...counted.filter((h) => h.failed === 0 && h.inconclusive > 0)];
  const passing = histories.filter((h) => h.failed === 0 && h.inconclusive === 0);
  const lines: string[] = [];
  const detailed = d.samplesPerCheck > 0 ? troubled.slice(0, d.checksShown) : [];
  for (const history of detailed) lines.push('', ...checkSection(history, rounds.length, d));
  const named = troubled.slice(detailed.length);
  if (named.length) {
    lines.push('', detailed.length ? 'Also did not pass every round:' : 'Checks that did not pass every round:', '');
    lines.push(...named.slice(0, NAMES_LISTED).map((h) => `- ${codeSpan(h.check, NAME_CHARS)}: ${countText(h, rounds.length)}; last: ${escapeCell(lastProblem(h).detail, 150)}`));
    if (named.length > NAMES_LISTED) lines.push(`- and ${named.length - NAMES_LISTED} more`);
    if (d.budgeted) lines.push('', `Their samples ${cutNote(d.runUrl)}`);
  }
  if (passing.length) {
    const names = passing.slice(0, NAMES_LISTED).map((h) => codeSpan(h.check, NAME_CHARS));
    lines.push('', `Passed in every round: ${names.join(', ')}${passing.length > NAMES_LISTED ? ` and ${passing.length - NAMES_LISTED} more` : ''}.`);
  }
  return lines;
}

function countText(h: CheckHistory, roundCount: number): string {
  const parts: string[] = [];
  if (h.failed) parts.push(`failed in ${h.failed} of ${roundCount} rounds`);
  if (h.inconclusive) parts.push(`could not be measured in ${h.inconclusive}${h.failed ? '' : ` of ${roundCount} rounds`}`);
  return parts.join(', ');
}

function lastProblem(h: CheckHistory): Sample {
  return [...h.entries].reverse().find((e) => e.sample.outcome !== 'pass')!.sample;
}

function checkSection(h: CheckHistory, roundCount: number, d: CheckDetail): string[] {
  const time = (sample: Sample) => (d.windowStart !== undefined ? formatUtc(d.windowStart + sample.at) : formatOffset(sample.at));
  const shown = h.entries.slice(-d.samplesPerCheck);
  const first = h.firstFailed ? `; first failed in round ${h.firstFailed.index + 1}` : '';
  const lines = [
    `${'#'.repeat(d.headingLevel)} Check ${codeSpan(h.check, NAME_CHARS)}`,
    '',
    `${capitalize(countText(h, roundCount))}${first}. Its last ${shown.length === 1 ? 'sample' : `${shown.length} samples`} of ${h.entries.length}:`,
    '',
  ];
  const hasExcerpt = shown.some((e) => e.sample.excerpt);
  const hasOutput = shown.some((e) => e.sample.output);
  const evidenceHeader = hasExcerpt && hasOutput ? 'Body / output' : hasExcerpt ? 'Response body' : hasOutput ? 'Output' : undefined;
  lines.push(
    `| Round | Time${d.windowStart !== undefined ? ' (UTC)' : ''} | Outcome | Value | Latency | Detail |${evidenceHeader ? ` ${evidenceHeader} |` : ''}`,
    `| --- | --- | --- | --- | --- | --- |${evidenceHeader ? ' --- |' : ''}`,
    ...shown.map(({ round, sample }, i) => {
      const outcome = sample.outcome === 'fail' ? '**fail**' : sample.outcome;
      const cells = [
        String(round.index + 1),
        time(sample),
        outcome,
        escapeCell(sample.value ?? '', 40),
        `${sample.latencyMs}ms`,
        escapeCell(sample.detail, DETAIL_CHARS),
        ...(evidenceHeader ? [evidence(sample, shown[i - 1]?.sample)] : []),
      ];
      return `| ${cells.join(' | ')} |`;
    }),
  );
  if (d.budgeted && h.entries.length > shown.length) lines.push('', `Earlier samples ${cutNote(d.runUrl)}`);

  // The output of the last failing run, as a block: a table cell holds only one line of it.
  const withOutput = [...h.entries].reverse().find((e) => e.sample.outcome !== 'pass' && e.sample.output?.trim());
  if (withOutput && d.outputChars > 0) {
    const output = withOutput.sample.output!.replace(/\s+$/, '');
    lines.push('', `Output of round ${withOutput.round.index + 1}${output.length > d.outputChars ? ` (its end)` : ''}:`, '', ...codeBlock(tail(output, d.outputChars)));
    if (output.length > d.outputChars) lines.push('', `Output ${cutNote(d.runUrl)}`);
  } else if (withOutput && d.budgeted) {
    lines.push('', `Output ${cutNote(d.runUrl)}`);
  }
  return lines;
}

/** The body excerpt or the output's last line; "same as above" rather than the same text again. */
function evidence(sample: Sample, previous: Sample | undefined): string {
  if (sample.excerpt) return sample.excerpt === previous?.excerpt ? 'same as above' : codeSpan(sample.excerpt, EXCERPT_CHARS);
  const last = lastLine(sample.output);
  if (!last) return '';
  return last === lastLine(previous?.output) ? 'same as above' : codeSpan(tail(last, NAME_CHARS), NAME_CHARS);
}

function lastLine(output: string | undefined): string | undefined {
  return output?.trim().split('\n').pop()?.trim() || undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---- Chart ----

/** The chart of `rounds` (or, when charts are off, a line saying it was cut); nothing without rounds. */
export function chartSection(rounds: readonly Round[], title: string, d: { charts: boolean; runUrl: string }): string[] {
  if (!rounds.length) return [];
  if (!d.charts) return [`The health chart ${cutNote(d.runUrl)}`];
  return renderHealthChart(healthChart(rounds), title);
}

// ---- Commits ----

export interface CommitsFacts {
  commits?: CommitRange;
  failedSha: string;
  knownGoodSha: string;
  repoUrl: string;
}

export function commitsSection(c: CommitsFacts, d: { commitsShown: number; runUrl: string; budgeted: boolean }): string[] {
  const from = commitLink(c.knownGoodSha, c.repoUrl);
  const to = commitLink(c.failedSha, c.repoUrl);
  if (!c.commits) {
    return [
      `The list of commits from ${from} to ${to} could not be read. Compare them on GitHub: ${c.repoUrl}/compare/${c.knownGoodSha}...${c.failedSha}`,
    ];
  }
  const { total, compareUrl } = c.commits;
  if (total === 0) return [`There are no commits from ${from} to ${to}.`];
  const shown = c.commits.shown.slice(0, d.commitsShown);
  const lines = [
    `${total} commit${total === 1 ? '' : 's'} from the known-good ${from} to the failed ${to}${shown.length < total ? `, the first ${shown.length} shown` : ''}:`,
    '',
    ...shown.map((commit) => `- ${commitLink(commit.sha, c.repoUrl)} ${escapeCell(commit.title, TITLE_CHARS)} (${escapeCell(commit.author, AUTHOR_CHARS)})`),
  ];
  if (shown.length < total) lines.push('', `[All ${total} commits](${compareUrl})${d.budgeted && shown.length < c.commits.shown.length ? ` (the list here ${cutNote(d.runUrl)})` : ''}`);
  return lines;
}

// ---- Links ----

export interface LinkFacts {
  environment: string;
  failedSha: string;
  deploymentId: number;
  links: Links;
  rollback?: { sha: string; deploymentId?: number };
}

export function linksSection(l: LinkFacts): string[] {
  const { repoUrl, runUrl } = l.links;
  const deployments = `[deployments of ${l.environment}](${repoUrl}/deployments/${encodeURIComponent(l.environment)})`;
  const lines = [
    `- Run log: ${runUrl}`,
    `- Failed deployment: ${l.deploymentId}, in ${deployments}`,
    `- Failed version: ${commitLink(l.failedSha, repoUrl)} (${l.failedSha})`,
  ];
  if (l.rollback) {
    lines.push(
      `- Rollback deployment: ${l.rollback.deploymentId ?? 'none was created'}`,
      `- Known-good version: ${commitLink(l.rollback.sha, repoUrl)} (${l.rollback.sha})`,
    );
  }
  return lines;
}
