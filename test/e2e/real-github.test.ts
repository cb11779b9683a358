// What GitHub does that a naive double hides (docs/github-behaviours.md), end to end through dist/:
// GitHub's own deployment for a job with `environment:`, the workflows permission on refs, and
// collaborator roles of bots and custom roles.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';
import { serviceFiles } from '../support/service/files.ts';

const KNOWN_GOOD = 'deploy-guard/production/known-good';
const MAINTAINER = { GITHUB_ACTOR: 'octo-maintainer' };
const WORKFLOWS_WARNING = /GitHub refused to point tags\/deploy-guard\/production\/\S+ at \w{7}: that commit's \.github\/workflows differ/;

let s: Scenario;
let view: ReturnType<typeof githubView>;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
});
afterEach(async () => {
  await s?.close();
});

/** Commits a version that also changes a workflow file, as main gains CI changes. */
const commitWithWorkflowChange = (version: string) =>
  s.fixture.commitVersion(
    { ...serviceFiles({ version }), '.github/workflows/ci.yml': `name: CI ${version}\non: push\njobs: {}\n` },
    `service ${version} and a CI change`,
  );

const warnings = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('::warning'));

describe("GitHub's deployment for a job with environment:", () => {
  it('is neither a rival deploy nor abandoned, even when another job left one unfinished long ago', async () => {
    const v1 = await s.commit({ version: 'v1' });
    // Another workflow's job in the same environment, still running, and one whose runner was lost.
    const now = Date.now();
    s.github.setNow(() => now - 3 * 3_600_000);
    const lost = s.github.startJobDeployment({ actor: 'octocat', sha: v1, ref: 'main', environment: 'production', jobUrl: 'https://github.com/acme/shop/actions/runs/1/job/2' });
    s.github.setNow(Date.now);
    const running = s.github.startJobDeployment({ actor: 'octocat', sha: v1, ref: 'main', environment: 'production', jobUrl: 'https://github.com/acme/shop/actions/runs/3/job/4' });

    const run = await s.deploy();
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.outputs.result).toBe('deployed');
    const all = await view.deployments({ all: true });
    expect(all.find((d) => d.id === lost.id)!.states).toEqual(['queued', 'in_progress']);
    expect(all.find((d) => d.id === running.id)!.states).toEqual(['queued', 'in_progress']);
    expect(all.find((d) => d.id === run.jobDeploymentId)!.states).toEqual(['queued', 'in_progress', 'success']);
    // deploy-guard wrote statuses only to its own deployment.
    const statusWrites = view.writes().filter((r) => /\/deployments\/\d+\/statuses$/.test(r.path));
    expect(new Set(statusWrites.map((r) => r.path))).toEqual(new Set([`/repos/acme/shop/deployments/${run.main.outputs['deployment-id']}/statuses`]));
  });

  it('never proves a version healthy: neither for a manual rollback nor as the rollback target', async () => {
    s.github.setCollaborator('octo-maintainer', 'maintain');
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    // A job of another workflow deployed v2 to production and succeeded, without deploy-guard.
    const v2 = await s.commit({ version: 'v2', health: 'fail' });
    s.github.startJobDeployment({ actor: 'octocat', sha: v2, ref: 'main', environment: 'production', jobUrl: 'https://github.com/acme/shop/actions/runs/5/job/6' }).finish('success');

    const refused = await s.deploy({ inputs: { mode: 'rollback', 'rollback-to': v2, reason: 'try v2' }, env: MAINTAINER });
    expect(refused.main.outputs.result).toBe('refused');
    expect(refused.main.stdout).toContain(`${v2.slice(0, 7)} never passed a health window in production`);

    const v3 = await s.commit({ version: 'v3', health: 'fail' });
    const bad = await s.deploy();
    expect(bad.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v3, 'known-good-sha': v1 });
    expect(await s.service.currentVersion()).toBe('v1');
  });

  it("that succeeds after deploy-guard's own, making it inactive, does not make the next deploy a recovery", async () => {
    await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    // Another job in the environment (here the gate) succeeds: GitHub marks deploy-guard's deployment inactive.
    expect((await s.deploy({ inputs: { mode: 'gate' } })).main.outputs.result).toBe('clear');
    expect((await view.deployments())[0]!.states).toEqual(['in_progress', 'success', 'inactive']);

    await s.commit({ version: 'v2' });
    const before = s.github.requests.length;
    const next = await s.deploy();
    expect(next.main.outputs.result).toBe('deployed');
    // One look at the gate: the deploy before it succeeded, so no incident can have been opened since.
    expect(s.github.requests.slice(before).filter((r) => r.method === 'GET' && r.path.endsWith('/issues'))).toHaveLength(1);
  });

  it('with deployment: false (no job deployment) deploys the same', async () => {
    const v1 = await s.commit({ version: 'v1' });
    const run = await s.deploy({ jobEnvironment: false });
    expect(run.main.outputs).toMatchObject({ result: 'deployed', 'known-good-sha': v1 });
    expect(run.jobDeploymentId).toBeUndefined();
    expect(await view.deployments({ all: true })).toHaveLength(1);
  });
});

