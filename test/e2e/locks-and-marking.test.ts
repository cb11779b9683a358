// Environment locks and mark-known-good end to end (dist/ as the runner runs it, the API double,
// real git, the real test service): a person with write access holds an environment's deploys
// with a reason and lets it go; a service already running is brought under deploy-guard by
// watching it, with no deploy.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type DeployRun, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';
import type { ServiceVersion } from '../support/service/files.ts';

let s: Scenario;
let view: ReturnType<typeof githubView>;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
  s.github.setCollaborator('octo-writer', 'write');
  s.github.setCollaborator('octo-triager', 'triage');
  s.github.setCollaborator('octo-reader', 'read');
  s.github.setCollaborator('octo-maintainer', 'maintain');
});
afterEach(async () => {
  await s?.close();
});

const REASON = 'migrating the orders table';
const as = (actor: string) => ({ GITHUB_ACTOR: actor });
const errorOf = (run: DeployRun) => run.main.annotations.find((a) => a.level === 'error')?.message ?? '';
const lockIssues = async () => (await view.issues()).filter((i) => i.labels.some((l) => (typeof l === 'string' ? l : l.name) === 'deploy-lock'));
const records = async () => (await s.fixture.git(['for-each-ref', '--format=%(refname)', 'refs/deploy-guard/'], s.fixture.bare)).split('\n').filter(Boolean);
/** deploy-guard's own writes since `from` (GitHub's job deployment is the runner's, not deploy-guard's). */
const ownWritesSince = async (from: number, deploymentsBefore: number) => ({
  other: s.github.requests.slice(from).filter((r) => r.method !== 'GET' && !r.path.includes('/deployments')),
  deployments: (await view.deployments()).length - deploymentsBefore,
});

/** Starts `version` the way it runs before deploy-guard: its deploy.sh run by hand, outside any run. */
async function startOutsideDeployGuard(version: ServiceVersion): Promise<string> {
  const sha = await s.commit(version);
  const port = new URL(s.service.url).port;
  await promisify(execFile)('bash', ['deploy.sh'], { cwd: s.fixture.work, env: { ...process.env, SERVICE_PORT: port, SERVICE_STATE_DIR: s.stateDir } });
  expect(await s.service.currentVersion()).toBe(version.version);
  return sha;
}

