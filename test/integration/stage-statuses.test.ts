// GitHub behaviour 29 (docs/github-behaviours.md): a deployment keeps every status posted to it, so a
// staged rollout can post one `in_progress` status per stage; a description is at most 140 characters.
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.ts';
import { DeploymentLedger } from '../../src/github/deployment-ledger.ts';
import type { Log } from '../../src/log.ts';
import { createFixtureRepo, type FixtureRepo } from '../support/github-double/fixture-repo.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';

const log: Log = { info: () => {}, warning: () => {}, error: () => {}, group: (_title, body) => body() };
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('deployment statuses of a staged rollout', () => {
  let repo: FixtureRepo;
  let double: GitHubDouble;
  let octokit: Octokit;
  let where: { owner: string; repo: string };

  beforeAll(async () => {
    repo = await createFixtureRepo(1);
    double = await startGitHubDouble({ bareRepoPath: repo.bare });
    octokit = new Octokit({ auth: 'test-token', baseUrl: double.url, log: quiet });
    where = { owner: double.owner, repo: double.repo };
  });
  afterAll(async () => {
    await double?.close();
    await repo?.cleanup();
  });

  async function newDeployment(): Promise<number> {
    const { data } = await octokit.repos.createDeployment({ ...where, ref: repo.commits[0]!, environment: 'production', auto_merge: false, required_contexts: [] });
    return (data as { id: number }).id;
  }

  it('keeps one in-progress status per stage, then the end, newest first; the ledger writes them', async () => {
    const id = await newDeployment();
    const gh = createGitHubClient({ token: 'test-token', baseUrl: double.url, log, userAgent: 'deploy-guard-test' });
    const ledger = new DeploymentLedger(gh, where, 'https://github.com/acme/shop/actions/runs/1', () => {});
    await ledger.start(id, 'stage 1/2 canary: deploying, then watching 5m');
    await ledger.progress(id, 'stage 2/2 everyone: deploying, then watching 10m');
    ledger.plan(id, { state: 'success', description: 'Healthy through 2 stages (15m); now known-good' });
    await ledger.close(id);
    // A closed deployment gets no further progress.
    await ledger.progress(id, 'stage 3/2 too late');

    const { data } = await octokit.repos.listDeploymentStatuses({ ...where, deployment_id: id });
    expect(data.map((s) => [s.state, s.description])).toEqual([
      ['success', 'Healthy through 2 stages (15m); now known-good'],
      ['in_progress', 'stage 2/2 everyone: deploying, then watching 10m'],
      ['in_progress', 'stage 1/2 canary: deploying, then watching 5m'],
    ]);
  });

  it("writes a stage's in-progress status again when the first try was lost, though the stage before left one", async () => {
    const id = await newDeployment();
    const gh = createGitHubClient({ token: 'test-token', baseUrl: double.url, log, userAgent: 'deploy-guard-test' });
    const ledger = new DeploymentLedger(gh, where, '', () => {});
    await ledger.start(id, 'stage 1/2 canary: deploying, then watching 5m');
    // The second status is not written and GitHub answers 502: deploy-guard looks before it tries again.
    double.faults.add({ method: 'POST', path: `/deployments/${id}/statuses`, status: 502, times: 1 });
    await ledger.progress(id, 'stage 2/2 everyone: deploying, then watching 10m');
    const { data } = await octokit.repos.listDeploymentStatuses({ ...where, deployment_id: id });
    expect(data.map((s) => s.description)).toEqual(['stage 2/2 everyone: deploying, then watching 10m', 'stage 1/2 canary: deploying, then watching 5m']);
  });

  it('refuses a description over 140 characters with 422, which the ledger never sends', async () => {
    const id = await newDeployment();
    const refused = await octokit.repos.createDeploymentStatus({ ...where, deployment_id: id, state: 'in_progress', description: 'x'.repeat(141) }).catch((error: { status: number }) => error);
    expect((refused as { status: number }).status).toBe(422);
    const gh = createGitHubClient({ token: 'test-token', baseUrl: double.url, log, userAgent: 'deploy-guard-test' });
    const ledger = new DeploymentLedger(gh, where, '', () => {});
    await ledger.start(id, `stage 1/1 ${'a'.repeat(40)}: ${'y'.repeat(120)}`);
    const { data } = await octokit.repos.listDeploymentStatuses({ ...where, deployment_id: id });
    expect(data[0]!.description).toHaveLength(140);
  });
});
