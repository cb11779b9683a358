// Every route of the GitHub double, called through a real @octokit/rest client, answers with the
// status and a body that GitHub's own OpenAPI description (extracted into openapi-routes.json) allows.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRepo, type FixtureRepo } from '../support/github-double/fixture-repo.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';
import { createSchemaValidator, openApiToJsonSchema } from '../support/github-double/openapi-validator.ts';

const validator = createSchemaValidator();
const covered = new Set<string>();

interface OctokitLikeResponse {
  status: number;
  data: unknown;
}

/** Asserts the documented success status and a schema-valid body (and a schema-valid request, if any). */
function check(operation: string, response: OctokitLikeResponse, requestBody?: unknown): void {
  const entry = validator.routes.operations[operation];
  expect(entry, `operation ${operation} is extracted`).toBeDefined();
  expect([entry!.status, ...(entry!.otherSuccessStatuses ?? [])]).toContain(response.status);
  if (requestBody !== undefined) {
    expect(validator.validateRequest(operation, requestBody), `request body of ${operation}`).toEqual([]);
  }
  if (entry!.responseSchema) {
    expect(validator.validateResponse(operation, response.data), `response body of ${operation}`).toEqual([]);
  } else {
    expect(response.data === undefined || response.data === '' || response.data === null).toBe(true);
  }
  covered.add(operation);
}

const R = '/repos/{owner}/{repo}';

