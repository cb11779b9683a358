// Goal 3: API requests per operation, fresh and with 10 to 10,000 tags, deployments and issues;
// and status mode's, which read the reporting period's deployments (3f).
import { join } from 'node:path';
import { startScenario, type DeployOptions, type DeployRun, type Scenario } from '../test/support/deploy-scenario.ts';
import type { RequestLogEntry } from '../test/support/github-double/index.ts';
import { breakdown, type RouteCount } from './routes.ts';
import { actionNames, seedHistory, type SeedReport } from './seed.ts';
import { ms } from './stats.ts';
import { judged, missed, type GoalResult, type GoalSpec, type Measurement } from './types.ts';
import { actionError, startHealthServer } from './world.ts';

const GATE = { id: '3a', goal: 'API requests: gate (mode gate)', target: '<= 2 at every scale', unit: 'requests' };
const HEALTHY = { id: '3b', goal: 'API requests: healthy deploy', target: '<= 8 at every scale', unit: 'requests' };
const ROLLBACK = { id: '3c', goal: 'API requests: rollback path (failed deploy + rollback minus a healthy deploy)', target: '<= 16 more at every scale', unit: 'requests' };
const MANUAL = { id: '3d', goal: 'API requests: manual rollback (mode rollback)', target: 'same at every scale', unit: 'requests' };
const SAME = { id: '3e', goal: 'API requests: the same counts at every scale (all four)', target: 'identical', unit: 'scales differing' };
const STATUS = { id: '3f', goal: 'API requests: status mode', target: 'same count at every scale', unit: 'requests' };
const PERIOD_MS = 30 * 86_400_000;

type Op = 'gate' | 'healthy' | 'failed' | 'manual';
const OPS: Array<{ op: Op; label: string }> = [
  { op: 'gate', label: 'gate' },
  { op: 'healthy', label: 'healthy deploy' },
  { op: 'failed', label: 'failed deploy + automatic rollback' },
  { op: 'manual', label: 'manual rollback' },
];

interface OpCount {
  result: string;
  total: number;
  main: number;
  post: number;
  routes: RouteCount[];
}

interface ScaleResult {
  scale: number;
  seed: SeedReport;
  ops: Partial<Record<Op, OpCount>>;
  /** Status mode, after the four (not among them: 3e judges those four). */
  status?: OpCount;
  /** Deployments of the environment made in status mode's 30-day period when it ran, all of them and deploy-guard's. */
  period?: { all: number; own: number };
  /** Requests of the bootstrap deploy (the first one, no known-good yet): context, not a goal. */
  bootstrap?: number;
  bootstrapRoutes?: RouteCount[];
  error?: string;
}

const HEALTH = { 'health-window': '400ms', 'health-interval': '200ms', 'request-timeout': '150ms', 'failure-threshold': '3' };

async function counted(s: Scenario, expected: string, options: DeployOptions): Promise<OpCount> {
  const before = s.github.requests.length;
  const run: DeployRun = await s.deploy(options);
  const all: RequestLogEntry[] = s.github.requests.slice(before);
  const result = run.main.outputs.result ?? 'none';
  if (result !== expected) throw new Error(`expected result ${expected}, got ${result}: ${actionError(run.main)}`);
  return { result, total: all.length, main: all.length - run.postRequests.length, post: run.postRequests.length, routes: breakdown(all) };
}

