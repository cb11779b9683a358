// The double's emulation of what GitHub does around Actions (docs/github-behaviours.md): a job's
// environment deployment, refs refused without the workflows permission, the task filter, bots and
// custom roles on the collaborator-permission endpoint.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRepo, type FixtureRepo } from '../support/github-double/fixture-repo.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const IDENTITY = ['-c', 'user.name=t', '-c', 'user.email=t@example.com'];

let repo: FixtureRepo;
let double: GitHubDouble;
/** Like GITHUB_TOKEN: an installation token. */
let actionsToken: Octokit;
/** A personal access token. */
let personalToken: Octokit;
const owner = { owner: 'acme', repo: 'shop' };
let beforeWorkflowChange: string;
let tip: string;

beforeAll(async () => {
  repo = await createFixtureRepo(2);
  beforeWorkflowChange = repo.commits[1]!;
  await mkdir(join(repo.clone, '.github/workflows'), { recursive: true });
  await writeFile(join(repo.clone, '.github/workflows/ci.yml'), 'on: push\njobs: {}\n');
  await repo.git(['add', '.']);
  await repo.git([...IDENTITY, 'commit', '--quiet', '-m', 'add CI']);
  await repo.git(['push', '--quiet', 'origin', 'main']);
  tip = await repo.git(['rev-parse', 'HEAD']);
  double = await startGitHubDouble({ bareRepoPath: repo.bare });
  actionsToken = new Octokit({ auth: 'ghs_installationtoken0000000000000000', baseUrl: double.url, log: quiet });
  personalToken = new Octokit({ auth: 'github_pat_11AAAAAAA0personal', baseUrl: double.url, log: quiet });
});

afterAll(async () => {
  await double?.close();
  await repo?.cleanup();
});

describe("a job's environment deployment", () => {
  it('is made in the name of the run actor with an empty payload and task deploy, queued then in progress, then the job result', async () => {
    const job = double.startJobDeployment({ actor: 'octocat', sha: tip, ref: 'main', environment: 'production', jobUrl: 'https://github.com/acme/shop/actions/runs/1/job/2' });
    const { data } = await personalToken.repos.getDeployment({ ...owner, deployment_id: job.id });
    expect(data).toMatchObject({ sha: tip, ref: 'main', task: 'deploy', payload: {}, environment: 'production', creator: { login: 'octocat', type: 'User' } });
    const states = async () => (await personalToken.repos.listDeploymentStatuses({ ...owner, deployment_id: job.id })).data.map((st) => st.state);
    expect(await states()).toEqual(['in_progress', 'queued']);
    job.finish('failure');
    job.finish('success'); // a job ends once
    expect(await states()).toEqual(['failure', 'in_progress', 'queued']);
    const statuses = await personalToken.repos.listDeploymentStatuses({ ...owner, deployment_id: job.id });
    expect(statuses.data[0]).toMatchObject({ log_url: 'https://github.com/acme/shop/actions/runs/1/job/2', creator: { login: 'octocat' } });
  });

  it('is left out of a listing filtered by task', async () => {
    await personalToken.repos.createDeployment({ ...owner, ref: tip, environment: 'production', task: 'deploy:deploy-guard', auto_merge: false, required_contexts: [] });
    const ours = await personalToken.repos.listDeployments({ ...owner, environment: 'production', task: 'deploy:deploy-guard' });
    expect(ours.data.map((d) => d.task)).toEqual(['deploy:deploy-guard']);
    const all = await personalToken.repos.listDeployments({ ...owner, environment: 'production' });
    expect(all.data.map((d) => d.task).sort()).toEqual(['deploy', 'deploy:deploy-guard']);
  });
});

describe('refs and the workflows permission', () => {
  it('refuses an installation token a ref on a commit whose workflows differ from the default branch tip', async () => {
    const refused = await actionsToken.git.createRef({ ...owner, ref: 'refs/tags/old', sha: beforeWorkflowChange }).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      status: 403,
      response: { data: { message: 'Resource not accessible by integration' }, headers: { 'x-accepted-github-permissions': 'contents=write; contents=write,workflows=write' } },
    });
    // The tip's own workflows are fine, and so is moving a tag there; moving it back is refused.
    expect((await actionsToken.git.createRef({ ...owner, ref: 'refs/tags/at-tip', sha: tip })).status).toBe(201);
    const back = await actionsToken.git.updateRef({ ...owner, ref: 'tags/at-tip', sha: beforeWorkflowChange, force: true }).catch((error: unknown) => error);
    expect(back).toMatchObject({ status: 403 });
    expect(await repo.git(['rev-parse', 'refs/tags/at-tip'], repo.bare)).toBe(tip);
  });

  it('lets a personal token, or an App granted workflows: write, write the same refs', async () => {
    expect((await personalToken.git.createRef({ ...owner, ref: 'refs/tags/by-person', sha: beforeWorkflowChange })).status).toBe(201);
    double.setWorkflowsPermission(true);
    try {
      expect((await actionsToken.git.createRef({ ...owner, ref: 'refs/tags/by-app', sha: beforeWorkflowChange })).status).toBe(201);
    } finally {
      double.setWorkflowsPermission(false);
    }
  });
});

describe('collaborator permission of bots and custom roles', () => {
  it('answers 404 for a bot and the base role for a custom role', async () => {
    await expect(personalToken.repos.getCollaboratorPermissionLevel({ ...owner, username: 'github-actions[bot]' })).rejects.toMatchObject({ status: 404 });
    double.setCollaborator('captain', { name: 'release-manager', base: 'maintain' });
    const { data } = await personalToken.repos.getCollaboratorPermissionLevel({ ...owner, username: 'captain' });
    expect(data).toMatchObject({ permission: 'write', role_name: 'release-manager', user: { permissions: { maintain: true, admin: false } } });
  });
});

describe('conditional requests', () => {
  it('answers a GET with a weak etag, and 304 with no body when if-none-match matches', async () => {
    const first = await fetch(`${double.url}/repos/acme/shop/deployments`, { headers: { authorization: 'token ghp_x' } });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const again = await fetch(`${double.url}/repos/acme/shop/deployments`, { headers: { authorization: 'token ghp_x', 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });
});

describe('a deleted issue', () => {
  it('answers 410 Gone, and its number is never given again', async () => {
    const first = await personalToken.issues.create({ ...owner, title: 'to be deleted' });
    double.deleteIssue(first.data.number);
    await expect(personalToken.issues.get({ ...owner, issue_number: first.data.number })).rejects.toMatchObject({ status: 410 });
    const next = await personalToken.issues.create({ ...owner, title: 'after it' });
    expect(next.data.number).toBe(first.data.number + 1);
  });
});