describe('refs GitHub refuses without the workflows permission (GITHUB_TOKEN)', () => {
  it('a queued run deploying an older commit deploys without its tags, and a later rollback goes to it', async () => {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2' });
    await commitWithWorkflowChange('v2b'); // main gains a workflow change while v2's run is queued
    await s.fixture.git(['checkout', '--quiet', '--detach', v2]);

    const queued = await s.deploy();
    expect(queued.main.exitCode, queued.main.stdout).toBe(0);
    expect(queued.main.outputs).toMatchObject({ result: 'deployed', 'deployed-sha': v2, 'known-good-sha': v2 });
    expect(await s.service.currentVersion()).toBe('v2');
    // Neither tag could be written; one warning says why and what fixes it.
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v1);
    expect(await s.tagSha(`deploy-guard/production/deploy-${queued.runId}-1`)).toBeUndefined();
    const said = warnings(queued.main.stdout);
    expect(said.filter((line) => WORKFLOWS_WARNING.test(line))).toHaveLength(1);
    expect(said.join('\n')).toContain('GITHUB_TOKEN can never have this permission');
    expect(queued.main.stdout).not.toMatch(/Grant it under permissions/);
    expect((await view.deployments()).at(-1)).toMatchObject({ sha: v2, states: ['in_progress', 'success'] });

    // The next deploy fails: it rolls back to v2, the newest version that passed its window, not
    // to v1 where the tag still points.
    await s.fixture.git(['checkout', '--quiet', 'main']);
    const v3 = await s.commit({ version: 'v3', health: 'fail' });
    const bad = await s.deploy();
    expect(bad.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v3, 'known-good-sha': v2 });
    expect(await s.service.currentVersion()).toBe('v2');
    expect(bad.main.stdout).toContain(`deployment ${queued.main.outputs['deployment-id']} of ${v2.slice(0, 7)} passed its health window since`);
    const rollbackDeployment = (await view.deployments()).at(-1)!;
    expect(rollbackDeployment).toMatchObject({ sha: v2, rollback: true, states: ['in_progress', 'success'] });
  });

  it('a token without contents: write, which GitHub answers alike, still stops the run before it deploys', async () => {
    await s.commit({ version: 'v1' });
    s.github.faults.add({
      method: 'POST',
      path: '/git/refs',
      status: 403,
      message: 'Resource not accessible by integration',
      headers: { 'x-accepted-github-permissions': 'contents=write; contents=write,workflows=write' },
    });
    const run = await s.deploy();
    expect(run.main.exitCode).toBe(1);
    expect(run.main.outputs.result).toBe('failed');
    expect(await s.service.currentVersion()).toBeUndefined();
    expect(run.main.stdout).not.toMatch(WORKFLOWS_WARNING);
    expect(run.main.stdout).toMatch(/POST \/git\/refs failed \(403\): Resource not accessible by integration\. The token needs contents: write \(grant it under permissions:/);
    expect((await view.deployments()).map((d) => d.states.at(-1))).toEqual(['error']);
  });

  it('the known-good tag catches up on the next run that can write it', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    const v2 = await s.commit({ version: 'v2' });
    await commitWithWorkflowChange('v2b');
    await s.fixture.git(['checkout', '--quiet', '--detach', v2]);
    await s.deploy(); // known-good stays on v1: refused
    // An App token with workflows: write can write it: the next run moves the tag to v2 first.
    s.github.setWorkflowsPermission(true);
    await s.fixture.git(['checkout', '--quiet', 'main']);
    const v3 = await s.commit({ version: 'v3', health: 'fail' });
    const bad = await s.deploy();
    expect(bad.main.outputs).toMatchObject({ result: 'rolled-back', 'known-good-sha': v2 });
    expect(warnings(bad.main.stdout).filter((line) => WORKFLOWS_WARNING.test(line))).toEqual([]);
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v2);
    expect(await s.tagSha(`deploy-guard/production/deploy-${bad.runId}-1`)).toBe(v3);
  });

  it('a manual rollback to an older commit is recorded by its deployment, and "known-good" then means it', async () => {
    s.github.setCollaborator('octo-maintainer', 'maintain');
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await commitWithWorkflowChange('v2');
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    expect(await s.service.currentVersion()).toBe('v2');

    const manual = await s.deploy({ inputs: { mode: 'rollback', 'rollback-to': v1, reason: 'v2 leaks memory' }, env: MAINTAINER });
    expect(manual.main.exitCode, manual.main.stdout).toBe(0);
    expect(manual.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v1, 'known-good-sha': v1 });
    expect(await s.service.currentVersion()).toBe('v1');
    expect(warnings(manual.main.stdout).filter((line) => WORKFLOWS_WARNING.test(line))).toHaveLength(1);
    expect(await s.tagSha(KNOWN_GOOD)).not.toBe(v1);
    // The incident's record could not point at v1 either: it points at the default branch's tip.
    const tip = await s.fixture.git(['rev-parse', 'refs/heads/main'], s.fixture.bare);
    const record = `refs/deploy-guard/production/incidents/${manual.main.outputs['incident-number']}`;
    expect(await s.fixture.git(['rev-parse', record], s.fixture.bare)).toBe(tip);

    // "Roll back to known-good" now means v1, the newest version that passed its window, not the tag.
    const again = await s.deploy({ inputs: { mode: 'rollback', 'rollback-to': '', reason: 'back to known-good' }, env: MAINTAINER });
    expect(again.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v1 });
  });
});