async function measureScale(scale: number, distDir: string, log: (m: string) => void): Promise<ScaleResult> {
  const s = await startScenario({ distDir });
  const flag = join(s.fixture.root, 'service-broken');
  const server = await startHealthServer(flag).catch(async (error: unknown) => {
    await s.close();
    throw error;
  });
  const out: ScaleResult = { scale, seed: { tags: 0, deployments: 0, issues: 0, ms: 0 }, ops: {} };
  try {
    const base = { 'deploy-command': 'true', 'health-url': `${server.url}/health`, ...HEALTH };
    const env = { BENCH_FLAG_FILE: flag };
    const v1 = await s.commit({ version: 'v1' });
    out.seed = await seedHistory(s, scale, v1, await actionNames());
    log(`api-requests: scale ${scale}: seeded in ${ms(out.seed.ms)}`);

    const bootstrapFrom = s.github.requests.length;
    const boot = await s.deploy({ inputs: base, env });
    if (boot.main.outputs.result !== 'deployed') throw new Error(`bootstrap deploy: ${actionError(boot.main)}`);
    out.bootstrap = s.github.requests.length - bootstrapFrom;
    out.bootstrapRoutes = breakdown(s.github.requests.slice(bootstrapFrom));

    out.ops.gate = await counted(s, 'clear', { inputs: { ...base, mode: 'gate' }, env });
    await s.commit({ version: 'v2' });
    out.ops.healthy = await counted(s, 'deployed', { inputs: base, env });
    await s.commit({ version: 'v3' });
    // The deploy breaks the service; rolling back repairs it.
    out.ops.failed = await counted(s, 'rolled-back', {
      inputs: { ...base, 'deploy-command': 'touch "$BENCH_FLAG_FILE"', 'rollback-command': 'rm -f "$BENCH_FLAG_FILE"' },
      env,
    });
    s.github.setCollaborator('octo-maintainer', 'maintain');
    out.ops.manual = await counted(s, 'rolled-back', {
      inputs: { ...base, mode: 'rollback', reason: 'benchmark: manual rollback to known-good' },
      env: { ...env, GITHUB_ACTOR: 'octo-maintainer' },
    });
    const since = Date.now() - PERIOD_MS;
    const inPeriod = s.github.state.deployments.filter((d) => d.environment === 'production' && Date.parse(d.created_at) >= since);
    out.period = { all: inPeriod.length, own: inPeriod.filter((d) => d.task === 'deploy:deploy-guard').length };
    out.status = await counted(s, 'reported', { inputs: { ...base, mode: 'status' }, env });
  } catch (error) {
    out.error = (error as Error).message;
  } finally {
    await s.close();
    await server.close();
  }
  return out;
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const scaleName = (n: number): string => (n === 0 ? 'fresh' : fmt(n));

export const apiRequests: Measurement = {
  name: 'api-requests',
  title: 'API requests per operation, fresh and at scale',
  goals: [GATE, HEALTHY, ROLLBACK, MANUAL, SAME, STATUS],
  method:
    "Counts the GitHub API double's request log (`github.requests`) over the main and the post step of each operation. " +
    'For every scale a new repository gets N pre-deploy tags of the environment (`git update-ref --stdin`, then `pack-refs`), ' +
    'N finished deployments (success then inactive, or failure) and N issues (70% closed incidents of the environment with ' +
    "the action's label and marker, 10% closed incidents of another environment, 20% ordinary issues, half open), written " +
    "straight into the double's memory. Then, in order: a first deploy (makes a known-good; not judged), a gate, a healthy " +
    'deploy, a deploy that breaks the health check and is rolled back automatically, and a manual rollback to known-good ' +
    '(the incident is still open). The rollback path is the failed deploy\'s count minus the healthy deploy\'s. ' +
    'Last, status mode (3f) reads the 30-day period: the seeded deployments are spread over 390 days ending 10 days ago, so ' +
    'the period holds none of them at 10, about 5% of them at 1,000 and 10,000 (with GitHub\'s job deployments, about 100 and ' +
    '1,000), besides the measured runs\' own.',
  async run(ctx) {
    const scales = ctx.quick ? [0, 1_000] : [0, 10, 1_000, 10_000];
    const results: ScaleResult[] = [];
    for (const scale of scales) {
      const started = performance.now();
      results.push(await measureScale(scale, ctx.distDir, ctx.log));
      ctx.log(`api-requests: scale ${scale} done in ${ms(performance.now() - started)}${results.at(-1)!.error ? ` (error: ${results.at(-1)!.error})` : ''}`);
    }

    const count = (r: ScaleResult, op: Op): number | undefined => r.ops[op]?.total;
    const rollbackPath = (r: ScaleResult): number | undefined => {
      const failed = count(r, 'failed');
      const healthy = count(r, 'healthy');
      return failed === undefined || healthy === undefined ? undefined : failed - healthy;
    };
    const errors = [...new Set(results.filter((r) => r.error).map((r) => r.error!))].map(
      (error) => `scale ${results.filter((r) => r.error === error).map((r) => fmt(r.scale)).join(', ')}: ${error.slice(0, 300)}`,
    );
    const judge = (spec: GoalSpec, values: Array<number | undefined>, limit: number): GoalResult => {
      const known = values.filter((v): v is number => v !== undefined);
      if (known.length === 0) return missed(spec, errors.join('; ') || 'not measured');
      const worst = Math.max(...known);
      const all = values.map((v, i) => `${scaleName(scales[i]!)}: ${v ?? 'n/a'}`).join(', ');
      return judged(spec, worst, worst <= limit && known.length === values.length, `max ${worst} (${all})`, known.length < values.length ? errors.join('; ') : undefined);
    };
    const goals: GoalResult[] = [
      judge(GATE, results.map((r) => count(r, 'gate')), 2),
      judge(HEALTHY, results.map((r) => count(r, 'healthy')), 8),
      judge(ROLLBACK, results.map(rollbackPath), 16),
    ];
    const manual = results.map((r) => count(r, 'manual'));
    const manualKnown = manual.filter((v): v is number => v !== undefined);
    goals.push(
      manualKnown.length === 0
        ? missed(MANUAL, errors.join('; ') || 'not measured')
        : judged(MANUAL, Math.max(...manualKnown), manualKnown.length === manual.length && new Set(manualKnown).size === 1, manual.map((v, i) => `${scaleName(scales[i]!)}: ${v ?? 'n/a'}`).join(', ')),
    );
    const differing = OPS.filter(({ op }) => new Set(results.map((r) => count(r, op) ?? -1)).size > 1).map(({ label }) => label);
    goals.push(
      errors.length
        ? missed(SAME, errors.join('; '))
        : judged(SAME, differing.length, differing.length === 0, differing.length ? `differ: ${differing.join(', ')}` : 'identical at every scale'),
    );

    const status = results.map((r) => r.status?.total);
    const statusKnown = status.filter((v): v is number => v !== undefined);
    const pages = (r: ScaleResult): number | undefined => r.status?.routes.filter((x) => x.route.startsWith('POST /graphql')).reduce((n, x) => n + x.count, 0);
    const periods = results
      .map((r, i) => `${scaleName(scales[i]!)}: ${r.period ? `${r.period.all} (${r.period.own} deploy-guard's), ${pages(r) ?? 'n/a'} GraphQL page(s)` : 'n/a'}`)
      .join('; ');
    goals.push(
      statusKnown.length === 0
        ? missed(STATUS, errors.join('; ') || 'not measured')
        : judged(
            STATUS,
            Math.max(...statusKnown),
            statusKnown.length === status.length && new Set(statusKnown).size === 1,
            status.map((v, i) => `${scaleName(scales[i]!)}: ${v ?? 'n/a'}`).join(', '),
            `status mode reads the 30-day period's deployments in GraphQL pages of 100; the seeded history is older than the period, so only the bench's own runs are in it: ${periods}`,
          ),
    );

    return { goals, details: renderDetails(results, scales), data: { scales, results } };
  },
};

function renderDetails(results: ScaleResult[], scales: number[]): string {
  const head = `| operation | ${scales.map(scaleName).join(' | ')} |`;
  const rule = `| --- | ${scales.map(() => '---:').join(' | ')} |`;
  const cell = (r: ScaleResult, op: Op): string => {
    const c = r.ops[op];
    return c ? `${c.total} (${c.main}+${c.post})` : 'error';
  };
  const lines = [
    'Requests per operation, as total (main step + post step):',
    '',
    head,
    rule,
    `| first deploy (no known-good yet; context) | ${results.map((r) => r.bootstrap ?? 'error').join(' | ')} |`,
    ...OPS.map(({ op, label }) => `| ${label} | ${results.map((r) => cell(r, op)).join(' | ')} |`),
    `| status mode | ${results.map((r) => (r.status ? `${r.status.total} (${r.status.main}+${r.status.post})` : 'error')).join(' | ')} |`,
    `| deployments in status mode's 30-day period (deploy-guard's) | ${results.map((r) => (r.period ? `${r.period.all} (${r.period.own})` : 'error')).join(' | ')} |`,
    `| rollback path (failed minus healthy) | ${results
      .map((r) => (r.ops.failed && r.ops.healthy ? String(r.ops.failed.total - r.ops.healthy.total) : 'error'))
      .join(' | ')} |`,
    `| seeding time | ${results.map((r) => ms(r.seed.ms)).join(' | ')} |`,
    '',
    'The first deploy is context only: at scale its newest-deployment check also reads the newest seeded deployment\'s ' +
      'status, which a fresh repository does not have. Every judged operation runs after it, so each starts from the same state.',
    '',
    ...results.filter((r) => r.error).map((r) => `Scale ${fmt(r.scale)} stopped: ${r.error}`),
  ];
  const routesOf = (r: ScaleResult, op: Op | 'first' | 'status'): RouteCount[] | undefined =>
    op === 'first' ? r.bootstrapRoutes : op === 'status' ? r.status?.routes : r.ops[op]?.routes;
  for (const { op, label } of [...OPS, { op: 'status' as const, label: 'status mode' }, { op: 'first' as const, label: 'first deploy (context)' }]) {
    const routes = [...new Set(results.flatMap((r) => routesOf(r, op)?.map((x) => x.route) ?? []))];
    lines.push('', `<details><summary>Requests of the ${label}, by route</summary>`, '', head.replace('operation', 'method and route (status: count)'), rule);
    for (const route of routes) {
      const cells = results.map((r) => {
        const row = routesOf(r, op)?.find((x) => x.route === route);
        if (!row) return routesOf(r, op) ? '0' : 'error';
        const statuses = Object.entries(row.statuses).map(([status, n]) => `${status}: ${n}`).join(', ');
        return `${row.count} (${statuses})`;
      });
      lines.push(`| \`${route.replace(/\|/g, '\\|')}\` | ${cells.join(' | ')} |`);
    }
    lines.push('', '</details>');
  }
  return lines.join('\n');
}
