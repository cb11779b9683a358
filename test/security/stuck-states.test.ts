// Stuck states (issue 12, Medium 7): an environment held by a lost runner's deployment can be taken
// over by a maintainer, and a run killed during its automatic rollback still leaves an incident
// that gates the next deploy. dist/ run as the runner runs it, against the GitHub API double, real
// git and the real test service.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileExists, startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

const TERMINAL = ['success', 'failure', 'error', 'inactive'];
const REPO = { owner: 'acme', repo: 'shop' };
const MAINTAINER = { GITHUB_ACTOR: 'octo-maintainer' };
const WRITER = { GITHUB_ACTOR: 'octo-writer' };

let s: Scenario;
let view: ReturnType<typeof githubView>;
const leftovers: number[] = [];
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
  s.github.setCollaborator('octo-maintainer', 'maintain');
  s.github.setCollaborator('octo-writer', 'write');
});
afterEach(async () => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL'); // the command's whole process group
    } catch {
      // gone
    }
  }
  await s?.close();
});

/** A deploy-guard deployment of another run, left `in_progress` `ageMs` ago by a runner that was lost. */
async function seedInProgress(sha: string, ageMs: number, kind: 'deploy' | 'rollback', runId: string): Promise<number> {
  s.github.setNow(() => Date.now() - ageMs);
  const { data } = await view.octokit.rest.repos.createDeployment({
    ...REPO,
    ref: sha,
    environment: 'production',
    auto_merge: false,
    required_contexts: [],
    task: 'deploy:deploy-guard',
    payload: { 'deploy-guard': { rollback: kind === 'rollback', run: { id: runId, attempt: '1', kind } } },
  });
  const id = (data as { id: number }).id;
  await view.octokit.rest.repos.createDeploymentStatus({ ...REPO, deployment_id: id, state: 'in_progress', log_url: `https://github.com/acme/shop/actions/runs/${runId}/attempts/1` });
  s.github.setNow(() => Date.now());
  return id;
}

async function statuses(id: number) {
  const { data } = await view.octokit.rest.repos.listDeploymentStatuses({ ...REPO, deployment_id: id, per_page: 100 });
  return data; // newest first
}

const rollback = (extra: Record<string, string>, env: Record<string, string>) =>
  s.deploy({ inputs: { mode: 'rollback', 'rollback-to': '', reason: 'runner lost mid-deploy; shop is down', ...extra }, env });

describe('an environment held by a lost runner (take-over)', () => {
  /** v1 deployed and known-good; then a deploy of v2 and its rollback, both left in progress 10 minutes ago. */
  async function stuck() {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2' });
    const deploy = await seedInProgress(v2, 10 * 60_000, 'deploy', '5001');
    const rollbackOfIt = await seedInProgress(v1, 9 * 60_000, 'rollback', '5001');
    return { v1, v2, held: [deploy, rollbackOfIt] };
  }

  it('refuses a rollback (even forced) while it is held, and the refusal names take-over as the way out', async () => {
    const { held } = await stuck();
    const { main } = await rollback({ force: 'true' }, MAINTAINER);
    expect(main.exitCode).toBe(1);
    expect(main.outputs.result).toBe('refused');
    expect(main.stdout).toMatch(/another deploy of production is in progress \(deployment \d+/);
    expect(main.stdout).toContain('take-over: true');
    for (const id of held) expect((await statuses(id))[0]!.state).toBe('in_progress');
  });

  it('refuses take-over to an actor below maintain, before anything changes, with a message naming the role needed', async () => {
    const { held } = await stuck();
    const before = (await view.deployments()).length;
    const writes = view.writes().length;
    const { main } = await rollback({ 'take-over': 'true' }, WRITER);
    expect(main.exitCode).toBe(1);
    expect(main.outputs.result).toBe('refused');
    expect(main.stdout).toContain('take-over needs the maintain role or more on acme/shop, and @octo-writer has the write role');
    expect(view.writes().slice(writes)).toEqual([]);
    expect((await view.deployments()).length).toBe(before);
    for (const id of held) expect((await statuses(id))[0]!.state).toBe('in_progress');
  });

  it('take-over is a rollback-mode input: a deploy that passes it fails on its inputs', async () => {
    await s.commit({ version: 'v1' });
    const { main } = await s.deploy({ inputs: { 'take-over': 'true' } });
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toContain('Input "take-over": is only used in rollback mode (mode is deploy)');
    expect(view.writes()).toEqual([]);
  });

  it("a maintainer's take-over marks every holding deployment error, naming who and why, then rolls back and records the take-over", async () => {
    const { v1, held } = await stuck();
    await s.service.stop(); // what the lost run left behind: nothing serving
    const { main, runId } = await rollback({ 'take-over': 'true' }, MAINTAINER);
    expect(main.exitCode, main.stdout).toBe(0);
    expect(main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v1, 'known-good-sha': v1 });
    expect(await s.service.currentVersion()).toBe('v1');

    for (const id of held) {
      const [latest] = await statuses(id);
      expect(latest).toMatchObject({ state: 'error', description: 'Taken over by @octo-maintainer for a manual rollback: runner lost mid-deploy; shop is down' });
      expect(latest!.log_url).toBe(`https://github.com/acme/shop/actions/runs/${runId}/attempts/1`);
    }
    const deployments = await view.deployments();
    for (const d of deployments) expect(TERMINAL, `deployment ${d.id} ${d.states.join(' -> ')}`).toContain(d.states.at(-1));
    expect(deployments.at(-1)).toMatchObject({ sha: v1, rollback: true, states: ['in_progress', 'success'] });

    const [incident] = await view.issues('open');
    expect(incident!.title).toBe(`Manual rollback of production to ${v1.slice(0, 7)} by @octo-maintainer`);
    expect(incident!.body).toContain(`**Took the environment over** (take-over: true) from deployment ${held[1]} of \`${v1.slice(0, 7)}\`, deployment ${held[0]} of`);
    expect(main.stdout).toMatch(new RegExp(`Took production over from deployment ${held[1]} of \\w{7} \\(in_progress for 9m`));
  });
});

