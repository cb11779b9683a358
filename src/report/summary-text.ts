// The step summary: the result (for a deploy, the same headline as its incident), then the facts a
// reviewer looks for: the timeline, the last health rounds, the checks that did not pass, the chart.
import { formatDuration } from '../core/duration.ts';
import { codeBlock, codeSpan, escapeCell } from './markdown.ts';
import { describeFailure, drillPassed, type Failure, type Outcome } from '../core/outcome.ts';
import { drillSummaryLines } from './drill-text.ts';
import type { IncidentFacts } from './report-facts.ts';
import { chartSection, checkSections, deployEvents, formatOffset, formatUtc, incidentHeadline, timelineTable } from './report-sections.ts';
import { stagesTable } from './stage-sections.ts';
import type { StageMoments } from '../core/timeline.ts';
import type { StatusReport } from '../core/status-report.ts';
import { deliveryLines } from './delivery-text.ts';
import { shortSha } from '../core/tag-names.ts';
import type { Round } from '../core/verdict.ts';
import type { CheckWarning } from '../core/warnings.ts';
import { warningsSection } from './warnings-text.ts';
import { hookAlarm, journalSection } from './rollback-journal-text.ts';

/** Rounds in the summary's table of the last rounds, and checks given a column in it. */
const ROUNDS_SHOWN = 10;
const CHECK_COLUMNS = 6;

/**
 * `facts`: what the run knows beyond the outcome (the timeline, the links, the rollback's rounds);
 * without it, times are offsets from the window start and there is no timeline.
 */
export function summaryMarkdown(outcome: Outcome, environment: string, facts?: Partial<IncidentFacts>, warnings: readonly CheckWarning[] = []): string {
  const lines = [`## deploy-guard: ${outcome.kind}`, '', ...lead(outcome, environment, facts)];
  if (outcome.kind === 'status') lines.push('', ...statusLines(outcome.report));
  const journal = 'journal' in outcome ? outcome.journal : undefined;
  const alarm = hookAlarm(journal);
  if (alarm.length) lines.push('', ...alarm);
  if ('incident' in outcome && outcome.incident) lines.push('', `Incident: [#${outcome.incident.number}](${outcome.incident.url})`);
  if (outcome.kind === 'drill') lines.push('', ...drillSummaryLines({ ...outcome, environment, runUrl: facts?.links?.runUrl ?? '', repoUrl: facts?.links?.repoUrl }));
  if (outcome.kind === 'deployed' && outcome.override) {
    const o = outcome.override;
    lines.push('', `Deployed through a ${o.over === 'freeze' ? 'freeze' : 'closed deploy window'}: overridden by @${o.actor}. Reason: ${escapeCell(o.reason, REASON_CHARS)}`);
  }
  if (outcome.kind === 'blocked') {
    lines.push('', ...outcome.incidents.map((i) => `- Blocked by [#${i.number}](${i.url}): close it to unblock deploys to ${environment}.`));
  }
  if (warnings.length) lines.push('', ...warningsSection(warnings, 3));
  const timeline = facts?.timeline;
  if (timeline && isDeploy(outcome)) {
    const rolledBack = facts?.rollback?.timeline;
    const rollback =
      'knownGoodSha' in outcome
        ? { sha: outcome.knownGoodSha, ...(outcome.rollbackFailure ? { failure: outcome.rollbackFailure } : {}), ...(rolledBack ? { timeline: rolledBack } : {}) }
        : undefined;
    const failure = 'failure' in outcome ? outcome.failure : undefined;
    const table = timelineTable(deployEvents(timeline, { sha: outcome.sha, ...(failure ? { failure } : {}), ...(rollback ? { rollback } : {}) }), timeline.start, 'deploy start');
    if (table.length) lines.push('', '### Timeline', '', ...table);
  }
  const stages = (outcome.kind === 'deployed' ? outcome.stages : undefined) ?? (isDeploy(outcome) ? timeline?.stages : undefined);
  if (stages) lines.push('', '### Stages', '', ...stagesTable(stages, 'failure' in outcome ? outcome.failure : undefined));

  const failure = 'failure' in outcome ? outcome.failure : undefined;
  const rounds = outcome.kind === 'deployed' || outcome.kind === 'mark-known-good' ? outcome.rounds : failure?.kind === 'unhealthy' ? failure.rounds : [];
  const windowStart = timeline?.windowStart;
  const runUrl = facts?.links?.runUrl ?? '';
  if (rounds.length) {
    lines.push('', `### Last health rounds${stages ? ` of the last stage that ran (${lastStageRun(stages)})` : ''}`, '', ...lastRoundsTable(rounds, windowStart));
    if (failure) {
      lines.push(...checkSections(rounds, { windowStart, samplesPerCheck: 5, outputChars: 1_500, checksShown: 10, headingLevel: 4, runUrl, budgeted: false }));
    }
    lines.push('', '### Health chart', '', ...chartSection(rounds, `Health of ${shortSha(sha(outcome))} on ${environment}`, { charts: true, runUrl }));
  }
  lines.push(...journalSection(journal, 3));
  const rollbackRounds = facts?.rollback?.rounds ?? [];
  if (rollbackRounds.length && 'knownGoodSha' in outcome) {
    lines.push('', '### Health chart of the rollback', '', ...chartSection(rollbackRounds, `Health of the rollback to ${shortSha(outcome.knownGoodSha)}`, { charts: true, runUrl }));
  }
  return lines.join('\n') + '\n';
}

