// Goal 3g and 3h (issue 15): status mode's requests with 30 and with 365 days of history, at a
// realistic rate (six deploy runs a day, one in ten failing and rolled back), for its default
// 30-day period and for a 365-day one. The 30-day period makes the same requests whatever the
// history's length; the 365-day period reads one GraphQL page per 100 deployments of the period.
import { startScenario, type Scenario } from '../test/support/deploy-scenario.ts';
import type { SeedDeployment } from '../test/support/github-double/index.ts';
import { breakdown, type RouteCount } from './routes.ts';
import { ms } from './stats.ts';
import { judged, missed, type GoalResult, type Measurement } from './types.ts';
import { actionError } from './world.ts';

const SAME = { id: '3g', goal: 'API requests: status mode (30-day period) with 30 and with 365 days of history', target: 'same count for both', unit: 'requests' };
const YEAR = {
  id: '3h',
  goal: 'API requests: status mode (365-day period) over 365 days of history',
  target: 'one GraphQL page per 100 deployments of the period, plus the gate',
  unit: 'requests',
};
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RUNS_PER_DAY = 6;
const HISTORIES = [30, 365] as const;
const PERIODS = ['30d', '365d'] as const;

interface StatusCount {
  total: number;
  pages: number;
  routes: RouteCount[];
  /** Deployments of the environment in the period (GitHub's job deployments among them). */
  inPeriod: number;
  deploys?: number;
}

interface HistoryResult {
  days: number;
  deployments: number;
  seedMs: number;
  periods: Partial<Record<(typeof PERIODS)[number], StatusCount>>;
  error?: string;
}

/**
 * `days` of runs from an hour into the period to an hour ago, each as GitHub and deploy-guard leave it: the job's own
 * deployment, then deploy-guard's (success then inactive); every tenth fails and is rolled back
 * (the rollback names the deployment it undid). Returns how many deployments were made.
 */
function seedRuns(s: Scenario, sha: string, days: number, now: number): number {
  const count = days * RUNS_PER_DAY;
  const start = now - days * DAY + HOUR;
  let made = 0;
  for (let i = 0; i < count; i += 1) {
    const at = start + Math.floor((i * (days * DAY - 2 * HOUR)) / count);
    const run = { id: String(700_000 + i), attempt: '1', kind: 'deploy' };
    const failed = i % 10 === 3;
    const job: SeedDeployment = { sha, creator: 'octocat', at, statuses: [{ state: 'queued' }, { state: 'in_progress' }, { state: failed ? 'failure' : 'success' }] };
    const own: SeedDeployment = {
      sha,
      task: 'deploy:deploy-guard',
      at,
      payload: { 'deploy-guard': { rollback: false, run } },
      statuses: failed
        ? [{ state: 'in_progress' }, { state: 'failure', at: at + 300_000, description: 'unhealthy: 3 consecutive health rounds failed (failure-threshold is 3); failed checks: "health-url"' }]
        : [{ state: 'in_progress' }, { state: 'success', at: at + 300_000 }, { state: 'inactive', at: at + DAY / RUNS_PER_DAY }],
    };
    const [, ownRecord] = s.github.seed.deployments([job, own]);
    made += 2;
    if (!failed) continue;
    s.github.seed.deployments([
      {
        sha,
        task: 'deploy:deploy-guard',
        at: at + 310_000,
        payload: { 'deploy-guard': { rollback: true, 'rollback-of': ownRecord!.id, run: { ...run, kind: 'rollback' } } },
        statuses: [{ state: 'in_progress' }, { state: 'success', at: at + 610_000 }],
      },
    ]);
    made += 1;
  }
  return made;
}

async function statusRun(s: Scenario, period: string): Promise<StatusCount> {
  const before = s.github.requests.length;
  const since = Date.now() - Number(period.slice(0, -1)) * DAY;
  const run = await s.deploy({ inputs: { mode: 'status', period } });
  if (run.main.outputs.result !== 'reported') throw new Error(`status mode (${period}): ${actionError(run.main)}`);
  const all = s.github.requests.slice(before);
  const report = JSON.parse(run.main.outputs.status ?? '{}') as { figures?: { deploys?: { count?: number } } };
  return {
    total: all.length,
    pages: all.filter((r) => r.operation === 'DeploymentHistory').length,
    routes: breakdown(all),
    inPeriod: s.github.state.deployments.filter((d) => d.environment === 'production' && Date.parse(d.created_at) >= since).length,
    ...(report.figures?.deploys?.count !== undefined ? { deploys: report.figures.deploys.count } : {}),
  };
}

