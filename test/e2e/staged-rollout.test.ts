// Staged rollout end to end (the `stages` input): dist/ as the runner runs it, against the GitHub
// API double, real git and the test service, each stage's command run by bash.
import { readFile } from 'node:fs/promises';
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

/** The stages input; each command is a YAML double-quoted string (JSON's string syntax is YAML's). */
function stagesYaml(stages: Array<{ name: string; command: string; window: string }>): string {
  return stages.map((st) => `- name: ${st.name}\n  command: ${JSON.stringify(st.command)}\n  window: ${st.window}\n`).join('');
}

/** Each stage's command notes what it was told, then deploys the checkout. */
const NOTE_STAGE = 'echo "$DEPLOY_GUARD_STAGE $DEPLOY_GUARD_STAGE_NUMBER/$DEPLOY_GUARD_STAGE_COUNT $DEPLOY_GUARD_DEPLOYMENT_ID" >> "$SERVICE_STATE_DIR/stages"';
/** The rollback writes the variables deploy-guard gave it, then deploys its checkout (known-good). */
const ROLLBACK = 'env | grep "^DEPLOY_GUARD_" | sort > "$SERVICE_STATE_DIR/rollback-env"; bash deploy.sh';

async function statusesOf(deploymentId: number): Promise<Array<{ state: string; description: string }>> {
  const { data } = await view.octokit.rest.repos.listDeploymentStatuses({ owner: s.github.owner, repo: s.github.repo, deployment_id: deploymentId, per_page: 100 });
  return data.map((d) => ({ state: d.state, description: d.description ?? '' })).reverse();
}