type DeployOutcome = Extract<Outcome, { kind: 'deployed' | 'unhealthy' | 'rolled-back' | 'rollback-failed' | 'no-rollback-target' }>;

function isDeploy(outcome: Outcome): outcome is DeployOutcome {
  return ['deployed', 'unhealthy', 'rolled-back', 'rollback-failed', 'no-rollback-target'].includes(outcome.kind);
}

/** `2/3 canary`: a staged deploy's rounds are those of its last stage that ran. */
function lastStageRun(stages: readonly StageMoments[]): string {
  const index = stages.findLastIndex((st) => st.result !== 'not-reached');
  return `${index + 1}/${stages.length} ${codeSpan(stages[index]?.name ?? '', 60)}`;
}

function sha(outcome: Outcome): string {
  return 'sha' in outcome ? outcome.sha : '';
}

/** For the outcomes that open an incident, the incident's own headline; a sentence for the rest. */
function lead(outcome: Outcome, env: string, facts: Partial<IncidentFacts> | undefined): string[] {
  const repoUrl = facts?.links?.repoUrl;
  switch (outcome.kind) {
    case 'rolled-back':
    case 'rollback-failed': {
      // The outcome's kind decides, even if the rollback's failure was not recorded.
      const rollbackFailure: Failure | undefined =
        outcome.kind === 'rollback-failed' ? (outcome.rollbackFailure ?? { kind: 'error', message: 'the rollback failed for an unknown reason' }) : undefined;
      return incidentHeadline({
        environment: env,
        failedSha: outcome.sha,
        deploymentId: outcome.deploymentId,
        failure: outcome.failure,
        rollback: { sha: outcome.knownGoodSha, ...(outcome.rollbackDeploymentId ? { deploymentId: outcome.rollbackDeploymentId } : {}), ...(rollbackFailure ? { failure: rollbackFailure } : {}) },
        ...(repoUrl ? { repoUrl } : {}),
      });
    }
    case 'no-rollback-target':
      return incidentHeadline({ environment: env, failedSha: outcome.sha, deploymentId: outcome.deploymentId, failure: outcome.failure, ...(repoUrl ? { repoUrl } : {}) });
    default:
      return [sentence(outcome, env)];
  }
}