describe('a run killed during its automatic rollback', () => {
  /** The rollback (DEPLOY_GUARD_ROLLBACK_OF is set) writes its pid and hangs, so the kill finds it running. */
  const HANGING_ROLLBACK =
    'if [ -n "${DEPLOY_GUARD_ROLLBACK_OF:-}" ]; then echo $$ > "$SERVICE_STATE_DIR/rollback.pid"; exec sleep 60; fi; bash deploy.sh';

  async function killedDuringRollback() {
    await s.commit({ version: 'v1' });
    expect((await s.deploy({ inputs: { 'deploy-command': HANGING_ROLLBACK } })).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2', health: 'fail' });
    const pidFile = join(s.stateDir, 'rollback.pid');
    const started = fileExists(pidFile);
    const run = await s.deploy({
      inputs: { 'deploy-command': HANGING_ROLLBACK },
      signals: [{ signal: 'SIGKILL', afterMs: 500, after: started }],
      timeoutMs: 30_000,
    });
    leftovers.push(Number((await readFile(pidFile, 'utf8')).trim()));
    expect(run.main.signal, run.main.stdout).toBe('SIGKILL');
    return { ...run, v2 };
  }

  it('the post step opens the incident before it lets go of the environment, and the next deploy is blocked', async () => {
    const { post, postRequests, v2 } = await killedDuringRollback();
    expect(post.exitCode, post.stdout).toBe(0);

    const open = await view.issues('open');
    expect(open).toHaveLength(1);
    expect(open[0]!.title).toMatch(new RegExp(`^Deploy of ${v2.slice(0, 7)} to production failed, and the run was killed during the rollback to \\w{7}: outcome unknown$`));
    expect(open[0]!.body).toContain('what production is serving now is unknown');
    expect(open[0]!.body).toContain('## Postmortem');

    // Every deployment is terminal, and none was let go before the incident was opened.
    const deployments = await view.deployments();
    for (const d of deployments) expect(TERMINAL, `deployment ${d.id} ${d.states.join(' -> ')}`).toContain(d.states.at(-1));
    const writes = postRequests.filter((r) => r.method !== 'GET');
    const opened = writes.findIndex((r) => r.method === 'POST' && /\/issues$/.test(r.path));
    const released = writes.findIndex((r) => /\/deployments\/\d+\/statuses$/.test(r.path));
    expect(opened).toBeGreaterThanOrEqual(0);
    expect(released).toBeGreaterThan(opened);

    await s.commit({ version: 'v3' });
    const next = await s.deploy();
    expect(next.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(open[0]!.number) });
  });

  it('when the post step cannot open the incident either, it leaves the environment held rather than let a deploy through', async () => {
    await s.commit({ version: 'v1' });
    expect((await s.deploy({ inputs: { 'deploy-command': HANGING_ROLLBACK } })).main.outputs.result).toBe('deployed');
    await s.commit({ version: 'v2', health: 'fail' });
    const pidFile = join(s.stateDir, 'rollback.pid');
    // From the moment the rollback starts, GitHub refuses new issues.
    const started = fileExists(pidFile).then(() => s.github.faults.add({ method: 'POST', path: /\/issues$/, status: 403 }));
    const { main, post } = await s.deploy({
      inputs: { 'deploy-command': HANGING_ROLLBACK },
      signals: [{ signal: 'SIGKILL', afterMs: 500, after: started }],
      timeoutMs: 30_000,
    });
    leftovers.push(Number((await readFile(pidFile, 'utf8')).trim()));
    expect(main.signal).toBe('SIGKILL');
    expect(post.exitCode).toBe(1);
    expect(post.stdout).toMatch(/its incident could not be opened now either/);
    expect(await view.issues('open')).toEqual([]);
    const rollbackDeployment = (await view.deployments()).at(-1)!;
    expect(rollbackDeployment).toMatchObject({ rollback: true, states: ['in_progress'] });

    s.github.faults.clear();
    await s.commit({ version: 'v3' });
    const next = await s.deploy();
    expect(next.main.outputs.result).toBe('failed');
    expect(next.main.stdout).toMatch(/another deploy of production is in progress/);
  });

  it('a failed deploy whose incident GitHub refused in the main step gets it from the post step', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    const v2 = await s.commit({ version: 'v2', health: 'fail' });
    // Refused once, once the rollback has run: the main step ends without its incident.
    s.github.faults.add({ method: 'POST', path: /\/issues$/, status: 403, times: 1 });
    const { main, post } = await s.deploy();
    expect(main.outputs.result, main.stdout).toBe('failed');
    expect(post.exitCode, post.stdout).toBe(0);
    const open = await view.issues('open');
    expect(open.map((i) => i.title)).toEqual([expect.stringMatching(new RegExp(`^Deploy of ${v2.slice(0, 7)} to production failed; rolled back to \\w{7}$`))]);
    expect(open[0]!.body).toContain('The deploy-guard run ended before it opened this incident; its post step opened it.');

    await s.commit({ version: 'v3' });
    expect((await s.deploy()).main.outputs.result).toBe('blocked');
  });

  it('a run that opened its incident leaves the post step nothing to open', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const { main, post, postRequests } = await s.deploy();
    expect(main.outputs.result).toBe('rolled-back');
    expect(post.exitCode).toBe(0);
    expect(postRequests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await view.issues()).toHaveLength(1);
  });
});
