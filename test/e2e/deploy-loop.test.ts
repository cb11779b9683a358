// The deploy loop end to end: dist/ run as the runner runs it, against the GitHub API double,
// real git repositories and a real HTTP service deployed by the repo's own deploy.sh.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NODE24, startScenario, TOKEN, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

const KNOWN_GOOD = 'deploy-guard/production/known-good';

let s: Scenario;
let view: ReturnType<typeof githubView>;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
});
afterEach(async () => {
  await s?.close();
});

describe('deploy mode', () => {
  for (const [label, nodeBinary] of [['Node 20', process.execPath], ['Node 24', NODE24]] as const) {
    it(`first deploy of a healthy version: deployed, known-good moves, deployment success (${label})`, async () => {
      const v1 = await s.commit({ version: 'v1' });
      const { main, post, jobDeploymentId } = await s.deploy({ nodeBinary });

      expect(main.exitCode, main.stdout).toBe(0);
      expect(main.outputs).toMatchObject({ result: 'deployed', 'deployed-sha': v1, 'known-good-sha': v1 });
      expect(await s.service.currentVersion()).toBe('v1');
      expect(await s.tagSha(KNOWN_GOOD)).toBe(v1);
      expect(await s.tagSha('deploy-guard/production/deploy-1001-1')).toBe(v1);
      const deployments = await view.deployments();
      expect(deployments).toEqual([
        {
          id: Number(main.outputs['deployment-id']),
          sha: v1,
          environment: 'production',
          creator: 'github-actions[bot]',
          rollback: false,
          states: ['in_progress', 'success'],
        },
      ]);
      // GitHub's own deployment for the job's `environment: production` is left to GitHub.
      const job = (await view.deployments({ all: true })).find((d) => d.id === jobDeploymentId);
      expect(job).toMatchObject({ sha: v1, creator: 'octocat', states: ['queued', 'in_progress', 'success'] });
      // The window is watched: about 2 s / 250 ms = 9 rounds, each logged.
      expect(main.stdout.match(/^round \d+ at/gm)?.length).toBeGreaterThanOrEqual(9);
      expect(main.summary).toContain('## deploy-guard: deployed');
      expect(post.exitCode).toBe(0);
      expect(await view.issues()).toEqual([]);
    });
  }

  it('bad deploy rolls back, the old version serves again, an incident blocks the next deploy until it is closed', async () => {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');

    const v2 = await s.commit({ version: 'v2', health: 'fail' });
    const bad = await s.deploy();
    expect(bad.main.exitCode).toBe(1);
    expect(bad.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v2, 'known-good-sha': v1 });
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v1);

    const deployments = await view.deployments();
    expect(deployments.map(({ sha, rollback, states }) => ({ sha, rollback, states }))).toEqual([
      { sha: v1, rollback: false, states: ['in_progress', 'success', 'inactive'] },
      { sha: v2, rollback: false, states: ['in_progress', 'failure'] },
      { sha: v1, rollback: true, states: ['in_progress', 'success'] },
    ]);

    const [incident, ...others] = await view.issues('open');
    expect(others).toEqual([]);
    expect(incident!.number).toBe(Number(bad.main.outputs['incident-number']));
    expect(bad.main.outputs['incident-url']).toBe(incident!.html_url);
    expect(incident!.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['deploy-incident', 'severity:high']);
    expect(incident!.title).toBe(`Deploy of ${v2.slice(0, 7)} to production failed; rolled back to ${v1.slice(0, 7)}`);
    expect(incident!.body).toContain('consecutive health rounds failed');
    expect(incident!.body).toContain('closing it unblocks deploys to production');
    // The rollback worktree is removed by the post step.
    expect(await s.fixture.git(['worktree', 'list'])).not.toMatch(/deploy-guard-rollback/);

    const v3 = await s.commit({ version: 'v3' });
    const writesBefore = view.writes().length;
    const blocked = await s.deploy();
    expect(blocked.main.exitCode).toBe(1);
    expect(blocked.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(incident!.number) });
    expect(blocked.main.stdout).toContain(incident!.html_url);
    expect(view.writes().length).toBe(writesBefore);
    expect(await s.service.currentVersion()).toBe('v1');

    await view.closeIssue(incident!.number);
    const unblocked = await s.deploy();
    expect(unblocked.main.outputs).toMatchObject({ result: 'deployed', 'deployed-sha': v3 });
    expect(await s.service.currentVersion()).toBe('v3');
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v3);
  });

  it('an automatic rollback starts before GitHub hears of it, and is recorded while it runs', async () => {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2', health: 'fail' });
    s.github.faults.add({ latencyMs: 300 }); // every request is slow
    const starts = join(s.stateDir, 'command-starts');
    const command = 'printf "%s %s %s\\n" "$(date +%s%3N)" "${DEPLOY_GUARD_ROLLBACK_OF:-none}" "${DEPLOY_GUARD_DEPLOYMENT_ID:-none}" >> "$SERVICE_STATE_DIR/command-starts"; bash deploy.sh';
    const from = s.github.requests.length;
    const bad = await s.deploy({ inputs: { 'deploy-command': command } });

    expect(bad.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v2 });
    expect(await s.service.currentVersion()).toBe('v1');
    const [deploy, rollback] = (await readFile(starts, 'utf8')).trim().split('\n').map((line) => line.split(' '));
    const failedId = bad.main.outputs['deployment-id']!;
    expect(deploy!.slice(1)).toEqual(['none', failedId]);
    expect(rollback!.slice(1)).toEqual([failedId, 'none']);
    // The rollback's deployment is created (after the failed one's status, 300 ms each) once the command runs.
    const rollbackDeployment = s.github.requests.slice(from).filter((r) => r.method === 'POST' && r.path.endsWith('/deployments'))[1];
    expect(rollbackDeployment!.at).toBeGreaterThan(Number(rollback![0]));
    expect((await view.deployments()).map(({ sha, rollback: r, states }) => ({ sha, r, states }))).toEqual([
      { sha: v1, r: false, states: ['in_progress', 'success', 'inactive'] },
      { sha: v2, r: false, states: ['in_progress', 'failure'] },
      { sha: v1, r: true, states: ['in_progress', 'success'] },
    ]);
    // The environment is never without an unfinished deployment until the incident is open:
    // rollback recorded, then the failure written; the rollback's success only after the incident.
    const writes = s.github.requests.slice(from).filter((r) => r.method === 'POST' && r.status < 300);
    const stateAt = (state: string, nth = 0) => writes.filter((r) => (r.requestBody as { state?: string } | undefined)?.state === state)[nth];
    const issue = writes.find((r) => r.path.endsWith('/issues'))!;
    expect(stateAt('failure')!.at).toBeGreaterThanOrEqual(rollbackDeployment!.at);
    expect(writes.indexOf(stateAt('failure')!)).toBeGreaterThan(writes.indexOf(rollbackDeployment!));
    expect(writes.indexOf(stateAt('success')!)).toBeGreaterThan(writes.indexOf(issue));
  });

  it('a rollback whose deployment cannot be recorded still runs, and the run says so', async () => {
    await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    await s.commit({ version: 'v2', health: 'fail' });
    const from = s.github.requests.length;
    // Once this run has made its deployment, GitHub refuses the next one (the rollback's).
    let armed = false;
    const arm = setInterval(() => {
      if (!armed && s.github.requests.slice(from).some((r) => r.method === 'POST' && r.path.endsWith('/deployments') && r.status === 201)) {
        s.github.faults.add({ method: 'POST', path: '/deployments', status: 422 });
        armed = true;
      }
    }, 5);
    const bad = await s.deploy().finally(() => clearInterval(arm));

    expect(armed).toBe(true);
    expect(bad.main.exitCode).toBe(1);
    expect(bad.main.outputs.result).toBe('rollback-failed');
    expect(bad.main.stdout).toMatch(/the rollback command ran \(exit 0\), but its deployment could not be recorded: GitHub API POST \/deployments failed \(422\)/);
    expect(await s.service.currentVersion()).toBe('v1');
    const states = (await view.deployments()).map((d) => d.states.at(-1));
    expect(states).toEqual(['success', 'failure']);
    expect(await view.issues('open')).toHaveLength(1);
    // With no rollback deployment to hold the environment, the failed one stays open until the incident is.
    const writes = s.github.requests.slice(from).filter((r) => r.method === 'POST' && r.status < 300);
    const failureAt = writes.findIndex((r) => (r.requestBody as { state?: string } | undefined)?.state === 'failure');
    const issueAt = writes.findIndex((r) => r.path.endsWith('/issues'));
    expect(issueAt).toBeGreaterThanOrEqual(0);
    expect(failureAt).toBeGreaterThan(issueAt);
  });

  it('a deploy command that fails rolls back without watching health', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'bootFail' });
    const { main } = await s.deploy();
    expect(main.outputs).toMatchObject({ result: 'rolled-back', 'known-good-sha': v1 });
    expect(main.stdout).toMatch(/Deploy of \w{7} to production failed: the command exited with code 1/);
    expect(await s.service.currentVersion()).toBe('v1');
    const [incident] = await view.issues('open');
    expect(incident!.body).toContain('the command exited with code 1');
  });

  it('a deploy command that runs past deploy-timeout is killed with its children and rolled back', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2' });
    const { main } = await s.deploy({
      inputs: { 'deploy-command': 'sleep 30 & echo $! > "$SERVICE_STATE_DIR/sleeper.pid"; wait', 'rollback-command': 'bash deploy.sh', 'deploy-timeout': '1s' },
    });
    expect(main.outputs.result).toBe('rolled-back');
    expect(main.stdout).toContain('did not finish within 1s and was killed');
    const sleeper = Number(await readFile(join(s.stateDir, 'sleeper.pid'), 'utf8'));
    expect(() => process.kill(sleeper, 0)).toThrow();
    expect(await s.service.currentVersion()).toBe('v1');
  });

  it('with no known-good version, a failed first deploy opens an incident and moves no tag', async () => {
    await s.commit({ version: 'v1', health: 'fail' });
    const { main } = await s.deploy();
    expect(main.exitCode).toBe(1);
    expect(main.outputs.result).toBe('no-rollback-target');
    expect(main.outputs).not.toHaveProperty('known-good-sha');
    expect(await s.tagSha(KNOWN_GOOD)).toBeUndefined();
    const issues = await view.issues('open');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.title).toMatch(/no known-good version to roll back to/);
    expect((await view.deployments()).map((d) => d.states)).toEqual([['in_progress', 'failure']]);
  });

  it('healthy at first, then failing inside the window: rolled back', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: { failAfterMs: 800 } });
    const { main } = await s.deploy();
    expect(main.outputs).toMatchObject({ result: 'rolled-back', 'known-good-sha': v1 });
    const rounds = main.stdout.match(/^round \d+ at \S+: (PASS|FAIL)/gm) ?? [];
    expect(rounds.slice(0, 2).every((r) => r.endsWith('PASS'))).toBe(true);
    expect(await s.service.currentVersion()).toBe('v1');
  });

  it('a single failed round below the threshold does not roll back', async () => {
    const v1 = await s.commit({ version: 'v1', health: { failRounds: [3] } });
    const { main } = await s.deploy();
    expect(main.outputs).toMatchObject({ result: 'deployed', 'known-good-sha': v1 });
    expect(main.stdout).toMatch(/FAIL \(1\/3 consecutive failures\)/);
  });

  it('the deploy command gets DEPLOY_GUARD_* but neither the token nor any INPUT_ variable', async () => {
    const v1 = await s.commit({ version: 'v1' });
    const { main } = await s.deploy({ inputs: { 'deploy-command': 'env > "$SERVICE_STATE_DIR/env.txt" && bash deploy.sh' } });
    expect(main.outputs.result).toBe('deployed');
    const env = await readFile(join(s.stateDir, 'env.txt'), 'utf8');
    expect(env).toContain(`DEPLOY_GUARD_SHA=${v1}`);
    expect(env).toContain('DEPLOY_GUARD_ENVIRONMENT=production');
    expect(env).toContain('DEPLOY_GUARD_ROLLBACK=false');
    expect(env).toContain(`DEPLOY_GUARD_DEPLOYMENT_ID=${main.outputs['deployment-id']}`);
    expect(env).not.toContain(TOKEN);
    expect(env).not.toMatch(/^INPUT_/m);
  });

  it('the deploy command cannot issue workflow commands in the action\'s name', async () => {
    await s.commit({ version: 'v1' });
    const { main } = await s.deploy({ inputs: { 'deploy-command': 'echo "::error title=forged::from the deploy command"; echo "::add-mask::x"; bash deploy.sh' } });
    expect(main.outputs.result).toBe('deployed');
    expect(main.stdout).toContain('::error title=forged::from the deploy command');
    expect(main.annotations.filter((a) => a.message.includes('forged') || a.message.includes('from the deploy command'))).toEqual([]);
  });

  it('bad input fails before anything is written, naming the input and the fix', async () => {
    await s.commit({ version: 'v1' });
    const { main } = await s.deploy({ inputs: { environment: 'prod; rm -rf /', 'health-window': 'forever' } });
    expect(main.exitCode).toBe(1);
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toContain('Input "environment": "prod; rm -rf /" may contain only letters, digits');
    expect(main.stdout).toContain('Input "health-window": "forever" is not a duration');
    expect(s.github.requests).toEqual([]);
  });

  it('a run killed mid-deploy leaves no deployment in progress: the post step closes it', async () => {
    await s.commit({ version: 'v1' });
    const { main, post } = await s.deploy({ inputs: { 'deploy-command': 'sleep 20' }, timeoutMs: 3_000 });
    expect(main.timedOut).toBe(true);
    expect(post.exitCode).toBe(0);
    expect((await view.deployments()).map((d) => d.states)).toEqual([['in_progress', 'error']]);
  });
});

describe('gate mode', () => {
  it('is clear without incidents and blocked by an open one', async () => {
    await s.commit({ version: 'v1', health: 'fail' });
    const clear = await s.deploy({ inputs: { mode: 'gate' } });
    expect(clear.main.exitCode).toBe(0);
    expect(clear.main.outputs.result).toBe('clear');
    const failed = await s.deploy();
    const gate = await s.deploy({ inputs: { mode: 'gate' } });
    expect(gate.main.exitCode).toBe(1);
    expect(gate.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': failed.main.outputs['incident-number'] });
    // An incident for production does not block staging.
    const staging = await s.deploy({ inputs: { mode: 'gate', environment: 'staging' } });
    expect(staging.main.outputs.result).toBe('clear');
  });
});
