// Goal 6: memory of the health watch engine over 1,000 rounds.
import { fileURLToPath } from 'node:url';
import { timedRun } from './proc.ts';
import { mib, MiB, ms } from './stats.ts';
import { judged, missed, type Measurement } from './types.ts';
import { startHealthServer } from './world.ts';

const ROUNDS = 1_000;
const INTERVAL_MS = 5;
const HEAP = { id: '6a', goal: `Memory: heapUsed growth of the watch engine, round 100 to round ${ROUNDS}`, target: '< 5 MiB', unit: 'MiB' };
const RSS = { id: '6b', goal: `Memory: RSS growth of the watch engine, round 100 to round ${ROUNDS}`, target: '< 5 MiB', unit: 'MiB' };

interface Snapshot {
  round: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

interface ChildReport {
  rounds: number;
  outcomes: Record<string, number>;
  elapsedMs: number;
  first: Snapshot;
  last: Snapshot;
}

export const memory: Measurement = {
  name: 'memory',
  title: `Memory over ${ROUNDS.toLocaleString('en-US')} health rounds`,
  goals: [HEAP, RSS],
  method:
    `Runs \`watchHealth\` from src/health/watch.ts with the action's probes (\`createProbe\`) and the real clock in a child ` +
    `\`node --expose-gc --import tsx bench/memory-child.ts\`, one http check built by the action's own \`readSettings\` ` +
    `against an HTTP server in the bench process, a round every ${INTERVAL_MS} ms and no verdict possible (huge window and ` +
    `threshold). Between rounds, after two \`gc()\` calls, it records \`process.memoryUsage()\` at round 100 and round ${ROUNDS}.`,
  async run(ctx) {
    const server = await startHealthServer();
    try {
      const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
      const run = await timedRun(ctx.node, ['--expose-gc', '--import', 'tsx', child, `${server.url}/health`, String(ROUNDS), String(INTERVAL_MS)], {
        env: { ...(process.env as Record<string, string>) },
        cwd: ctx.repoRoot,
        timeoutMs: 180_000,
      });
      const line = run.stdout.trim().split('\n').at(-1) ?? '';
      let report: ChildReport;
      try {
        report = JSON.parse(line) as ChildReport;
      } catch {
        const reason = `the watch child exited ${run.exitCode}${run.signal ? ` (${run.signal})` : ''}: ${(run.stderr || run.stdout).trim().split('\n').slice(0, 6).join(' / ')}`;
        return { goals: [missed(HEAP, reason), missed(RSS, reason)], data: { error: reason } };
      }
      const heap = report.last.heapUsed - report.first.heapUsed;
      const rss = report.last.rss - report.first.rss;
      const goals = [
        judged(HEAP, Number((heap / MiB).toFixed(2)), heap < 5 * MiB, `${mib(heap)} (${mib(report.first.heapUsed)} -> ${mib(report.last.heapUsed)})`),
        judged(RSS, Number((rss / MiB).toFixed(2)), rss < 5 * MiB, `${mib(rss)} (${mib(report.first.rss)} -> ${mib(report.last.rss)})`),
      ];
      const perRound = (heap / (report.last.round - report.first.round)).toFixed(0);
      const row = (x: Snapshot): string =>
        `| ${x.round} | ${mib(x.heapUsed)} | ${mib(x.heapTotal)} | ${mib(x.external)} | ${mib(x.arrayBuffers)} | ${mib(x.rss)} |`;
      const details = [
        `| at round | heapUsed | heapTotal | external | arrayBuffers | rss |`,
        `| ---: | ---: | ---: | ---: | ---: | ---: |`,
        row(report.first),
        row(report.last),
        '',
        'RSS after `gc()` also counts pages V8 and the allocator keep after a collection (heapTotal shows how far V8 grew its ' +
          'heap between the two forced collections), so it can grow while heapUsed does not; both are judged as measured.',
        '',
        `${report.rounds} rounds in ${ms(report.elapsedMs)} (outcomes: ${Object.entries(report.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}); ` +
          `heap growth ${perRound} bytes per round; the server answered ${server.served().total} requests.`,
      ].join('\n');
      return { goals, details, data: report };
    } finally {
      await server.close();
    }
  },
};
