/**
 * Parsers for what an action tells the runner: file commands (GITHUB_OUTPUT,
 * GITHUB_STATE, GITHUB_ENV) and workflow commands on stdout (annotations).
 */

/**
 * Parses a file-command file. @actions/core 3 writes
 * `name<<ghadelimiter_<uuid>\nvalue\nghadelimiter_<uuid>\n`; plain
 * `name=value` lines are accepted too. Later entries win, like on the runner.
 */
export function parseFileCommands(text: string, label = 'file command'): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  // A trailing newline leaves one empty last element; it is not a line.
  if (lines.at(-1) === '') lines.pop();
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    index += 1;
    if (line.trim() === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (delimiter === '') throw new Error(`${label}: empty delimiter for ${name}`);
      const value: string[] = [];
      let closed = false;
      while (index < lines.length) {
        const valueLine = lines[index]!;
        index += 1;
        if (valueLine === delimiter) {
          closed = true;
          break;
        }
        value.push(valueLine);
      }
      if (!closed) throw new Error(`${label}: no closing delimiter ${delimiter} for ${name}`);
      result[name] = value.join('\n');
    } else if (equals > 0) {
      result[line.slice(0, equals)] = line.slice(equals + 1);
    } else {
      throw new Error(`${label}: cannot parse line ${JSON.stringify(line)}`);
    }
  }
  return result;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

const unescapeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string): string =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

/** `::error file=x,line=1::message` lines (core.error / warning / notice / setFailed) from stdout. */
export function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = [];
  // Like the runner: between ::stop-commands::<token> and ::<token>:: no command is processed.
  let stoppedBy: string | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    if (stoppedBy !== undefined) {
      if (line === `::${stoppedBy}::`) stoppedBy = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) {
      stoppedBy = stop[1];
      continue;
    }
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
    }
    annotations.push({
      level: match[1] as Annotation['level'],
      message: unescapeData(match[3] ?? ''),
      properties,
    });
  }
  return annotations;
}
