// Status mode's delivery figures, end to end: dist/ as the runner runs it against the GitHub API
// double, with history seeded as deploy-guard and its drills leave it, a real healthy deploy and a
// real failed deploy rolled back. The `status` output's figures, the summary's "Delivery figures"
// section, and the GraphQL pages: one for 30 days, one per 100 deployments for 365 days.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import type { SeedDeployment } from '../support/github-double/index.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const TASK = 'deploy:deploy-guard';
let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** An empty commit committed (and authored) at `at`, pushed: GitHub reports its committedDate. */
async function commitAt(scenario: Scenario, at: number, message: string): Promise<string> {
  const date = new Date(at).toISOString();
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  await promisify(execFile)('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', 'commit', '--quiet', '--allow-empty', '-m', message], { cwd: scenario.fixture.work, env });
  await scenario.fixture.git(['push', '--quiet', 'origin', 'main']);
  return scenario.fixture.git(['rev-parse', 'HEAD']);
}

/** A deploy-guard deployment as the action leaves it: the marker, and statuses `[state, ms after at, description?]`. */
function own(sha: string, at: number, marker: Record<string, unknown>, statuses: Array<[string, number, string?]>): SeedDeployment {
  return {
    sha,
    task: TASK,
    at,
    payload: { 'deploy-guard': { rollback: false, ...marker } },
    statuses: statuses.map(([state, after, description]) => ({ state: state as 'success', at: at + after, ...(description ? { description } : {}) })),
  };
}
const ok = (after = 5 * MIN): Array<[string, number]> => [['in_progress', 0], ['success', after]];

