// The failures of warn-only checks (`on-failure: warn`), as the job summary, the incident and the
// comment on the deployed commit show them: which check, how often, when, and what it said last.
import type { CheckWarning } from '../core/warnings.ts';
import { shortSha } from '../core/tag-names.ts';
import { codeSpan, escapeCell } from './markdown.ts';
import { commitLink, formatUtc } from './report-sections.ts';

/** Warnings given a row; the rest are counted. */
const WARNINGS_SHOWN = 20;
const DETAIL_CHARS = 300;
const NAME_CHARS = 100;

/** A heading, a sentence on what warn-only means, and a table; nothing without warnings. */
export function warningsSection(warnings: readonly CheckWarning[], headingLevel: number): string[] {
  if (!warnings.length) return [];
  const shown = warnings.slice(0, WARNINGS_SHOWN);
  const lines = [
    `${'#'.repeat(headingLevel)} Warnings`,
    '',
    warnings.length === 1
      ? 'A warn-only check (`on-failure: warn`) failed. Its failures did not count toward the verdict and started no rollback.'
      : `${warnings.length} warn-only checks (\`on-failure: warn\`) failed. Their failures did not count toward the verdict and started no rollback.`,
    '',
    '| Check | Failed rounds | First failed (UTC) | Last failed (UTC) | Last detail |',
    '| --- | --- | --- | --- | --- |',
    ...shown.map((w) => `| ${codeSpan(w.check, NAME_CHARS)} | ${w.failedRounds} of ${w.rounds} | ${formatUtc(w.firstFailedAt)} | ${formatUtc(w.lastFailedAt)} | ${escapeCell(w.lastDetail, DETAIL_CHARS)} |`),
  ];
  if (warnings.length > shown.length) lines.push('', `And ${warnings.length - shown.length} more; see the run log.`);
  return lines;
}

export interface WarningsCommentFacts {
  environment: string;
  sha: string;
  deploymentId: number;
  /** What the deploy came to, in a sentence (markdown). */
  result: string;
  repoUrl: string;
  runUrl: string;
  warnings: readonly CheckWarning[];
}

/** The comment on the deployed commit: GitHub deployments take no comments (docs/github-behaviours.md). */
export function warningsComment(f: WarningsCommentFacts): string {
  const deployments = `${f.repoUrl}/deployments/${encodeURIComponent(f.environment)}`;
  return [
    `**deploy-guard: warnings from the deploy of ${commitLink(f.sha, f.repoUrl)} to ${escapeCell(f.environment, NAME_CHARS)}** ` +
      `([deployment ${f.deploymentId}](${deployments}), [run](${f.runUrl})).`,
    '',
    f.result,
    '',
    ...warningsSection(f.warnings, 3),
  ].join('\n');
}

/** `Deployed abc1234; it is known-good now.` and the like, for the comment. */
export function warningsResultLine(kind: string, sha: string, incident?: { number: number; url: string }): string {
  const version = `\`${shortSha(sha)}\``;
  const issue = incident ? ` Incident: [#${incident.number}](${incident.url}).` : '';
  switch (kind) {
    case 'deployed':
      return `${version} stayed healthy for the whole window; the warnings did not stop it.`;
    case 'rolled-back':
      return `${version} failed other checks and was rolled back.${issue}`;
    case 'rollback-failed':
      return `${version} failed other checks, and the rollback failed too.${issue}`;
    case 'no-rollback-target':
      return `${version} failed other checks, and there was no known-good version to roll back to.${issue}`;
    default:
      return `${version} was unhealthy (dry run: nothing was rolled back).`;
  }
}
