// Rollback drills end to end: dist/ as the runner runs it, the GitHub API double, real git and the
// real test service. A drill rolls production back to the previous proven version with the
// rollback command and watches it, then forward to known-good with the deploy command and watches
// again, each leg a deployment of its own that never counts as proven.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileExists, startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

const KNOWN_GOOD = 'deploy-guard/production/known-good';
const MAINTAINER = { GITHUB_ACTOR: 'octo-maintainer' };
const TERMINAL = ['success', 'failure', 'error', 'inactive'];
/** Each leg says which command it ran, so the log shows the order. */
const COMMANDS = { 'rollback-command': 'echo RAN-ROLLBACK-COMMAND; bash deploy.sh', 'deploy-command': 'echo RAN-DEPLOY-COMMAND; bash deploy.sh' };

let s: Scenario;
let view: ReturnType<typeof githubView>;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
  s.github.setCollaborator('octo-maintainer', 'maintain');
  s.github.setCollaborator('octo-reader', 'read');
});
afterEach(async () => {
  await s?.close();
});

const drill = (inputs: Record<string, string> = {}, env: Record<string, string> = MAINTAINER) => s.deploy({ inputs: { mode: 'drill', ...COMMANDS, ...inputs }, env });

/** deploy-guard's deployments, oldest first, each with its marker and its states (oldest first). */
async function ownDeployments() {
  const repo = { owner: 'acme', repo: 'shop' };
  const states = new Map((await view.deployments()).map((d) => [d.id, d.states]));
  const list = await view.octokit.paginate(view.octokit.rest.repos.listDeployments, { ...repo, per_page: 100 });
  return list
    .filter((d) => states.has(d.id))
    .map((d) => {
      const payload = (typeof d.payload === 'string' ? JSON.parse(d.payload) : d.payload) as { 'deploy-guard': Record<string, unknown> };
      return { id: d.id, sha: d.sha, marker: payload['deploy-guard'], states: states.get(d.id)! };
    })
    .sort((a, b) => a.id - b.id);
}

/** Two proven versions: v1, then v2 (known-good). */
async function twoProvenVersions(v1Health?: Parameters<Scenario['commit']>[0]['health']) {
  const v1 = await s.commit({ version: 'v1', ...(v1Health ? { health: v1Health } : {}) });
  expect((await s.deploy()).main.outputs.result).toBe('deployed');
  const v2 = await s.commit({ version: 'v2' });
  expect((await s.deploy()).main.outputs.result).toBe('deployed');
  expect(await s.tagSha(KNOWN_GOOD)).toBe(v2);
  return { v1, v2 };
}