describe('staged rollout', () => {
  it('deploys stage by stage as one deployment: a status per stage, the stages in the summary, known-good moved', async () => {
    await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2' });
    const stages = stagesYaml([
      { name: 'canary', command: `${NOTE_STAGE}; bash deploy.sh`, window: '1s' },
      { name: 'full', command: `${NOTE_STAGE}; bash deploy.sh`, window: '1500ms' },
    ]);
    const run = await s.deploy({ inputs: { 'deploy-command': '', 'rollback-command': ROLLBACK, stages } });

    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.outputs).toMatchObject({ result: 'deployed', 'deployed-sha': v2, 'known-good-sha': v2 });
    expect(await s.service.currentVersion()).toBe('v2');
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v2);
    const id = Number(run.main.outputs['deployment-id']);
    // One deployment for both stages: each stage is an in-progress status naming it.
    expect((await view.deployments()).filter((d) => d.sha === v2)).toHaveLength(1);
    expect(await statusesOf(id)).toEqual([
      { state: 'in_progress', description: 'stage 1/2 canary: deploying, then watching 1s' },
      { state: 'in_progress', description: 'stage 2/2 full: deploying, then watching 1.5s' },
      { state: 'success', description: 'Healthy through 2 stages (2.5s); now known-good' },
    ]);
    // Each stage's command was told which stage it is, and the deployment.
    expect((await readFile(join(s.stateDir, 'stages'), 'utf8')).trim().split('\n')).toEqual([`canary 1/2 ${id}`, `full 2/2 ${id}`]);
    // Stage 2 started only after stage 1's window: its rounds are logged between the two commands.
    const out = run.main.stdout;
    const [canaryAt, fullAt] = [out.indexOf('Deploy, stage 1/2 canary:'), out.indexOf('Deploy, stage 2/2 full:')];
    expect(canaryAt).toBeGreaterThan(-1);
    expect(out.slice(canaryAt, fullAt).match(/^round \d+ at/gm)?.length).toBeGreaterThanOrEqual(4);
    expect(run.main.summary).toContain('### Stages');
    expect(run.main.summary).toContain('### Last health rounds of the last stage that ran (2/2 `full`)');
    expect(run.main.summary).toMatch(/\| 1\/2 `canary` \| 1s \| \d{4}-\d\d-\d\d [\d:.]+ UTC \| \d{4}-\d\d-\d\d [\d:.]+ UTC \| healthy for 1s \|/);
    expect(run.main.summary).toMatch(/\| 2\/2 `full` \| 1\.5s \| .+ UTC \| .+ UTC \| healthy for 1\.5s \|/);
    expect(await view.issues()).toEqual([]);
  });

  it("a stage status GitHub refuses is a warning: the deploy is not left half out", async () => {
    await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2' });
    const stages = stagesYaml([
      { name: 'canary', command: 'bash deploy.sh', window: '500ms' },
      { name: 'full', command: 'bash deploy.sh', window: '500ms' },
    ]);
    let armed = false;
    // Once stage 1 runs (its status is posted), the next status (stage 2's) is refused.
    const onStdout = (chunk: string) => {
      if (armed || !chunk.includes('Deploy, stage 1/2 canary')) return;
      armed = true;
      s.github.faults.add({ method: 'POST', path: /\/deployments\/\d+\/statuses$/, status: 422, message: 'Validation Failed', times: 1 });
    };
    const run = await s.deploy({ inputs: { 'deploy-command': '', 'rollback-command': ROLLBACK, stages }, mainStep: { onStdout } });

    expect(armed).toBe(true);
    expect(run.main.outputs).toMatchObject({ result: 'deployed', 'known-good-sha': v2 });
    expect(run.main.stdout).toMatch(/Could not post the status of stage 2 on deployment \d+ \(.*\); the deploy goes on\./);
    expect((await statusesOf(Number(run.main.outputs['deployment-id']))).map((x) => x.state)).toEqual(['in_progress', 'success']);
  });

  it('a failure in stage 2 rolls back everything: the rollback is told the stage, the incident names it and shows both stages', async () => {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    const v2 = await s.commit({ version: 'v2', health: 'fail' });
    // The canary stage leaves v1 serving (healthy); the full stage puts out v2, which fails its checks.
    const stages = stagesYaml([
      { name: 'canary', command: NOTE_STAGE, window: '1s' },
      { name: 'full', command: `${NOTE_STAGE}; bash deploy.sh`, window: '2s' },
    ]);
    const bad = await s.deploy({ inputs: { 'deploy-command': '', 'rollback-command': ROLLBACK, stages } });

    expect(bad.main.exitCode).toBe(1);
    expect(bad.main.outputs).toMatchObject({ result: 'rolled-back', 'deployed-sha': v2, 'known-good-sha': v1 });
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v1);
    const rollbackEnv = await readFile(join(s.stateDir, 'rollback-env'), 'utf8');
    expect(rollbackEnv).toContain('DEPLOY_GUARD_FAILED_STAGE=full\n');
    expect(rollbackEnv).toContain('DEPLOY_GUARD_FAILED_STAGE_NUMBER=2\n');
    expect(rollbackEnv).toContain('DEPLOY_GUARD_ROLLBACK=true\n');
    expect(rollbackEnv).not.toContain('DEPLOY_GUARD_STAGE=');

    const deployments = await view.deployments();
    expect(deployments.map(({ sha, rollback, states }) => ({ sha, rollback, states }))).toEqual([
      { sha: v1, rollback: false, states: ['in_progress', 'success', 'inactive'] },
      { sha: v2, rollback: false, states: ['in_progress', 'in_progress', 'failure'] },
      { sha: v1, rollback: true, states: ['in_progress', 'success'] },
    ]);
    const failed = await statusesOf(deployments[1]!.id);
    expect(failed.map((x) => x.description.slice(0, 40))).toEqual([
      'stage 1/2 canary: deploying, then watchi',
      'stage 2/2 full: deploying, then watching',
      'stage 2/2 full: unhealthy: 3 consecutive',
    ]);

    const [incident, ...others] = await view.issues('open');
    expect(others).toEqual([]);
    expect(incident!.title).toBe(`Deploy of ${v2.slice(0, 7)} to production failed; rolled back to ${v1.slice(0, 7)}`);
    const body = incident!.body ?? '';
    expect(body).toContain('— stage 2/2 full: unhealthy: 3 consecutive health rounds failed');
    expect(body).toContain(`Deploy of \`${v2.slice(0, 7)}\` started, in 2 stages`);
    expect(body).toMatch(/\| Stage 1\/2 `canary`: \*\*healthy\*\* for its 1s window \|/);
    expect(body).toMatch(/\| Stage 2\/2 `full`: \*\*failed\*\*: unhealthy: 3 consecutive/);
    expect(body.indexOf('Stage 1/2 `canary`: **healthy**')).toBeLessThan(body.indexOf('Stage 2/2 `full` started'));
    expect(body).toContain('## Stages');
    expect(body).toMatch(/\| 2\/2 `full` \| 2s \| .+ UTC \| .+ UTC \| \*\*failed\*\*: unhealthy/);
    expect(body).toContain('**Rollback healthy:**');
    expect(bad.main.summary).toContain('### Stages');
    expect(bad.main.summary).toMatch(/Stage 2\/2 `full`: \*\*failed\*\*/);
  });

  it('a failed command in stage 1 rolls back at once: stage 2 never starts', async () => {
    const v1 = await s.commit({ version: 'v1' });
    expect((await s.deploy()).main.outputs.result).toBe('deployed');
    await s.commit({ version: 'v2' });
    const stages = stagesYaml([
      { name: 'canary', command: `${NOTE_STAGE}; bash deploy.sh; exit 3`, window: '1s' },
      { name: 'full', command: `${NOTE_STAGE}; bash deploy.sh`, window: '1s' },
    ]);
    // The maintenance hook before the rollback is told the stage that failed too.
    const hook = 'env | grep "^DEPLOY_GUARD_" | sort > "$SERVICE_STATE_DIR/hook-env"';
    const bad = await s.deploy({ inputs: { 'deploy-command': '', 'rollback-command': ROLLBACK, stages, 'before-rollback-command': hook } });

    expect(bad.main.outputs).toMatchObject({ result: 'rolled-back', 'known-good-sha': v1 });
    expect(await s.service.currentVersion()).toBe('v1');
    expect((await readFile(join(s.stateDir, 'stages'), 'utf8')).trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['canary']);
    const rollbackEnv = await readFile(join(s.stateDir, 'rollback-env'), 'utf8');
    expect(rollbackEnv).toContain('DEPLOY_GUARD_FAILED_STAGE=canary\n');
    const hookEnv = await readFile(join(s.stateDir, 'hook-env'), 'utf8');
    expect(hookEnv).toContain('DEPLOY_GUARD_FAILED_STAGE=canary\n');
    expect(hookEnv).toContain('DEPLOY_GUARD_HOOK=before-rollback\n');
    expect(rollbackEnv).toContain('DEPLOY_GUARD_FAILED_STAGE_NUMBER=1\n');
    const failed = (await view.deployments()).find((d) => !d.rollback && d.states.includes('failure'))!;
    expect(await statusesOf(failed.id)).toEqual([
      { state: 'in_progress', description: 'stage 1/2 canary: deploying, then watching 1s' },
      { state: 'failure', description: 'stage 1/2 canary: the command exited with code 3' },
    ]);
    const [incident] = await view.issues('open');
    expect(incident!.body).toContain('| 2/2 `full` | 1s |  |  | not reached |');
    expect(incident!.body).toContain('Stage 1/2 `canary`: command failed: the command exited with code 3');
  });

  it('a bad stages input is refused with what to fix, before anything is written to GitHub', async () => {
    await s.commit({ version: 'v1' });
    const stages = '- name: canary\n  command: ./deploy.sh canary\n  window: 5 minutes\n- name: canary\n  command: ./deploy.sh all\n  window: 10m\n';
    const bad = await s.deploy({ inputs: { stages } });

    expect(bad.main.exitCode).toBe(1);
    expect(bad.main.outputs.result).toBe('failed');
    const text = bad.main.annotations.map((a) => a.message).join('\n');
    expect(text).toContain('Input "stages": stages[0].window: "5 minutes" is not a duration');
    expect(text).toContain('Input "stages": two stages are named "canary"; give each stage its own name');
    // deploy-command is the scenario's default here: stages replace it.
    expect(text).toContain('Input "stages": replaces deploy-command: each stage runs its own command; remove deploy-command');
    expect(text).toContain('Input "rollback-command": is required with stages');
    expect(view.writes().filter((r) => !r.path.includes('/deployments'))).toEqual([]);
    expect(await view.deployments()).toEqual([]);
    expect(await s.service.currentVersion()).toBeUndefined();
  });
});
