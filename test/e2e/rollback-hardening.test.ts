// Rollback hardening end to end (dist/ as the runner runs it, the GitHub API double, real git, the
// real test service): maintenance hooks around a rollback, rollback attempts with a backoff, and
// the rollback-started notice at the verdict. Each hook and command writes a line to one file, so
// the order of what ran is what the file says.
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileExists, startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

let s: Scenario;
let view: ReturnType<typeof githubView>;
let events: string;
let server: Server | undefined;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
  events = join(s.fixture.root, 'events.log');
});
afterEach(async () => {
  await s?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** What ran, in order: one line per hook, command or notice. */
const ran = async () => (await readFile(events, 'utf8').catch(() => '')).split('\n').filter(Boolean);
/** Every deploy-guard deployment ended: none left in progress. */
const openDeployments = async () => (await view.deployments()).filter((d) => ['in_progress', 'queued', 'pending'].includes(d.states.at(-1) ?? ''));

/** v1 deployed and known-good, then v2 (unhealthy) committed: the next deploy rolls back to v1. */
async function badDeployAhead(): Promise<{ v1: string; v2: string }> {
  const v1 = await s.commit({ version: 'v1' });
  expect((await s.deploy()).main.outputs.result).toBe('deployed');
  const v2 = await s.commit({ version: 'v2', health: 'fail' });
  return { v1, v2 };
}

/**
 * v1 then v2 deployed healthy, then a maintainer rolls back by hand to v1 (through its pre-deploy
 * tag of run 1001), asking for `inputs` besides.
 */
async function manualRollbackToV1(inputs: Record<string, string>) {
  await s.commit({ version: 'v1' });
  await s.deploy();
  await s.commit({ version: 'v2' });
  await s.deploy();
  s.github.setCollaborator('octo-maintainer', 'maintain');
  return s.deploy({
    inputs: { mode: 'rollback', 'rollback-to': 'deploy-guard/production/deploy-1001-1', reason: 'checkout errors', ...inputs },
    env: { GITHUB_ACTOR: 'octo-maintainer', EVENTS: events },
  });
}

const deployWith = (inputs: Record<string, string>) => s.deploy({ inputs, env: { EVENTS: events, RUN_COUNT: join(s.fixture.root, 'rollback-runs') } });

describe('maintenance hooks around a rollback', () => {
  it('run before and after the rollback command, in its checkout, with the rollback\'s variables', async () => {
    const { v1 } = await badDeployAhead();
    const bad = await deployWith({
      'before-rollback-command': 'echo "before $DEPLOY_GUARD_HOOK $DEPLOY_GUARD_SHA $(git rev-parse HEAD)" >> "$EVENTS"',
      'rollback-command': 'echo "rollback $DEPLOY_GUARD_ROLLBACK_ATTEMPT" >> "$EVENTS" && bash deploy.sh',
      'after-rollback-command': 'echo "after $DEPLOY_GUARD_HOOK $DEPLOY_GUARD_ROLLBACK_RESULT" >> "$EVENTS"',
    });
    expect(bad.main.outputs.result, bad.main.stdout).toBe('rolled-back');
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await ran()).toEqual([`before before-rollback ${v1} ${v1}`, 'rollback 1', 'after after-rollback healthy']);
    const [incident] = await view.issues('open');
    expect(incident!.body).toMatch(/### Maintenance hooks[\s\S]*\| `before-rollback-command` \| [^|]+ \| [^|]+ \| ok \|\n\| `after-rollback-command` \| [^|]+ \| [^|]+ \| ok \|/);
    expect(incident!.body).not.toContain('failed:**');
    expect(bad.main.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n')).not.toMatch(/rollback-command/);
    expect(await openDeployments()).toEqual([]);
  });

  it('run the after hook when the rollback fails, and report failing hooks in the log, the summary and the incident', async () => {
    await badDeployAhead();
    const bad = await deployWith({
      'before-rollback-command': 'echo before >> "$EVENTS"; exit 4',
      'rollback-command': 'echo rollback >> "$EVENTS"; exit 3',
      'after-rollback-command': 'echo "after $DEPLOY_GUARD_ROLLBACK_RESULT" >> "$EVENTS"; exit 5',
    });
    expect(bad.main.outputs.result).toBe('rollback-failed');
    // The failing before hook did not stop the rollback; the after hook ran after it failed.
    expect(await ran()).toEqual(['before', 'rollback', 'after failed']);
    const errors = bad.main.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/^before-rollback-command failed: the command exited with code 4\. Rolling back anyway/),
      expect.stringMatching(/^after-rollback-command failed: the command exited with code 5\./),
    ]));
    const alarms = [
      '**`before-rollback-command` failed:** the command exited with code 4; the rollback ran anyway.',
      '**`after-rollback-command` failed:** the command exited with code 5; check what it should have undone (e.g. a maintenance page still on).',
    ];
    const [incident] = await view.issues('open');
    for (const alarm of alarms) {
      expect(incident!.body).toContain(alarm);
      expect(bad.main.summary).toContain(alarm);
    }
    expect(incident!.body).toContain('**failed**: the command exited with code 5');
    expect(await openDeployments()).toEqual([]);
  });

  it('fail a manual rollback\'s step when a hook fails, though the version is back and healthy', async () => {
    const manual = await manualRollbackToV1({ 'after-rollback-command': 'echo after >> "$EVENTS"; exit 2' });
    expect(await s.service.currentVersion()).toBe('v1');
    expect(manual.main.outputs.result).toBe('rolled-back');
    expect(manual.main.exitCode).toBe(1);
    expect(await ran()).toEqual(['after']);
    const [incident] = await view.issues('open');
    expect(incident!.body).toContain('**`after-rollback-command` failed:** the command exited with code 2');
    expect(manual.main.summary).toContain('**`after-rollback-command` failed:**');
  });
});