describe('status mode: delivery figures', () => {
  it('reports the figures of the period as JSON and in the summary, with GraphQL pages as many as the period needs', async () => {
    s = await startScenario();
    const now = Date.now();
    await s.commit({ version: 'v1' });
    const c1 = await commitAt(s, now - 12 * DAY, 'change one');
    const c2 = await commitAt(s, now - 6 * DAY, 'change two');
    const bad = now - 5 * DAY;
    // Before the period: 250 healthy deploys, 100 to 300 days ago (only the 365-day period reaches them).
    s.github.seed.deployments(Array.from({ length: 250 }, (_, i) => own(c1, now - 300 * DAY + i * 0.8 * DAY, { run: { id: String(i) } }, ok())));
    s.github.seed.deployments([
      own(c1, now - 20 * DAY, { drill: 'back', 'drill-run': 776 }, ok()),
      own(c1, now - 20 * DAY + 10 * MIN, { drill: 'forward', 'drill-run': 776 }, ok()),
      own(c1, now - 10 * DAY, {}, ok()),
      own(c2, bad, {}, [['in_progress', 0], ['failure', 5 * MIN, 'unhealthy: 3 consecutive health rounds failed (failure-threshold is 3); failed checks: "db", "health-url"']]),
    ]);
    const badId = s.github.state.deployments.at(-1)!.id;
    s.github.seed.deployments([
      own(c1, bad + 6 * MIN, { rollback: true, 'rollback-of': badId }, ok()),
      own(c1, now - 4 * DAY, { rollback: true, manual: true, actor: 'octo-maintainer', reason: 'slow checkout' }, ok()),
      own(c2, now - 3 * DAY, { 'dry-run': true }, ok()),
      own(c2, now - 2 * DAY, { drill: 'back', 'drill-run': 777 }, ok()),
      own(c1, now - 2 * DAY + 10 * MIN, { drill: 'forward', 'drill-run': 777 }, [['in_progress', 0], ['failure', 5 * MIN, 'unhealthy: 3 consecutive health rounds failed']]),
    ]);

    expect((await s.deploy()).main.outputs.result).toBe('deployed'); // c2, 6 days after its commit
    await s.commit({ version: 'v2', health: 'fail' });
    const failed = await s.deploy();
    expect(failed.main.outputs.result).toBe('rolled-back');
    const failure = s.github.state.deploymentStatuses.find((st) => st.deployment_id === Number(failed.main.outputs['deployment-id']) && st.state === 'failure');
    expect(failure!.description).toMatch(/; failed checks: "health-url"$/);

    const status = async (period: string) => {
      const before = s!.github.requests.length;
      const { main } = await s!.deploy({ inputs: { mode: 'status', period } });
      expect(main.exitCode, main.stdout).toBe(0);
      const routes = s!.github.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/\/repos\/acme\/shop/, '')}${r.operation ? ` ${r.operation}` : ''}`);
      return { report: JSON.parse(main.outputs.status!), summary: main.summary, routes };
    };

    const month = await status('30d');
    expect(month.routes.filter((r) => r.startsWith('POST /graphql'))).toEqual(['POST /graphql DeploymentHistory']);
    const f = month.report.figures;
    expect(f.period.days).toBe(30);
    expect(f.deploys).toEqual({ count: 4, perDay: 0.133, perWeek: 0.933 });
    expect(f.failedDeploys).toBe(2);
    expect(f.changeFailureRate).toBe(0.5);
    expect(f.timeToRestore).toMatchObject({ restored: 2, unrestored: 0, worstMs: 11 * MIN });
    expect(f.timeToRestore.medianMs).toBeLessThan(11 * MIN);
    expect(f.leadTime.count).toBe(2);
    expect(f.leadTime.p90Ms).toBeGreaterThanOrEqual(6 * DAY);
    expect(f.leadTime.p90Ms).toBeLessThan(6 * DAY + 5 * MIN);
    expect(f.rollbacks).toEqual({ count: 3, succeeded: 3, failed: 0, successRate: 1, automatic: 2, manual: 1 });
    expect(f.failedChecks).toEqual([{ check: 'health-url', failures: 2 }, { check: 'db', failures: 1 }]);
    expect(f.lastDrill).toMatchObject({ run: 777, result: 'failed', failedLeg: 'forward' });
    expect(f.lastDrill.legs.map((l: { leg: string; state: string }) => [l.leg, l.state])).toEqual([['back', 'success'], ['forward', 'failure']]);
    expect(f.weeks).toHaveLength(5);
    expect(f.weeks.reduce((n: number, w: { deploys: number }) => n + w.deploys, 0)).toBe(4);
    // The drill legs are not deploys in last30Days either.
    expect(month.report.last30Days).toMatchObject({ deploys: 5, rollbacks: 3 });

    expect(month.summary).toContain('### Delivery figures (last 30 days)');
    expect(month.summary).toContain('| Deploy frequency | 4 deploys: 0.133 a day, 0.933 a week |');
    expect(month.summary).toContain('| Change failure rate | 50% (2 of 4 deploys failed) |');
    expect(month.summary).toContain('| Rollbacks | 3: 3 succeeded, 0 failed (success rate 100%); 2 automatic, 1 manual |');
    expect(month.summary).toContain('| Checks that failed most | `health-url` (2), `db` (1) |');
    expect(month.summary).toContain('| Last drill | **failed** (forward leg): run 777, ');
    expect(month.summary).toMatch(/```mermaid\n%%\{init: .*\}%%\nxychart-beta\n/);
    expect(month.summary).toContain('  line "failed deploys" [');

    const year = await status('365d');
    const all = s.github.state.deployments.filter((d) => d.environment === 'production').length;
    expect(all).toBeGreaterThan(200); // three pages and more
    expect(year.routes.filter((r) => r.startsWith('POST /graphql'))).toEqual(Array(Math.ceil(all / 100)).fill('POST /graphql DeploymentHistory'));
    expect(year.routes.filter((r) => !r.startsWith('POST /graphql'))).toEqual(month.routes.filter((r) => !r.startsWith('POST /graphql')));
    expect(year.report.figures.deploys.count).toBe(254);
    expect(year.report.figures.lastDrill.run).toBe(777);
    expect(year.summary).toContain('### Delivery figures (last 365 days)');
  });

  it('shows "no drill in the period" and refuses a period it cannot read, before anything is read', async () => {
    s = await startScenario();
    await s.commit({ version: 'v1' });
    await s.deploy();
    const { main } = await s.deploy({ inputs: { mode: 'status', period: '7d' } });
    expect(JSON.parse(main.outputs.status!).figures).toMatchObject({ period: { days: 7 }, deploys: { count: 1 }, lastDrill: null });
    expect(main.summary).toContain('| Last drill | no drill in the period |');

    const before = s.github.requests.length;
    const refused = await s.deploy({ inputs: { mode: 'status', period: '2y' } });
    expect(refused.main.exitCode).toBe(1);
    expect(refused.main.stdout).toContain('Input "period": "2y" is not a period; write a number of days from 1d to 365d, e.g. 30d or 90d');
    expect(s.github.requests.slice(before).filter((r) => r.path.includes('graphql'))).toEqual([]);
  });
});
