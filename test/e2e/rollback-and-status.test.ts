// Manual rollback and status modes end to end: dist/ as the runner runs it, the GitHub API double,
// real git and the real test service.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

const KNOWN_GOOD = 'deploy-guard/production/known-good';
const ACTOR = { GITHUB_ACTOR: 'octo-maintainer' };

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

const rollback = (rollbackTo: string, extra: Record<string, string> = {}, env: Record<string, string> = ACTOR) =>
  s.deploy({ inputs: { mode: 'rollback', 'rollback-to': rollbackTo, reason: 'checkout errors after v3', ...extra }, env });

describe('manual rollback', () => {
  it('rolls back to an older pre-deploy tag, a SHA and the known-good tag, each restoring that version', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy(); // run 1001
    const v2 = await s.commit({ version: 'v2' });
    await s.deploy(); // run 1002
    await s.commit({ version: 'v3' });
    await s.deploy(); // run 1003
    expect(await s.service.currentVersion()).toBe('v3');

    const toTag = await rollback('deploy-guard/production/deploy-1001-1');
    expect(toTag.main.exitCode, toTag.main.stdout).toBe(0);
    expect(toTag.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v1, 'known-good-sha': v1 });
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v1);
    const [incident] = await view.issues('open');
    expect(incident!.title).toBe(`Manual rollback of production to ${v1.slice(0, 7)} by @octo-maintainer`);
    expect(incident!.body).toContain('Reason: checkout errors after v3');
    expect(incident!.body).toMatch(/## Timeline[\s\S]*Rollback to `\w{7}` started[\s\S]*\*\*Healthy\*\* for its whole health window/);
    expect(incident!.body).toContain('## Health chart');
    expect(incident!.body).toContain(`](https://github.com/acme/shop/commit/${v1})`);
    const last = (await view.deployments()).at(-1)!;
    expect(last).toMatchObject({ sha: v1, rollback: true, states: ['in_progress', 'success'] });

    // Allowed while an incident is open: it is how people recover. The open incident gets a comment.
    const toSha = await rollback(v2);
    expect(toSha.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v2, 'incident-number': String(incident!.number) });
    expect(await s.service.currentVersion()).toBe('v2');
    expect(await view.issues()).toHaveLength(1);
    const comments = await view.octokit.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: incident!.number });
    expect(comments.data.map((c) => c.body)).toEqual([expect.stringContaining(`Manual rollback of production to ${v2.slice(0, 7)}`)]);

    await s.commit({ version: 'v4' });
    const toKnownGood = await rollback('');
    expect(toKnownGood.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v2 });
    expect(await s.service.currentVersion()).toBe('v2');
  });

  it('refuses, before any deployment is created, an unknown target, another environment\'s tag, an unproven target and a reader', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    const bad = await s.commit({ version: 'v2', health: 'fail' });
    await s.deploy(); // fails and is rolled back: v2 never passed a health window
    await view.closeIssue((await view.issues('open'))[0]!.number);
    const before = (await view.deployments()).length;

    const cases: Array<[string, Record<string, string>, Record<string, string>, RegExp]> = [
      ['deploy-guard/production/deploy-999-1', {}, ACTOR, /there is no tag deploy-guard\/production\/deploy-999-1/],
      ['deploy-guard/staging/deploy-1001-1', {}, ACTOR, /is a tag of environment "staging", not of production/],
      [bad, {}, ACTOR, /never passed a health window in production; pass force: true/],
      ['', {}, { GITHUB_ACTOR: 'octo-reader' }, /@octo-reader has the read role on acme\/shop; a manual rollback needs write access/],
    ];
    for (const [target, extra, env, message] of cases) {
      const { main } = await rollback(target, extra, env);
      expect(main.exitCode).toBe(1);
      expect(main.outputs.result).toBe('refused');
      expect(main.stdout).toMatch(message);
    }
    expect((await view.deployments()).length).toBe(before);
    expect(await view.issues('open')).toEqual([]);

    const forced = await rollback(bad, { force: 'true', 'health-url': `${s.service.url}/` });
    expect(forced.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': bad });
  });
});

describe('status mode', () => {
  it('reports known-good, recent deployments, open incidents and 30-day figures that match a seeded history', async () => {
    const good = await s.commit({ version: 'v1' });
    const now = Date.now();
    const DAY = 86_400_000;
    const repo = { owner: 'acme', repo: 'shop' };
    const octokit = view.octokit;
    // Seed: a deploy 40 days ago (outside the window), then in the window two deploys, one bad
    // deploy rolled back after 5 minutes, and a healthy deploy yesterday.
    const seed = async (daysAgo: number, offsetMs: number, payload: Record<string, unknown>, states: Array<[string, number]>) => {
      s.github.setNow(() => now - daysAgo * DAY + offsetMs);
      const { data } = await octokit.rest.repos.createDeployment({ ...repo, ref: good, environment: 'production', auto_merge: false, required_contexts: [], task: 'deploy:deploy-guard', payload: { 'deploy-guard': payload } });
      const id = (data as { id: number }).id;
      for (const [state, at] of states) {
        s.github.setNow(() => now - daysAgo * DAY + at);
        await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: state as 'success' });
      }
      return id;
    };
    await seed(40, 0, { rollback: false }, [['in_progress', 1_000], ['success', 60_000]]);
    await seed(20, 0, { rollback: false }, [['in_progress', 1_000], ['success', 60_000]]);
    const badId = await seed(10, 0, { rollback: false }, [['in_progress', 1_000], ['failure', 60_000]]);
    await seed(10, 90_000, { rollback: true, 'rollback-of': badId }, [['in_progress', 91_000], ['success', 300_000]]);
    await seed(1, 0, { rollback: false }, [['in_progress', 1_000], ['success', 60_000]]);
    s.github.setNow(() => Date.now());
    await octokit.rest.git.createRef({ ...repo, ref: 'refs/tags/deploy-guard/production/known-good', sha: good });

    const { main } = await s.deploy({ inputs: { mode: 'status' } });
    expect(main.exitCode, main.stdout).toBe(0);
    expect(main.outputs.result).toBe('reported');
    const report = JSON.parse(main.outputs.status!);
    expect(report.last30Days).toEqual({ deploys: 3, rollbacks: 1, rollbackRate: 1 / 3, meanTimeToRecoveryMs: 300_000 });
    expect(report.knownGood).toEqual({ sha: good, since: new Date(Math.floor((now - DAY + 60_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z') });
    expect(report.recentDeployments).toHaveLength(5);
    expect(report.openIncidents).toEqual([]);
    expect(main.summary).toContain('Last 30 days: 3 deploys, 1 rollbacks (rollback rate 33%), mean time from a bad deploy to a healthy rollback 5m.');
  });
});
