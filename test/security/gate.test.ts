// The gate cannot be walked around (issue 12: High 1, Medium 3, 6, 8), through dist/ as the runner
// runs it, against the GitHub API double, real git and the real test service.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';
import { incidentMarker } from '../../src/core/gate-decision.ts';

const LABEL = 'deploy-incident';
const CLOSER_ROLE = { 'incident-closer-role': 'maintain' };
const repo = { owner: 'acme', repo: 'shop' };

let s: Scenario;
let view: ReturnType<typeof githubView>;
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
  s.github.setCollaborator('octo-triager', 'triage');
  s.github.setCollaborator('octo-maintainer', 'maintain');
});
afterEach(async () => {
  await s?.close();
});

/** The commit the incident's record points at, or undefined without a record. */
async function record(n: number): Promise<string | undefined> {
  return s.fixture.git(['rev-parse', '--verify', '--quiet', `refs/deploy-guard/production/incidents/${n}`], s.fixture.bare).catch(() => undefined);
}

/** v1 deployed, v2 failed and rolled back: returns the incident's number (open, recorded). */
async function anIncident(inputs: Record<string, string> = {}): Promise<number> {
  await s.commit({ version: 'v1' });
  expect((await s.deploy({ inputs })).main.outputs.result).toBe('deployed');
  await s.commit({ version: 'v2', health: 'fail' });
  const bad = await s.deploy({ inputs });
  expect(bad.main.outputs.result).toBe('rolled-back');
  return Number(bad.main.outputs['incident-number']);
}

async function nextDeploy(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  await s.commit({ version: 'v3' });
  return s.deploy({ inputs, env });
}

/** Closed issues with the label, newer than the incident: the old gate looked at the 10 newest only. */
function tenOtherClosedIncidents(): void {
  s.github.seed.issues(
    Array.from({ length: 10 }, (_, i) => ({ title: `old question ${i}`, body: 'not an incident', labels: [LABEL], state: 'closed' as const, closedBy: 'octo-maintainer' })),
  );
}

describe('an incident stays an incident', () => {
  it('is recorded as a ref, refs/deploy-guard/<env>/incidents/<n>, apart from its label', async () => {
    const n = await anIncident();
    expect(await record(n)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('taking the label off the open incident does not unblock', async () => {
    const n = await anIncident(CLOSER_ROLE);
    s.github.removeIssueLabel(n, LABEL, { by: 'octo-triager' });
    const run = await nextDeploy(CLOSER_ROLE);
    expect(run.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(n) });
    expect(run.main.stdout).toContain('taken off by @octo-triager, which does not unblock');
    expect(await s.service.currentVersion()).toBe('v1');
  });

  it('renaming or deleting the label does not unblock', async () => {
    const n = await anIncident();
    await view.octokit.rest.issues.updateLabel({ ...repo, name: LABEL, new_name: 'was-incident' });
    expect((await nextDeploy()).main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(n) });
    await view.octokit.rest.issues.deleteLabel({ ...repo, name: 'was-incident' });
    expect((await s.deploy()).main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(n) });
  });

  it('editing the marker out of the description does not unblock', async () => {
    const n = await anIncident();
    s.github.editIssueBody(n, 'nothing to see here');
    expect((await nextDeploy()).main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(n) });
  });
});

describe('closing unblocks only as the rules say, however many other issues are closed', () => {
  it('closed below incident-closer-role: blocks even after ten other labeled issues are closed', async () => {
    const n = await anIncident(CLOSER_ROLE);
    s.github.closeIssue(n, { by: 'octo-triager' });
    tenOtherClosedIncidents();
    const run = await nextDeploy(CLOSER_ROLE);
    expect(run.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(n) });
    expect(run.main.stdout).toContain('closed by @octo-triager (triage)');
  });

  it('closed by a maintainer, but its label taken off by a triager: blocks until the label is back', async () => {
    const n = await anIncident(CLOSER_ROLE);
    s.github.closeIssue(n, { by: 'octo-maintainer' });
    s.github.removeIssueLabel(n, LABEL, { by: 'octo-triager' });
    const run = await nextDeploy(CLOSER_ROLE);
    expect(run.main.outputs.result).toBe('blocked');
    expect(run.main.stdout).toContain('taken off by @octo-triager (triage)');
  });

  it('require-postmortem: an empty postmortem blocks after ten other closed issues, and a comment changes nothing', async () => {
    const inputs = { 'require-postmortem': 'true' };
    const n = await anIncident(inputs);
    s.github.closeIssue(n, { by: 'octo-maintainer' });
    tenOtherClosedIncidents();
    expect((await nextDeploy(inputs)).main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(n) });
    await view.octokit.rest.issues.createComment({ ...repo, issue_number: n, body: 'looking into it' });
    expect((await s.deploy({ inputs })).main.outputs.result).toBe('blocked');
  });

  it('a maintainer closing it unblocks, and the next deploy forgets its record', async () => {
    const n = await anIncident(CLOSER_ROLE);
    s.github.closeIssue(n, { by: 'octo-maintainer' });
    const run = await nextDeploy(CLOSER_ROLE);
    expect(run.main.outputs.result).toBe('deployed');
    expect(await record(n)).toBeUndefined();
    // Reopened by a maintainer, it blocks again (label and marker still there).
    s.github.reopenIssue(n, { by: 'octo-maintainer' });
    expect((await s.deploy({ inputs: CLOSER_ROLE })).main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(n) });
  });

  it('a duplicate deploy-guard opened and closed itself never blocks, even under incident-closer-role', async () => {
    const n = await anIncident(CLOSER_ROLE);
    // As two racing runs leave it: a second incident, recorded, closed by deploy-guard as a duplicate.
    const dup = await view.octokit.rest.issues.create({ ...repo, title: 'duplicate', body: `${incidentMarker('production')}\nsame failure`, labels: [LABEL] });
    const head = (await view.octokit.rest.repos.getCommit({ ...repo, ref: 'main' })).data.sha;
    await view.octokit.rest.git.createRef({ ...repo, ref: `refs/deploy-guard/production/incidents/${dup.data.number}`, sha: head });
    await view.octokit.rest.issues.update({ ...repo, issue_number: dup.data.number, state: 'closed', state_reason: 'not_planned' });
    s.github.closeIssue(n, { by: 'octo-maintainer' });
    expect((await nextDeploy(CLOSER_ROLE)).main.outputs.result).toBe('deployed');
  });
});

