// Deploy control end to end (dist/ as the runner runs it, the API double, real git, the real test
// service): deploy windows and freezes with a maintainer's override, and require-proven-in. The
// windows are written around the real clock: one that opened an hour from now is closed now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

let s: Scenario;
let view: ReturnType<typeof githubView>;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
  s.github.setCollaborator('octo-maintainer', 'maintain');
  s.github.setCollaborator('octo-writer', 'write');
});
afterEach(async () => {
  await s?.close();
});

const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);
/** A daily window (UTC) from one to two hours from now: closed now, opening in about an hour. */
function closedWindow(): { window: string; opens: number } {
  const opens = Math.ceil((Date.now() + 3_600_000) / 60_000) * 60_000;
  return { window: `daily ${hhmm(opens)}-${hhmm(opens + 3_600_000)}`, opens };
}
const today = () => new Date().toISOString().slice(0, 10);

describe('deploy windows and freezes', () => {
  it('outside the window, a deploy is refused before anything is written, naming the next opening; inside, it deploys', async () => {
    await s.commit({ version: 'v1' });
    const { window, opens } = closedWindow();
    const writesBefore = view.writes().length;
    const refused = await s.deploy({ inputs: { 'deploy-windows': window } });
    expect(refused.main.exitCode).toBe(1);
    expect(refused.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'window' });
    const message = refused.main.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(message).toContain(`deploys to production start only within its deploy windows (${window}, UTC)`);
    expect(message).toContain(`the next opening is`);
    expect(message).toContain(`${new Date(opens).toISOString().slice(0, 10)} ${hhmm(opens)} UTC`);
    expect(refused.main.summary).toContain('Not deployed to **production** (window)');
    // Only the job's own environment deployment (GitHub's) was written; deploy-guard wrote nothing.
    expect(view.writes().slice(writesBefore).filter((r) => !r.path.includes('/deployments'))).toEqual([]);
    expect(await view.deployments()).toEqual([]);
    expect(await s.service.currentVersion()).toBeUndefined();

    const open = await s.deploy({ inputs: { 'deploy-windows': `daily 00:00-24:00` } });
    expect(open.main.outputs.result).toBe('deployed');
  });

  it('during a freeze the gate and a deploy are refused; a maintainer’s override deploys and is recorded, a writer’s is refused', async () => {
    await s.commit({ version: 'v1' });
    const freeze = { 'deploy-freezes': `${today()} Release freeze` };
    const gate = await s.deploy({ inputs: { mode: 'gate', ...freeze } });
    expect(gate.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'freeze' });
    expect(gate.main.annotations.find((a) => a.level === 'error')?.message).toMatch(/deploys to production are frozen \(Release freeze, \d{4}-\d{2}-\d{2}\); the next opening is/);

    const byWriter = await s.deploy({ inputs: { ...freeze, 'override-reason': 'hotfix' }, env: { GITHUB_ACTOR: 'octo-writer' } });
    expect(byWriter.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'freeze' });
    expect(byWriter.main.annotations.find((a) => a.level === 'error')?.message).toContain('@octo-writer has the write role; overriding takes the maintain role or more');
    expect(await view.deployments()).toEqual([]);

    const byMaintainer = await s.deploy({ inputs: { ...freeze, 'override-reason': 'hotfix for the checkout outage' }, env: { GITHUB_ACTOR: 'octo-maintainer' } });
    expect(byMaintainer.main.outputs.result).toBe('deployed');
    expect(byMaintainer.main.summary).toContain('Deployed through a freeze: overridden by @octo-maintainer. Reason: hotfix for the checkout outage');
    const { data: deployments } = await view.octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'shop', task: 'deploy:deploy-guard' });
    expect(deployments[0]!.payload).toMatchObject({ 'deploy-guard': { override: { actor: 'octo-maintainer', reason: 'hotfix for the checkout outage', over: 'freeze' } } });
    expect(deployments[0]!.description).toContain('freeze overridden by @octo-maintainer: hotfix for the checkout outage');
  });

  it('never refuses a manual rollback (an automatic one belongs to a deploy that already started)', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    const freeze = { 'deploy-freezes': `${today()} Release freeze` };
    const manual = await s.deploy({ inputs: { mode: 'rollback', 'rollback-to': v1, reason: 'drill', ...freeze }, env: { GITHUB_ACTOR: 'octo-maintainer' } });
    expect(manual.main.outputs.result).toBe('rolled-back');
  });

  it('names the input and the fix for a bad window, freeze or time zone, before anything is written', async () => {
    await s.commit({ version: 'v1' });
    const bad = await s.deploy({ inputs: { 'deploy-windows': 'weekdays 9-5', 'deploy-freezes': 'Christmas', 'time-zone': 'Europe/Atlantis' } });
    expect(bad.main.exitCode).toBe(1);
    const text = bad.main.annotations.map((a) => a.message).join('\n');
    expect(text).toContain('Input "deploy-windows": "weekdays 9-5" is not a window; write days and hours, e.g. "Mon-Fri 09:00-17:00"');
    expect(text).toContain('Input "deploy-freezes": "Christmas" is not a freeze');
    expect(text).toContain('Input "time-zone": "Europe/Atlantis" is not a time zone; use an IANA name such as Europe/Berlin');
    expect(view.writes().filter((r) => !r.path.includes('/deployments'))).toEqual([]);
  });
});

describe('require-proven-in', () => {
  it('refuses a version that has not passed a window in staging, and deploys it once it has', async () => {
    const v1 = await s.commit({ version: 'v1' });
    const refused = await s.deploy({ inputs: { 'require-proven-in': 'staging' } });
    expect(refused.main.outputs).toMatchObject({ result: 'blocked', 'blocked-by': 'not-proven' });
    expect(refused.main.annotations.find((a) => a.level === 'error')?.message).toContain(
      `${v1.slice(0, 7)} has not passed a whole health window in staging, and production deploys only versions that have (require-proven-in: staging). Deploy it to staging first, then here.`,
    );
    expect(await view.deployments()).toEqual([]);

    const staging = await s.deploy({ inputs: { environment: 'staging' } });
    expect(staging.main.outputs.result).toBe('deployed');
    const production = await s.deploy({ inputs: { 'require-proven-in': 'staging' } });
    expect(production.main.outputs).toMatchObject({ result: 'deployed', 'deployed-sha': v1 });
  });

  it('a dry run in staging proves nothing', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy({ inputs: { environment: 'staging', 'dry-run': 'true' } });
    const production = await s.deploy({ inputs: { 'require-proven-in': 'staging' } });
    expect(production.main.outputs['blocked-by']).toBe('not-proven');
  });
});