describe('drill mode', () => {
  it('passes: back to the previous proven version with the rollback command, forward to known-good with the deploy command, known-good unchanged', async () => {
    const { v1, v2 } = await twoProvenVersions();
    const { main, post, runId } = await drill();
    expect(main.exitCode, main.stdout).toBe(0);
    expect(post.exitCode, post.stdout).toBe(0);

    const [back, forward, ...more] = (await ownDeployments()).slice(2);
    expect(more).toEqual([]);
    expect(back).toMatchObject({ sha: v1, marker: { drill: 'back', 'drill-run': Number(runId), rollback: false } });
    // The double marks the back leg inactive once the forward leg succeeds (docs/github-behaviours.md, item 8).
    expect(back!.states.slice(0, 2)).toEqual(['in_progress', 'success']);
    expect(['success', 'inactive']).toContain(back!.states.at(-1));
    expect(forward).toMatchObject({ sha: v2, marker: { drill: 'forward', 'drill-run': Number(runId), rollback: false }, states: ['in_progress', 'success'] });
    expect(main.outputs).toMatchObject({
      result: 'drill-passed',
      'deployment-id': String(forward!.id),
      'drill-deployments': JSON.stringify({ back: back!.id, forward: forward!.id }),
      'known-good-sha': v2,
      'deployed-sha': v2,
    });
    // The rollback command ran first (in v1's checkout), then the deploy command (in v2's).
    const rollbackAt = main.stdout.indexOf('RAN-ROLLBACK-COMMAND');
    expect(rollbackAt, main.stdout).toBeGreaterThan(-1);
    expect(main.stdout.indexOf('RAN-DEPLOY-COMMAND')).toBeGreaterThan(rollbackAt);

    expect(await s.tagSha(KNOWN_GOOD)).toBe(v2);
    expect(await s.service.currentVersion()).toBe('v2');
    expect(await view.issues()).toEqual([]);
    expect(main.summary).toContain('## deploy-guard: drill');
    expect(main.summary).toContain('Rollback drill of **production** passed');
    expect(main.summary).toMatch(/### Rollback drill[\s\S]*\| Back \(rollback command\) \| `\w{7}` \| \d+ \| healthy for its whole window \|/);
  });

  it('a back leg that turns unhealthy still rolls forward, opens an incident that blocks the next deploy', async () => {
    // v1 passed its 2 s window once, but turns unhealthy 4 s after it starts: the drill watches 6 s.
    const { v1, v2 } = await twoProvenVersions({ failAfterMs: 4_000 });
    const { main } = await drill({ 'health-window': '6s' }, MAINTAINER);
    expect(main.exitCode, main.stdout).toBe(1);

    const [back, forward] = (await ownDeployments()).slice(2);
    expect(back).toMatchObject({ sha: v1, marker: { drill: 'back' }, states: ['in_progress', 'failure'] });
    expect(forward).toMatchObject({ sha: v2, marker: { drill: 'forward' }, states: ['in_progress', 'success'] });
    expect(await s.service.currentVersion()).toBe('v2');
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v2);

    const [incident, ...others] = await view.issues('open');
    expect(others).toEqual([]);
    expect(incident!.title).toBe(`Rollback drill of production failed: the rollback to ${v1.slice(0, 7)} failed, so the rollback path is broken`);
    expect(incident!.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(expect.arrayContaining(['deploy-incident', 'severity:high']));
    expect(incident!.body).toContain('<!-- deploy-guard:incident environment=production -->');
    expect(incident!.body).toMatch(/Back \(rollback command\): unhealthy/);
    expect(incident!.body).toContain('## Postmortem');
    expect(main.outputs).toMatchObject({ result: 'drill-failed', 'incident-number': String(incident!.number), 'known-good-sha': v2, 'deployed-sha': v2 });
    expect(main.summary).toContain('Rollback drill of **production** failed: the rollback to the previous version (back leg)');

    // The incident blocks deploys, and another drill, until it is closed.
    await s.commit({ version: 'v3' });
    const blocked = await s.deploy();
    expect(blocked.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'incident', 'incident-number': String(incident!.number) });
    const again = await drill();
    expect(again.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'incident' });
    expect(await s.service.currentVersion()).toBe('v2');
  });

  it('is skipped, writing nothing, with no previous proven version; refused for a reader, blocked by a freeze and a lock, refused while a deploy holds production', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await s.deploy(); // v1 again: still one proven version
    await s.commit({ version: 'v2', health: 'fail' });
    await s.deploy(); // fails and is rolled back: v2 is not proven
    await view.closeIssue((await view.issues('open'))[0]!.number);
    const before = await ownDeployments();
    const writesBefore = view.writes().length;

    const skipped = await drill();
    expect(skipped.main.exitCode, skipped.main.stdout).toBe(0);
    expect(skipped.main.outputs).toMatchObject({ result: 'drill-skipped', 'known-good-sha': v1 });
    expect(skipped.main.stdout).toMatch(/no version other than known-good \w{7} passed a health window in production .*no previous proven version to roll back to/);
    expect(skipped.main.summary).toContain('Rollback drill of **production** skipped');
    // The gate forgets the closed incident's record (a deploy's gate does the same); nothing else is written.
    expect(view.writes().slice(writesBefore).filter((r) => !decodeURIComponent(r.path).includes('/git/refs/deploy-guard/production/incidents/'))).toEqual([]);

    const reader = await drill({}, { GITHUB_ACTOR: 'octo-reader' });
    expect(reader.main.exitCode).toBe(1);
    expect(reader.main.outputs.result).toBe('refused');
    expect(reader.main.stdout).toMatch(/@octo-reader has the read role on acme\/shop; a rollback drill needs write access/);

    // A freeze refuses a drill as it refuses a deploy, before anything is written.
    const today = new Date().toISOString().slice(0, 10);
    const frozen = await drill({ 'deploy-freezes': `${today} Release freeze` });
    expect(frozen.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'freeze' });
    expect((await ownDeployments()).length).toBe(before.length);

    // A lock refuses a drill as it refuses a deploy, before anything is written.
    expect((await s.deploy({ inputs: { mode: 'lock', reason: 'migrating' }, env: MAINTAINER })).main.outputs.result).toBe('locked');
    const deploymentsLocked = (await ownDeployments()).length;
    const locked = await drill();
    expect(locked.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'lock' });
    expect((await ownDeployments()).length).toBe(deploymentsLocked);
    expect((await s.deploy({ inputs: { mode: 'unlock', reason: 'done' }, env: MAINTAINER })).main.outputs.result).toBe('unlocked');

    // A deployment in progress (another run's deploy) holds production: refused before anything is written.
    const repo = { owner: 'acme', repo: 'shop' };
    const { data } = await view.octokit.rest.repos.createDeployment({ ...repo, ref: v1, environment: 'production', auto_merge: false, required_contexts: [], task: 'deploy:deploy-guard', payload: { 'deploy-guard': { rollback: false } } });
    const holder = (data as { id: number }).id;
    await view.octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: holder, state: 'in_progress' });
    const held = await drill();
    expect(held.main.outputs.result).toBe('refused');
    expect(held.main.stdout).toMatch(new RegExp(`another deploy of production is in progress \\(deployment ${holder} of`));
    expect((await ownDeployments()).map((d) => d.id)).toEqual([...before.map((d) => d.id), holder]);
  });

  // The forward leg fails, so the drill's healthy back leg (v1) is the newest success in production:
  // had it counted as proven, it would be known-good now.
  const drillWithFailingForwardLeg = async (v1: string) => {
    const { main } = await drill({ 'deploy-command': 'echo RAN-DEPLOY-COMMAND; exit 3' });
    expect(main.outputs.result, main.stdout).toBe('drill-failed');
    expect(await s.service.currentVersion()).toBe('v1');
    const [back, forward] = (await ownDeployments()).slice(2);
    expect([back, forward].map((d) => [d!.sha, d!.marker.drill, d!.states.at(-1)])).toEqual([
      [v1, 'back', 'success'],
      [forward!.sha, 'forward', 'failure'],
    ]);
    const [incident] = await view.issues('open');
    expect(incident!.title).toMatch(/^Rollback drill of production: rolling forward to known-good \w{7} failed; production may be on \w{7}$/);
    expect(incident!.labels.map((l) => (typeof l === 'string' ? l : l.name))).toContain('severity:critical');
    return incident!;
  };

  it("a drill's healthy back leg is not proven: status and a manual rollback still take known-good as it was", async () => {
    const { v1, v2 } = await twoProvenVersions();
    await drillWithFailingForwardLeg(v1);
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v2);

    const status = await s.deploy({ inputs: { mode: 'status' } });
    expect(JSON.parse(status.main.outputs.status!).knownGood.sha).toBe(v2);
    // Allowed while the drill's incident is open: it is how people recover.
    const manual = await s.deploy({ inputs: { mode: 'rollback', 'rollback-to': '', reason: 'after the drill' }, env: MAINTAINER });
    expect(manual.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v2 });
    expect(await s.service.currentVersion()).toBe('v2');
  });

  it("a drill's healthy back leg is not proven: the next failed deploy rolls back to known-good, not to the drill's version", async () => {
    const { v1, v2 } = await twoProvenVersions();
    const incident = await drillWithFailingForwardLeg(v1);
    await view.closeIssue(incident.number);

    await s.commit({ version: 'v3', health: 'fail' });
    const failed = await s.deploy();
    expect(failed.main.outputs).toMatchObject({ result: 'rolled-back', 'known-good-sha': v2 });
    expect(await s.service.currentVersion()).toBe('v2');
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v2);
  });

  it('a drill cancelled during its back leg leaves no deployment in progress', async () => {
    await twoProvenVersions();
    const started = fileExists(join(s.stateDir, 'back.started'));
    const { main, post } = await s.deploy({
      inputs: { mode: 'drill', ...COMMANDS, 'rollback-command': 'touch "$SERVICE_STATE_DIR/back.started"; sleep 60' },
      env: MAINTAINER,
      signals: [{ signal: 'SIGINT', afterMs: 250, after: started }],
      timeoutMs: 30_000,
    });
    expect(main.signalsSent.map((x) => x.signal), main.stdout).toContain('SIGINT');
    expect(main.exitCode).not.toBe(0);
    expect(post.exitCode, post.stdout).toBe(0);
    const own = await ownDeployments();
    for (const d of own) expect(TERMINAL, `deployment ${d.id} states ${d.states.join(' -> ')}`).toContain(d.states.at(-1));
    const legs = own.filter((d) => d.marker.drill);
    expect(legs.map((d) => [d.marker.drill, d.states.at(-1)])).toEqual([['back', 'error']]);
  });
});
