// The GitHub double serving more than one repository at one URL (addRepository): each with its own
// git refs, issues, labels and roles; requests go to the repository their path names; one it does
// not serve answers 404, as GitHub does for a repository a token cannot see.
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRepo, type FixtureRepo } from '../support/github-double/fixture-repo.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('GitHub double with a second repository', () => {
  let shopGit: FixtureRepo;
  let opsGit: FixtureRepo;
  let shop: GitHubDouble;
  let ops: GitHubDouble;
  let octokit: Octokit;

  beforeAll(async () => {
    [shopGit, opsGit] = await Promise.all([createFixtureRepo(1), createFixtureRepo(2)]);
    shop = await startGitHubDouble({ bareRepoPath: shopGit.bare });
    ops = await shop.addRepository({ owner: 'acme', repo: 'ops', bareRepoPath: opsGit.bare, collaborators: { 'ops-lead': 'admin' } });
    octokit = new Octokit({ auth: 'test-token', baseUrl: shop.url, log: quiet });
  });
  afterAll(async () => {
    await shop?.close();
    await Promise.all([shopGit?.cleanup(), opsGit?.cleanup()]);
  });

  it('keeps issues, numbers, refs and roles apart, at one URL', async () => {
    expect(ops.url).toBe(shop.url);
    const inOps = await octokit.rest.issues.create({ owner: 'acme', repo: 'ops', title: 'central', labels: ['deploy-incident'] });
    expect(inOps.data.number).toBe(1);
    expect(inOps.data.html_url).toBe('https://github.com/acme/ops/issues/1');
    expect((await octokit.rest.issues.listForRepo({ owner: 'acme', repo: 'shop' })).data).toEqual([]);
    expect(ops.state.issues.map((i) => i.title)).toEqual(['central']);
    expect(shop.state.issues).toEqual([]);

    const opsTip = opsGit.commits.at(-1)!;
    await octokit.rest.git.createRef({ owner: 'acme', repo: 'ops', ref: 'refs/deploy-guard/production/incidents/1', sha: opsTip });
    expect(await opsGit.git(['rev-parse', 'refs/deploy-guard/production/incidents/1'], opsGit.bare)).toBe(opsTip);
    // A commit of the other repository does not exist here.
    await expect(octokit.rest.git.createRef({ owner: 'acme', repo: 'shop', ref: 'refs/x/y/z', sha: opsTip })).rejects.toMatchObject({ status: 422 });

    const role = async (repo: string) => (await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: 'acme', repo, username: 'ops-lead' })).data.role_name;
    expect(await role('ops')).toBe('admin');
    await expect(role('shop')).rejects.toMatchObject({ status: 404 });

    ops.closeIssue(1, { by: 'ops-lead' });
    expect((await octokit.rest.issues.get({ owner: 'acme', repo: 'ops', issue_number: 1 })).data).toMatchObject({ state: 'closed', closed_by: { login: 'ops-lead' } });
    const added = (await octokit.rest.repos.get({ owner: 'acme', repo: 'ops' })).data.id;
    expect((await octokit.request('GET /repositories/{id}', { id: added })).data).toMatchObject({ full_name: 'acme/ops' });
  });

  it('answers 404 for a repository it does not serve, and refuses to serve one twice', async () => {
    await expect(octokit.rest.issues.listForRepo({ owner: 'acme', repo: 'secret' })).rejects.toMatchObject({ status: 404, response: { data: { message: 'Not Found' } } });
    await expect(shop.addRepository({ owner: 'ACME', repo: 'ops', bareRepoPath: opsGit.bare })).rejects.toThrow(/served already/);
  });
});
