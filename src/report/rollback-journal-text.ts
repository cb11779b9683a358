// What a rollback did, for the incident and the summary: each attempt (when rollback-attempts
// allows more than one) and each maintenance hook, with its times and result. A hook that failed
// or did not run also gets a line of its own at the top: it may have left a maintenance page on.
import { formatDuration } from '../core/duration.ts';
import { troubledHooks, type HookRecord, type RollbackJournal } from '../core/rollback-retry.ts';
import { failureText, formatUtc } from './report-sections.ts';

/** The attempts and hooks, under headings of `level`; nothing when there was one attempt and no hook. */
export function journalSection(journal: RollbackJournal | undefined, level: number): string[] {
  if (!journal) return [];
  const heading = '#'.repeat(level);
  const lines: string[] = [];
  if (journal.limit > 1 && journal.attempts.length) {
    lines.push('', `${heading} Rollback attempts`, '', `${journal.attempts.length} of at most ${journal.limit}, each to the same version from the same checkout:`, '');
    lines.push('| Attempt | Started (UTC) | Took | Result |', '| --- | --- | --- | --- |');
    for (const a of journal.attempts) {
      const result = a.failure ? `failed: ${failureText(a.failure)}` : '**healthy**';
      lines.push(`| ${a.number} of ${journal.limit} | ${formatUtc(a.start)} | ${formatDuration(a.end - a.start)} | ${result} |`);
    }
  }
  if (journal.hooks.length) {
    lines.push('', `${heading} Maintenance hooks`, '', '| Hook | Started (UTC) | Took | Result |', '| --- | --- | --- | --- |');
    for (const h of journal.hooks) lines.push(`| \`${h.input}\` | ${formatUtc(h.start)} | ${formatDuration(h.end - h.start)} | ${hookResult(h)} |`);
  }
  return lines;
}

/** One loud line per hook that failed or did not run; none when every hook ran and exited 0. */
export function hookAlarm(journal: RollbackJournal | undefined): string[] {
  return troubledHooks(journal).map((h) => {
    const then = h.input === 'before-rollback-command' ? 'the rollback ran anyway' : 'check what it should have undone (e.g. a maintenance page still on)';
    return `**\`${h.input}\` ${h.notRun ? 'was not run' : 'failed'}:** ${hookResult(h, false)}; ${then}.`;
  });
}

function hookResult(h: HookRecord, bold = true): string {
  if (h.notRun) return `${bold ? '**not run**: ' : ''}${failureText({ kind: 'error', message: h.notRun })}`;
  if (h.failure) return `${bold ? '**failed**: ' : ''}${failureText(h.failure)}`;
  return 'ok';
}
