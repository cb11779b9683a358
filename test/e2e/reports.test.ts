// What people read and receive after a deploy: the incident issue, the job summary, webhook
// notifications, and the postmortem rule of the gate. dist/ run as the runner runs it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

let s: Scenario;
let view: ReturnType<typeof githubView>;
let hook: { url: string; received: Array<Record<string, unknown>>; status: number; server: Server } | undefined;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
});
afterEach(async () => {
  await s?.close();
  await new Promise((resolve) => (hook ? hook.server.close(resolve) : resolve(undefined)));
  hook = undefined;
});

/** The log as the runner shows it: ::add-mask:: lines are read by the runner, never displayed. */
const unmasked = (log: string) => log.replace(/^::add-mask::.*$/gm, '');

/** A real webhook receiver; its path stands for the secret part of a webhook URL. */
async function startHook(status = 200): Promise<NonNullable<typeof hook>> {
  const received: Array<Record<string, unknown>> = [];
  const state = { status };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  hook = { url: `http://127.0.0.1:${port}/hooks/T000/SECRETTOKEN`, received, status, server };
  return hook;
}

describe('the incident issue', () => {
  it('tells what broke, when, what changed, what was done and what to do next', async () => {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    await s.commit({ version: 'v2-a' });
    const v2 = await s.commit({ version: 'v2', health: 'fail' });
    const bad = await s.deploy();
    expect(bad.main.outputs.result).toBe('rolled-back');

    const [incident] = await view.issues('open');
    const body = incident!.body ?? '';
    expect(body).toContain(v2.slice(0, 7));
    expect(body).toContain(v1.slice(0, 7));
    expect(body).toMatch(/UTC/);
    expect(body).toMatch(/```mermaid\n%%\{init: .*\}%%\nxychart-beta\n/);
    // The two commits between known-good and the bad version, from the compare API.
    expect(body).toContain('service v2-a');
    expect(body).toContain('service v2');
    expect(body).toContain('2 commits from the known-good');
    expect(body).toContain('### Root cause');
    expect(body).toContain('### Corrective actions');
    expect(body).toMatch(/Close this issue to unblock deploys to production/);
    expect(body.length).toBeLessThanOrEqual(65_536);
    // The job summary leads with the same story.
    expect(bad.main.summary).toContain('## deploy-guard: rolled-back');
    expect(bad.main.summary).toContain('xychart-beta');
  });
});

describe('require-postmortem', () => {
  it('keeps a closed incident blocking until its root cause and corrective actions are written', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    await s.deploy();
    const [incident] = await view.issues('open');
    await view.closeIssue(incident!.number);
    await s.commit({ version: 'v3' });

    const blocked = await s.deploy({ inputs: { 'require-postmortem': 'true' } });
    expect(blocked.main.outputs.result).toBe('blocked');
    expect(blocked.main.stdout).toContain(`${incident!.html_url}#root-cause`);
    expect(blocked.main.stdout).toContain(`${incident!.html_url}#corrective-actions`);

    const filled = (incident!.body ?? '')
      .replace(/(### Root cause\n)/, '$1The v2 health endpoint answered 503: a missing config key.\n')
      .replace(/(### Corrective actions\n)/, '$1- Add the key; - check config at boot.\n');
    await view.octokit.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: incident!.number, body: filled });
    const deployed = await s.deploy({ inputs: { 'require-postmortem': 'true' } });
    expect(deployed.main.outputs.result, deployed.main.stdout).toBe('deployed');
  });
});

describe('notify-webhook', () => {
  it('announces a rollback, a blocked deploy and the recovery, and never logs the URL', async () => {
    const receiver = await startHook();
    const inputs = { 'notify-webhook': receiver.url, 'notify-format': 'json' };
    await s.commit({ version: 'v1' });
    await s.deploy({ inputs });
    expect(receiver.received).toEqual([]); // a plain healthy deploy is not news
    await s.commit({ version: 'v2', health: 'fail' });
    const bad = await s.deploy({ inputs });
    await s.commit({ version: 'v3' });
    const blocked = await s.deploy({ inputs });
    const [incident] = await view.issues('open');
    await view.closeIssue(incident!.number);
    const recovered = await s.deploy({ inputs });

    s.github.setCollaborator('octo-maintainer', 'maintain');
    const manual = await s.deploy({ inputs: { ...inputs, mode: 'rollback', 'rollback-to': '', reason: 'paging test' }, env: { GITHUB_ACTOR: 'octo-maintainer' } });

    expect(recovered.main.outputs.result).toBe('deployed');
    expect(manual.main.outputs.result, manual.main.stdout).toBe('rolled-back');
    // Each rollback is announced as it starts (rollback-started), then as the run ends.
    expect(receiver.received.map((r) => r.event)).toEqual(['rollback-started', 'rolled-back', 'blocked', 'recovered', 'rollback-started', 'manual-rollback']);
    expect(receiver.received[1]).toMatchObject({ environment: 'production', repository: 'acme/shop' });
    expect(receiver.received[5]).toMatchObject({ actor: 'octo-maintainer', reason: 'paging test', incident: { number: Number(manual.main.outputs['incident-number']) } });
    for (const run of [bad, blocked, recovered, manual]) expect(unmasked(run.main.stdout + run.main.stderr)).not.toContain('SECRETTOKEN');
  });

  it('a webhook that fails is reported and does not change the result', async () => {
    const receiver = await startHook(500);
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const bad = await s.deploy({ inputs: { 'notify-webhook': receiver.url, 'notify-format': 'slack' } });
    expect(bad.main.outputs.result).toBe('rolled-back');
    // Two notices (rollback-started, then rolled-back), each tried 3 times.
    expect(receiver.received.length).toBe(6);
    expect(receiver.received[0]).toHaveProperty('text');
    expect(bad.main.stdout).toMatch(/::warning[^:]*::.*notif/i);
    expect(unmasked(bad.main.stdout)).not.toContain('SECRETTOKEN');
  });
});
