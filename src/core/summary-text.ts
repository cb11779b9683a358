// The step summary: the result in a sentence, then the facts a reviewer looks for.
import { escapeCell } from './incident-text.ts';
import { describeFailure, type Outcome } from './outcome.ts';
import { formatDuration } from './duration.ts';
import type { StatusReport } from './status-report.ts';
import { shortSha } from './tag-names.ts';
import type { Round } from './verdict.ts';

export function summaryMarkdown(outcome: Outcome, environment: string): string {
  const lines = [`## deploy-guard: ${outcome.kind}`, '', sentence(outcome, environment)];
  if (outcome.kind === 'status') lines.push('', ...statusLines(outcome.report));
  if ('incident' in outcome) lines.push('', `Incident: [#${outcome.incident.number}](${outcome.incident.url})`);
  if (outcome.kind === 'blocked') {
    lines.push('', ...outcome.incidents.map((i) => `- Blocked by [#${i.number}](${i.url}): close it to unblock deploys to ${environment}.`));
  }
  const failure = 'failure' in outcome ? outcome.failure : undefined;
  const rounds = outcome.kind === 'deployed' ? outcome.rounds : failure?.kind === 'unhealthy' ? failure.rounds : [];
  if (rounds.length) lines.push('', ...roundTable(rounds));
  return lines.join('\n') + '\n';
}

function sentence(outcome: Outcome, env: string): string {
  switch (outcome.kind) {
    case 'deployed':
      return outcome.promoted
        ? `Deployed \`${shortSha(outcome.sha)}\` to **${env}**; it stayed healthy for the whole window and is now known-good.`
        : `Dry run: deployed \`${shortSha(outcome.sha)}\` to **${env}**; it stayed healthy for the whole window. Known-good was not moved.`;
    case 'unhealthy':
      return `Dry run: \`${shortSha(outcome.sha)}\` on **${env}** was unhealthy (${describeFailure(outcome.failure)}). As asked, nothing was rolled back and no incident was opened.`;
    case 'rolled-back':
      return `Deploy of \`${shortSha(outcome.sha)}\` to **${env}** failed (${describeFailure(outcome.failure)}); rolled back to \`${shortSha(outcome.knownGoodSha)}\`.`;
    case 'rollback-failed':
      return `Deploy of \`${shortSha(outcome.sha)}\` to **${env}** failed (${describeFailure(outcome.failure)}), and the rollback to \`${shortSha(outcome.knownGoodSha)}\` failed too (${outcome.rollbackFailure ? describeFailure(outcome.rollbackFailure) : 'unknown'}).`;
    case 'no-rollback-target':
      return `Deploy of \`${shortSha(outcome.sha)}\` to **${env}** failed (${describeFailure(outcome.failure)}), and there is no known-good version to roll back to.`;
    case 'blocked':
      return `Deploys to **${env}** are blocked by an open incident; nothing was deployed.`;
    case 'manual-rollback':
      return outcome.failure
        ? `Manual rollback of **${env}** to \`${shortSha(outcome.sha)}\` failed: ${describeFailure(outcome.failure)}.`
        : `Rolled **${env}** back to \`${shortSha(outcome.sha)}\`; it stayed healthy for the whole window and is now known-good.`;
    case 'refused':
      return `Rollback refused before anything was changed: ${outcome.reason}`;
    case 'status':
      return `Status of **${env}**.`;
    case 'clear':
      return `No open incident blocks deploys to **${env}**.`;
    case 'failed':
      return `deploy-guard could not finish: ${outcome.message}`;
  }
}

function roundTable(rounds: Round[]): string[] {
  return [
    '| Round | Time | Outcome | Checks |',
    '| --- | --- | --- | --- |',
    ...rounds.map(
      (r) =>
        `| ${r.index + 1} | +${(r.at / 1000).toFixed(1)}s | ${r.outcome} | ${escapeCell(r.samples.map((s) => `${s.check}: ${s.detail} (${s.latencyMs}ms)`).join('; '))} |`,
    ),
  ];
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
  ];
}
