// Text from outside (check details, response bodies, command output, commit titles) made safe to
// put into GitHub markdown: it stays on its line, cannot end a table cell or a code block, does
// not notify people, shows as the text it is (no link, image, HTML, entity or comment), cannot
// carry deploy-guard's markers, and is bounded.

/** Cuts `text` to at most `max` characters, ending with "…" when something was cut. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** The last `max` characters of `text`, starting with "…" when something was cut. */
export function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - Math.max(0, max - 1))}`;
}

/**
 * Plain text for one table cell: on one line, bounded, and inert (see escapeInline).
 */
export function escapeCell(text: string, max = 200): string {
  return escapeInline(cut(oneLine(text), max));
}

/**
 * Text shown as written: backslashes, brackets (links `[text](url)`, images `![](url)`) and pipes
 * escaped; `&`, `<` and `>` as entities, so raw HTML, an HTML comment (a copied incident marker) or
 * an entity shows as typed; "@name" kept from notifying anyone (a zero-width space after the "@").
 */
export function escapeInline(text: string): string {
  return text
    .replace(/[\\[\]|]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b');
}

/**
 * Code shows `<!--` as typed, but the raw body would still hold it, and deploy-guard finds its
 * incidents and its runs' writes by `<!-- deploy-guard:... -->` markers in raw bodies: quoted text
 * gets a zero-width space after the `<`, so a copied marker is never one.
 */
function withoutMarkers(text: string): string {
  return text.replace(/<!--/g, '<\u200b!--');
}

/** Text as an inline code span, on one line and safe inside a table cell. */
export function codeSpan(text: string, max = 200): string {
  const body = withoutMarkers(cut(oneLine(text), max)).replace(/\|/g, '\\|');
  if (!body.trim()) return '';
  const fence = '`'.repeat(longestRun(body, '`') + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || fence.length > 1 ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Multi-line text as a fenced code block that its content cannot close. */
export function codeBlock(text: string, language = 'text'): string[] {
  const body = withoutMarkers(withoutControls(text)).replace(/\s+$/, '');
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
