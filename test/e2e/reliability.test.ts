// Promises kept when GitHub misbehaves: writes that happened but answered 5xx are not repeated,
// and the gate fails closed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

let s: Scenario;
let view: ReturnType<typeof githubView>;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
});
afterEach(async () => {
  await s?.close();
});

describe('creates that succeeded on GitHub but answered 5xx', () => {
  it('are found, not made twice: tag, deployment, status, issue', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    for (const path of ['/git/refs', '/deployments', /\/deployments\/\d+\/statuses$/, /\/issues$/]) {
      s.github.faults.add({ method: 'POST', path, status: 502, afterWrite: true, times: 1 });
    }
    const { main } = await s.deploy();
    expect(main.outputs.result, main.stdout).toBe('rolled-back');
    const deployments = await view.deployments();
    expect(deployments.map((d) => d.rollback)).toEqual([false, false, true]);
    expect(deployments.map((d) => d.states)).toEqual([
      ['in_progress', 'success', 'inactive'],
      ['in_progress', 'failure'],
      ['in_progress', 'success'],
    ]);
    expect(await view.issues()).toHaveLength(1);
    const tags = await s.fixture.git(['tag', '--list', 'deploy-guard/production/*'], s.fixture.bare);
    expect(tags.split('\n')).toEqual(['deploy-guard/production/deploy-1001-1', 'deploy-guard/production/deploy-1002-1', 'deploy-guard/production/known-good']);
  });

  it('a comment on an open incident is not posted twice', async () => {
    await s.commit({ version: 'v1', health: 'fail' });
    await s.deploy();
    const [incident] = await view.issues('open');
    s.github.setCollaborator('octo-maintainer', 'maintain');
    s.github.faults.add({ method: 'POST', path: /\/comments$/, status: 500, afterWrite: true, times: 1 });
    await s.deploy({ inputs: { mode: 'rollback', reason: 'r', force: 'true', 'rollback-to': await s.fixture.git(['rev-parse', 'HEAD']), 'health-url': `${s.service.url}/` }, env: { GITHUB_ACTOR: 'octo-maintainer' } });
    const comments = await view.octokit.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: incident!.number });
    expect(comments.data).toHaveLength(1);
  });
});

describe('the gate fails closed', () => {
  it('refuses to deploy when it cannot read the incidents', async () => {
    await s.commit({ version: 'v1' });
    s.github.faults.add({ method: 'GET', path: /\/issues$/, status: 503 });
    const { main } = await s.deploy();
    expect(main.exitCode).toBe(1);
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toContain('cannot verify incident state');
    expect(view.writes()).toEqual([]);
    expect(await s.service.currentVersion()).toBeUndefined();
  });
});

describe('a deploy already in progress', () => {
  const seedInProgress = async (sha: string, at: number) => {
    s.github.setNow(() => at);
    const repo = { owner: 'acme', repo: 'shop' };
    // Another run's deploy-guard deployment (its task and payload marker).
    const { data } = await view.octokit.rest.repos.createDeployment({
      ...repo,
      ref: sha,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      task: 'deploy:deploy-guard',
      payload: { 'deploy-guard': { rollback: false, run: { id: '77', attempt: '1', kind: 'deploy' } } },
    });
    const id = (data as { id: number }).id;
    await view.octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'in_progress' });
    s.github.setNow(() => Date.now());
    return id;
  };

  it('makes a new deploy refuse rather than deploy on top of it', async () => {
    const sha = await s.commit({ version: 'v1' });
    await seedInProgress(sha, Date.now() - 60_000);
    const { main } = await s.deploy();
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toMatch(/another deploy of production is in progress \(deployment \d+ of \w{7}, 1m(\d+s)? ago\); not deploying on top of it/);
    expect(await s.service.currentVersion()).toBeUndefined();
  });

  it('is marked error (abandoned) when its runner was lost long ago, and the deploy goes on', async () => {
    const sha = await s.commit({ version: 'v1' });
    const id = await seedInProgress(sha, Date.now() - 3 * 86_400_000);
    const { main } = await s.deploy();
    expect(main.outputs.result).toBe('deployed');
    expect(main.stdout).toMatch(/marked it error \(abandoned\)/);
    const abandoned = (await view.deployments()).find((d) => d.id === id)!;
    expect(abandoned.states).toEqual(['in_progress', 'error']);
  });
});

