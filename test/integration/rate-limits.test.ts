// The action's own client (createGitHubClient: getOctokit with the retry and throttling plugins,
// deploy-guard's stand-ins for the plugin's Bottleneck) against the GitHub double's rate limits:
// a limited request waits as GitHub says and is tried again; too many limits in a row fail it; at
// most 10 requests are in flight at once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.ts';
import type { Log } from '../../src/log.ts';
import { createGitFixture, type GitFixture } from '../support/git-fixture.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';

const warnings: string[] = [];
const log: Log = { info: () => {}, warning: (m) => void warnings.push(m), error: () => {}, group: (_t, body) => body() };

describe('GitHub rate limits through the action client', () => {
  let fixture: GitFixture;
  let double: GitHubDouble;
  let gh: GitHubClient;
  const repo = { owner: 'acme', repo: 'shop' };
  const issues = () => gh.request('GET /repos/{owner}/{repo}/issues', repo);

  beforeAll(async () => {
    fixture = await createGitFixture();
    await fixture.commitVersion({ 'app.txt': 'v1\n' }, 'v1');
    double = await startGitHubDouble({ bareRepoPath: fixture.bare, ...repo });
    gh = createGitHubClient({ token: 'test-token', baseUrl: double.url, log, userAgent: 'deploy-guard-test' });
  });
  afterAll(async () => {
    await double?.close();
    await fixture?.cleanup();
  });
  beforeEach(() => {
    warnings.length = 0;
    double.faults.clear();
  });

  it('waits out a secondary limit as Retry-After asks, then tries again', async () => {
    double.faults.add({ method: 'GET', path: '/issues', rateLimit: 'secondary', times: 1 });
    const before = double.requests.length;
    const started = Date.now();
    expect((await issues()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(double.requests.slice(before).map((r) => r.status)).toEqual([403, 200]);
    expect(warnings).toEqual([expect.stringMatching(/^GitHub secondary rate limit on GET .*\/issues; retrying in 1s$/)]);
  });

  it('waits for the reset of a primary limit, then tries again', async () => {
    double.faults.add({ method: 'GET', path: '/issues', rateLimit: 'primary', times: 1 });
    const before = double.requests.length;
    expect((await issues()).status).toBe(200);
    expect(double.requests.slice(before).map((r) => r.status)).toEqual([403, 200]);
    expect(warnings).toEqual([expect.stringMatching(/^GitHub primary rate limit on GET .*\/issues; retrying in [12]s$/)]);
  });

  it('gives up after 3 waits, with the error GitHub gave', async () => {
    double.faults.add({ method: 'GET', path: '/issues', rateLimit: 'secondary', times: 4 });
    const before = double.requests.length;
    await expect(issues()).rejects.toMatchObject({ status: 403 });
    expect(double.requests.slice(before)).toHaveLength(4);
    expect(warnings.at(-1)).toMatch(/giving up: 3 waits already$/);
  }, 10_000);

  it('has at most 10 requests in flight at once', async () => {
    double.faults.add({ method: 'GET', path: '/issues', latencyMs: 300, times: 15 });
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 15 }, () => issues()));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Ten at once, then five once the first ones end: two rounds of the injected latency.
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
  });
});
