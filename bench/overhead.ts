// Goal 2: what a whole healthy deploy costs when the deploy and the health check cost nothing.
import { startScenario, type DeployRun } from '../test/support/deploy-scenario.ts';
import { gnuTimeAvailable, timePrefix, withTimeFile } from './proc.ts';
import { MiB, mib, ms, spread, summarize } from './stats.ts';
import { judged, missed, type GoalResult, type Measurement } from './types.ts';
import { actionError, startHealthServer } from './world.ts';

const WALL = { id: '2a', goal: 'Overhead: healthy deploy, main + post (deploy `true`, window 0s)', target: 'median < 400 ms', unit: 'ms' };
const RSS = { id: '2b', goal: 'Overhead: peak RSS of the main step', target: '< 70 MiB', unit: 'MiB' };

export const overhead: Measurement = {
  name: 'overhead',
  title: 'Overhead of a whole healthy deploy',
  goals: [WALL, RSS],
  method:
    "Runs deploy-scenario's `deploy()` (the main step, then the post step, as the runner does) with `deploy-command: true`, " +
    '`health-window: 0s` and `health-url` pointing at an in-process HTTP server that always answers 200, against the GitHub API ' +
    "double and a real git repository. Time is the main step's process lifetime plus the post step's (spawn to exit, as " +
    'runAction reports it); the harness work around them (temp files, reading action.yml) is listed separately. One warm-up, ' +
    'then the median. Peak RSS of the main step comes from separate runs under `/usr/bin/time -f %M` (the largest of node ' +
    'and of the processes it waited for, git and bash, which are far smaller).',
  async run(ctx) {
    const server = await startHealthServer();
    const s = await startScenario({ distDir: ctx.distDir });
    try {
      await s.commit({ version: 'v1' });
      const inputs = { 'deploy-command': 'true', 'health-url': `${server.url}/health`, 'health-window': '0s' };
      const deploy = async (mainStep?: { commandPrefix: string[] }): Promise<{ run: DeployRun; harnessMs: number }> => {
        const started = performance.now();
        const run = await s.deploy({ inputs, ...(mainStep ? { mainStep } : {}) });
        const harnessMs = performance.now() - started;
        if (run.main.outputs.result !== 'deployed') throw new Error(`the deploy did not succeed (result ${run.main.outputs.result ?? 'none'}): ${actionError(run.main)}`);
        return { run, harnessMs };
      };

      let first: { run: DeployRun; harnessMs: number };
      try {
        first = await deploy();
      } catch (error) {
        const reason = (error as Error).message;
        return { goals: [missed(WALL, reason), missed(RSS, reason)], data: { error: reason } };
      }
      const runs = ctx.quick ? 3 : 10;
      const wall: number[] = [];
      const mainMs: number[] = [];
      const postMs: number[] = [];
      const harness: number[] = [];
      const requests: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const before = s.github.requests.length;
        const { run, harnessMs } = await deploy();
        mainMs.push(run.main.exitMs ?? run.main.durationMs);
        postMs.push(run.post.exitMs ?? run.post.durationMs);
        wall.push(mainMs.at(-1)! + postMs.at(-1)!);
        harness.push(harnessMs);
        requests.push(s.github.requests.length - before);
      }
      const w = summarize(wall);
      const goals: GoalResult[] = [judged(WALL, Math.round(w.median), w.median < 400, `${ms(w.median)} median of ${runs} (max ${ms(w.max)})`)];

      const time = await gnuTimeAvailable();
      const rss: number[] = [];
      if (time.ok) {
        for (let i = 0; i < (ctx.quick ? 1 : 3); i += 1) {
          const { kib } = await withTimeFile((file) => deploy({ commandPrefix: timePrefix(file) }));
          if (kib !== undefined) rss.push(kib * 1024);
        }
        const peak = rss.length ? Math.max(...rss) : undefined;
        goals.push(
          peak === undefined
            ? missed(RSS, '/usr/bin/time reported no number')
            : judged(RSS, Number((peak / MiB).toFixed(1)), peak < 70 * MiB, `${mib(peak)} (max of ${rss.length} run${rss.length === 1 ? '' : 's'})`),
        );
      } else {
        goals.push(missed(RSS, time.reason));
      }

      const details = [
        `| part | time |`,
        `| --- | --- |`,
        `| main + post | ${spread(w)} |`,
        `| main step | ${spread(summarize(mainMs))} |`,
        `| post step | ${spread(summarize(postMs))} |`,
        `| whole \`deploy()\` call incl. harness | ${spread(summarize(harness))} |`,
        '',
        `API requests per deploy: ${[...new Set(requests)].join(', ')}. The warm-up deploy (no known-good yet) took ${ms((first.run.main.exitMs ?? 0) + (first.run.post.exitMs ?? 0))}.`,
      ].join('\n');
      return { goals, details, data: { wallMs: wall, mainMs, postMs, harnessMs: harness, rssBytes: rss, requestsPerDeploy: requests } };
    } finally {
      await s.close();
      await server.close();
    }
  },
};
