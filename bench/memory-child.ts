// Runs the action's health watch engine in this process for N rounds against a real HTTP server
// and prints one JSON line: heapUsed and rss after gc() at round 100 and at round N.
// Usage: node --expose-gc --import tsx bench/memory-child.ts <health url> <rounds> <interval ms>
import { systemClock, type Clock } from '../src/clock.ts';
import { createProbe } from '../src/health/probe.ts';
import { watchHealth } from '../src/health/watch.ts';
import type { Log } from '../src/log.ts';
import { runCommand } from '../src/process.ts';
import { tuneRuntime } from '../src/runtime-tuning.ts';
import { readSettings, type InputName } from '../src/settings.ts';

const [url, roundsArg, intervalArg] = process.argv.slice(2);
const ROUNDS = Number(roundsArg);
const INTERVAL_MS = Number(intervalArg);
const FIRST = 100;
if (!url || !(ROUNDS > FIRST) || !(INTERVAL_MS > 0)) throw new Error('usage: memory-child.ts <url> <rounds > 100> <interval ms>');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

interface Snapshot {
  round: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  at: number;
}

function snapshot(round: number): Snapshot {
  gc!();
  gc!();
  const { heapUsed, heapTotal, external, arrayBuffers, rss } = process.memoryUsage();
  return { round, heapUsed, heapTotal, external, arrayBuffers, rss, at: Date.now() };
}

// The check as the action builds it from its inputs (defaults applied), so this follows src/.
const inputs: Partial<Record<InputName, string>> = {
  'github-token': 'bench-token',
  'deploy-command': 'true',
  'health-url': url,
  'health-window': '1h',
  'health-interval': '1s',
  'request-timeout': '1s',
};
const settings = await readSettings((name) => inputs[name] ?? '', {});
if (!settings.ok) throw new Error(`the action refused the bench's inputs: ${settings.errors.join('; ')}`);
const checks = settings.settings.checks;

let rounds = 0;
const outcomes: Record<string, number> = {};
const log: Log = {
  info: (message: string) => {
    const match = /^round \d+ at \S+: (\w+)/.exec(message);
    if (!match) return;
    rounds += 1;
    outcomes[match[1]!] = (outcomes[match[1]!] ?? 0) + 1;
  },
  warning: () => {},
  error: () => {},
  group: (_title: string, body: () => Promise<unknown>) => body(),
} as Log;

class Enough extends Error {}
const snapshots: Snapshot[] = [];
// Between rounds the watch sleeps until the next slot: measure there, and end the watch at ROUNDS.
const clock: Clock = {
  now: () => systemClock.now(),
  sleep: async (ms: number) => {
    if (rounds === FIRST && snapshots.length === 0) snapshots.push(snapshot(rounds));
    if (rounds >= ROUNDS) {
      snapshots.push(snapshot(rounds));
      throw new Enough();
    }
    await systemClock.sleep(ms);
  },
};

// As the action's steps do when they build their GitHub client, before any request or health round.
tuneRuntime();
const started = Date.now();
const probe = createProbe({ runCommand, cwd: process.cwd(), env: {}, baselines: new Map() });
try {
  const result = await watchHealth({
    checks,
    policy: { windowMs: 24 * 3_600_000, intervalMs: INTERVAL_MS, initialDelayMs: 0, failureThreshold: Number.MAX_SAFE_INTEGER },
    clock,
    log,
    probe,
  });
  throw new Error(`the watch ended on its own after ${rounds} rounds: ${JSON.stringify(result.verdict)}`);
} catch (error) {
  if (!(error instanceof Enough)) throw error;
}
const [first, last] = snapshots;
process.stdout.write(`${JSON.stringify({ rounds, outcomes, intervalMs: INTERVAL_MS, elapsedMs: Date.now() - started, first, last })}\n`);