describe('incident-closer-role', () => {
  it('a closed incident unblocks only if its closer has the role', async () => {
    await s.commit({ version: 'v1', health: 'fail' });
    const failed = await s.deploy();
    const number = Number(failed.main.outputs['incident-number']);
    s.github.setCollaborator('octo-triager', 'triage');
    s.github.closeIssue(number, { by: 'octo-triager' });
    await s.commit({ version: 'v2' });
    const inputs = { 'incident-closer-role': 'maintain' };

    const weak = await s.deploy({ inputs });
    expect(weak.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(number) });
    expect(weak.main.stdout).toContain('it was closed by @octo-triager (triage), and incident-closer-role needs maintain or above to unblock');
    // Without the setting, anyone's close unblocks.
    const gate = await s.deploy({ inputs: { mode: 'gate' } });
    expect(gate.main.outputs.result).toBe('clear');

    await view.octokit.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: number, state: 'open' });
    s.github.closeIssue(number, { by: 'octo-maintainer' });
    const strong = await s.deploy({ inputs });
    expect(strong.main.outputs.result, strong.main.stdout).toBe('deployed');
  });
});

describe('re-runs and races', () => {
  it('a re-run of a failed run (a new attempt) gets its own pre-deploy tag and deploys', async () => {
    await s.commit({ version: 'v1', health: 'fail' });
    const first = await s.deploy({ env: { GITHUB_RUN_ID: '7000', GITHUB_RUN_ATTEMPT: '1' } });
    expect(first.main.outputs.result).toBe('no-rollback-target');
    await view.closeIssue(Number(first.main.outputs['incident-number']));
    // The service is fixed outside the code (here: the same commit, a healthy check URL).
    const rerun = await s.deploy({ env: { GITHUB_RUN_ID: '7000', GITHUB_RUN_ATTEMPT: '2' }, inputs: { 'health-url': `${s.service.url}/` } });
    expect(rerun.main.outputs.result, rerun.main.stdout).toBe('deployed');
    expect(await s.tagSha('deploy-guard/production/deploy-7000-1')).toBe(await s.tagSha('deploy-guard/production/deploy-7000-2'));
    // The same attempt run again (a step repeated) finds its own tag and goes on.
    const again = await s.deploy({ env: { GITHUB_RUN_ID: '7000', GITHUB_RUN_ATTEMPT: '2' }, inputs: { 'health-url': `${s.service.url}/` } });
    expect(again.main.outputs.result).toBe('deployed');
    expect((await view.deployments()).every((d) => ['success', 'failure', 'error', 'inactive'].includes(d.states.at(-1)!))).toBe(true);
  });

  it('two runs racing for one environment leave nothing unfinished and at most one open incident', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const [a, b] = await Promise.all([s.deploy({ env: { GITHUB_RUN_ID: '8001' } }), s.deploy({ env: { GITHUB_RUN_ID: '8002' } })]);
    const results = [a.main.outputs.result, b.main.outputs.result];
    // The later of the two deployments steps back; the earlier one deploys, fails and rolls back.
    expect([...results].sort()).toEqual(['failed', 'rolled-back']);
    expect([a, b].find((run) => run.main.outputs.result === 'failed')!.main.stdout).toMatch(/another deploy of production is in progress/);
    const deployments = await view.deployments();
    expect(deployments.every((d) => ['success', 'failure', 'error', 'inactive'].includes(d.states.at(-1)!))).toBe(true);
    expect(await view.issues('open')).toHaveLength(1);
    expect(await s.tagSha('deploy-guard/production/known-good')).toBe(deployments[0]!.sha);
    process.stdout.write(`race results: ${results.join(', ')}\n`);
  });

  it('a deploy started while another run is rolling back steps back before running anything', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const marker = join(s.stateDir, 'rollback-running');
    // Each command start is logged; the rollback holds on for 4 s, so the second run starts while it runs.
    const command =
      'echo "$GITHUB_RUN_ID ${DEPLOY_GUARD_ROLLBACK_OF:-deploy}" >> "$SERVICE_STATE_DIR/command-starts"; ' +
      'if [ -n "${DEPLOY_GUARD_ROLLBACK_OF:-}" ]; then touch "$SERVICE_STATE_DIR/rollback-running"; sleep 4; fi; bash deploy.sh';
    const first = s.deploy({ env: { GITHUB_RUN_ID: '8101' }, inputs: { 'deploy-command': command } });
    for (let waited = 0; !existsSync(marker); waited += 20) {
      if (waited > 30_000) throw new Error('the rollback never started');
      await sleep(20);
    }
    const second = await s.deploy({ env: { GITHUB_RUN_ID: '8102' }, inputs: { 'deploy-command': command } });
    expect(second.main.outputs.result).toBe('failed');
    expect(second.main.stdout).toMatch(/another deploy of production is in progress \(deployment \d+ of \w{7}, [\d.hms]+ ago, https:\/\/github\.com\/acme\/shop\/actions\/runs\/8101\/attempts\/1\); not deploying on top of it/);
    const a = await first;
    expect(a.main.outputs.result, a.main.stdout).toBe('rolled-back');

    const starts = (await readFile(join(s.stateDir, 'command-starts'), 'utf8')).trim().split('\n');
    expect(starts).toEqual(['8101 deploy', `8101 ${a.main.outputs['deployment-id']}`]);
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await s.tagSha('deploy-guard/production/deploy-8102-1')).toBeUndefined();
    const deployments = await view.deployments();
    expect(deployments.map((d) => d.states.at(-1)).sort()).toEqual(['error', 'failure', 'inactive', 'success']);
    const stepped = deployments.filter((d) => d.states.at(-1) === 'error');
    expect(stepped.map((d) => d.states)).toEqual([['in_progress', 'error']]);
    expect(await view.issues('open')).toHaveLength(1);
  });

  it('a deploy whose first look at the gate was clear is still blocked by an incident opened before it held the environment', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const failed = await s.deploy();
    expect(failed.main.outputs.result).toBe('rolled-back');
    const number = Number(failed.main.outputs['incident-number']);
    await view.closeIssue(number);
    // The next run's look at the deployments before it is slow, and the incident is reopened meanwhile.
    s.github.faults.add({ method: 'POST', path: '/graphql', operation: 'DeploymentHistory', latencyMs: 1500, times: 1 });
    const from = s.github.requests.length;
    let reopened: Promise<unknown> | undefined;
    const watch = setInterval(() => {
      if (!reopened && s.github.requests.slice(from).some((r) => r.method === 'POST' && r.path.endsWith('/deployments'))) {
        reopened = view.octokit.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: number, state: 'open' });
      }
    }, 5);
    const next = await s.deploy({ env: { GITHUB_RUN_ID: '8201' } }).finally(() => clearInterval(watch));
    await reopened;

    expect(reopened).toBeDefined();
    expect(next.main.outputs.result, next.main.stdout).toBe('blocked');
    expect(next.main.stdout).toContain(`blocked by open incident #${number}`);
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await s.tagSha('deploy-guard/production/deploy-8201-1')).toBeUndefined();
    const newest = (await view.deployments()).at(-1)!;
    expect(newest.states).toEqual(['in_progress', 'error']);
  });
});

describe('the claim read through GraphQL', () => {
  it('a GraphQL answer that keeps failing stops the deploy before the command runs, and closes its deployment', async () => {
    await s.commit({ version: 'v1' });
    s.github.faults.add({ method: 'POST', path: '/graphql', operation: 'DeploymentHistory', status: 502, times: 10 });
    const run = await s.deploy();
    expect(run.main.outputs.result).toBe('failed');
    expect(run.main.annotations.map((a) => a.message).join('\n')).toMatch(/graphql/i);
    expect(await s.service.currentVersion()).toBeUndefined();
    expect((await view.deployments()).map((d) => d.states)).toEqual([['in_progress', 'error']]);
  });
});
