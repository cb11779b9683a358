// Issue 15: what one more stage of a staged rollout (the `stages` input) costs a healthy deploy, in
// API requests and in time, measured as one-stage against two-stage deploys of the same world.
import { startScenario, type DeployRun, type Scenario } from '../test/support/deploy-scenario.ts';
import { breakdown, type RouteCount } from './routes.ts';
import { ms, spread, summarize } from './stats.ts';
import { judged, missed, type GoalResult, type Measurement } from './types.ts';
import { actionError, startHealthServer } from './world.ts';

const WINDOW = '1s';
const WINDOW_MS = 1_000;
/** What a stage may cost beyond its window: its command (`true`), its in-progress status and the window's round timing. */
const OVERHEAD_LIMIT_MS = 1_000;
const REQUESTS = { id: '15a', goal: 'API requests: one more stage of a healthy staged deploy', target: '<= 1 more (its in-progress status)', unit: 'requests' };
const TIME = {
  id: '15b',
  goal: `Time: one more stage of a healthy staged deploy, beyond the stage's ${WINDOW} window`,
  target: `median <= ${ms(OVERHEAD_LIMIT_MS)}`,
  unit: 'ms',
};
const HEALTH = { 'health-window': '400ms', 'health-interval': '200ms', 'request-timeout': '150ms', 'failure-threshold': '3' };

interface StagedRun {
  stages: number;
  requests: number;
  mainMs: number;
  routes: RouteCount[];
}

function stagesInput(count: number): string {
  return Array.from({ length: count }, (_, i) => `- name: stage-${i + 1}\n  command: "true"\n  window: ${WINDOW}\n`).join('');
}

async function stagedDeploy(s: Scenario, base: Record<string, string>, stages: number, version: string): Promise<StagedRun> {
  await s.commit({ version });
  const before = s.github.requests.length;
  const run: DeployRun = await s.deploy({ inputs: { ...base, 'deploy-command': '', 'rollback-command': 'true', stages: stagesInput(stages) } });
  if (run.main.outputs.result !== 'deployed') throw new Error(`${stages}-stage deploy: ${actionError(run.main)}`);
  const all = s.github.requests.slice(before);
  return { stages, requests: all.length, mainMs: run.main.durationMs, routes: breakdown(all) };
}

export const stageCost: Measurement = {
  name: 'stage-cost',
  title: 'The cost of one more stage (staged rollout)',
  goals: [REQUESTS, TIME],
  method:
    `A fresh repository on the API double and a healthy HTTP service; a first deploy without stages makes a known-good. Then, ` +
    `alternately, healthy staged deploys of a new commit with one stage and with two, each stage's command \`true\` and its ` +
    `window ${WINDOW} (rounds every ${HEALTH['health-interval']}). Requests are the double's request log over the main and the ` +
    `post step; time is the main step's wall time. One more stage costs the two-stage deploy's count minus the one-stage ` +
    `deploy's, and the two medians' difference in time, less the extra stage's ${WINDOW} window.`,
  async run(ctx) {
    const pairs = ctx.quick ? 2 : 5;
    const s = await startScenario({ distDir: ctx.distDir });
    const server = await startHealthServer();
    const runs: StagedRun[] = [];
    try {
      const base = { 'deploy-command': 'true', 'health-url': `${server.url}/health`, ...HEALTH };
      await s.commit({ version: 'v1' });
      const boot = await s.deploy({ inputs: base });
      if (boot.main.outputs.result !== 'deployed') throw new Error(`first deploy: ${actionError(boot.main)}`);
      for (let i = 0; i < pairs; i += 1) {
        for (const stages of [1, 2]) {
          runs.push(await stagedDeploy(s, base, stages, `s${i}-${stages}`));
          ctx.log(`stage-cost: pair ${i + 1}/${pairs}, ${stages} stage(s): ${runs.at(-1)!.requests} requests, ${ms(runs.at(-1)!.mainMs)}`);
        }
      }
    } finally {
      await s.close();
      await server.close();
    }
    return judge(runs);
  },
};

function judge(runs: StagedRun[]): { goals: GoalResult[]; details: string; data: unknown } {
  const one = runs.filter((r) => r.stages === 1);
  const two = runs.filter((r) => r.stages === 2);
  if (!one.length || !two.length) return { goals: [missed(REQUESTS, 'no runs'), missed(TIME, 'no runs')], details: '', data: { runs } };
  const counts = (rs: StagedRun[]) => [...new Set(rs.map((r) => r.requests))];
  const extraRequests = Math.max(...two.map((r) => r.requests)) - Math.min(...one.map((r) => r.requests));
  const [oneTime, twoTime] = [summarize(one.map((r) => r.mainMs)), summarize(two.map((r) => r.mainMs))];
  const extraMs = twoTime.median - oneTime.median;
  const overhead = extraMs - WINDOW_MS;
  const goals = [
    judged(REQUESTS, extraRequests, extraRequests <= 1, `${extraRequests} more (one stage: ${counts(one).join(' or ')}; two: ${counts(two).join(' or ')})`),
    judged(TIME, Math.round(overhead), overhead <= OVERHEAD_LIMIT_MS, `${ms(overhead)} beyond the window (${ms(extraMs)} in all)`),
  ];
  const extraRoutes = two[0]!.routes
    .map((r) => ({ route: r.route, more: r.count - (one[0]!.routes.find((x) => x.route === r.route)?.count ?? 0) }))
    .filter((r) => r.more !== 0);
  const details = [
    '| staged deploy | API requests (main + post) | main step |',
    '| --- | ---: | --- |',
    `| one stage | ${counts(one).join(' or ')} | ${spread(oneTime)} |`,
    `| two stages | ${counts(two).join(' or ')} | ${spread(twoTime)} |`,
    '',
    `What the second stage added, by route: ${extraRoutes.map((r) => `\`${r.route}\` ${r.more > 0 ? '+' : ''}${r.more}`).join(', ') || 'nothing'}.`,
  ].join('\n');
  return { goals, details, data: { window: WINDOW, runs: runs.map(({ routes: _routes, ...r }) => r) } };
}