describe('repository roles as GitHub answers them', () => {
  it('a custom role counts as the base role it includes', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2' });
    await s.deploy();
    s.github.setCollaborator('release-captain', { name: 'release-manager', base: 'write' });
    s.github.setCollaborator('auditor', { name: 'security-auditor', base: 'read' });

    const allowed = await s.deploy({ inputs: { mode: 'rollback', 'rollback-to': v1, reason: 'drill' }, env: { GITHUB_ACTOR: 'release-captain' } });
    expect(allowed.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v1 });
    const refused = await s.deploy({ inputs: { mode: 'rollback', 'rollback-to': v1, reason: 'drill' }, env: { GITHUB_ACTOR: 'auditor' } });
    expect(refused.main.outputs.result).toBe('refused');
    expect(refused.main.stdout).toContain('a manual rollback needs write access or more');
  });

  it('an incident closed by a bot, which has no collaborator permission, keeps blocking under incident-closer-role', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    await s.deploy();
    const [incident] = await view.issues('open');
    s.github.closeIssue(incident!.number, { by: 'stale-issues[bot]' });

    const blocked = await s.deploy({ inputs: { 'incident-closer-role': 'maintain' } });
    expect(blocked.main.outputs.result).toBe('blocked');
    expect(blocked.main.stdout).toContain('closed by @stale-issues[bot] (no role)');
  });
});

describe('GitHub Enterprise Server', () => {
  it('links the run and the repository on GITHUB_SERVER_URL, not github.com', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const bad = await s.deploy({ env: { GITHUB_SERVER_URL: 'https://ghes.acme.test' } });
    expect(bad.main.outputs.result).toBe('rolled-back');
    const [incident] = await view.issues('open');
    expect(incident!.body).toContain(`https://ghes.acme.test/acme/shop/actions/runs/${bad.runId}`);
    expect(incident!.body).not.toContain('https://github.com/acme/shop/actions');
    const statuses = await view.octokit.rest.repos.listDeploymentStatuses({ owner: 'acme', repo: 'shop', deployment_id: Number(bad.main.outputs['deployment-id']) });
    expect(statuses.data.map((st) => st.log_url)).toEqual(expect.arrayContaining([expect.stringMatching(/^https:\/\/ghes\.acme\.test\/acme\/shop\/actions\/runs\//)]));
  });
});
