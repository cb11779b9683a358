// A hung GitHub API request does not hang the run (issue 12, Medium 7), through dist/ as the
// runner runs it: every request has a deadline (DEPLOY_GUARD_API_TIMEOUT, 30 s by default), a
// request that misses it is retried, and one that never answers ends the run in `failed` with an
// error naming the route, within a bounded time, with no deployment left in progress.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NODE24, startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

/** Far longer than the deadline and than the test: the double never answers in time. */
const HANG_MS = 10 * 60_000;
const FAST_DEADLINE = { DEPLOY_GUARD_API_TIMEOUT: '1s' };

let s: Scenario;
beforeEach(async () => {
  s = await startScenario();
  await s.commit({ version: 'v1' });
});
afterEach(async () => {
  await s?.close();
});

describe('a GitHub API request that does not answer', () => {
  it.each([
    ['Node 20', undefined],
    ['Node 24', NODE24],
  ])('is retried after its deadline, and the deploy goes on (%s)', async (_node, nodeBinary) => {
    s.github.faults.add({ method: 'GET', path: /\/issues$/, latencyMs: HANG_MS, times: 1 });
    const started = Date.now();
    const run = await s.deploy({ env: FAST_DEADLINE, timeoutMs: 40_000, ...(nodeBinary ? { nodeBinary } : {}) });
    expect(run.main.outputs.result, run.main.stdout + run.main.stderr).toBe('deployed');
    expect(Date.now() - started).toBeLessThan(30_000);
    const reads = s.github.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues'));
    expect(reads.length, 'the hung read was sent again').toBeGreaterThanOrEqual(2);
  });

  it('ends the run in failed, naming the route and the deadline, with its deployment closed', async () => {
    s.github.faults.add({ method: 'POST', path: '/git/refs', latencyMs: HANG_MS });
    const started = Date.now();
    const { main, post } = await s.deploy({ env: FAST_DEADLINE, timeoutMs: 40_000 });
    const elapsed = Date.now() - started;
    expect(main.timedOut, 'the run hung').toBe(false);
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toContain('GitHub API POST /git/refs timed out: no answer within 1s (the last of its tries)');
    expect(main.exitCode).toBe(1);
    expect(post.exitCode).toBe(0);
    // Three sends of the create (each looked for before the next), not a hang.
    expect(elapsed).toBeLessThan(30_000);
    const deployments = await githubView(s.github).deployments();
    expect(deployments).toHaveLength(1);
    expect(deployments[0]!.states.at(-1)).not.toMatch(/^(in_progress|queued|pending)$/);
    expect(await s.service.currentVersion(), 'nothing was deployed').toBeUndefined();
  });

  it('a read that never answers fails once its retries are spent (4 tries, 1 + 4 + 9 s apart)', async () => {
    s.github.faults.add({ method: 'GET', path: /\/issues$/, latencyMs: HANG_MS });
    const started = Date.now();
    const { main } = await s.deploy({ env: FAST_DEADLINE, timeoutMs: 50_000 });
    const elapsed = Date.now() - started;
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toContain('GitHub API GET /issues timed out: no answer within 1s (the last of its tries)');
    const tries = s.github.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues'));
    expect(tries).toHaveLength(4);
    expect(elapsed).toBeGreaterThan(4 * 1_000 + 14_000);
    expect(elapsed).toBeLessThan(40_000);
    const deployments = await githubView(s.github).deployments();
    expect(deployments.map((d) => d.states.at(-1))).not.toContain('in_progress');
  }, 90_000);
});