describe('an incident an admin deleted', () => {
  it('no longer blocks (GitHub answers 410), with a warning, and the deploy forgets its record', async () => {
    const n = await anIncident(CLOSER_ROLE);
    s.github.deleteIssue(n);
    const run = await nextDeploy(CLOSER_ROLE);
    expect(run.main.outputs.result).toBe('deployed');
    expect(run.main.stdout).toContain(`Incident #${n} of production was deleted (only an admin can delete an issue)`);
    expect(await record(n)).toBeUndefined();
  });
});

describe("only deploy-guard's own identity opens incidents", () => {
  it("another app's issue with a copied marker does not block (GITHUB_TOKEN: deploy-guard is github-actions[bot])", async () => {
    await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    s.github.seed.issues([{ title: 'Deploy to production rolled back', body: `${incidentMarker('production')}\ncopied`, labels: [LABEL], user: 'other-app[bot]' }]);
    const run = await nextDeploy();
    expect(run.main.outputs.result).toBe('deployed');
    expect(run.main.stdout).toMatch(/looks like a deploy-guard incident for production but was opened by @other-app\[bot\], not by deploy-guard/);
  });

  it('under a personal token, an unknown identity (GET /user failing) fails closed instead of ignoring its incidents', async () => {
    const pat = { 'github-token': 'ghp_personalToken0000000000000000000000' };
    s.github.setCollaborator('octo-deployer', 'admin');
    const n = await anIncident(pat);
    expect((await view.issues('open'))[0]!.user?.login).toBe('octo-deployer');
    // An incident from before records existed: only its label, marker and author make it one.
    await view.octokit.rest.git.deleteRef({ ...repo, ref: `deploy-guard/production/incidents/${n}` });
    s.github.faults.add({ method: 'GET', path: '/user', status: 404, times: 10 });
    const run = await nextDeploy(pat);
    expect(run.main.exitCode).toBe(1);
    expect(run.main.outputs.result).toBe('failed');
    expect(run.main.stdout).toContain('cannot verify incident state for production');
    expect(await s.service.currentVersion()).toBe('v1');
    // With GET /user answering, the incident is recognised as its own and blocks.
    s.github.faults.clear();
    expect((await s.deploy({ inputs: pat })).main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(n) });
  });
});

describe('answers that make no sense fail closed', () => {
  for (const [what, rawBody] of [
    ['null', 'null'],
    ['an object', '{}'],
    ['an empty body', ''],
  ] as const) {
    it(`the issue listing answering 200 with ${what} while an incident is open: not clear`, async () => {
      const n = await anIncident();
      await view.octokit.rest.git.deleteRef({ ...repo, ref: `deploy-guard/production/incidents/${n}` });
      s.github.faults.add({ method: 'GET', path: '/issues', rawBody, times: 10 });
      const run = await s.deploy({ inputs: { mode: 'gate' } });
      expect(run.main.outputs.result).toBe('failed');
      expect(run.main.stdout).toContain('cannot verify incident state');
    });
  }

  it('the record listing answering 200 with an object: not clear', async () => {
    await anIncident();
    s.github.faults.add({ method: 'GET', path: /matching-refs/, rawBody: '{"ref":"x"}', times: 10 });
    const run = await s.deploy({ inputs: { mode: 'gate' } });
    expect(run.main.outputs.result).toBe('failed');
    expect(run.main.stdout).toContain('cannot verify incident state');
  });
});

describe('configuration cannot silently bypass the gate', () => {
  it('environment: Production is blocked by an incident of production (GitHub environment names are case-insensitive)', async () => {
    const n = await anIncident();
    const run = await nextDeploy({ environment: 'Production' }, {});
    expect(run.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(n) });
  });

  it('a comma in incident-label is an input error before anything is written', async () => {
    await s.commit({ version: 'v1' });
    const run = await s.deploy({ inputs: { 'incident-label': 'deploy,incident' } });
    expect(run.main.outputs.result).toBe('failed');
    expect(run.main.stdout).toContain('Input "incident-label": "deploy,incident" contains a comma');
    expect(s.github.requests).toEqual([]);
  });
});
