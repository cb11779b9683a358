// One detection trial (goals 4 and 5): a deploy whose health check the bench breaks mid-window,
// with every stdout line of the main step timestamped and the rollback command's start recorded.
import { writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, type Scenario } from '../test/support/deploy-scenario.ts';
import { routeKey } from './routes.ts';
import { actionError, LineClock, printedWorstCaseMs, sleep, startHealthServer, type HealthServer, type TimedLine } from './world.ts';

export const DETECTION_SETTINGS = {
  'health-window': '3s',
  'health-interval': '200ms',
  'request-timeout': '150ms',
  'failure-threshold': '3',
} as const;
export const INTERVAL_MS = 200;
export const THRESHOLD = 3;

/** Written by the rollback command as its first act: bash's own clock (no fork), else date(1). */
const ROLLBACK_COMMAND =
  'if [ -n "${EPOCHREALTIME:-}" ]; then printf "%s\\n" "$EPOCHREALTIME"; else date +%s%3N; fi > "$BENCH_ROLLBACK_START"; rm -f "$BENCH_FLAG_FILE"';

/** `round 5 at +800ms: FAIL (3/3 consecutive failures)`: the round that reaches the threshold. */
export const VERDICT_LINE = /round \d+ at \S+: FAIL \((\d+)\/\1 consecutive failures\)/;
/** `::error::Deploy of abc1234 to production failed: ...`: the verdict reported after it is recorded. */
export const FAILED_LINE = /Deploy of \S+ to \S+ failed:/;

export interface TrialResult {
  /** Date.now() right after the bench made the health check fail. */
  onset: number;
  /** Epoch ms at which the rollback command started. */
  rollbackStart: number;
  verdictLine?: TimedLine;
  failedLine?: TimedLine;
  /** From the plan in the main step's stdout. */
  worstCaseMs?: number;
  /** ms from the healthy round's log line to onset: where in the round cycle the failure began. */
  onsetAfterPassMs: number;
  /** API requests (method and route) the double received between the verdict line and the rollback start. */
  requestsBetween: string[];
  /** API requests of the whole measured run (main and post). */
  requestsInRun: number;
  /** The main step's process lifetime. */
  mainMs: number;
}

export interface DetectionWorld {
  s: Scenario;
  server: HealthServer;
  trial(options: { latencyMs?: number; version: string }): Promise<TrialResult>;
  close(): Promise<void>;
}

function epochMs(text: string): number {
  const t = text.trim().replace(',', '.');
  const value = t.includes('.') ? Number(t) * 1000 : Number(t);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`rollback start file holds ${JSON.stringify(text)}`);
  return value;
}

/** A repository with a known-good version, a health endpoint the bench breaks, and a rollback that repairs it. */
export async function openDetectionWorld(distDir: string): Promise<DetectionWorld> {
  const s = await startScenario({ distDir });
  const flag = join(s.fixture.root, 'service-broken');
  const startFile = join(s.fixture.root, 'rollback-start');
  const server = await startHealthServer(flag);
  const env = { BENCH_FLAG_FILE: flag, BENCH_ROLLBACK_START: startFile };
  const inputs = {
    'deploy-command': 'true',
    'rollback-command': ROLLBACK_COMMAND,
    'health-url': `${server.url}/health`,
    ...DETECTION_SETTINGS,
  };
  try {
    await s.commit({ version: 'v1' });
    const first = await s.deploy({ inputs, env });
    if (first.main.outputs.result !== 'deployed') throw new Error(`the first deploy (to make a known-good) failed: ${actionError(first.main)}`);
  } catch (error) {
    await s.close();
    await server.close();
    throw error;
  }

  return {
    s,
    server,
    async trial({ latencyMs, version }) {
      await rm(flag, { force: true });
      await rm(startFile, { force: true });
      // A rolled-back deploy leaves an incident open, which would block the next deploy.
      for (const issue of s.github.state.issues.filter((i) => i.state === 'open')) s.github.closeIssue(issue.number);
      await s.commit({ version });
      if (latencyMs) s.github.faults.add({ latencyMs });
      const clock = new LineClock();
      const logFrom = s.github.requests.length;
      let running: Promise<unknown> | undefined;
      try {
        const deploying = s.deploy({ inputs, env, mainStep: { onStdout: clock.onStdout } });
        running = deploying;
        const ended = deploying.then(
          () => undefined,
          () => undefined,
        );
        const pass = await clock.waitFor(/round ([2-9]|\d\d+) at \S+: PASS/, 60_000, ended);
        // Uniformly placed within the round cycle after a healthy round.
        await sleep(Math.random() * INTERVAL_MS);
        writeFileSync(flag, '');
        const onset = Date.now();
        const run = await deploying;
        if (run.main.outputs.result !== 'rolled-back') {
          throw new Error(`expected result rolled-back, got ${run.main.outputs.result ?? 'none'}: ${actionError(run.main)}`);
        }
        const rollbackStart = epochMs(await readFile(startFile, 'utf8'));
        const after = clock.lines.filter((l) => l.at >= onset);
        const verdictLine = after.find((l) => VERDICT_LINE.test(l.text));
        const failedLine = after.find((l) => FAILED_LINE.test(l.text));
        const worstCaseMs = printedWorstCaseMs(run.main.stdout);
        // No API call is made while rounds run, so 50 ms of slack before the line loses nothing.
        const requestsBetween = verdictLine
          ? s.github.requests.slice(logFrom).filter((r) => r.at >= verdictLine.at - 50 && r.at <= rollbackStart).map(routeKey)
          : [];
        return {
          onset,
          rollbackStart,
          onsetAfterPassMs: onset - pass.at,
          requestsBetween,
          requestsInRun: s.github.requests.length - logFrom,
          mainMs: run.main.exitMs ?? run.main.durationMs,
          ...(verdictLine ? { verdictLine } : {}),
          ...(failedLine ? { failedLine } : {}),
          ...(worstCaseMs !== undefined ? { worstCaseMs } : {}),
        };
      } finally {
        // Never start the next trial while this deploy is still running.
        await running?.catch(() => {});
        s.github.faults.clear();
      }
    },
    async close() {
      await s.close();
      await server.close();
    },
  };
}