/** One row per round, one column per check: outcome, value and latency. */
function lastRoundsTable(rounds: readonly Round[], windowStart: number | undefined): string[] {
  const shown = rounds.slice(-ROUNDS_SHOWN);
  const checks = [...new Set(shown.flatMap((r) => r.samples.map((s) => s.check)))];
  const columns = checks.slice(0, CHECK_COLUMNS);
  const time = (r: Round) => (windowStart !== undefined ? formatUtc(windowStart + r.at) : formatOffset(r.at));
  const cell = (r: Round, check: string) => {
    const s = r.samples.find((x) => x.check === check);
    if (!s) return '';
    const outcome = s.outcome === 'fail' ? `**fail**${s.warnOnly ? ' (warn only)' : ''}` : s.outcome;
    return `${outcome}${s.value ? ` ${escapeCell(s.value, 40)}` : ''}, ${s.latencyMs}ms`;
  };
  const header = ['Round', `Time${windowStart !== undefined ? ' (UTC)' : ''}`, 'Outcome', ...columns.map((c) => codeSpan(c, 60))];
  const row = (r: Round) => [String(r.index + 1), time(r), r.outcome === 'fail' ? '**fail**' : r.outcome, ...columns.map((c) => cell(r, c))];
  const lines = [
    `${shown.length < rounds.length ? `The last ${shown.length} of ${rounds.length} rounds` : `All ${rounds.length} rounds`}:`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...shown.map((r) => `| ${row(r).join(' | ')} |`),
  ];
  if (checks.length > columns.length) lines.push('', `Not in the table: ${checks.slice(columns.length).map((c) => codeSpan(c, 60)).join(', ')}.`);
  return lines;
}

/** Reasons and messages quote text from outside (API and git errors, inputs): always escaped. */
const REASON_CHARS = 500;