describe('GitHub double against the OpenAPI description', () => {
  let repo: FixtureRepo;
  let double: GitHubDouble;
  let octokit: Octokit;
  let owner: { owner: string; repo: string };

  beforeAll(async () => {
    repo = await createFixtureRepo(3);
    double = await startGitHubDouble({ bareRepoPath: repo.bare });
    octokit = new Octokit({ auth: 'test-token', baseUrl: double.url });
    owner = { owner: double.owner, repo: double.repo };
  });

  afterAll(async () => {
    await double?.close();
    await repo?.cleanup();
  });

  it('loaded the extracted description of @octokit/openapi', () => {
    expect(validator.routes.source).toBe('@octokit/openapi@23.0.2');
    expect(Object.keys(validator.routes.operations).length).toBeGreaterThanOrEqual(30);
  });

  it('rejects a body with a required field missing or of the wrong type', () => {
    const good = {
      id: 1,
      node_id: 'LA_x',
      url: 'https://api.github.com/repos/a/b/labels/bug',
      name: 'bug',
      color: 'd73a4a',
      default: true,
      description: null,
    };
    expect(validator.validateResponse(`GET ${R}/labels/{name}`, good)).toEqual([]);
    const { name: _dropped, ...missingName } = good;
    const errors = validator.validateResponse(`GET ${R}/labels/{name}`, missingName);
    expect(errors.map((error) => error.params)).toContainEqual({ missingProperty: 'name' });
    expect(validator.validateResponse(`GET ${R}/labels/{name}`, { ...good, id: '1' })).not.toEqual([]);
    expect(validator.validateResponse(`GET ${R}/labels/{name}`, { ...good, url: 'not a uri' })).not.toEqual([]);
  });

  it('rejects a broken issue object, including a wrong nullable and a missing nested field', async () => {
    const { data } = await octokit.issues.create({ ...owner, title: 'schema probe' });
    const op = `GET ${R}/issues/{issue_number}`;
    expect(validator.validateResponse(op, data)).toEqual([]);
    const { number: _n, ...noNumber } = data;
    expect(validator.validateResponse(op, noNumber)).not.toEqual([]);
    expect(validator.validateResponse(op, { ...data, title: null })).not.toEqual([]);
    expect(validator.validateResponse(op, { ...data, closed_at: null, body: null })).toEqual([]);
    const { login: _l, ...userWithoutLogin } = data.user!;
    expect(validator.validateResponse(op, { ...data, user: userWithoutLogin })).not.toEqual([]);
  });

  it('never lets an unknown format pass silently', () => {
    const ajv = new Ajv({ strict: true });
    expect(() => ajv.compile({ type: 'string', format: 'no-such-format' })).toThrow(/unknown format/);
    expect(openApiToJsonSchema({ type: 'string', nullable: true, enum: ['a'] })).toEqual({
      anyOf: [{ type: 'null' }, { type: 'string', enum: ['a', null] }],
    });
  });

  it('repository, commit and rate limit', async () => {
    check(`GET ${R}`, await octokit.repos.get(owner));
    check(`GET ${R}/commits/{ref}`, await octokit.repos.getCommit({ ...owner, ref: 'main' }));
    check(`GET ${R}/commits/{ref}`, await octokit.repos.getCommit({ ...owner, ref: repo.commits[0]! }));
    check('GET /rate_limit', await octokit.rateLimit.get());
  });

  it('commit comments', async () => {
    const commentBody = { body: 'deploy-guard: a warn-only check failed' };
    const commit_sha = repo.commits[0]!;
    check(`POST ${R}/commits/{commit_sha}/comments`, await octokit.repos.createCommitComment({ ...owner, commit_sha, ...commentBody }), commentBody);
    check(`GET ${R}/commits/{commit_sha}/comments`, await octokit.repos.listCommentsForCommit({ ...owner, commit_sha }));
  });

  it('compare two commits', async () => {
    const op = `GET ${R}/compare/{basehead}`;
    const [first, second] = repo.commits as [string, string, string];
    // A topic branch off the second commit that modifies, renames and adds (a binary) file.
    await repo.git(['checkout', '--quiet', '-b', 'compare-topic', second]);
    await writeFile(join(repo.clone, 'file-1.txt'), 'commit 1\nchanged on topic\n');
    await repo.git(['mv', 'file-2.txt', 'renamed.txt']);
    await writeFile(join(repo.clone, 'logo.bin'), Buffer.from([0, 1, 2, 255, 0, 3]));
    await repo.git(['add', '--all']);
    await repo.git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'topic work']);
    await repo.git(['push', '--quiet', 'origin', 'HEAD:refs/heads/compare-topic']);
    await repo.git(['checkout', '--quiet', 'main']);

    const diverged = await octokit.repos.compareCommitsWithBasehead({ ...owner, basehead: 'main...compare-topic' });
    check(op, diverged);
    expect(diverged.data).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1, total_commits: 1 });
    expect(diverged.data.files?.map((file) => file.status).sort()).toEqual(['added', 'modified', 'renamed']);
    check(op, await octokit.repos.compareCommitsWithBasehead({ ...owner, basehead: `${first}...main` }));
    const paged = await octokit.repos.compareCommitsWithBasehead({ ...owner, basehead: `${first}...main`, per_page: 1, page: 2 });
    check(op, paged);
    expect(paged.data.files).toBeUndefined();
    const identical = await octokit.repos.compareCommitsWithBasehead({ ...owner, basehead: 'acme:main...acme:main' });
    check(op, identical);
    expect(identical.data).toMatchObject({ status: 'identical', commits: [], files: [] });
  });

  it('git refs', async () => {
    const [first, second, third] = repo.commits as [string, string, string];
    const createBody = { ref: 'refs/tags/deploy-guard/production/known-good', sha: first };
    check(`POST ${R}/git/refs`, await octokit.git.createRef({ ...owner, ...createBody }), createBody);
    check(`GET ${R}/git/ref/{ref}`, await octokit.git.getRef({ ...owner, ref: 'tags/deploy-guard/production/known-good' }));
    check(`GET ${R}/git/ref/{ref}`, await octokit.git.getRef({ ...owner, ref: 'heads/main' }));
    const matching = await octokit.git.listMatchingRefs({ ...owner, ref: 'tags/deploy-guard/' });
    check(`GET ${R}/git/matching-refs/{ref}`, matching);
    expect(matching.data).toHaveLength(1);
    check(`GET ${R}/git/matching-refs/{ref}`, await octokit.git.listMatchingRefs({ ...owner, ref: 'tags/nothing-here' }));

    const ffBody = { sha: second, force: false };
    check(`PATCH ${R}/git/refs/{ref}`, await octokit.git.updateRef({ ...owner, ref: 'tags/deploy-guard/production/known-good', ...ffBody }), ffBody);
    const forceBody = { sha: first, force: true };
    check(`PATCH ${R}/git/refs/{ref}`, await octokit.git.updateRef({ ...owner, ref: 'tags/deploy-guard/production/known-good', ...forceBody }), forceBody);
    await octokit.git.createRef({ ...owner, ref: 'refs/heads/scratch', sha: third });
    check(`DELETE ${R}/git/refs/{ref}`, await octokit.git.deleteRef({ ...owner, ref: 'heads/scratch' }));

    await repo.git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'tag', '-a', 'v-annotated', '-m', 'release 1', first]);
    await repo.git(['push', '--quiet', 'origin', 'refs/tags/v-annotated']);
    const annotated = await octokit.git.getRef({ ...owner, ref: 'tags/v-annotated' });
    expect(annotated.data.object.type).toBe('tag');
    const tagObject = await octokit.git.getTag({ ...owner, tag_sha: annotated.data.object.sha });
    check(`GET ${R}/git/tags/{tag_sha}`, tagObject);
    expect(tagObject.data).toMatchObject({ tag: 'v-annotated', message: 'release 1\n', object: { sha: first, type: 'commit' } });
    expect(tagObject.data.tagger).toMatchObject({ name: 't', email: 't@example.com' });

    // Not in the description any more (GitHub still serves them): items have the git-ref shape.
    const itemOp = `GET ${R}/git/ref/{ref}`;
    const all = await octokit.request('GET /repos/{owner}/{repo}/git/refs', owner);
    expect(all.status).toBe(200);
    for (const item of all.data as unknown[]) expect(validator.validateResponse(itemOp, item)).toEqual([]);
    const exact = await octokit.request('GET /repos/{owner}/{repo}/git/refs/heads/main', owner);
    expect(validator.validateResponse(itemOp, exact.data)).toEqual([]);
  });

  it('deployments and deployment statuses', async () => {
    const body1 = { ref: 'main', environment: 'production', required_contexts: [], auto_merge: false, payload: { version: 1 } };
    const first = await octokit.repos.createDeployment({ ...owner, ...body1 });
    check(`POST ${R}/deployments`, first, body1);
    const firstId = (first.data as { id: number }).id;
    const body2 = { ref: repo.commits[1]!, task: 'deploy:migrations', description: 'second', environment: 'production' };
    const second = await octokit.repos.createDeployment({ ...owner, ...body2 });
    check(`POST ${R}/deployments`, second, body2);
    const secondId = (second.data as { id: number }).id;

    check(`GET ${R}/deployments`, await octokit.repos.listDeployments({ ...owner, environment: 'production' }));
    check(`GET ${R}/deployments/{deployment_id}`, await octokit.repos.getDeployment({ ...owner, deployment_id: firstId }));

    const statusBody = { state: 'success' as const, log_url: 'https://ci.example.com/1', environment_url: 'https://shop.example.com', description: 'ok' };
    const status = await octokit.repos.createDeploymentStatus({ ...owner, deployment_id: firstId, ...statusBody });
    check(`POST ${R}/deployments/{deployment_id}/statuses`, status, statusBody);
    check(`GET ${R}/deployments/{deployment_id}/statuses`, await octokit.repos.listDeploymentStatuses({ ...owner, deployment_id: firstId }));
    check(
      `GET ${R}/deployments/{deployment_id}/statuses/{status_id}`,
      await octokit.repos.getDeploymentStatus({ ...owner, deployment_id: firstId, status_id: status.data.id }),
    );
    await octokit.repos.createDeploymentStatus({ ...owner, deployment_id: secondId, state: 'success' });
    // The second success made the first deployment inactive, so it may be deleted.
    check(`DELETE ${R}/deployments/{deployment_id}`, await octokit.repos.deleteDeployment({ ...owner, deployment_id: firstId }));
  });

  it('issues, comments and issue labels', async () => {
    const createBody = { title: 'Deploy failed: production', body: 'health check failed', labels: ['deploy-guard', 'incident'] };
    const created = await octokit.issues.create({ ...owner, ...createBody });
    check(`POST ${R}/issues`, created, createBody);
    const issue_number = created.data.number;

    check(`GET ${R}/issues`, await octokit.issues.listForRepo({ ...owner, labels: 'incident', state: 'all' }));
    check(`GET ${R}/issues/{issue_number}`, await octokit.issues.get({ ...owner, issue_number }));
    const commentBody = { body: 'rolled back to known-good' };
    check(`POST ${R}/issues/{issue_number}/comments`, await octokit.issues.createComment({ ...owner, issue_number, ...commentBody }), commentBody);
    check(`GET ${R}/issues/{issue_number}/comments`, await octokit.issues.listComments({ ...owner, issue_number }));

    const addBody = { labels: ['needs-triage'] };
    check(`POST ${R}/issues/{issue_number}/labels`, await octokit.issues.addLabels({ ...owner, issue_number, ...addBody }), addBody);
    check(`GET ${R}/issues/{issue_number}/labels`, await octokit.issues.listLabelsOnIssue({ ...owner, issue_number }));
    check(`DELETE ${R}/issues/{issue_number}/labels/{name}`, await octokit.issues.removeLabel({ ...owner, issue_number, name: 'needs-triage' }));
    const setBody = { labels: ['incident', 'bug'] };
    check(`PUT ${R}/issues/{issue_number}/labels`, await octokit.issues.setLabels({ ...owner, issue_number, ...setBody }), setBody);
    check(`DELETE ${R}/issues/{issue_number}/labels`, await octokit.issues.removeAllLabels({ ...owner, issue_number }));

    const closeBody = { state: 'closed' as const, state_reason: 'completed' as const, labels: ['incident'] };
    const closed = await octokit.issues.update({ ...owner, issue_number, ...closeBody });
    check(`PATCH ${R}/issues/{issue_number}`, closed, closeBody);
    expect(closed.data.closed_by?.login).toBe('github-actions[bot]');
    check(`PATCH ${R}/issues/{issue_number}`, await octokit.issues.update({ ...owner, issue_number, state: 'open' }), { state: 'open' });
    const events = await octokit.issues.listEvents({ ...owner, issue_number });
    check(`GET ${R}/issues/{issue_number}/events`, events);
    expect(events.data.map((e) => `${e.event}${'label' in e && e.label ? ` ${e.label.name}` : ''} by ${e.actor?.login}`)).toEqual([
      'labeled deploy-guard by github-actions[bot]',
      'labeled incident by github-actions[bot]',
      'labeled needs-triage by github-actions[bot]',
      'unlabeled needs-triage by github-actions[bot]',
      'unlabeled deploy-guard by github-actions[bot]',
      'labeled bug by github-actions[bot]',
      'unlabeled incident by github-actions[bot]',
      'unlabeled bug by github-actions[bot]',
      'labeled incident by github-actions[bot]',
      'closed by github-actions[bot]',
      'reopened by github-actions[bot]',
    ]);
  });

  it('the authenticated user: a personal token\'s user; 403 for an installation token', async () => {
    const personal = new Octokit({ auth: 'github_pat_11AAAAAAA0personal', baseUrl: double.url });
    const me = await personal.users.getAuthenticated();
    check(`GET /user`, me);
    expect(me.data.login).toBe('octo-deployer');
    await expect(octokit.users.getAuthenticated()).rejects.toMatchObject({ status: 403, response: { data: { message: 'Resource not accessible by integration' } } });
  });

  it('collaborator permission', async () => {
    const op = `GET ${R}/collaborators/{username}/permission`;
    // Bots are no collaborators: 404, as for a login that is no user.
    await expect(octokit.repos.getCollaboratorPermissionLevel({ ...owner, username: 'github-actions[bot]' })).rejects.toMatchObject({ status: 404 });
    const maintainer = await octokit.repos.getCollaboratorPermissionLevel({ ...owner, username: 'octo-maintainer' });
    check(op, maintainer);
    expect(maintainer.data).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'octo-maintainer', type: 'User' } });
    double.setCollaborator('deployer', { name: 'deployer', base: 'write' });
    check(op, await octokit.repos.getCollaboratorPermissionLevel({ ...owner, username: 'deployer' }));
    double.setCollaborator('octocat', 'admin');
    check(op, await octokit.repos.getCollaboratorPermissionLevel({ ...owner, username: 'octocat' }));
    double.setCollaborator('octocat', null);
    const outsider = await octokit.repos.getCollaboratorPermissionLevel({ ...owner, username: 'octocat' });
    check(op, outsider);
    expect(outsider.data).toMatchObject({ permission: 'read', role_name: 'read' });
  });

  it('repository labels', async () => {
    check(`GET ${R}/labels`, await octokit.issues.listLabelsForRepo(owner));
    const createBody = { name: 'deploy-blocked', color: 'b60205', description: 'Deploys are blocked' };
    check(`POST ${R}/labels`, await octokit.issues.createLabel({ ...owner, ...createBody }), createBody);
    check(`GET ${R}/labels/{name}`, await octokit.issues.getLabel({ ...owner, name: 'deploy-blocked' }));
    const updateBody = { new_name: 'deploy blocked', color: 'B60205' };
    check(`PATCH ${R}/labels/{name}`, await octokit.issues.updateLabel({ ...owner, name: 'deploy-blocked', ...updateBody }), updateBody);
    check(`DELETE ${R}/labels/{name}`, await octokit.issues.deleteLabel({ ...owner, name: 'deploy blocked' }));
  });

  it('covered every extracted operation', () => {
    expect([...covered].sort()).toEqual(Object.keys(validator.routes.operations).sort());
  });
});
