// Incidents kept in a central repository (incident-repository) and incident severities, through
// dist/ as the runner runs it: two source repositories (acme/shop, acme/web) and the central one
// (acme/ops) served by one GitHub API double, real git and the real test service of each source.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_ENVIRONMENTS_MARKER } from '../../src/core/gate-decision.ts';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { createGitFixture, type GitFixture } from '../support/git-fixture.ts';
import type { GitHubDouble } from '../support/github-double/index.ts';
import { githubView } from '../support/github-view.ts';

const LABEL = 'deploy-incident';
const CENTRAL = { 'incident-repository': 'acme/ops' };
const labelsOf = (issue: { labels: Array<string | { name?: string }> }) => issue.labels.map((l) => (typeof l === 'string' ? l : l.name));

describe('a central incident repository', () => {
  let shop: Scenario;
  let web: Scenario;
  let ops: GitHubDouble;
  let opsGit: GitFixture;
  beforeEach(async () => {
    shop = await startScenario();
    web = await startScenario({ repository: 'acme/web', github: shop.github });
    opsGit = await createGitFixture();
    await opsGit.commitVersion({ 'README.md': 'Incidents of every service\n' }, 'ops');
    // It was called acme/operations once: GitHub redirects reads of the old name (docs/github-behaviours.md item 31).
    ops = await shop.github.addRepository({ owner: 'acme', repo: 'ops', bareRepoPath: opsGit.bare, collaborators: { 'ops-lead': 'maintain', 'ops-reader': 'read' }, formerNames: ['acme/operations'] });
  });
  afterEach(async () => {
    await web?.close();
    await shop?.close();
    await opsGit?.cleanup();
  });

  it('reads the incidents of a central repository by its former name, following GitHub\'s redirects', async () => {
    await shop.commit({ version: 'v1' });
    expect((await shop.deploy({ inputs: CENTRAL })).main.outputs.result).toBe('deployed');
    await shop.commit({ version: 'v2', health: 'fail' });
    expect((await shop.deploy({ inputs: CENTRAL })).main.outputs.result).toBe('rolled-back');
    const [incident] = await githubView(ops).issues('open');

    await shop.commit({ version: 'v3' });
    const before = shop.github.requests.length;
    const blocked = await shop.deploy({ inputs: { 'incident-repository': 'acme/operations' } });
    expect(blocked.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(incident!.number) });
    const moved = shop.github.requests.slice(before).filter((r) => r.path.startsWith('/repos/acme/operations/'));
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((r) => r.status === 301 && r.method === 'GET')).toBe(true);
  });

  it("opens a failed deploy's incident there, naming the source, and it blocks the other repository's deploys of that environment until it is closed", async () => {
    const v1 = await shop.commit({ version: 'v1' });
    expect((await shop.deploy({ inputs: CENTRAL })).main.outputs.result).toBe('deployed');
    await web.commit({ version: 'v1' });
    expect((await web.deploy({ inputs: CENTRAL })).main.outputs.result).toBe('deployed');

    const v2 = await shop.commit({ version: 'v2', health: 'fail' });
    const bad = await shop.deploy({ inputs: CENTRAL });
    expect(bad.main.outputs.result).toBe('rolled-back');
    expect(await githubView(shop.github).issues()).toEqual([]);
    const [incident, ...others] = await githubView(ops).issues('open');
    expect(others).toEqual([]);
    expect(bad.main.outputs['incident-url']).toBe(incident!.html_url);
    expect(incident!.html_url).toMatch(/\/acme\/ops\/issues\/\d+$/);
    expect(incident!.title).toBe(`acme/shop: Deploy of ${v2.slice(0, 7)} to production failed; rolled back to ${v1.slice(0, 7)}`);
    expect(labelsOf(incident!)).toEqual([LABEL, 'severity:high']);
    // The body names the source, and its links go there, not to the central repository.
    expect(incident!.body).toContain('- **Repository:** [acme/shop](https://github.com/acme/shop)');
    expect(incident!.body).toContain(`(https://github.com/acme/shop/commit/${v2})`);
    expect(incident!.body).toContain('https://github.com/acme/shop/actions/runs/');
    expect(incident!.body).not.toMatch(/github\.com\/acme\/ops\/(commit|deployments|actions)/);
    // Recorded there, at the central repository's own tip (the failed version's commit is not in it).
    const opsTip = await opsGit.git(['rev-parse', 'main'], opsGit.bare);
    expect(await opsGit.git(['rev-parse', `refs/deploy-guard/production/incidents/${incident!.number}`], opsGit.bare)).toBe(opsTip);

    await web.commit({ version: 'v2' });
    const blocked = await web.deploy({ inputs: CENTRAL });
    expect(blocked.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(incident!.number), 'incident-url': incident!.html_url });
    expect(await web.service.currentVersion()).toBe('v1');
    // Another environment of the same repository is not blocked by it.
    expect((await web.deploy({ inputs: { ...CENTRAL, environment: 'staging' } })).main.outputs.result).toBe('deployed');

    ops.closeIssue(incident!.number, { by: 'ops-lead' });
    const after = await web.deploy({ inputs: CENTRAL });
    expect(after.main.outputs.result, after.main.stdout).toBe('deployed');
    expect(await opsGit.git(['for-each-ref', 'refs/deploy-guard/'], opsGit.bare)).toBe('');
  });

  it("an issue marked for all environments blocks every environment when a maintainer of the central repository wrote it, and is ignored from someone below write", async () => {
    await web.commit({ version: 'v1' });
    const [lookAlike] = ops.seed.issues([{ title: 'Freeze everything', body: `${ALL_ENVIRONMENTS_MARKER}\nPlease stop.`, labels: [LABEL], user: 'ops-reader' }]);
    const ignored = await web.deploy({ inputs: { ...CENTRAL, environment: 'staging' } });
    expect(ignored.main.outputs.result).toBe('deployed');
    expect(ignored.main.stdout).toContain(
      `Issue #${lookAlike!.number} (https://github.com/acme/ops/issues/${lookAlike!.number}) is marked for all environments, but @ops-reader who opened it has the read role on acme/ops, below write; it does not block deploys.`,
    );

    const [freeze] = ops.seed.issues([{ title: 'Database outage: no deploys', body: `${ALL_ENVIRONMENTS_MARKER}\nThe primary is down.`, labels: [LABEL], user: 'ops-lead' }]);
    for (const environment of ['staging', 'production']) {
      const run = await web.deploy({ inputs: { ...CENTRAL, environment } });
      expect(run.main.outputs, environment).toMatchObject({ result: 'blocked', 'incident-number': String(freeze!.number) });
      expect(run.main.stdout).toContain(`it is open, and @ops-lead (maintain) marked it for all environments; close it to unblock deploys`);
    }
    ops.closeIssue(freeze!.number, { by: 'ops-lead' });
    expect((await web.deploy({ inputs: CENTRAL })).main.outputs.result).toBe('deployed');
  });

  it('a central repository the token cannot see stops the deploy with what the token needs there, before anything is deployed', async () => {
    await web.commit({ version: 'v1' });
    const run = await web.deploy({ inputs: { 'incident-repository': 'acme/secret' } });
    expect(run.main.outputs.result).toBe('failed');
    expect(run.main.stdout).toContain(
      'cannot verify incident state for production, so nothing is deployed: GitHub answers 404 for acme/secret, the incident-repository: it does not exist, or the token cannot see it. ' +
        'GITHUB_TOKEN can never reach another repository: pass as github-token a GitHub App installation token or a fine-grained personal access token that can reach acme/secret, ' +
        'with Issues: Read and write and Contents: Read and write there.',
    );
    expect(await web.service.currentVersion()).toBeUndefined();
  });

  it('a token refused the record (no Contents write there) still opens the incident, says what it lacks, and the incident still blocks the other repository', async () => {
    await shop.commit({ version: 'v1' });
    await shop.deploy({ inputs: CENTRAL });
    await web.commit({ version: 'v1' });
    await web.deploy({ inputs: CENTRAL });
    shop.github.faults.add({
      method: 'POST',
      path: '/repos/acme/ops/git/refs',
      status: 403,
      message: 'Resource not accessible by integration',
      headers: { 'x-accepted-github-permissions': 'contents=write' },
    });
    await shop.commit({ version: 'v2', health: 'fail' });
    const bad = await shop.deploy({ inputs: CENTRAL });
    expect(bad.main.outputs.result).toBe('rolled-back');
    const n = bad.main.outputs['incident-number'];
    expect(bad.main.stdout).toContain(
      `Could not record incident #${n} for production: GitHub refused the token POST /git/refs in acme/ops, the incident-repository (403: Resource not accessible by integration): ` +
        'it needs Contents: Read and write (incident records are refs) there (GitHub accepts: contents=write). GITHUB_TOKEN can never reach another repository: ' +
        'pass as github-token a GitHub App installation token or a fine-grained personal access token that can reach acme/ops, with Issues: Read and write and Contents: Read and write there. ' +
        'It blocks deploys while it is open and labeled "deploy-incident".',
    );
    // Unrecorded, it counts by its label, its marker and deploy-guard's identity (the same app in both repositories).
    await web.commit({ version: 'v2' });
    expect((await web.deploy({ inputs: CENTRAL })).main.outputs).toMatchObject({ result: 'blocked', 'incident-number': n });
  });
});

