// Text from outside (check details, response bodies, command output, commit titles) made safe to
// put into GitHub markdown: it stays on its line, cannot end a table cell or a code block, does
// not notify people, and is bounded.

/** Cuts `text` to at most `max` characters, ending with "…" when something was cut. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The last `max` characters of `text`, starting with "…" when something was cut. */
export function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - Math.max(0, max - 1))}`;
}

/**
 * Plain text for one table cell: on one line, pipes escaped, no HTML, and "@name" kept from
 * notifying anyone (a zero-width space after the "@").
 */
export function escapeCell(text: string, max = 200): string {
  return cut(oneLine(text), max)
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b');
}

/** Text as an inline code span, on one line and safe inside a table cell. */
export function codeSpan(text: string, max = 200): string {
  const body = cut(oneLine(text), max).replace(/\|/g, '\\|');
  if (!body.trim()) return '';
  const fence = '`'.repeat(longestRun(body, '`') + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || fence.length > 1 ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Multi-line text as a fenced code block that its content cannot close. */
export function codeBlock(text: string, language = 'text'): string[] {
  const body = withoutControls(text).replace(/\s+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return [`${fence}${language}`, ...body.split('\n'), fence];
}

/** Terminal colours and other control characters (but not newlines or tabs) removed. */
export function withoutControls(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

function oneLine(text: string): string {
  return withoutControls(text).replace(/\s*\n\s*/g, ' ').replace(/\t/g, ' ');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
