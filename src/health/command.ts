// One command health probe: a bash command whose exit code is the verdict. It runs through the
// shared command runner (own process group, killed as a group at the timeout) with a short kill
// grace, and only the end of its output is kept: that is where the reason for a failure usually is.
import type { CommandCheck } from './check-types.ts';
import type { CommandResult, CommandRunner } from '../process.ts';
import type { ProbeResult } from './check-types.ts';

/** Bytes of a check's output that are kept: the last 2 KiB. */
export const COMMAND_OUTPUT_LIMIT = 2048;
/** A hung check gets this long between SIGTERM and SIGKILL (deploy commands get 5 s): a round is waiting. */
export const COMMAND_CHECK_KILL_GRACE_MS = 1_000;
/** The output line quoted in the detail is cut to about this many characters. */
const DETAIL_TAIL_CHARS = 200;

export interface CommandProbeDeps {
  runCommand: CommandRunner;
  /** Where the command runs (the workspace). */
  cwd: string;
  /** The deploy command's environment. */
  env: NodeJS.ProcessEnv;
}

export async function probeCommand(check: CommandCheck, deps: CommandProbeDeps): Promise<ProbeResult> {
  const started = performance.now();
  const output = new OutputTail(COMMAND_OUTPUT_LIMIT);
  const latency = () => Math.round(performance.now() - started);
  let result: CommandResult;
  try {
    result = await deps.runCommand({
      command: check.run,
      cwd: deps.cwd,
      env: deps.env,
      timeoutMs: check.timeoutMs,
      killGraceMs: COMMAND_CHECK_KILL_GRACE_MS,
      onOutput: (chunk) => output.append(chunk),
    });
  } catch (error) {
    // bash could not even be started (e.g. the working directory is gone): nothing was measured.
    return { check: check.name, outcome: 'inconclusive', latencyMs: latency(), detail: `could not run the command: ${(error as Error).message}` };
  }
  const text = output.text();
  const tail = lastLine(text);
  const withTail = (what: string): string => (tail ? `${what}: ${tail}` : what);
  const base = { check: check.name, latencyMs: latency() };
  // A failing run's kept output goes to the report (the incident quotes it); a passing one's is not kept.
  const failed = { ...base, outcome: 'fail' as const, ...(text.trim() ? { output: text } : {}) };
  if (result.timedOut) {
    return { ...failed, detail: withTail(`killed after the ${check.timeoutMs}ms timeout`) };
  }
  if (result.exitCode === 0) return { ...base, outcome: 'pass', value: '0', detail: withTail('exit 0') };
  if (result.exitCode !== null) return { ...failed, value: String(result.exitCode), detail: withTail(`exit ${result.exitCode}`) };
  return { ...failed, ...(result.signal ? { value: result.signal } : {}), detail: withTail(`killed by ${result.signal ?? 'a signal'}`) };
}

/** Keeps the last `limit` bytes of a stream of text. */
export class OutputTail {
  private kept: Buffer = Buffer.alloc(0);
  private dropped = false;

  constructor(private readonly limit: number) {}

  append(chunk: string | Buffer): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.kept.length + bytes.length <= this.limit) {
      this.kept = Buffer.concat([this.kept, bytes]);
      return;
    }
    this.dropped = true;
    // Copy, so a large chunk is not retained through a view into it.
    this.kept = Buffer.from(Buffer.concat([this.kept, bytes]).subarray(-this.limit));
  }

  get truncated(): boolean {
    return this.dropped;
  }

  /** The kept output; a leading `…` says that earlier output was dropped. */
  text(): string {
    let start = 0;
    // Do not start in the middle of a UTF-8 character.
    if (this.dropped) while (start < this.kept.length && (this.kept[start]! & 0xc0) === 0x80) start += 1;
    const text = this.kept.subarray(start).toString('utf8');
    return this.dropped ? `…${text}` : text;
  }
}

/** The last non-empty line of the output, on one line, without terminal escapes, cut from the left. */
export function lastLine(output: string): string {
  const lines = output
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .split('\n')
    // A progress bar redraws its line after \r: the last redraw is what was shown.
    .map((line) => (line.split('\r').filter((part) => part.trim()).at(-1) ?? '').trim());
  // eslint-disable-next-line no-control-regex
  const line = (lines.filter((l) => l).at(-1) ?? '').replace(/[\x00-\x1f\x7f]/g, ' ');
  return line.length > DETAIL_TAIL_CHARS ? `…${line.slice(-(DETAIL_TAIL_CHARS - 1))}` : line;
}