describe('locks', () => {
  it('a writer locks production: deploys and the gate are refused before anything is written, a manual rollback still runs, and an unlock lets deploys through', async () => {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');

    const locked = await s.deploy({ inputs: { mode: 'lock', reason: REASON }, env: as('octo-writer') });
    expect(locked.main.exitCode).toBe(0);
    expect(locked.main.outputs.result).toBe('locked');
    const [issue, ...more] = await lockIssues();
    expect(more).toEqual([]);
    expect(issue).toMatchObject({ state: 'open', title: `Deploys to production locked by @octo-writer: ${REASON}` });
    expect(issue!.body).toContain('<!-- deploy-guard:lock=production -->');
    expect(issue!.body).toContain(`Reason: ${REASON}`);
    expect(await records()).toContain(`refs/deploy-guard/production/locks/${issue!.number}`);
    expect(locked.main.summary).toContain(`Locked **production** by @octo-writer since`);

    await s.commit({ version: 'v2' });
    const from = s.github.requests.length;
    const deploymentsBefore = (await view.deployments()).length;
    const refused = await s.deploy();
    expect(refused.main.exitCode).toBe(1);
    expect(refused.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'lock' });
    const message = errorOf(refused);
    expect(message).toMatch(
      new RegExp(`^Not deployed: production is locked by @octo-writer since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(\\d+(\\.\\d+)?(ms|s)? ago\\): "${REASON}" \\(lock issue #${issue!.number}, ${issue!.html_url}\\)\\.`),
    );
    expect(message).toContain(`To unlock: run deploy-guard with mode: unlock and a reason, or close #${issue!.number} as someone with write access or more. Rollbacks still run.`);
    expect(refused.main.summary).toContain('Not deployed to **production** (lock)');
    expect(await ownWritesSince(from, deploymentsBefore)).toEqual({ other: [], deployments: 0 });
    expect(await s.service.currentVersion()).toBe('v1');

    const gate = await s.deploy({ inputs: { mode: 'gate' } });
    expect(gate.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'lock' });

    // Locking again reports the lock that holds; no second issue.
    const again = await s.deploy({ inputs: { mode: 'lock', reason: 'another reason' }, env: as('octo-maintainer') });
    expect(again.main.outputs.result).toBe('locked');
    expect(again.main.summary).toContain(`**production** was already locked by @octo-writer`);
    expect(await lockIssues()).toHaveLength(1);

    const rollback = await s.deploy({ inputs: { mode: 'rollback', 'rollback-to': v1, reason: 'drill while locked' }, env: as('octo-maintainer') });
    expect(rollback.main.outputs.result).toBe('rolled-back');

    const unlocked = await s.deploy({ inputs: { mode: 'unlock', reason: 'migration done' }, env: as('octo-writer') });
    expect(unlocked.main.exitCode).toBe(0);
    expect(unlocked.main.outputs.result).toBe('unlocked');
    const { data: closed } = await view.octokit.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: issue!.number });
    expect(closed.state).toBe('closed');
    const { data: comments } = await view.octokit.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: issue!.number });
    expect(comments.map((c) => c.body).join('\n')).toContain('**Unlocked** by @octo-writer');
    expect(await records()).not.toContain(`refs/deploy-guard/production/locks/${issue!.number}`);

    // The manual rollback opened an incident, as it always does: closed, deploys go through.
    for (const incident of await view.issues('open')) s.github.closeIssue(incident.number);
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    const nothing = await s.deploy({ inputs: { mode: 'unlock', reason: 'just in case' }, env: as('octo-writer') });
    expect(nothing.main.exitCode).toBe(0);
    expect(nothing.main.outputs.result).toBe('unlocked');
    expect(nothing.main.stdout).toContain('production is not locked; there is nothing to unlock.');
  });

  it('a reader cannot lock or unlock: refused before anything is written, naming the role it takes', async () => {
    await s.commit({ version: 'v1' });
    const from = s.github.requests.length;
    const refused = await s.deploy({ inputs: { mode: 'lock', reason: REASON }, env: as('octo-reader') });
    expect(refused.main.exitCode).toBe(1);
    expect(refused.main.outputs.result).toBe('refused');
    expect(errorOf(refused)).toBe('Lock refused: @octo-reader has the read role on acme/shop; locking an environment needs write access or more.');
    expect(refused.main.summary).toContain('Lock refused before anything was changed');
    expect(await ownWritesSince(from, 0)).toEqual({ other: [], deployments: 0 });
    expect(await lockIssues()).toEqual([]);

    await s.deploy({ inputs: { mode: 'lock', reason: REASON }, env: as('octo-writer') });
    const unlock = await s.deploy({ inputs: { mode: 'unlock', reason: 'not mine to lift' }, env: as('octo-triager') });
    expect(errorOf(unlock)).toBe('Unlock refused: @octo-triager has the triage role on acme/shop; unlocking an environment needs write access or more.');
    expect((await lockIssues())[0]!.state).toBe('open');
  });

  it('a triager closing the lock issue does not release it (fail closed); a maintainer closing it does, and the next deploy forgets the record', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy({ inputs: { mode: 'lock', reason: REASON }, env: as('octo-writer') });
    const n = (await lockIssues())[0]!.number;

    s.github.closeIssue(n, { by: 'octo-triager' });
    const held = await s.deploy();
    expect(held.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'lock' });
    expect(errorOf(held)).toContain(`#${n} was closed by @octo-triager (the triage role), below write access, so the lock still holds.`);

    s.github.reopenIssue(n, { by: 'octo-maintainer' });
    s.github.closeIssue(n, { by: 'octo-maintainer' });
    const deployed = await s.deploy();
    expect(deployed.main.outputs.result).toBe('deployed');
    expect(deployed.main.stdout).toContain(`Lock #${n} of production`);
    expect(await records()).not.toContain(`refs/deploy-guard/production/locks/${n}`);
  });
});

