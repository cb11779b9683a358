// What people read about a lock: its issue (who, why, since when, how to let it go) and the comment
// an unlock leaves on it. The reason is anyone's text: one line, shown as typed.
import { holderLine, lockMarker, type LockHolder } from '../core/environment-lock.ts';
import { cut, escapeCell, withoutControls } from './markdown.ts';
import { formatUtc } from './report-sections.ts';

export interface LockFacts {
  environment: string;
  holder: LockHolder;
  runUrl: string;
  /** This run's marker, so a retried POST finds the issue it may have made. */
  runMarker: string;
}

/** GitHub shows at most about 80 characters of a title in lists. */
const TITLE_REASON_CHARS = 60;

export function lockIssueText(f: LockFacts): { title: string; body: string } {
  const { environment: env, holder } = f;
  const reason = cut(withoutControls(holder.reason).replace(/\s+/g, ' ').trim(), TITLE_REASON_CHARS);
  const body = [
    lockMarker(env),
    `**Deploys to ${env} are locked** by @${holder.actor} since ${formatUtc(holder.since)}.`,
    '',
    `Reason: ${escapeCell(holder.reason, 1_000)}`,
    '',
    `While this lock holds, deploy-guard refuses deploys to ${env}, and its gate reports \`blocked-by: lock\`. Rollbacks, automatic and manual, still run.`,
    '',
    'To unlock, either:',
    `- run deploy-guard with \`mode: unlock\`, \`environment: ${env}\` and a \`reason\`, or`,
    '- close this issue, as someone with write access or more.',
    '',
    'A close by anyone below write access does not release the lock, and neither does taking the label off or editing this ' +
      'description: deploy-guard keeps a record of the lock that only a token with contents: write can remove.',
    '',
    `Locked by [this run](${f.runUrl}).`,
    holderLine(holder),
    f.runMarker,
  ];
  return { title: `Deploys to ${env} locked by @${holder.actor}: ${reason}`, body: body.join('\n') };
}

/** The comment an unlock leaves on the lock issue before closing it. */
export function unlockComment(f: { environment: string; actor: string; reason: string; runUrl: string; runMarker: string }): string {
  return [`**Unlocked** by @${f.actor}: deploys to ${f.environment} may start again ([run](${f.runUrl})).`, '', `Reason: ${escapeCell(f.reason, 1_000)}`, f.runMarker].join('\n');
}