function sentence(outcome: Outcome, env: string): string {
  const why = (failure: Failure) => escapeCell(describeFailure(failure), REASON_CHARS);
  switch (outcome.kind) {
    case 'deployed':
      return outcome.promoted
        ? `Deployed \`${shortSha(outcome.sha)}\` to **${env}**; it stayed healthy for the whole window and is now known-good.`
        : `Dry run: deployed \`${shortSha(outcome.sha)}\` to **${env}**; it stayed healthy for the whole window. Known-good was not moved.`;
    case 'unhealthy':
      return `Dry run: \`${shortSha(outcome.sha)}\` on **${env}** was unhealthy (${why(outcome.failure)}). As asked, nothing was rolled back and no incident was opened.`;
    case 'rolled-back':
      return `Deploy of \`${shortSha(outcome.sha)}\` to **${env}** failed (${why(outcome.failure)}); rolled back to \`${shortSha(outcome.knownGoodSha)}\`.`;
    case 'rollback-failed':
      return `Deploy of \`${shortSha(outcome.sha)}\` to **${env}** failed (${why(outcome.failure)}), and the rollback to \`${shortSha(outcome.knownGoodSha)}\` failed too (${outcome.rollbackFailure ? why(outcome.rollbackFailure) : 'unknown'}).`;
    case 'no-rollback-target':
      return `Deploy of \`${shortSha(outcome.sha)}\` to **${env}** failed (${why(outcome.failure)}), and there is no known-good version to roll back to.`;
    case 'blocked':
      return outcome.by === 'incident'
        ? `Deploys to **${env}** are blocked by an open incident; nothing was deployed.`
        : `Not deployed to **${env}** (${outcome.by}): ${escapeCell(outcome.reason ?? '', REASON_CHARS)}`;
    case 'manual-rollback':
      return outcome.failure
        ? `Manual rollback of **${env}** to \`${shortSha(outcome.sha)}\` failed: ${why(outcome.failure)}.`
        : `Rolled **${env}** back to \`${shortSha(outcome.sha)}\`; it stayed healthy for the whole window and is now known-good.`;
    case 'refused':
      return `${outcome.what ?? 'Rollback'} refused before anything was changed: ${escapeCell(outcome.reason, REASON_CHARS)}`;
    case 'locked':
      return lockedSentence(outcome, env);
    case 'unlocked':
      return outcome.released.length
        ? `Unlocked **${env}** (${outcome.released.map((i) => `[#${i.number}](${i.url})`).join(', ')}) for @${outcome.actor}: ${escapeCell(outcome.reason, REASON_CHARS)}. Deploys may start again.`
        : `**${env}** was not locked; there was nothing to unlock.`;
    case 'mark-known-good':
      if (outcome.failure) {
        return `\`${shortSha(outcome.sha)}\` was not marked known-good on **${env}**: what runs there was unhealthy (${why(outcome.failure)}). Known-good was not moved; nothing was rolled back and no incident was opened.`;
      }
      return (
        `Marked \`${shortSha(outcome.sha)}\` known-good on **${env}**: what runs there stayed healthy for the whole window (no deploy command ran)` +
        (outcome.tagMoved ? '.' : '; the known-good tag catches up on a later run (its deployment records it now).')
      );
    case 'drill':
      return drillSentence(outcome, env);
    case 'drill-skipped':
      return `Rollback drill of **${env}** skipped: ${escapeCell(outcome.reason, REASON_CHARS)} Nothing was deployed.`;
    case 'status':
      return `Status of **${env}**.`;
    case 'clear':
      return `No open incident blocks deploys to **${env}**.`;
    case 'failed':
      // Possibly several lines (every input error): a code block shows them as written.
      return ['deploy-guard could not finish:', '', ...codeBlock(outcome.message)].join('\n');
  }
}

function drillSentence(outcome: Extract<Outcome, { kind: 'drill' }>, env: string): string {
  const back = `\`${shortSha(outcome.back.sha)}\``;
  const good = `\`${shortSha(outcome.knownGoodSha)}\``;
  if (drillPassed(outcome)) {
    return `Rollback drill of **${env}** passed: rolled back to ${back} with the rollback command and forward to known-good ${good} with the deploy command; both stayed healthy for their whole windows. Known-good was not moved.`;
  }
  const leg = outcome.back.failure ? 'the rollback to the previous version (back leg)' : 'the roll forward to known-good (forward leg)';
  return `Rollback drill of **${env}** failed: ${leg} did not stay healthy or did not complete. Known-good ${good} was not moved.`;
}

function lockedSentence(outcome: Extract<Outcome, { kind: 'locked' }>, env: string): string {
  const { lock } = outcome;
  const issue = `[#${lock.number}](${lock.url})`;
  const holder = lock.holder ? ` by @${lock.holder.actor} since ${formatUtc(lock.holder.since)}: ${escapeCell(lock.holder.reason, REASON_CHARS)}` : '';
  return outcome.already
    ? `**${env}** was already locked${holder} (${issue}); no second lock was taken.`
    : `Locked **${env}**${holder} (${issue}). Deploys and the gate are refused until it is unlocked (mode: unlock, or close ${issue} as someone with write access); rollbacks still run.`;
}

function statusLines(r: StatusReport): string[] {
  const m = r.last30Days;
  const percent = m.rollbackRate === null ? 'n/a' : `${(m.rollbackRate * 100).toFixed(0)}%`;
  const mttr = m.meanTimeToRecoveryMs === null ? 'n/a' : formatDuration(m.meanTimeToRecoveryMs);
  return [
    r.knownGood ? `Known-good: \`${shortSha(r.knownGood.sha)}\` since ${r.knownGood.since ?? 'unknown'}` : 'Known-good: none yet',
    '',
    `Open incidents: ${r.openIncidents.length ? r.openIncidents.map((i) => `[#${i.number}](${i.url})`).join(', ') : 'none'}`,
    '',
    `Last 30 days: ${m.deploys} deploys, ${m.rollbacks} rollbacks (rollback rate ${percent}), mean time from a bad deploy to a healthy rollback ${mttr}.`,
    '',
    '| Deployment | Version | Kind | State | Created |',
    '| --- | --- | --- | --- | --- |',
    ...r.recentDeployments.map((d) => `| ${d.id} | \`${shortSha(d.sha)}\` | ${d.rollback ? 'rollback' : 'deploy'} | ${d.state} | ${d.createdAt} |`),
    '',
    ...deliveryLines(r.figures),
  ];
}