describe('mark-known-good', () => {
  it('watches what runs with no deploy, makes it known-good, and the next failed deploy rolls back to it', async () => {
    const v1 = await startOutsideDeployGuard({ version: 'v1' });
    const pid = await s.service.pid();

    const marked = await s.deploy({ inputs: { mode: 'mark-known-good', reason: 'running since before deploy-guard' }, env: as('octo-writer') });
    expect(marked.main.exitCode).toBe(0);
    expect(marked.main.outputs).toMatchObject({ result: 'marked-known-good', 'known-good-sha': v1 });
    expect(marked.main.stdout).not.toContain('deploy.sh: deploying');
    expect(await s.service.pid()).toBe(pid);
    expect(await s.tagSha('deploy-guard/production/known-good')).toBe(v1);
    const [deployment] = await view.deployments();
    expect(deployment).toMatchObject({ sha: v1, rollback: false, states: ['in_progress', 'success'] });
    const { data: listed } = await view.octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'shop', task: 'deploy:deploy-guard' });
    expect(listed[0]!.payload).toMatchObject({ 'deploy-guard': { 'mark-known-good': true, actor: 'octo-writer', run: { kind: 'mark-known-good' } } });
    expect(marked.main.summary).toContain(`Marked \`${v1.slice(0, 7)}\` known-good on **production**`);

    await s.commit({ version: 'v2', health: 'fail' });
    const failed = await s.deploy();
    expect(failed.main.outputs).toMatchObject({ result: 'rolled-back', 'known-good-sha': v1 });
    expect(await s.service.currentVersion()).toBe('v1');
  });

  it('unhealthy: the deployment ends failure and nothing moves (no tag, no rollback, no incident)', async () => {
    await startOutsideDeployGuard({ version: 'v1', health: 'fail' });
    const marked = await s.deploy({ inputs: { mode: 'mark-known-good' }, env: as('octo-writer') });
    expect(marked.main.exitCode).toBe(1);
    expect(marked.main.outputs.result).toBe('unhealthy');
    expect(marked.main.outputs['known-good-sha']).toBeUndefined();
    expect(errorOf(marked)).toMatch(/was not marked known-good on production: what runs there was unhealthy: .*Known-good did not move; nothing was rolled back and no incident was opened\./);
    expect((await view.deployments()).map((d) => d.states)).toEqual([['in_progress', 'failure']]);
    expect(await s.tagSha('deploy-guard/production/known-good')).toBeUndefined();
    expect(await view.issues()).toEqual([]);
    expect(await s.service.currentVersion()).toBe('v1');
  });

  it('refuses, before anything is written, a sha GitHub does not know, a short sha, and a reader', async () => {
    await startOutsideDeployGuard({ version: 'v1' });
    const from = s.github.requests.length;
    const unknown = 'f'.repeat(40);
    const notOnGitHub = await s.deploy({ inputs: { mode: 'mark-known-good', sha: unknown }, env: as('octo-writer') });
    expect(notOnGitHub.main.outputs.result).toBe('refused');
    expect(errorOf(notOnGitHub)).toBe(
      `Mark known-good refused: ${unknown} is not a commit of acme/shop on GitHub; give the full SHA of a pushed commit, the one that runs in production now.`,
    );
    const short = await s.deploy({ inputs: { mode: 'mark-known-good', sha: 'abc1234' }, env: as('octo-writer') });
    expect(short.main.outputs.result).toBe('failed');
    expect(short.main.annotations.map((a) => a.message).join('\n')).toContain('Input "sha": "abc1234" looks like a short SHA; give the full 40-character commit SHA');
    const reader = await s.deploy({ inputs: { mode: 'mark-known-good' }, env: as('octo-reader') });
    expect(errorOf(reader)).toBe('Mark known-good refused: @octo-reader has the read role on acme/shop; marking a version known-good needs write access or more.');
    expect(await ownWritesSince(from, 0)).toEqual({ other: [], deployments: 0 });
  });
});
