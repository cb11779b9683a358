// Warn-only checks (on-failure: warn) end to end, dist/ run as the runner runs it: a check that
// only warns never rolls a deploy back, and its failures show in the job summary, the warnings
// output, the incident (when other checks fail the deploy) and a comment on the deployed commit.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
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

/**
 * The service's /health (health-url, rolls back) and a latency check that only warns: it fails,
 * saying why, while the file `slow` is in the service's state directory.
 */
const inputs = {
  checks: [
    '- type: command',
    '  name: p95-latency',
    '  on-failure: warn',
    `  run: 'if [ -e "$SERVICE_STATE_DIR/slow" ]; then echo "p95 0.93s is above 0.5s"; exit 1; fi'`,
    '  timeout: 200ms',
  ].join('\n'),
};

const commitComments = () => s.github.state.commitComments;
const requestsOf = async (deploy: () => Promise<unknown>) => {
  const from = s.github.requests.length;
  await deploy();
  return s.github.requests.slice(from);
};

describe('a warn-only check', () => {
  it('that fails every round while the others pass: the deploy succeeds, known-good moves, the warnings are in the summary, the output and a comment on the commit', async () => {
    await s.commit({ version: 'v1' });
    expect((await s.deploy({ inputs })).main.outputs.result).toBe('deployed');
    await s.commit({ version: 'v2' });
    // A healthy deploy without warnings writes no comment and makes no request more.
    const quiet = await requestsOf(async () => expect((await s.deploy({ inputs })).main.outputs).toMatchObject({ result: 'deployed', warnings: '[]' }));
    expect(commitComments()).toEqual([]);
    // The bench's goal for a healthy deploy (bench/api-requests.ts), main and post step together.
    expect(quiet.length).toBeLessThanOrEqual(8);

    const v3 = await s.commit({ version: 'v3' });
    await writeFile(join(s.stateDir, 'slow'), '');
    let run: Awaited<ReturnType<Scenario['deploy']>> | undefined;
    const warned = await requestsOf(async () => (run = await s.deploy({ inputs })));
    const { main } = run!;
    expect(main.outputs.result, main.stdout).toBe('deployed');
    expect(main.exitCode).toBe(0);
    expect(main.stdout).toContain('check "p95-latency": bash -c');
    expect(main.stdout).toMatch(/check "p95-latency": .*; on-failure: warn \(its failures only warn, never roll back\)\n/);
    expect(main.stdout).toMatch(/round 1 at \+0ms: PASS \| health-url: .* \| p95-latency \(warn only\): /);

    // GitHub: a success, no rollback, no incident, known-good on v3.
    const deployments = await view.deployments();
    expect(deployments.at(-1)).toMatchObject({ sha: v3, rollback: false });
    expect(deployments.at(-1)!.states.at(-1)).toBe('success');
    expect(deployments.filter((d) => d.rollback)).toEqual([]);
    expect(await view.issues()).toEqual([]);
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v3);

    // The warnings output: every round failed, with the check's last word.
    const warnings = JSON.parse(main.outputs.warnings!) as Array<Record<string, unknown>>;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ check: 'p95-latency', lastDetail: 'exit 1: p95 0.93s is above 0.5s' });
    expect(warnings[0]!.failedRounds).toBe(warnings[0]!.rounds);
    expect(warnings[0]!.rounds).toBeGreaterThanOrEqual(8);
    expect(Date.parse(String(warnings[0]!.lastFailedAt))).toBeGreaterThan(Date.parse(String(warnings[0]!.firstFailedAt)));

    // The job summary.
    expect(main.summary).toContain('### Warnings');
    expect(main.summary).toMatch(new RegExp(`\\| \`p95-latency\` \\| ${warnings[0]!.failedRounds} of ${warnings[0]!.rounds} \\| \\d{4}-\\d\\d-\\d\\d .* UTC \\|`));

    // The comment on the deployed commit, through the API as a person would read it.
    const { data: comments } = await view.octokit.rest.repos.listCommentsForCommit({ owner: s.github.owner, repo: s.github.repo, commit_sha: v3 });
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(`warnings from the deploy of [\`${v3.slice(0, 7)}\`]`);
    expect(comments[0]!.body).toContain(`[deployment ${deployments.at(-1)!.id}]`);
    expect(comments[0]!.body).toContain('stayed healthy for the whole window; the warnings did not stop it.');
    expect(comments[0]!.body).toContain('| `p95-latency` |');
    expect(main.stdout).toContain(`the warnings are in a comment on the deployed commit: ${comments[0]!.html_url}`);

    // The comment is the one request more, and it comes after the deployment's success.
    const extra = warned.filter((r) => !quiet.some((q) => q.method === r.method && q.path.replace(/\d+|[0-9a-f]{40}/g, '#') === r.path.replace(/\d+|[0-9a-f]{40}/g, '#')));
    expect(extra.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /repos/acme/shop/commits/${v3}/comments`]);
    expect(warned).toHaveLength(quiet.length + 1);
    const commentAt = warned.findIndex((r) => r.path.endsWith('/comments'));
    const successAt = warned.findIndex((r) => r.method === 'POST' && r.path.endsWith('/statuses') && (r.requestBody as { state?: string }).state === 'success');
    expect(successAt).toBeGreaterThanOrEqual(0);
    expect(commentAt).toBeGreaterThan(successAt);
  });

  it('whose comment GitHub refuses: the deploy still succeeds, and the log says where the warnings are instead', async () => {
    await s.commit({ version: 'v1' });
    expect((await s.deploy({ inputs })).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2' });
    await writeFile(join(s.stateDir, 'slow'), '');
    s.github.faults.add({ method: 'POST', path: /\/commits\/[0-9a-f]{40}\/comments$/, status: 403, message: 'Resource not accessible by integration' });
    const { main } = await s.deploy({ inputs });
    expect(main.outputs.result, main.stdout).toBe('deployed');
    expect(main.exitCode).toBe(0);
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v2);
    expect(commitComments()).toEqual([]);
    expect(main.stdout).toMatch(new RegExp(`::warning::Could not comment the warnings on ${v2}: .*403.*\\. They are in the job summary\\.`));
    expect(main.summary).toContain('### Warnings');
    expect(JSON.parse(main.outputs.warnings!)).toHaveLength(1);
  });

  it('that prints a secret: the comment, the summary and the output show it as ***, and a mention or a link in its output stays text', async () => {
    const dbPassword = 'db-Password-0099';
    await s.commit({ version: 'v1' });
    const v2 = await s.commit({ version: 'v2' });
    const leaky = [
      '- type: command',
      '  name: p95-latency',
      '  on-failure: warn',
      `  run: 'echo "p95 high; db $DB_PASSWORD; ask @octocat, see [dash](https://evil.example/x)"; exit 1'`,
    ].join('\n');
    const { main } = await s.deploy({ inputs: { checks: leaky }, env: { DEPLOY_ENV: `DB_PASSWORD=${dbPassword}`, DB_PASSWORD: dbPassword } });
    expect(main.outputs.result, main.stdout).toBe('deployed');
    const [comment] = commitComments();
    expect(comment).toMatchObject({ commit_id: v2 });
    for (const text of [comment!.body, main.summary, main.outputs.warnings!]) {
      expect(text).toContain('db ***');
      expect(text).not.toContain(dbPassword);
    }
    expect(comment!.body).toContain('ask @\u200boctocat, see \\[dash\\](https://evil.example/x)');
  });

  it('failing beside a check that rolls back: the rollback and the incident happen for the other check, and the incident lists the warning', async () => {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy({ inputs })).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2', health: 'fail' });
    await writeFile(join(s.stateDir, 'slow'), '');
    const { main } = await s.deploy({ inputs });
    expect(main.outputs.result, main.stdout).toBe('rolled-back');
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v1);

    const [incident] = await view.issues('open');
    const body = incident!.body ?? '';
    // What failed the deploy is the health check; the warn-only check is a warning of its own.
    expect(body).toContain('### Check `health-url`');
    expect(body).not.toContain('### Check `p95-latency`');
    const warnings = body.slice(body.indexOf('### Warnings'));
    expect(body.indexOf('### Warnings')).toBeGreaterThan(0);
    expect(warnings).toMatch(/A warn-only check \(`on-failure: warn`\) failed\. Its failures did not count toward the verdict and started no rollback\./);
    expect(warnings).toMatch(/\| `p95-latency` \| \d+ of \d+ \| /);
    expect(main.summary).toContain('### Warnings');

    // The comment on the failed commit links the incident.
    const [comment] = commitComments();
    expect(comment).toMatchObject({ commit_id: v2 });
    expect(comment!.body).toContain(`failed other checks and was rolled back. Incident: [#${incident!.number}](${incident!.html_url}).`);
  });
});
