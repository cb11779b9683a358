// The command probe through the real command runner: real bash, real process groups.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandCheck } from '../../src/health/check-types.ts';
import { COMMAND_CHECK_KILL_GRACE_MS, COMMAND_OUTPUT_LIMIT, OutputTail, lastLine, probeCommand } from '../../src/health/command.ts';
import { runCommand } from '../../src/process.ts';

let dir: string;
const spawnedPids: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deploy-guard-probe-command-'));
});
afterEach(() => {
  // Whatever a failed test left running.
  for (const pid of spawnedPids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const check = (run: string, timeoutMs = 5_000): CommandCheck => ({ type: 'command', name: 'cmd', run, timeoutMs });
const probe = (c: CommandCheck) => probeCommand(c, { runCommand, cwd: dir, env: { ...process.env, CHECK_DIR: dir } });

/** Alive and not a zombie (a re-parented child may linger unreaped as one). */
async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== '' && state !== 'Z' && state !== 'X';
}

async function waitForPidFile(file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  const pid = Number.parseInt(text.trim(), 10);
  expect(pid).toBeGreaterThan(0);
  spawnedPids.push(pid);
  return pid;
}

describe('command probe', () => {
  it('passes on exit 0, in the given directory and environment', async () => {
    const result = await probe(check('test "$PWD" = "$CHECK_DIR" && echo all good'));
    expect(result).toMatchObject({ check: 'cmd', outcome: 'pass', value: '0', detail: 'exit 0: all good' });
    expect(Number.isInteger(result.latencyMs)).toBe(true);
  });

  it('fails on a non-zero exit with the exit code as value and the last output line in the detail', async () => {
    const result = await probe(check('echo "checking"; echo "replica 2 is lagging by 40s" >&2; exit 3'));
    expect(result).toMatchObject({ outcome: 'fail', value: '3', detail: 'exit 3: replica 2 is lagging by 40s' });
    // The kept output goes to the report (the README promises the incident the last 2 KiB).
    expect(result.output).toBe('checking\nreplica 2 is lagging by 40s\n');
  });

  it('keeps no output of a passing run', async () => {
    expect((await probe(check('echo fine'))).output).toBeUndefined();
  });

  it('says only the exit code when there is no output', async () => {
    expect(await probe(check('exit 1'))).toMatchObject({ outcome: 'fail', value: '1', detail: 'exit 1' });
  });

  it('keeps only the last part of a large output', async () => {
    // 10,000 numbered lines (~90 KiB), then the line that matters.
    const many = await probe(check('for i in $(seq 1 10000); do echo "line $i"; done; echo "final verdict: broken"; exit 2'));
    expect(many).toMatchObject({ outcome: 'fail', value: '2', detail: 'exit 2: final verdict: broken' });

    // One 5,000-character line: the detail is its end, cut to about 200 characters and marked.
    const long = await probe(check(`printf 'a%.0s' $(seq 1 5000); printf 'THE-END\\n'; exit 4`));
    expect(long.outcome).toBe('fail');
    expect(long.detail).toMatch(/^exit 4: …a+THE-END$/);
    expect(long.detail.length).toBeLessThanOrEqual('exit 4: '.length + 200);

    // The kept output itself: the last COMMAND_OUTPUT_LIMIT bytes, marked as truncated.
    const tail = new OutputTail(COMMAND_OUTPUT_LIMIT);
    for (let i = 1; i <= 1000; i += 1) tail.append(`line ${i}\n`);
    expect(tail.truncated).toBe(true);
    const kept = tail.text();
    expect(kept.startsWith('…')).toBe(true);
    expect(Buffer.byteLength(kept.slice(1))).toBe(COMMAND_OUTPUT_LIMIT);
    expect(kept.endsWith('line 999\nline 1000\n')).toBe(true);
    expect(kept).not.toContain('line 1\n');

    const small = new OutputTail(COMMAND_OUTPUT_LIMIT);
    small.append('short\n');
    expect([small.truncated, small.text()]).toEqual([false, 'short\n']);
    // Never starts inside a multi-byte character.
    const utf8 = new OutputTail(5);
    utf8.append('ééé');
    expect(utf8.text()).toBe('…éé');
  });

  it('puts a single clean line into the detail', () => {
    expect(lastLine('first\nsecond\n\n  \n')).toBe('second');
    expect(lastLine('\x1b[31mred error\x1b[0m\n')).toBe('red error');
    expect(lastLine('progress 10%\rprogress 100%\n')).toBe('progress 100%');
    expect(lastLine('tab\there')).toBe('tab here');
    expect(lastLine('')).toBe('');
  });

  it('kills a hung command with its children at the timeout', async () => {
    const pidFile = join(dir, 'child-hung.pid');
    const started = Date.now();
    const result = await probe(check(`sleep 60 & echo $! > '${pidFile}'; echo started child; sleep 60`, 800));
    const elapsed = Date.now() - started;
    const childPid = await waitForPidFile(pidFile);
    expect(result).toMatchObject({ outcome: 'fail', detail: 'killed after the 800ms timeout: started child' });
    expect(result.value).toBeUndefined();
    // timeout + kill grace + the runner's pipe drain + slack
    expect(elapsed).toBeLessThan(800 + COMMAND_CHECK_KILL_GRACE_MS + 1_000 + 500);
    expect(await isAlive(childPid)).toBe(false);
  });

  it('kills a command that ignores SIGTERM after the short grace, children included', async () => {
    const pidFile = join(dir, 'child-stubborn.pid');
    const started = Date.now();
    // An ignored signal stays ignored in the children bash starts.
    const result = await probe(check(`trap '' TERM; sleep 60 & echo $! > '${pidFile}'; sleep 60`, 500));
    const elapsed = Date.now() - started;
    const childPid = await waitForPidFile(pidFile);
    expect(result).toMatchObject({ outcome: 'fail', detail: 'killed after the 500ms timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(500 + COMMAND_CHECK_KILL_GRACE_MS - 50);
    // Well below the 5 s grace deploy commands get.
    expect(elapsed).toBeLessThan(500 + COMMAND_CHECK_KILL_GRACE_MS + 1_000 + 500);
    expect(await isAlive(childPid)).toBe(false);
  });

  it('is inconclusive when the command cannot be started at all', async () => {
    const result = await probeCommand(check('true'), { runCommand, cwd: join(dir, 'does-not-exist'), env: process.env });
    expect(result.outcome).toBe('inconclusive');
    expect(result.detail).toMatch(/^could not run the command: /);
  });
});