async function measureHistory(days: number, distDir: string): Promise<HistoryResult> {
  const s = await startScenario({ distDir });
  const out: HistoryResult = { days, deployments: 0, seedMs: 0, periods: {} };
  try {
    const sha = await s.commit({ version: 'v1' });
    const t0 = performance.now();
    out.deployments = seedRuns(s, sha, days, Date.now());
    out.seedMs = performance.now() - t0;
    for (const period of PERIODS) out.periods[period] = await statusRun(s, period);
  } catch (error) {
    out.error = (error as Error).message;
  } finally {
    await s.close();
  }
  return out;
}

export const statusHistory: Measurement = {
  name: 'status-history',
  title: "Status mode's requests with 30 and 365 days of history",
  goals: [SAME, YEAR],
  method:
    `Seeds a repository with ${RUNS_PER_DAY} deploy runs a day over 30 days, and another over 365 days, straight into the ` +
    "double's memory, each run as GitHub and deploy-guard leave it (the job's own deployment, then deploy-guard's; every tenth " +
    'fails and is rolled back, a third deployment), ending an hour ago. In each, status mode runs with `period: 30d` and ' +
    'with `period: 365d`, and the requests of its main and post steps are counted. 3g: the 30-day period makes the same requests ' +
    'with either history. 3h: the 365-day period over 365 days of history reads one GraphQL page per 100 deployments of the ' +
    "period (GitHub's job deployments count) and the gate's requests, which do not depend on the period.",
  async run(ctx) {
    const results: HistoryResult[] = [];
    for (const days of HISTORIES) {
      const t0 = performance.now();
      results.push(await measureHistory(days, ctx.distDir));
      ctx.log(`status-history: ${days} days of history done in ${ms(performance.now() - t0)}${results.at(-1)!.error ? ` (error: ${results.at(-1)!.error})` : ''}`);
    }
    const errors = results.filter((r) => r.error).map((r) => `${r.days} days: ${r.error!.slice(0, 300)}`);
    const [month, year] = results as [HistoryResult, HistoryResult];
    const goals: GoalResult[] = [];
    const a = month.periods['30d'];
    const b = year.periods['30d'];
    goals.push(
      a && b
        ? judged(SAME, Math.max(a.total, b.total), a.total === b.total, `30 days of history: ${a.total}, 365 days: ${b.total}`, `GraphQL pages ${a.pages} and ${b.pages}`)
        : missed(SAME, errors.join('; ') || 'not measured'),
    );
    const y = year.periods['365d'];
    const gate = y ? y.total - y.pages : 0;
    goals.push(
      y
        ? judged(
            YEAR,
            y.total,
            y.pages === Math.ceil(y.inPeriod / 100) && b !== undefined && gate === b.total - b.pages,
            `${y.total} (${y.pages} GraphQL pages for ${y.inPeriod.toLocaleString('en-US')} deployments of the period, ${gate} other requests)`,
          )
        : missed(YEAR, errors.join('; ') || 'not measured'),
    );
    return { goals, details: details(results), data: { results } };
  },
};

function details(results: HistoryResult[]): string {
  const head = `| | ${results.map((r) => `${r.days} days of history`).join(' | ')} |`;
  const cell = (r: HistoryResult, period: (typeof PERIODS)[number]) => {
    const c = r.periods[period];
    return c ? `${c.total} (${c.pages} GraphQL pages; ${c.inPeriod.toLocaleString('en-US')} deployments in the period, ${c.deploys ?? 'n/a'} deploys counted)` : 'error';
  };
  return [
    'Requests of status mode (main + post step):',
    '',
    head,
    `| --- | ${results.map(() => '---').join(' | ')} |`,
    `| deployments seeded | ${results.map((r) => r.deployments.toLocaleString('en-US')).join(' | ')} |`,
    ...PERIODS.map((p) => `| period ${p} | ${results.map((r) => cell(r, p)).join(' | ')} |`),
    `| seeding time | ${results.map((r) => ms(r.seedMs)).join(' | ')} |`,
    '',
    ...results.filter((r) => r.error).map((r) => `${r.days} days of history stopped: ${r.error}`),
  ].join('\n');
}
