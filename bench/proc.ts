// Child processes for measurements: argument arrays only, wall time from spawn to exit, and peak
// memory through GNU time.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface TimedRun {
  /** hrtime from just before spawn() to the 'exit' event. */
  wallMs: number;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env: Record<string, string>;
  cwd: string;
  /** Killed (SIGKILL) after this long; default 60 s. */
  timeoutMs?: number;
}

export function timedRun(command: string, args: string[], opts: RunOptions): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let wallMs = 0;
    let exit: { code: number | null; signal: string | null } | undefined;
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      exit = { code, signal };
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ wallMs, exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stdout, stderr });
    });
  });
}

let gnuTime: { ok: true } | { ok: false; reason: string } | undefined;

/** Whether /usr/bin/time is GNU time and can report max RSS (`-f %M`). */
export async function gnuTimeAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (gnuTime) return gnuTime;
  try {
    accessSync(GNU_TIME, constants.X_OK);
  } catch {
    gnuTime = { ok: false, reason: `${GNU_TIME} is not installed (install GNU time, e.g. apt-get install time), so peak memory is not measured` };
    return gnuTime;
  }
  const probe = await withTimeFile((file) => timedRun(GNU_TIME, ['-f', '%M', '-o', file, 'true'], { env: { PATH: process.env.PATH ?? '' }, cwd: tmpdir() }));
  gnuTime = probe.kib !== undefined ? { ok: true } : { ok: false, reason: `${GNU_TIME} -f %M did not report a number (not GNU time?)` };
  return gnuTime;
}

/** The `commandPrefix` that makes GNU time write the max RSS (KiB) of what follows to `file`. */
export function timePrefix(file: string): string[] {
  return [GNU_TIME, '-f', '%M', '-o', file];
}

/** Runs `body` with a fresh file for GNU time's output and reads the KiB from it. */
export async function withTimeFile<T>(body: (file: string) => Promise<T>): Promise<{ result: T; kib: number | undefined }> {
  const dir = await mkdtemp(join(tmpdir(), 'deploy-guard-bench-time-'));
  const file = join(dir, 'time.txt');
  try {
    const result = await body(file);
    let kib: number | undefined;
    try {
      // On a non-zero exit GNU time writes "Command exited with non-zero status N" first.
      const last = (await readFile(file, 'utf8')).trim().split('\n').at(-1) ?? '';
      kib = /^\d+$/.test(last) ? Number(last) : undefined;
    } catch {
      kib = undefined;
    }
    return { result, kib };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Peak RSS (bytes) of `command args`, measured by GNU time. */
export async function peakRss(command: string, args: string[], opts: RunOptions): Promise<{ run: TimedRun; bytes: number | undefined }> {
  const { result, kib } = await withTimeFile((file) => timedRun(GNU_TIME, [...timePrefix(file).slice(1), command, ...args], opts));
  return { run: result, bytes: kib === undefined ? undefined : kib * 1024 };
}

/** stdout of a short command, trimmed; undefined if it fails. */
export async function capture(command: string, args: string[], cwd: string): Promise<string | undefined> {
  try {
    const run = await timedRun(command, args, { env: { ...process.env } as Record<string, string>, cwd, timeoutMs: 20_000 });
    return run.exitCode === 0 ? run.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}
