// Cancellation as the GitHub runner does it: SIGINT to the action's node process (not its group),
// SIGTERM 7.5 s later, then SIGKILL; and a runner that is lost (SIGKILL, no warning). dist/ run as
// the runner runs it, against the GitHub API double, real git and the real test service.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileExists, startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

/** A deploy command whose own child (the grandchild of the action) outlives it unless the group is killed. */
const GRANDCHILD_COMMAND = `bash -c 'sleep 60 & echo $! > "$SERVICE_STATE_DIR/grandchild.pid"; wait'`;
const TERMINAL = ['success', 'failure', 'error', 'inactive'];
/** What the runner waits between SIGINT and SIGTERM, and between SIGTERM and killing the process. */
const RUNNER_SIGTERM_AFTER_MS = 7_500;
const RUNNER_KILL_AFTER_MS = 2_500;

let s: Scenario;
let view: ReturnType<typeof githubView>;
const leftovers: number[] = [];
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
});
afterEach(async () => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await s?.close();
});

/** True while `pid` is a live process; a zombie (exited, not yet reaped) counts as gone. */
async function alive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Gives a just-killed process a moment to be reaped. */
async function stillAliveAfter(pid: number, graceMs: number): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  while (await alive(pid)) {
    if (Date.now() >= deadline) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function grandchildPid(): Promise<number> {
  const pid = Number((await readFile(join(s.stateDir, 'grandchild.pid'), 'utf8')).trim());
  leftovers.push(pid);
  return pid;
}

describe('cancellation', () => {
  it('a cancelled deploy stops its command with its children, closes its deployment, starts no rollback, and leaves the post step nothing to do', async () => {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2' });

    // Cancel once the deploy command is running (its pid file is written), as the runner would.
    const started = fileExists(join(s.stateDir, 'grandchild.pid'));
    const { main, post, postRequests } = await s.deploy({
      inputs: { 'deploy-command': GRANDCHILD_COMMAND, 'rollback-command': 'bash deploy.sh' },
      signals: [
        { signal: 'SIGINT', afterMs: 250, after: started },
        { signal: 'SIGTERM', afterMs: 250 + RUNNER_SIGTERM_AFTER_MS, after: started },
        { signal: 'SIGKILL', afterMs: 250 + RUNNER_SIGTERM_AFTER_MS + RUNNER_KILL_AFTER_MS, after: started },
      ],
      timeoutMs: 30_000,
    });
    const log = `${main.stdout}\n${main.stderr}`;

    // It stopped on the SIGINT alone: neither SIGTERM nor the kill was needed.
    expect(main.timedOut, log).toBe(false);
    expect(main.signalsSent.map((x) => x.signal), log).toEqual(['SIGINT']);
    const sigintAt = main.signalsSent[0]!.atMs;
    expect(main.exitMs! - sigintAt, log).toBeLessThan(RUNNER_SIGTERM_AFTER_MS);
    expect(main.exitCode, log).toBe(1);

    // The deploy command's own child is gone too.
    expect(await stillAliveAfter(await grandchildPid(), 500), `grandchild of the deploy command still running after the action exited\n${log}`).toBe(false);

    if (main.outputs.result !== undefined) expect(main.outputs.result).toBe('failed');

    // Every deployment is closed, the cancelled one not as a success, and no rollback was started.
    const deployments = await view.deployments();
    for (const d of deployments) expect(TERMINAL, `deployment ${d.id} (${d.sha}) states ${d.states.join(' -> ')}`).toContain(d.states.at(-1));
    expect(deployments.filter((d) => d.rollback)).toEqual([]);
    expect(deployments.map(({ sha, rollback }) => ({ sha, rollback }))).toEqual([
      { sha: v1, rollback: false },
      { sha: v2, rollback: false },
    ]);
    expect(deployments[1]!.states.at(-1)).not.toBe('success');
    expect(await s.service.currentVersion()).toBe('v1');

    // The post step, given the main step's state, only looks.
    expect(post.exitCode, post.stdout).toBe(0);
    expect(postRequests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await view.deployments()).toEqual(deployments);
  });

  it('a run killed outright mid-deploy (runner lost): the post step marks its deployment error', async () => {
    // deploy-loop.test.ts's "killed mid-deploy" uses runAction's timeout, which sends SIGTERM to the
    // whole group first, so the action can close the deployment itself; here it gets no chance.
    await s.commit({ version: 'v1' });
    const started = fileExists(join(s.stateDir, 'grandchild.pid'));
    const { main, post, postRequests } = await s.deploy({
      inputs: { 'deploy-command': GRANDCHILD_COMMAND },
      signals: [{ signal: 'SIGKILL', afterMs: 250, after: started }],
      timeoutMs: 30_000,
    });
    await grandchildPid(); // killed in afterEach: nothing was left to stop it

    expect(main.signal, main.stdout).toBe('SIGKILL');
    expect(main.outputs.result).toBeUndefined();
    const [deployment, ...others] = await view.deployments();
    expect(others).toEqual([]);
    expect(main.state['open-deployments']).toBe(JSON.stringify([deployment!.id]));

    expect(post.exitCode, post.stdout).toBe(0);
    expect(postRequests.filter((r) => r.method !== 'GET')).toEqual([
      expect.objectContaining({ method: 'POST', path: `/repos/acme/shop/deployments/${deployment!.id}/statuses`, requestBody: expect.objectContaining({ state: 'error' }) }),
    ]);
    expect(deployment!.states).toEqual(['in_progress', 'error']);
    expect(post.stdout).toContain(`Deployment ${deployment!.id} was left in_progress by a stopped run; marked it error.`);
  });
});