describe('incident severities', () => {
  let s: Scenario;
  let view: ReturnType<typeof githubView>;
  beforeEach(async () => {
    s = await startScenario();
    view = githubView(s.github);
  });
  afterEach(async () => {
    await s?.close();
  });

  const issue = async (n: string | undefined) => (await view.octokit.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: Number(n) })).data;
  const manualRollback = (to: string, severity: string, inputs: Record<string, string> = {}) =>
    s.deploy({ inputs: { mode: 'rollback', 'rollback-to': to, reason: 'customers see errors', severity, ...inputs }, env: { GITHUB_ACTOR: 'octo-maintainer' } });

  it('nothing to roll back to is critical; rolled back and healthy is high; each as a label and in the body', async () => {
    await s.commit({ version: 'v1', health: 'fail' });
    const none = await s.deploy();
    expect(none.main.outputs.result).toBe('no-rollback-target');
    const critical = await issue(none.main.outputs['incident-number']);
    expect(labelsOf(critical)).toEqual([LABEL, 'severity:critical']);
    expect(critical.body).toContain('<!-- deploy-guard:severity=critical -->');
    expect(critical.body).toContain('- **Severity:** critical');
    s.github.closeIssue(critical.number);

    await s.commit({ version: 'v2' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    await s.commit({ version: 'v3', health: 'fail' });
    const rolledBack = await s.deploy();
    expect(rolledBack.main.outputs.result).toBe('rolled-back');
    const high = await issue(rolledBack.main.outputs['incident-number']);
    expect(labelsOf(high)).toEqual([LABEL, 'severity:high']);
    expect(high.body).toContain('<!-- deploy-guard:severity=high -->');
    // The label was made with a colour of its own.
    const label = (await view.octokit.rest.issues.getLabel({ owner: 'acme', repo: 'shop', name: 'severity:high' })).data;
    expect(label.color).toBe('d93f0b');
  });

  it('a manual rollback takes the chosen severity; with require-postmortem: high a closed low incident unblocks without a postmortem, a high one only with it', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2' });
    await s.deploy();
    const manual = await manualRollback(v1, 'low');
    expect(manual.main.outputs.result, manual.main.stdout).toBe('rolled-back');
    const low = await issue(manual.main.outputs['incident-number']);
    expect(labelsOf(low)).toEqual([LABEL, 'severity:low']);
    expect(low.body).toContain('<!-- deploy-guard:severity=low -->');
    s.github.closeIssue(low.number);

    const postmortemFromHigh = { 'require-postmortem': 'high' };
    await s.commit({ version: 'v3' });
    expect((await s.deploy({ inputs: postmortemFromHigh })).main.outputs.result).toBe('deployed');

    await s.commit({ version: 'v4', health: 'fail' });
    const bad = await s.deploy({ inputs: postmortemFromHigh });
    expect(bad.main.outputs.result).toBe('rolled-back');
    const high = await issue(bad.main.outputs['incident-number']);
    s.github.closeIssue(high.number);
    await s.commit({ version: 'v5' });
    const blocked = await s.deploy({ inputs: postmortemFromHigh });
    expect(blocked.main.outputs).toMatchObject({ result: 'blocked', 'incident-number': String(high.number) });
    expect(blocked.main.stdout).toContain('require-postmortem asks for one from high up and this incident is high');
    expect(blocked.main.stdout).toContain(`${high.html_url}#root-cause`);

    const filled = (high.body ?? '').replace(/(### Root cause\n)/, '$1A config key was missing.\n').replace(/(### Corrective actions\n)/, '$1- Check config at boot.\n');
    s.github.editIssueBody(high.number, filled);
    expect((await s.deploy({ inputs: postmortemFromHigh })).main.outputs.result).toBe('deployed');
  });

  it('a more severe event added to an open incident raises its label and marker; a less severe one leaves them', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const bad = await s.deploy();
    const n = bad.main.outputs['incident-number'];

    expect((await manualRollback(v1, 'low')).main.outputs['incident-number']).toBe(n);
    expect(labelsOf(await issue(n))).toEqual([LABEL, 'severity:high']);

    const urgent = await manualRollback(v1, 'critical');
    expect(urgent.main.outputs['incident-number']).toBe(n);
    const raised = await issue(n);
    expect(labelsOf(raised)).toEqual([LABEL, 'severity:critical']);
    expect(raised.body).toContain('<!-- deploy-guard:severity=critical -->');
    expect(raised.body).not.toContain('deploy-guard:severity=high');
    expect(raised.body).toContain('- **Severity:** critical (raised from high by a later event; see the comments)');
    expect(urgent.main.stdout).toContain(`Raised the severity of incident #${n} from high to critical.`);
  });

  it('severity is a rollback-mode input: a deploy that passes one fails on its inputs', async () => {
    await s.commit({ version: 'v1' });
    const run = await s.deploy({ inputs: { severity: 'low' } });
    expect(run.main.outputs.result).toBe('failed');
    expect(run.main.stdout).toContain(`Input "severity": is only used in rollback mode (mode is deploy); a deploy's incident takes its severity from what happened`);
    expect(s.github.requests).toEqual([]);
  });
});
