// Behaviour of the GitHub double that the action relies on: real git refs, deployments' auto-inactive,
// issue filters, pagination, GitHub-style errors and injected faults seen by Octokit's plugins.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRepo, type FixtureRepo } from '../support/github-double/fixture-repo.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';

const ResilientOctokit = Octokit.plugin(retry, throttling);
/** Octokit logs every failed request; these tests provoke failures on purpose. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface ErrorWithResponse {
  status: number;
  response?: { data: unknown; headers: Record<string, string | undefined> };
}

async function failure(promise: Promise<unknown>): Promise<ErrorWithResponse> {
  try {
    await promise;
  } catch (error) {
    return error as ErrorWithResponse;
  }
  throw new Error('expected the request to fail');
}

describe('GitHub double behaviour', () => {
  let repo: FixtureRepo;
  let double: GitHubDouble;
  let octokit: Octokit;
  let owner: { owner: string; repo: string };

  beforeAll(async () => {
    repo = await createFixtureRepo(3);
    double = await startGitHubDouble({ bareRepoPath: repo.bare });
    octokit = new Octokit({ auth: 'test-token', baseUrl: double.url, log: quiet });
    owner = { owner: double.owner, repo: double.repo };
  });

  afterEach(() => double.faults.clear());

  afterAll(async () => {
    await double?.close();
    await repo?.cleanup();
  });

  describe('git refs live in the bare repository', () => {
    const tag = 'deploy-guard/production/known-good';

    it('a tag created through the API is fetchable with git, and a forced PATCH moves it', async () => {
      const [first, second, third] = repo.commits as [string, string, string];
      const created = await octokit.git.createRef({ ...owner, ref: `refs/tags/${tag}`, sha: second });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`${double.url}/repos/acme/shop/git/refs/tags/${tag}`);

      await repo.git(['fetch', '--quiet', 'origin', `refs/tags/${tag}:refs/tags/${tag}`]);
      expect(await repo.git(['rev-parse', `refs/tags/${tag}^{commit}`])).toBe(second);

      // Moving a tag backwards is not a fast-forward…
      const refused = await failure(octokit.git.updateRef({ ...owner, ref: `tags/${tag}`, sha: first }));
      expect(refused.status).toBe(422);
      expect(refused.response?.data).toMatchObject({ message: 'Update is not a fast forward', status: '422' });
      // …unless forced.
      const moved = await octokit.git.updateRef({ ...owner, ref: `tags/${tag}`, sha: first, force: true });
      expect(moved.data.object.sha).toBe(first);
      await repo.git(['fetch', '--quiet', '--force', 'origin', `refs/tags/${tag}:refs/tags/${tag}`]);
      expect(await repo.git(['rev-parse', `refs/tags/${tag}^{commit}`])).toBe(first);

      // A fast-forward needs no force.
      const forward = await octokit.git.updateRef({ ...owner, ref: `tags/${tag}`, sha: third });
      expect(forward.data.object.sha).toBe(third);
      expect(await repo.git(['rev-parse', `refs/tags/${tag}`], repo.bare)).toBe(third);
    });

    it('answers GitHub errors for missing, duplicate and malformed refs', async () => {
      const missing = await failure(octokit.git.getRef({ ...owner, ref: 'tags/no-such-tag' }));
      expect(missing.status).toBe(404);
      expect(missing.response?.data).toEqual({
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference',
        status: '404',
      });
      const duplicate = await failure(octokit.git.createRef({ ...owner, ref: 'refs/heads/main', sha: repo.commits[0]! }));
      expect(duplicate.response?.data).toMatchObject({ message: 'Reference already exists' });
      const unknownSha = await failure(octokit.git.createRef({ ...owner, ref: 'refs/tags/x', sha: 'f'.repeat(40) }));
      expect(unknownSha.response?.data).toMatchObject({ message: 'Object does not exist' });
      const badName = await failure(octokit.git.createRef({ ...owner, ref: 'tags/x', sha: repo.commits[0]! }));
      expect(badName.status).toBe(422);
      const gone = await failure(octokit.git.deleteRef({ ...owner, ref: 'tags/never-was' }));
      expect(gone.response?.data).toMatchObject({ message: 'Reference does not exist' });
    });

    it('serves the legacy /git/refs listing and prefix lookups', async () => {
      const all = await octokit.request('GET /repos/{owner}/{repo}/git/refs', owner);
      expect((all.data as Array<{ ref: string }>).map((ref) => ref.ref)).toContain('refs/heads/main');
      const tags = await octokit.request('GET /repos/{owner}/{repo}/git/refs/tags', owner);
      expect(Array.isArray(tags.data)).toBe(true);
      const main = await octokit.request('GET /repos/{owner}/{repo}/git/refs/heads/main', owner);
      expect(main.data).toMatchObject({ ref: 'refs/heads/main', object: { type: 'commit' } });
    });

    it('shows annotated tags with object type "tag"', async () => {
      await repo.git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'tag', '-a', 'v-annotated', '-m', 'release']);
      await repo.git(['push', '--quiet', 'origin', 'refs/tags/v-annotated']);
      const { data } = await octokit.git.getRef({ ...owner, ref: 'tags/v-annotated' });
      expect(data.object.type).toBe('tag');
      expect(data.object.url).toContain('/git/tags/');
    });
  });

  describe('deployments', () => {
    it('a success status marks earlier non-transient deployments of the environment inactive', async () => {
      const deploy = async (environment: string, extra: Record<string, unknown> = {}) =>
        (await octokit.repos.createDeployment({ ...owner, ref: 'main', environment, required_contexts: [], ...extra })).data as {
          id: number;
          sha: string;
          production_environment: boolean;
        };
      const older = await deploy('staging-ai');
      const transient = await deploy('staging-ai', { transient_environment: true });
      const other = await deploy('qa-ai');
      const newer = await deploy('staging-ai');
      expect(older.sha).toBe(repo.commits[2]);
      expect(older.production_environment).toBe(false);
      for (const id of [older.id, transient.id, other.id]) {
        await octokit.repos.createDeploymentStatus({ ...owner, deployment_id: id, state: 'success' });
      }
      await octokit.repos.createDeploymentStatus({ ...owner, deployment_id: newer.id, state: 'in_progress' });
      await octokit.repos.createDeploymentStatus({ ...owner, deployment_id: newer.id, state: 'success' });

      const states = async (id: number) =>
        (await octokit.repos.listDeploymentStatuses({ ...owner, deployment_id: id })).data.map((status) => status.state);
      expect(await states(older.id)).toEqual(['inactive', 'success']);
      expect(await states(transient.id)).toEqual(['success']);
      expect(await states(other.id)).toEqual(['success']);
      expect(await states(newer.id)).toEqual(['success', 'in_progress']);

      // auto_inactive: false leaves earlier deployments alone.
      const third = await deploy('staging-ai');
      await octokit.repos.createDeploymentStatus({ ...owner, deployment_id: third.id, state: 'success', auto_inactive: false });
      expect(await states(newer.id)).toEqual(['success', 'in_progress']);
    });

    it('filters, orders newest first, and validates like GitHub', async () => {
      const { data } = await octokit.repos.listDeployments({ ...owner, environment: 'staging-ai' });
      expect(data.length).toBeGreaterThanOrEqual(3);
      const ids = data.map((deployment) => deployment.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));

      const tooLong = await failure(
        octokit.repos.createDeploymentStatus({ ...owner, deployment_id: ids[0]!, state: 'failure', description: 'x'.repeat(141) }),
      );
      expect(tooLong.status).toBe(422);
      expect(tooLong.response?.data).toMatchObject({ message: 'Validation Failed', errors: [{ field: 'description' }] });
      const noRef = await failure(octokit.repos.createDeployment({ ...owner, ref: 'no-such-branch' }));
      expect(noRef.response?.data).toMatchObject({ message: 'No ref found for: no-such-branch' });
      const checks = await failure(octokit.repos.createDeployment({ ...owner, ref: 'main', required_contexts: ['ci/test'] }));
      expect(checks.status).toBe(409);
    });

    it('auto-merges the default branch into a branch that is behind it (202), as GitHub does', async () => {
      const base = repo.commits[0]!;
      await octokit.git.createRef({ ...owner, ref: 'refs/heads/behind', sha: base });
      const response = await octokit.repos.createDeployment({ ...owner, ref: 'behind', environment: 'review' });
      expect(response.status).toBe(202);
      expect(response.data).toEqual({ message: 'Auto-merged main into behind on deployment.' });
      const merged = await repo.git(['rev-parse', 'refs/heads/behind'], repo.bare);
      expect(await repo.git(['rev-list', '--parents', '-n', '1', merged], repo.bare)).toContain(repo.commits[2]!);
      const again = await octokit.repos.createDeployment({ ...owner, ref: 'behind', environment: 'review' });
      expect(again.status).toBe(201);
    });
  });

  describe('issues', () => {
    it('filters by labels (all must match, any case), state and creator', async () => {
      const make = async (title: string, labels: string[]) =>
        (await octokit.issues.create({ ...owner, title, labels })).data.number;
      const both = await make('both', ['deploy-guard', 'incident:production']);
      const onlyGuard = await make('guard only', ['deploy-guard']);
      const staging = await make('staging', ['deploy-guard', 'incident:staging']);

      const titles = async (params: Record<string, string>) =>
        (await octokit.issues.listForRepo({ ...owner, ...params })).data.map((issue) => issue.title);
      expect(await titles({ labels: 'deploy-guard,incident:production' })).toEqual(['both']);
      expect(await titles({ labels: 'DEPLOY-GUARD' })).toEqual(['staging', 'guard only', 'both']);
      expect(await titles({ labels: 'deploy-guard', direction: 'asc' })).toEqual(['both', 'guard only', 'staging']);

      double.closeIssue(staging);
      expect(await titles({ labels: 'deploy-guard' })).toEqual(['guard only', 'both']);
      expect(await titles({ labels: 'deploy-guard', state: 'closed' })).toEqual(['staging']);
      expect(await titles({ labels: 'deploy-guard', state: 'all', creator: 'github-actions[bot]' })).toHaveLength(3);
      expect(await titles({ labels: 'deploy-guard', creator: 'someone-else' })).toEqual([]);

      const closed = (await octokit.issues.get({ ...owner, issue_number: staging })).data;
      expect(closed).toMatchObject({ state: 'closed', state_reason: 'completed', closed_by: { login: 'octo-maintainer', type: 'User' } });
      expect(closed.html_url).toBe(`https://github.com/acme/shop/issues/${staging}`);
      expect(closed.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
      expect(double.state.labels.find((label) => label.name === 'incident:production')).toMatchObject({ color: 'ededed' });
      expect([both, onlyGuard]).toHaveLength(2);
    });

    it('comments count on the issue and list oldest first', async () => {
      const { data: issue } = await octokit.issues.create({ ...owner, title: 'with comments' });
      await octokit.issues.createComment({ ...owner, issue_number: issue.number, body: 'one' });
      await octokit.issues.createComment({ ...owner, issue_number: issue.number, body: 'two' });
      const { data: comments } = await octokit.issues.listComments({ ...owner, issue_number: issue.number });
      expect(comments.map((comment) => comment.body)).toEqual(['one', 'two']);
      expect(comments[0]!.html_url).toBe(`https://github.com/acme/shop/issues/${issue.number}#issuecomment-${comments[0]!.id}`);
      expect((await octokit.issues.get({ ...owner, issue_number: issue.number })).data.comments).toBe(2);
    });

    it('paginates with Link headers: 150 issues, per_page=100 → 2 pages', async () => {
      const pages = await startGitHubDouble({ bareRepoPath: repo.bare, repo: 'paged' });
      try {
        const client = new Octokit({ auth: 'test-token', baseUrl: pages.url });
        const where = { owner: pages.owner, repo: pages.repo };
        for (let i = 1; i <= 150; i += 1) await client.issues.create({ ...where, title: `issue ${i}` });

        const first = await client.issues.listForRepo({ ...where, per_page: 100 });
        expect(first.data).toHaveLength(100);
        expect(first.headers.link).toBe(
          `<${pages.url}/repos/acme/paged/issues?per_page=100&page=2>; rel="next", ` +
            `<${pages.url}/repos/acme/paged/issues?per_page=100&page=2>; rel="last"`,
        );
        const before = pages.requests.length;
        const all = await client.paginate(client.issues.listForRepo, { ...where, per_page: 100 });
        expect(all).toHaveLength(150);
        expect(all[0]!.title).toBe('issue 150');
        expect(new Set(all.map((issue) => issue.number)).size).toBe(150);
        const listed = pages.requests.slice(before);
        expect(listed.map((entry) => entry.query.page ?? '1')).toEqual(['1', '2']);
        const second = await client.issues.listForRepo({ ...where, per_page: 100, page: 2 });
        expect(second.headers.link).toContain('rel="prev"');
        expect(second.headers.link).toContain('rel="first"');
        expect(second.headers.link).not.toContain('rel="next"');
        const beyond = await client.issues.listForRepo({ ...where, per_page: 100, page: 3 });
        expect(beyond.data).toEqual([]);
      } finally {
        await pages.close();
      }
    });
  });

  describe('commit comments', () => {
    it('comments on a commit by its full or short sha, lists them per commit, and refuses an unknown commit or an empty body', async () => {
      const [first, second] = repo.commits as [string, string];
      const { data: made, headers } = await octokit.repos.createCommitComment({ ...owner, commit_sha: first.slice(0, 7), body: 'warn-only check failed' });
      expect(made).toMatchObject({ commit_id: first, body: 'warn-only check failed', path: null, user: { login: 'github-actions[bot]' } });
      expect(made.html_url).toBe(`https://github.com/acme/shop/commit/${first}#commitcomment-${made.id}`);
      expect(headers.location).toBe(`${double.url}/repos/acme/shop/comments/${made.id}`);
      await octokit.repos.createCommitComment({ ...owner, commit_sha: second, body: 'another commit' });
      const listed = await octokit.repos.listCommentsForCommit({ ...owner, commit_sha: first });
      expect(listed.data.map((c) => c.body)).toEqual(['warn-only check failed']);
      await expect(octokit.repos.createCommitComment({ ...owner, commit_sha: 'f'.repeat(40), body: 'x' })).rejects.toMatchObject({
        status: 422,
        response: { data: { message: `No commit found for SHA: ${'f'.repeat(40)}` } },
      });
      await expect(octokit.repos.createCommitComment({ ...owner, commit_sha: first, body: ' ' })).rejects.toMatchObject({ status: 422 });
      expect(double.state.commitComments.map((c) => c.commit_id)).toEqual([first, second]);
    });
  });

  describe('labels', () => {
    it('seeds GitHub default labels and refuses duplicates with already_exists', async () => {
      const names = (await octokit.issues.listLabelsForRepo({ ...owner, per_page: 100 })).data.map((label) => label.name);
      expect(names).toContain('bug');
      const duplicate = await failure(octokit.issues.createLabel({ ...owner, name: 'BUG', color: '000000' }));
      expect(duplicate.status).toBe(422);
      expect(duplicate.response?.data).toEqual({
        message: 'Validation Failed',
        errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
        documentation_url: 'https://docs.github.com/rest/issues/labels#create-a-label',
        status: '422',
      });
    });
  });

  describe('collaborator permissions, the clock, and deployment listings (a double of their own)', () => {
    const DAY = 86_400_000;
    const MINUTE = 60_000;
    const start = Date.parse('2024-03-01T12:00:00Z');
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const permissionDocs = 'https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user';
    let t = start;
    let seeded: GitHubDouble;
    let client: Octokit;
    let where: { owner: string; repo: string };
    const permissionOf = async (username: string) =>
      (await client.repos.getCollaboratorPermissionLevel({ ...where, username })).data;
    const deploy = async (environment: string) =>
      (await client.repos.createDeployment({ ...where, ref: 'main', environment, required_contexts: [] })).data as {
        id: number;
        environment: string;
        created_at: string;
        updated_at: string;
      };

    beforeAll(async () => {
      seeded = await startGitHubDouble({
        bareRepoPath: repo.bare,
        repo: 'seeded',
        collaborators: {
          octocat: 'admin',
          'Mai-Tainer': 'maintain',
          writer: 'write',
          triager: 'triage',
          reader: 'read',
          // A bot is never a collaborator, whatever a test asks (docs/github-behaviours.md, item 4).
          'GitHub-Actions[bot]': 'admin',
          // A custom repository role inherits a base role (logins are case-insensitive).
          'Release-Captain': { name: 'release-manager', base: 'maintain' },
        },
        now: () => t,
      });
      client = new Octokit({ auth: 'test-token', baseUrl: seeded.url, log: quiet });
      where = { owner: seeded.owner, repo: seeded.repo };
    });

    afterAll(async () => {
      await seeded?.close();
    });

    it('answers every role as GitHub does: maintain reads as write, triage as read', async () => {
      const all = { admin: true, maintain: true, push: true, triage: true, pull: true };
      const expectations: Array<[string, string, string, string, Record<string, boolean>]> = [
        // username asked, login answered, permission, role_name, permissions hash
        ['octocat', 'octocat', 'admin', 'admin', all],
        ['mai-tainer', 'Mai-Tainer', 'write', 'maintain', { ...all, admin: false }],
        ['WRITER', 'writer', 'write', 'write', { ...all, admin: false, maintain: false }],
        ['triager', 'triager', 'read', 'triage', { admin: false, maintain: false, push: false, triage: true, pull: true }],
        ['reader', 'reader', 'read', 'read', { admin: false, maintain: false, push: false, triage: false, pull: true }],
        ['octo-maintainer', 'octo-maintainer', 'write', 'maintain', { ...all, admin: false }],
        ['release-captain', 'Release-Captain', 'write', 'release-manager', { ...all, admin: false }],
      ];
      for (const [username, login, permission, roleName, permissions] of expectations) {
        const data = await permissionOf(username);
        expect(data, username).toEqual({
          permission,
          role_name: roleName,
          user: expect.objectContaining({ login, permissions, role_name: roleName, site_admin: false }),
        });
      }
      expect((await permissionOf('octocat')).user).toMatchObject({ type: 'User', html_url: 'https://github.com/octocat' });
      for (const bot of ['github-actions[bot]', 'GitHub-Actions[bot]', 'dependabot[bot]']) {
        await expect(permissionOf(bot), bot).rejects.toMatchObject({ status: 404 });
      }

      // Without options, the default maintainer maintains and the token's identity (a bot) has no role.
      await expect(octokit.repos.getCollaboratorPermissionLevel({ ...owner, username: 'github-actions[bot]' })).rejects.toMatchObject({ status: 404 });
      const maintainer = await octokit.repos.getCollaboratorPermissionLevel({ ...owner, username: 'octo-maintainer' });
      expect(maintainer.data).toMatchObject({ permission: 'write', role_name: 'maintain' });
    });

    it('setCollaborator changes a role at once; null leaves an account that may still read the public repository', async () => {
      seeded.setCollaborator('reader', 'admin');
      expect(await permissionOf('reader')).toMatchObject({ permission: 'admin', role_name: 'admin' });
      seeded.setCollaborator('newcomer', 'triage');
      expect(await permissionOf('newcomer')).toMatchObject({ permission: 'read', role_name: 'triage' });
      seeded.setCollaborator('WRITER', null);
      expect(await permissionOf('writer')).toMatchObject({
        permission: 'read',
        role_name: 'read',
        user: { login: 'writer', role_name: 'read', permissions: { pull: true, triage: false, push: false, maintain: false, admin: false } },
      });
      expect(() => seeded.setCollaborator('x', 'owner' as never)).toThrow(/unknown role "owner"/);
    });

    it('answers 404 "<login> is not a user" for a login that is no account', async () => {
      const missing = await failure(client.repos.getCollaboratorPermissionLevel({ ...where, username: 'nobody-here' }));
      expect(missing.status).toBe(404);
      expect(missing.response?.data).toEqual({ message: 'nobody-here is not a user', documentation_url: permissionDocs, status: '404' });
      // Only the configured accounts exist: octocat is known to the seeded double, not to the default one.
      const elsewhere = await failure(octokit.repos.getCollaboratorPermissionLevel({ ...owner, username: 'octocat' }));
      expect(elsewhere.response?.data).toMatchObject({ message: 'octocat is not a user' });
      const otherRepo = await failure(client.repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'other', username: 'octocat' }));
      expect(otherRepo.response?.data).toMatchObject({ message: 'Not Found' });
    });

    it('stamps created_at, updated_at and closed_at from `now`, so history can be seeded days back', async () => {
      const { data: repository } = await client.repos.get(where);
      expect(repository.created_at).toBe(iso(start));

      t = start - 40 * DAY;
      const old = await deploy('history');
      expect(old).toMatchObject({ created_at: iso(t), updated_at: iso(t) });
      t += MINUTE;
      const success = await client.repos.createDeploymentStatus({ ...where, deployment_id: old.id, state: 'success' });
      expect(success.data.created_at).toBe(iso(start - 40 * DAY + MINUTE));
      expect((await client.repos.getDeployment({ ...where, deployment_id: old.id })).data).toMatchObject({
        created_at: iso(start - 40 * DAY),
        updated_at: iso(start - 40 * DAY + MINUTE),
      });

      t = start - 10 * DAY;
      const { data: issue } = await client.issues.create({ ...where, title: 'incident ten days ago' });
      expect(issue).toMatchObject({ created_at: iso(t), updated_at: iso(t), closed_at: null });
      t += DAY;
      const { data: comment } = await client.issues.createComment({ ...where, issue_number: issue.number, body: 'looking' });
      expect(comment.created_at).toBe(iso(start - 9 * DAY));
      t += DAY;
      seeded.closeIssue(issue.number);
      const closed = (await client.issues.get({ ...where, issue_number: issue.number })).data;
      expect(closed).toMatchObject({ created_at: iso(start - 10 * DAY), closed_at: iso(start - 8 * DAY), updated_at: iso(start - 8 * DAY) });
      const since = await client.issues.listForRepo({ ...where, state: 'all', since: iso(start - 8 * DAY - 1000) });
      expect(since.data.map((item) => item.number)).toEqual([issue.number]);

      // setNow swaps the clock; today's success marks the 40-day-old deployment inactive, stamped today.
      seeded.setNow(() => start);
      const today = await deploy('history');
      expect(today.created_at).toBe(iso(start));
      await client.repos.createDeploymentStatus({ ...where, deployment_id: today.id, state: 'success' });
      const oldStatuses = (await client.repos.listDeploymentStatuses({ ...where, deployment_id: old.id })).data;
      expect(oldStatuses.map((status) => [status.state, status.created_at])).toEqual([
        ['inactive', iso(start)],
        ['success', iso(start - 40 * DAY + MINUTE)],
      ]);
      const listed = (await client.repos.listDeployments({ ...where, environment: 'history' })).data;
      expect(listed.map((deployment) => deployment.created_at)).toEqual([iso(start), iso(start - 40 * DAY)]);

      // A clock that answers no number is the test's mistake: a 500 that says so.
      seeded.setNow(() => Number.NaN);
      const broken = await failure(client.issues.create({ ...where, title: 'never' }));
      expect(broken.status).toBe(500);
      expect(broken.response?.data).toMatchObject({ message: 'Server Error: GitHub double: now() returned NaN, not epoch milliseconds' });
      expect(() => seeded.setNow('tomorrow' as never)).toThrow(/setNow needs a function/);
      t = start;
      seeded.setNow(() => t);
    });

    it('lists deployments filtered by environment, newest first, across pages', async () => {
      const paged: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        paged.push((await deploy('paged-env')).id);
        if (i % 2 === 0) await deploy('other-env');
      }
      const newestFirst = [...paged].reverse();
      const linkTargets = (link: string | undefined) =>
        Object.fromEntries(
          [...(link ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g)].map(([, url, rel]) => {
            const params = new URL(url!).searchParams;
            return [rel, { page: params.get('page'), environment: params.get('environment'), per_page: params.get('per_page') }];
          }),
        );

      const first = await client.repos.listDeployments({ ...where, environment: 'paged-env', per_page: 2 });
      expect(first.data.map((deployment) => deployment.id)).toEqual(newestFirst.slice(0, 2));
      expect(linkTargets(first.headers.link)).toEqual({
        next: { page: '2', environment: 'paged-env', per_page: '2' },
        last: { page: '3', environment: 'paged-env', per_page: '2' },
      });
      const last = await client.repos.listDeployments({ ...where, environment: 'paged-env', per_page: 2, page: 3 });
      expect(last.data.map((deployment) => deployment.id)).toEqual(newestFirst.slice(4));
      expect(Object.keys(linkTargets(last.headers.link)).sort()).toEqual(['first', 'prev']);

      const all = await client.paginate(client.repos.listDeployments, { ...where, environment: 'paged-env', per_page: 2 });
      expect(all.map((deployment) => deployment.id)).toEqual(newestFirst);
      expect(new Set(all.map((deployment) => deployment.environment))).toEqual(new Set(['paged-env']));
      const other = await client.repos.listDeployments({ ...where, environment: 'other-env' });
      expect(other.data).toHaveLength(3);
      expect(other.headers.link).toBeUndefined();
      expect((await client.repos.listDeployments({ ...where, environment: 'no-such-env' })).data).toEqual([]);
    });

    it("lists a deployment's statuses newest first", async () => {
      const deployment = await deploy('status-order');
      const states = ['queued', 'in_progress', 'failure', 'success'] as const;
      for (const [i, state] of states.entries()) {
        t = start + (i + 1) * MINUTE;
        await client.repos.createDeploymentStatus({ ...where, deployment_id: deployment.id, state });
      }
      const { data } = await client.repos.listDeploymentStatuses({ ...where, deployment_id: deployment.id });
      expect(data.map((status) => status.state)).toEqual(['success', 'failure', 'in_progress', 'queued']);
      expect(data.map((status) => status.created_at)).toEqual([4, 3, 2, 1].map((n) => iso(start + n * MINUTE)));
      const ids = data.map((status) => status.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      const page2 = await client.repos.listDeploymentStatuses({ ...where, deployment_id: deployment.id, per_page: 3, page: 2 });
      expect(page2.data.map((status) => status.state)).toEqual(['queued']);
    });
  });

  describe('compare two commits (a repository of its own)', () => {
    const docs = 'https://docs.github.com/rest/commits/commits#compare-two-commits';
    const identity = ['-c', 'user.name=t', '-c', 'user.email=t@example.com'];
    let cmp: FixtureRepo;
    let server: GitHubDouble;
    let client: Octokit;
    let where: { owner: string; repo: string };
    /** The three commits on main, and 260 more on branch 'long' after them. */
    let c: [string, string, string];
    let long: string[];
    const compare = (basehead: string, extra: { per_page?: number; page?: number } = {}) =>
      client.repos.compareCommitsWithBasehead({ ...where, basehead, ...extra });
    const messages = (commits: Array<{ commit: { message: string } }>) => commits.map((commit) => commit.commit.message);

    /** 260 commits on refs/heads/long, one minute apart, written with one `git fast-import`. */
    const writeLongBranch = async (from: string): Promise<void> => {
      const start = Math.floor(Date.now() / 1000);
      const data = (text: string) => [`data ${Buffer.byteLength(text)}`, text];
      const stream: string[] = [];
      for (let i = 1; i <= 260; i += 1) {
        stream.push('commit refs/heads/long', `committer T <t@example.com> ${start + i * 60} +0000`, ...data(`long ${i}`));
        if (i === 1) stream.push(`from ${from}`);
        stream.push('M 100644 inline long.txt', ...data(`${i}\n`), '');
      }
      await new Promise<void>((resolve, reject) => {
        const child = execFile('git', ['--git-dir', cmp.bare, 'fast-import', '--quiet'], (error) => (error ? reject(error) : resolve()));
        child.stdin?.end(stream.join('\n'));
      });
    };

    beforeAll(async () => {
      cmp = await createFixtureRepo(3);
      c = cmp.commits as [string, string, string];
      await writeLongBranch(c[2]);
      long = (await cmp.git(['rev-list', '--reverse', 'long', `^${c[2]}`], cmp.bare)).split('\n');
      server = await startGitHubDouble({ bareRepoPath: cmp.bare, repo: 'compared' });
      client = new Octokit({ auth: 'test-token', baseUrl: server.url, log: quiet });
      where = { owner: server.owner, repo: server.repo };
    });

    afterAll(async () => {
      await server?.close();
      await cmp?.cleanup();
    });

    it('lists the commits of base..head oldest first, with ahead_by, behind_by and total_commits', async () => {
      const ahead = (await compare(`${c[0]}...main`)).data;
      expect(ahead).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2 });
      expect(messages(ahead.commits)).toEqual(['commit 2', 'commit 3']);
      expect(ahead.commits.map((commit) => commit.sha)).toEqual([c[1], c[2]]);
      expect(ahead.base_commit.sha).toBe(c[0]);
      expect(ahead.merge_base_commit.sha).toBe(c[0]);
      expect(ahead.html_url).toBe(`https://github.com/acme/compared/compare/${c[0]}...main`);
      expect(ahead.permalink_url).toBe(`https://github.com/acme/compared/compare/acme:${c[0]}...acme:${c[2]}`);
      expect(ahead.diff_url).toBe(`${ahead.html_url}.diff`);
      expect(ahead.url).toBe(`${server.url}/repos/acme/compared/compare/${c[0]}...main`);

      const behind = (await compare(`main...${c[0]}`)).data;
      expect(behind).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 2, total_commits: 0, commits: [], files: [] });

      // Tags (lightweight and annotated), abbreviated shas and the owner:ref form name commits too.
      await cmp.git(['tag', 'v1', c[0]]);
      await cmp.git([...identity, 'tag', '-a', 'v2', '-m', 'release 2', c[1]]);
      await cmp.git(['push', '--quiet', 'origin', 'v1', 'v2']);
      expect((await compare('v1...v2')).data).toMatchObject({ status: 'ahead', total_commits: 1, commits: [{ sha: c[1] }] });
      expect((await compare(`acme:v1...ACME:${c[2].slice(0, 7)}`)).data.total_commits).toBe(2);
    });

    it('diverged: counts both sides and lists the files of merge-base...head', async () => {
      await cmp.git(['checkout', '--quiet', '-b', 'topic', c[1]]);
      await writeFile(join(cmp.clone, 'file-1.txt'), 'first line\nsecond line\n');
      await cmp.git(['rm', '--quiet', 'file-2.txt']);
      await writeFile(join(cmp.clone, 'notes.md'), '# notes\n');
      await cmp.git(['add', '--all']);
      await cmp.git([...identity, 'commit', '--quiet', '-m', 'topic: rework\n\nwith a body']);
      await cmp.git(['mv', 'notes.md', 'docs.md']);
      await cmp.git([...identity, 'commit', '--quiet', '-m', 'topic: rename notes']);
      await cmp.git(['push', '--quiet', 'origin', 'HEAD:refs/heads/topic']);
      const topicHead = await cmp.git(['rev-parse', 'HEAD']);
      await cmp.git(['checkout', '--quiet', 'main']);

      const { data } = await compare('main...topic');
      expect(data).toMatchObject({ status: 'diverged', ahead_by: 2, behind_by: 1, total_commits: 2 });
      expect(messages(data.commits)).toEqual(['topic: rework\n\nwith a body', 'topic: rename notes']);
      expect(data.merge_base_commit.sha).toBe(c[1]);
      expect(data.base_commit.sha).toBe(c[2]);
      // file-3.txt, added on main after the merge base, is not among the files.
      expect(data.files).toEqual([
        expect.objectContaining({ filename: 'docs.md', status: 'added', additions: 1, deletions: 0, changes: 1, patch: '@@ -0,0 +1 @@\n+# notes' }),
        expect.objectContaining({
          filename: 'file-1.txt',
          status: 'modified',
          additions: 2,
          deletions: 1,
          changes: 3,
          patch: '@@ -1 +1,2 @@\n-commit 1\n+first line\n+second line',
          blob_url: `https://github.com/acme/compared/blob/${topicHead}/file-1.txt`,
          contents_url: `${server.url}/repos/acme/compared/contents/file-1.txt?ref=${topicHead}`,
        }),
        expect.objectContaining({ filename: 'file-2.txt', status: 'removed', additions: 0, deletions: 1, blob_url: `https://github.com/acme/compared/blob/${c[1]}/file-2.txt` }),
      ]);
      // A rename alone: the new name, the old one, and no patch.
      const rename = (await compare(`${await cmp.git(['rev-parse', 'topic~1'])}...topic`)).data;
      expect(rename.files).toEqual([
        expect.objectContaining({ filename: 'docs.md', previous_filename: 'notes.md', status: 'renamed', changes: 0 }),
      ]);
      expect(rename.files?.[0]).not.toHaveProperty('patch');
    });

    it('pages from the oldest commit on with per_page and page; without them lists the most recent 250', async () => {
      const unpaged = await compare('main...long');
      expect(unpaged.data.total_commits).toBe(260);
      expect(unpaged.data.commits).toHaveLength(250);
      expect(unpaged.data.commits.map((commit) => commit.sha)).toEqual(long.slice(10));
      expect(unpaged.headers.link).toBeUndefined();
      expect(unpaged.data.files).toHaveLength(1);

      const first = await compare('main...long', { per_page: 100 });
      expect(first.data.commits.map((commit) => commit.sha)).toEqual(long.slice(0, 100));
      expect(first.data.total_commits).toBe(260);
      expect(first.data.files).toHaveLength(1);
      const base = `${server.url}/repos/acme/compared/compare/main...long`;
      expect(first.headers.link).toBe(`<${base}?per_page=100&page=2>; rel="next", <${base}?per_page=100&page=3>; rel="last"`);

      const last = await compare('main...long', { per_page: 100, page: 3 });
      expect(messages(last.data.commits)).toEqual(Array.from({ length: 60 }, (_, i) => `long ${201 + i}`));
      expect(last.data.files).toBeUndefined(); // files come on the first page only
      expect(last.headers.link).toContain('rel="prev"');
      expect(last.headers.link).not.toContain('rel="next"');

      // Defaults when paging: 30 a page; per_page above 100 reads as 100; past the end, no commits.
      expect((await compare('main...long', { page: 1 })).data.commits.map((commit) => commit.sha)).toEqual(long.slice(0, 30));
      expect((await compare('main...long', { per_page: 250 })).data.commits).toHaveLength(100);
      const beyond = (await compare('main...long', { per_page: 100, page: 4 })).data;
      expect(beyond).toMatchObject({ total_commits: 260, commits: [] });
    });

    it('identical: the same commit on both sides, by any name', async () => {
      await cmp.git(['push', '--quiet', 'origin', `${c[2]}:refs/tags/same`]);
      for (const basehead of ['main...main', `same...${c[2]}`, `main...acme:main`]) {
        const { data } = await compare(basehead);
        expect(data, basehead).toMatchObject({ status: 'identical', ahead_by: 0, behind_by: 0, total_commits: 0, commits: [], files: [] });
        expect(data.merge_base_commit.sha).toBe(c[2]);
      }
    });

    it("answers GitHub's 404 for unknown refs, other owners, a basehead without '...' and unrelated histories", async () => {
      const notFound = { message: 'Not Found', documentation_url: docs, status: '404' };
      for (const basehead of ['main...no-such-branch', 'no-such-tag...main', `main...${'f'.repeat(40)}`, 'someone:main...main', `${c[0]}..main`, 'main']) {
        const error = await failure(compare(basehead));
        expect(error.status, basehead).toBe(404);
        expect(error.response?.data, basehead).toEqual(notFound);
      }
      const emptyTree = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'; // git knows it without storing it
      const orphan = await cmp.git([...identity, 'commit-tree', emptyTree, '-m', 'orphan'], cmp.bare);
      await cmp.git(['update-ref', 'refs/heads/orphan', orphan], cmp.bare);
      const unrelated = await failure(compare('main...orphan'));
      expect(unrelated.status).toBe(404);
      expect(unrelated.response?.data).toEqual({ message: 'No common ancestor between main and orphan.', documentation_url: docs, status: '404' });
    });
  });

  describe('HTTP surface', () => {
    it('requires a token, 404s unknown routes and other repositories, and sends GitHub headers', async () => {
      const anonymous = await fetch(`${double.url}/repos/acme/shop/issues`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ message: 'Requires authentication', status: '401' });
      const bearer = await fetch(`${double.url}/repos/acme/shop`, { headers: { authorization: 'Bearer abc' } });
      expect(bearer.status).toBe(200);
      for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-used', 'x-github-request-id']) {
        expect(bearer.headers.get(header), header).toBeTruthy();
      }
      expect(bearer.headers.get('x-github-api-version-selected')).toBe('2022-11-28');
      expect(bearer.headers.get('content-type')).toBe('application/json; charset=utf-8');

      const unknown = await fetch(`${double.url}/repos/acme/shop/nonsense`, { headers: { authorization: 'token t' } });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
      const elsewhere = await failure(octokit.issues.listForRepo({ owner: 'acme', repo: 'other' }));
      expect(elsewhere.status).toBe(404);
      const badJson = await fetch(`${double.url}/repos/acme/shop/issues`, {
        method: 'POST',
        headers: { authorization: 'token t', 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(badJson.status).toBe(400);

      // GitHub also serves a repository under its numeric id.
      const { data: repository } = await octokit.repos.get(owner);
      const byId = await fetch(`${double.url}/repositories/${repository.id}/labels/bug`, { headers: { authorization: 'token t' } });
      expect(await byId.json()).toMatchObject({ name: 'bug' });

      const entry = double.requests.find((request) => request.path === '/repos/acme/shop/nonsense');
      expect(entry).toMatchObject({ method: 'GET', status: 404, query: {}, requestBody: undefined });
      expect(typeof entry?.at).toBe('number');
    });
  });

  describe('faults', () => {
    const throttleLog: string[] = [];
    const resilient = () =>
      new ResilientOctokit({
        auth: 'test-token',
        baseUrl: double.url,
        log: quiet,
        throttle: {
          onRateLimit: (retryAfter: number) => {
            throttleLog.push(`primary:${retryAfter}`);
            return true;
          },
          onSecondaryRateLimit: (retryAfter: number) => {
            throttleLog.push(`secondary:${retryAfter}`);
            return true;
          },
        },
      });

    afterEach(() => {
      throttleLog.length = 0;
    });

    it('a 502 once is retried by @octokit/plugin-retry and then succeeds', async () => {
      double.faults.add({ method: 'GET', path: '/git/ref/heads/main', status: 502, times: 1 });
      const before = double.requests.length;
      const { data } = await resilient().git.getRef({ ...owner, ref: 'heads/main' });
      expect(data.ref).toBe('refs/heads/main');
      expect(double.requests.slice(before).map((entry) => entry.status)).toEqual([502, 200]);
    });

    it('a primary rate limit reaches onRateLimit and the retry succeeds', async () => {
      double.faults.add({ path: /\/repos\/acme\/shop$/, rateLimit: 'primary', times: 1 });
      const before = double.requests.length;
      const { data } = await resilient().repos.get(owner);
      expect(data.full_name).toBe('acme/shop');
      expect(throttleLog).toHaveLength(1);
      expect(throttleLog[0]).toMatch(/^primary:[12]$/);
      expect(double.requests.slice(before).map((entry) => entry.status)).toEqual([403, 200]);
    });

    it('a primary rate limit answers 403 with remaining 0 and a reset about a second ahead', async () => {
      double.faults.add({ path: '/rate_limit', rateLimit: 'primary', times: 1 });
      const response = await fetch(`${double.url}/rate_limit`, { headers: { authorization: 'token t' } });
      expect(response.status).toBe(403);
      expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
      const reset = Number(response.headers.get('x-ratelimit-reset'));
      expect(reset - Date.now() / 1000).toBeGreaterThan(-1);
      expect(reset - Date.now() / 1000).toBeLessThanOrEqual(1.5);
      expect(((await response.json()) as { message: string }).message).toMatch(/^API rate limit exceeded/);
    });

    it('a secondary rate limit (403) reaches onSecondaryRateLimit and the retry succeeds', async () => {
      double.faults.add({ method: 'GET', path: '/labels', rateLimit: 'secondary', times: 1 });
      const before = double.requests.length;
      const { data } = await resilient().issues.listLabelsForRepo(owner);
      expect(data.length).toBeGreaterThan(0);
      expect(throttleLog).toEqual(['secondary:1']);
      expect(double.requests.slice(before).map((entry) => entry.status)).toEqual([403, 200]);
    });

    it('a secondary rate limit as 429 carries retry-after and reaches plugin-throttling', async () => {
      // With plugin-retry also loaded, a 429 is retried by plugin-retry (429 is not in its
      // doNotRetry list) before plugin-throttling sees it; so this client has throttling alone.
      const throttled = new (Octokit.plugin(throttling))({
        auth: 'test-token',
        baseUrl: double.url,
        log: quiet,
        throttle: {
          onRateLimit: () => false,
          onSecondaryRateLimit: (retryAfter: number) => {
            throttleLog.push(`secondary:${retryAfter}`);
            return true;
          },
        },
      });
      double.faults.add({ method: 'GET', path: '/labels', rateLimit: 'secondary', status: 429, times: 1 });
      const before = double.requests.length;
      await throttled.issues.listLabelsForRepo(owner);
      expect(throttleLog).toEqual(['secondary:1']);
      expect(double.requests.slice(before).map((entry) => entry.status)).toEqual([429, 200]);
    });

    it('latencyMs delays the response', async () => {
      double.faults.add({ path: '/rate_limit', latencyMs: 300, times: 1 });
      const started = Date.now();
      await octokit.rateLimit.get();
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      const quick = Date.now();
      await octokit.rateLimit.get();
      expect(Date.now() - quick).toBeLessThan(290);
    });
  });
});
