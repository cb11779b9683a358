// Text for the step log that cannot speak for the action. The runner reads a workflow command
// (`::error::`, `::add-mask::`, `::set-output`, `::stop-commands::`) from any line of a step's
// output that starts with `::` after leading whitespace, and an old-style `##[command]` anywhere in a
// line (actions/runner, ActionCommand.TryParseV2 and TryParse). Untrusted text in a log line could
// otherwise forge annotations, masks or outputs.

/** Line breaks as the runner splits output into lines. */
const LINE_BREAK = /\r\n|\r|\n/;
/** Leading whitespace as .NET's TrimStart sees it (it also trims U+0085, which String.trimStart keeps). */
const COMMAND_START = /^[\s\u0085]*::/;

/** Whether the runner would read a workflow command from some line of `text`. */
export function readsAsCommand(text: string): boolean {
  return text.split(LINE_BREAK).some((line) => COMMAND_START.test(line) || line.includes('##['));
}

/**
 * `text` between `::stop-commands::<token>` and `::<token>::`: shown as it is, and no line of it is
 * read as a command (the same fence the deploy command's output gets). `token` must not be
 * guessable by whoever wrote the text.
 */
export function withCommandsStopped(text: string, token: string): string {
  return `::stop-commands::${token}\n${text}\n::${token}::`;
}

/**
 * Untrusted text (a reason, an issue title) for one log line: in JSON quotes, with line breaks,
 * control characters and Unicode line separators escaped, and `##[` written `##\u005b`, so it
 * stays on its line and never reads as a command. JSON.parse gives the text back.
 */
export function quoteForLog(text: string): string {
  return JSON.stringify(text)
    .replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/##\[/g, '##\\u005b');
}