describe('rollback attempts', () => {
  // Fails on its first two runs, then deploys: counted in a file, since each run is a new process.
  const flaky = 'n=$(( $(cat "$RUN_COUNT" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$RUN_COUNT"; echo "rollback attempt $DEPLOY_GUARD_ROLLBACK_ATTEMPT $DEPLOY_GUARD_SHA" >> "$EVENTS"; [ "$n" -ge 3 ] && bash deploy.sh';

  it('try the same version again after a failed attempt, on one deployment, and the incident names every attempt', async () => {
    const { v1, v2 } = await badDeployAhead();
    const bad = await deployWith({ 'rollback-command': flaky, 'rollback-attempts': '3', 'rollback-backoff': '100ms' });
    expect(bad.main.outputs.result, bad.main.stdout).toBe('rolled-back');
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await s.tagSha('deploy-guard/production/known-good')).toBe(v1);
    expect(await ran()).toEqual([`rollback attempt 1 ${v1}`, `rollback attempt 2 ${v1}`, `rollback attempt 3 ${v1}`]);
    expect(bad.main.stdout).toMatch(/Rollback attempt 1\/3 to \w{7} failed: the command exited with code 1\. Trying again in 100ms/);
    expect(bad.main.stdout).toMatch(/Rollback attempt 2\/3 to \w{7} failed: the command exited with code 1\. Trying again in 200ms/);

    // One rollback deployment, in progress once per attempt, then success; nothing left in progress.
    const deployments = await view.deployments();
    const rollbacks = deployments.filter((d) => d.rollback);
    expect(rollbacks.map((d) => [d.sha, d.states])).toEqual([[v1, ['in_progress', 'in_progress', 'in_progress', 'success']]]);
    expect(deployments.find((d) => d.sha === v2)!.states).toEqual(['in_progress', 'failure']);
    expect(await openDeployments()).toEqual([]);
    const statuses = await view.octokit.rest.repos.listDeploymentStatuses({ owner: 'acme', repo: 'shop', deployment_id: rollbacks[0]!.id });
    expect(statuses.data.map((x) => x.description)).toEqual([
      `Rolled back to known-good ${v1.slice(0, 7)}; healthy (attempt 3 of 3)`,
      `Rollback attempt 3/3 of ${v1.slice(0, 7)} in progress`,
      `Rollback attempt 2/3 of ${v1.slice(0, 7)} in progress`,
      `Rollback of ${v1.slice(0, 7)} in progress`,
    ]);

    const [incident] = await view.issues('open');
    const body = incident!.body ?? '';
    expect(body).toContain('### Rollback attempts');
    expect(body).toContain('3 of at most 3, each to the same version from the same checkout:');
    expect(body).toMatch(/\| 1 of 3 \| \d{4}-[^|]+ UTC \| [^|]+ \| failed: the command exited with code 1 \|/);
    expect(body).toMatch(/\| 2 of 3 \| \d{4}-[^|]+ UTC \| [^|]+ \| failed: the command exited with code 1 \|/);
    expect(body).toMatch(/\| 3 of 3 \| \d{4}-[^|]+ UTC \| [^|]+ \| \*\*healthy\*\* \|/);
    expect(bad.main.summary).toContain('### Rollback attempts');
  });

  it('try again after an unhealthy window too (the command succeeded, the version stayed broken)', async () => {
    const { v1 } = await badDeployAhead();
    // The first run leaves v2 serving (exit 0 without deploying): its window is unhealthy.
    const lazy = 'n=$(( $(cat "$RUN_COUNT" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$RUN_COUNT"; echo "rollback $n" >> "$EVENTS"; [ "$n" -ge 2 ] && bash deploy.sh || true';
    const bad = await deployWith({ 'rollback-command': lazy, 'rollback-attempts': '2', 'rollback-backoff': '0s' });
    expect(bad.main.outputs.result, bad.main.stdout).toBe('rolled-back');
    expect(await ran()).toEqual(['rollback 1', 'rollback 2']);
    expect(await s.service.currentVersion()).toBe('v1');
    const [incident] = await view.issues('open');
    expect(incident!.body).toMatch(/\| 1 of 2 \| [^|]+ \| [^|]+ \| failed: unhealthy: [^|]+\|/);
    expect((await view.deployments()).filter((d) => d.rollback).map((d) => [d.sha, d.states])).toEqual([[v1, ['in_progress', 'in_progress', 'success']]]);
  });

  it('give up after the last attempt: rollback-failed, the after hook told so, and never a second rollback', async () => {
    const { v1 } = await badDeployAhead();
    const bad = await deployWith({
      'rollback-command': 'echo "rollback $DEPLOY_GUARD_ROLLBACK_ATTEMPT" >> "$EVENTS"; exit 1',
      'rollback-attempts': '2',
      'rollback-backoff': '0s',
      'after-rollback-command': 'echo "after $DEPLOY_GUARD_ROLLBACK_RESULT" >> "$EVENTS"',
    });
    expect(bad.main.outputs.result).toBe('rollback-failed');
    expect(await ran()).toEqual(['rollback 1', 'rollback 2', 'after failed']);
    const rollbacks = (await view.deployments()).filter((d) => d.rollback);
    expect(rollbacks.map((d) => [d.sha, d.states])).toEqual([[v1, ['in_progress', 'in_progress', 'failure']]]);
    expect(await openDeployments()).toEqual([]);
    const [incident] = await view.issues('open');
    expect(incident!.body).toContain('2 of at most 2');
  });

  it('stop at a cancel during the wait: no further attempt, the after hook reported as not run, nothing left in progress', async () => {
    await badDeployAhead();
    const failedOnce = fileExists(join(s.fixture.root, 'rollback-runs'));
    const bad = await s.deploy({
      inputs: {
        'rollback-command': 'echo "rollback $DEPLOY_GUARD_ROLLBACK_ATTEMPT" >> "$EVENTS"; echo 1 > "$RUN_COUNT"; exit 1',
        'rollback-attempts': '3',
        'rollback-backoff': '5m',
        'after-rollback-command': 'echo after >> "$EVENTS"',
      },
      env: { EVENTS: events, RUN_COUNT: join(s.fixture.root, 'rollback-runs') },
      signals: [{ signal: 'SIGINT', afterMs: 1_000, after: failedOnce }],
    });
    expect(await ran()).toEqual(['rollback 1']);
    // Seen within a second or so, not after the 5-minute wait.
    expect(bad.main.durationMs).toBeLessThan(30_000);
    expect(bad.main.stdout).toMatch(/::error[^:]*::after-rollback-command was not run: the run was cancelled \(SIGINT\)/);
    expect(await openDeployments()).toEqual([]);
  });

  it('make the same requests as one attempt when the first one is healthy', async () => {
    // The same bad deploy in two fresh worlds, with and without retries allowed.
    const requestsOf = async (inputs: Record<string, string>) => {
      await badDeployAhead();
      const before = s.github.requests.length;
      const run = await deployWith(inputs);
      expect(run.main.outputs.result).toBe('rolled-back');
      return s.github.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{40}/g, 'SHA').replace(/\d+/g, 'N')}`);
    };
    const plain = await requestsOf({});
    await s.close();
    s = await startScenario();
    view = githubView(s.github);
    const retrying = await requestsOf({ 'rollback-attempts': '3', 'before-rollback-command': 'true', 'after-rollback-command': 'true' });
    expect(retrying).toEqual(plain);
  });
});

describe('the rollback-started notice', () => {
  /** A webhook that writes "notice <event>" to the events file as each notice arrives. */
  async function startHook(): Promise<{ url: string; received: Array<Record<string, unknown>> }> {
    const received: Array<Record<string, unknown>> = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const notice = JSON.parse(body) as Record<string, unknown>;
        received.push(notice);
        appendFileSync(events, `notice ${String(notice.event)}\n`);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/hooks/T000/SECRETTOKEN`, received };
  }

  // The rollback command waits (up to 5 s) for the notice, then says whether it had come: the notice
  // is sent at the verdict, not held back until the rollback ended.
  const waitingRollback =
    'for i in $(seq 1 50); do grep -q "notice rollback-started" "$EVENTS" 2>/dev/null && break; sleep 0.1; done; echo rollback >> "$EVENTS"; bash deploy.sh';

  it('reaches the webhook at the verdict, before the rollback command, and the end notice after it', async () => {
    const hook = await startHook();
    const { v1, v2 } = await badDeployAhead();
    const bad = await deployWith({ 'notify-webhook': hook.url, 'notify-format': 'json', 'rollback-command': waitingRollback });
    expect(bad.main.outputs.result).toBe('rolled-back');
    expect(await ran()).toEqual(['notice rollback-started', 'rollback', 'notice rolled-back']);
    expect(hook.received[0]).toMatchObject({ event: 'rollback-started', sha: v1, failedSha: v2, reason: expect.stringMatching(/^unhealthy: /), repository: 'acme/shop', environment: 'production' });
    expect(hook.received[0]).not.toHaveProperty('incident');
  });

  it('goes out for a manual rollback too, before its command, naming who asked', async () => {
    const hook = await startHook();
    const manual = await manualRollbackToV1({ 'notify-webhook': hook.url, 'rollback-command': waitingRollback });
    expect(manual.main.outputs.result).toBe('rolled-back');
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await ran()).toEqual(['notice rollback-started', 'rollback', 'notice manual-rollback']);
    expect(hook.received[0]).toMatchObject({ event: 'rollback-started', actor: 'octo-maintainer', reason: 'checkout errors' });
  });

  it('a webhook that fails is a warning: the rollback runs and the result is unchanged', async () => {
    const { v1 } = await badDeployAhead();
    const bad = await deployWith({ 'notify-webhook': 'http://127.0.0.1:9/hooks/T000/SECRETTOKEN', 'rollback-command': 'echo rollback >> "$EVENTS"; bash deploy.sh' });
    expect(bad.main.outputs.result).toBe('rolled-back');
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await s.tagSha('deploy-guard/production/known-good')).toBe(v1);
    expect(bad.main.annotations.filter((a) => a.level === 'warning' && /Notification not sent/.test(a.message)).length).toBe(2);
    expect(bad.main.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('SECRETTOKEN');
  });
});
