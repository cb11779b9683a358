// Status mode's reads through GitHub's GraphQL API, end to end: dist/ as the runner runs it against
// the GitHub API double. The requests stay the same however long the history before the reporting
// period, and a GraphQL error answer fails the step with the query and GitHub's message.
import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import type { SeedDeployment } from '../support/github-double/index.ts';

const DAY = 86_400_000;
let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** `count` runs long before the period, as GitHub and deploy-guard leave them (the job's own deployment, then deploy-guard's). */
function oldRuns(count: number, sha: string): SeedDeployment[] {
  const start = Date.now() - 400 * DAY;
  return Array.from({ length: count }, (_, i): SeedDeployment[] => [
    { sha, creator: 'octocat', at: start + i * 60_000, statuses: [{ state: 'queued' }, { state: 'in_progress' }, { state: 'success' }] },
    {
      sha,
      task: 'deploy:deploy-guard',
      at: start + i * 60_000,
      payload: { 'deploy-guard': { rollback: false, run: { id: String(i), attempt: '1', kind: 'deploy' } } },
      statuses: [{ state: 'in_progress' }, { state: 'success' }, { state: 'inactive' }],
    },
  ]).flat();
}

describe('status mode', () => {
  it('makes the same requests with no history and with 5,000 runs before the period: one GraphQL query and the gate', async () => {
    const routes: Record<number, string[]> = {};
    const reports: Record<number, { last30Days: unknown; recentDeployments: unknown[] }> = {};
    for (const history of [0, 5_000]) {
      s = await startScenario();
      const v1 = await s.commit({ version: 'v1' });
      s.github.seed.deployments(oldRuns(history, v1));
      await s.deploy();
      const before = s.github.requests.length;
      const { main } = await s.deploy({ inputs: { mode: 'status' } });
      expect(main.exitCode, main.stdout).toBe(0);
      routes[history] = s.github.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/\/repos\/acme\/shop/, '')}${r.operation ? ` ${r.operation}` : ''}`);
      reports[history] = JSON.parse(main.outputs.status!);
      await s.close();
      s = undefined;
    }
    expect(routes[0]!.filter((r) => r.startsWith('POST /graphql'))).toEqual(['POST /graphql DeploymentHistory']);
    expect(routes[5_000]).toEqual(routes[0]);
    // The period is the same (one deploy); the newest ten reach into the history when there is one.
    expect(reports[5_000]!.last30Days).toEqual(reports[0]!.last30Days);
    expect(reports[0]!.recentDeployments).toHaveLength(1);
    expect(reports[5_000]!.recentDeployments).toHaveLength(10);
  });

  it('fails, naming the query and GitHub\'s message, when GitHub answers the query with errors', async () => {
    s = await startScenario();
    await s.commit({ version: 'v1' });
    s.github.faults.add({
      path: '/graphql',
      operation: 'DeploymentHistory',
      rawBody: JSON.stringify({ data: null, errors: [{ type: 'FORBIDDEN', path: ['repository', 'deployments'], message: 'Resource not accessible by integration' }] }),
    });
    const { main } = await s.deploy({ inputs: { mode: 'status' } });
    expect(main.exitCode).toBe(1);
    expect(main.stdout).toContain('GitHub GraphQL query DeploymentHistory failed: FORBIDDEN: Resource not accessible by integration');
  });
});
