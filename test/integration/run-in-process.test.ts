// run(settings, context, deps) in this process: the real settings parser, the real GitHub client
// against the API double, real git (a bare origin and its clone), and the real probe, with a fake
// clock (a 10-minute health window passes at once) and a fake command runner standing in for the
// service: "deploying" a version makes it the one served, and the command check asks whether the
// version served is healthy. Beside the dist/ end-to-end tests, these drive every mode's sequence.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunDeps } from '../../src/deps.ts';
import { createGitHubClient } from '../../src/github/client.ts';
import { Git } from '../../src/git.ts';
import { createProbe } from '../../src/health/probe.ts';
import type { Log } from '../../src/log.ts';
import type { CommandRunner, CommandSpec } from '../../src/process.ts';
import { run } from '../../src/run.ts';
import { readRunContext, type RunContext } from '../../src/run-context.ts';
import { readSettings, type InputName, type Settings } from '../../src/settings.ts';
import { OPEN_DEPLOYMENTS_STATE, PENDING_INCIDENT_STATE } from '../../src/state-names.ts';
import { createGitFixture, type GitFixture } from '../support/git-fixture.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';
import { githubView } from '../support/github-view.ts';
import { TOKEN } from '../support/deploy-scenario.ts';
import { fakeClock } from '../unit/fake-clock.ts';

/** The service the fake runner deploys to: which version it serves, and which versions are broken. */
interface FakeService {
  serving: string | undefined;
  broken: Set<string>;
  /** Every command the runner was asked to run, with the variables it got. */
  commands: Array<{ command: string; env: NodeJS.ProcessEnv; cwd: string }>;
}

function fakeRunner(service: FakeService): CommandRunner {
  return async (spec: CommandSpec) => {
    service.commands.push({ command: spec.command, env: spec.env, cwd: spec.cwd });
    if (spec.command === 'deploy' || spec.command === 'roll-back') {
      service.serving = spec.env.DEPLOY_GUARD_SHA;
      return { exitCode: 0, signal: null, timedOut: false, durationMs: 5 };
    }
    if (spec.command === 'check-health') {
      const healthy = service.serving !== undefined && !service.broken.has(service.serving);
      spec.onOutput(healthy ? 'ok\n' : `version ${service.serving} answers 500\n`);
      return { exitCode: healthy ? 0 : 1, signal: null, timedOut: false, durationMs: 2 };
    }
    return { exitCode: 127, signal: null, timedOut: false, durationMs: 1 };
  };
}

function recordingLog(lines: string[]): Log {
  return {
    info: (m) => void lines.push(`info: ${m}`),
    warning: (m) => void lines.push(`warning: ${m}`),
    error: (m) => void lines.push(`error: ${m}`),
    group: async (title, body) => {
      lines.push(`group: ${title}`);
      return body();
    },
  };
}

const CHECKS = '- type: command\n  name: app\n  run: check-health\n  timeout: 5s\n';

describe('run() in-process, with a fake clock and a fake command runner', () => {
  let fixture: GitFixture;
  let github: GitHubDouble;
  let service: FakeService;
  let clock: ReturnType<typeof fakeClock>;
  let state: Map<string, string>;
  let lines: string[];
  let runId = 500;

  beforeEach(async () => {
    fixture = await createGitFixture();
    github = await startGitHubDouble({ bareRepoPath: fixture.bare, owner: 'acme', repo: 'shop' });
    clock = fakeClock(Date.now());
    // The double dates what it stores by the same clock, so the lock's ages are virtual time too.
    github.setNow(() => clock.now());
    service = { serving: undefined, broken: new Set(), commands: [] };
    state = new Map();
    lines = [];
  });
  afterEach(async () => {
    await github.close();
    await fixture.cleanup();
  });

  async function runMode(inputs: Record<string, string>, env: Record<string, string> = {}) {
    runId += 1;
    const runnerTemp = join(fixture.root, 'runner-temp');
    await mkdir(runnerTemp, { recursive: true });
    const allInputs: Record<string, string> = { 'github-token': TOKEN, 'deploy-command': 'deploy', 'rollback-command': 'roll-back', checks: CHECKS, 'health-window': '10m', 'health-interval': '30s', ...inputs };
    const settingsRead = await readSettings((name: InputName) => allInputs[name] ?? '', {});
    if (!settingsRead.ok) throw new Error(settingsRead.errors.join('\n'));
    const contextEnv: Record<string, string> = {
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_WORKSPACE: fixture.work,
      GITHUB_API_URL: github.url,
      GITHUB_RUN_ID: String(runId),
      RUNNER_TEMP: runnerTemp,
      ...env,
    };
    // What @actions/github's Context would read from these variables (it reads process.env itself).
    const facts = { repo: { owner: 'acme', repo: 'shop' }, apiUrl: github.url, serverUrl: 'https://github.com', runId, runAttempt: 1, actor: contextEnv.GITHUB_ACTOR ?? '' };
    const contextRead = readRunContext(facts, contextEnv);
    if (!contextRead.ok) throw new Error(contextRead.errors.join('\n'));
    const settings: Settings = settingsRead.settings;
    const context: RunContext = contextRead.context;
    const log = recordingLog(lines);
    const runCommand = fakeRunner(service);
    const deps: RunDeps = {
      gh: createGitHubClient({ token: TOKEN, baseUrl: github.url, log, userAgent: 'deploy-guard-test' }),
      git: new Git(context.workspace),
      runCommand,
      createProbe: (baselines) => createProbe({ runCommand, cwd: fixture.work, env: {}, baselines }),
      measureBaseline: () => Promise.reject(new Error('no prometheus check in these tests')),
      clock,
      log,
      env: {},
      saveState: (name, value) => void state.set(name, value),
      write: () => {},
      throwIfCancelled: () => {},
    };
    const started = clock.elapsed();
    const result = await run(settings, context, deps);
    return { ...result, virtualMs: clock.elapsed() - started };
  }

  it('deploys a healthy version through a whole 10-minute window at once, and moves known-good to it', async () => {
    const sha = await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    const result = await runMode({});
    expect(result.outcome).toMatchObject({ kind: 'deployed', sha, promoted: true });
    expect(result.knownGoodSha).toBe(sha);
    // 21 rounds at 30 s: the window was watched whole, in virtual time.
    expect(result.virtualMs).toBeGreaterThanOrEqual(10 * 60_000);
    expect(service.commands.filter((c) => c.command === 'check-health')).toHaveLength(21);
    expect(service.commands[0]).toMatchObject({ command: 'deploy', cwd: fixture.work });
    expect(service.commands[0]!.env.DEPLOY_GUARD_SHA).toBe(sha);

    const view = githubView(github);
    expect((await view.deployments()).map((d) => d.states)).toEqual([['in_progress', 'success']]);
    const { data: ref } = await view.octokit.rest.git.getRef({ owner: 'acme', repo: 'shop', ref: 'tags/deploy-guard/production/known-good' });
    expect(ref.object.sha).toBe(sha);
    expect(JSON.parse(state.get(OPEN_DEPLOYMENTS_STATE)!)).toEqual([]);
  });

  it('rolls a failing version back to known-good from a checkout of it, opens one incident, and the next deploy is blocked', async () => {
    const good = await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    expect((await runMode({})).outcome.kind).toBe('deployed');
    const bad = await fixture.commitVersion({ 'app.txt': 'v2' }, 'v2');
    service.broken.add(bad);

    const result = await runMode({});
    expect(result.outcome).toMatchObject({ kind: 'rolled-back', sha: bad, knownGoodSha: good });
    expect(service.serving).toBe(good);
    const rollback = service.commands.find((c) => c.command === 'roll-back')!;
    expect(rollback.env.DEPLOY_GUARD_SHA).toBe(good);
    expect(rollback.env.DEPLOY_GUARD_ROLLBACK).toBe('true');
    expect(rollback.cwd).not.toBe(fixture.work);
    expect(await fixture.git(['rev-parse', 'HEAD'], rollback.cwd)).toBe(good);

    const view = githubView(github);
    const deployments = await view.deployments();
    // GitHub marks the first one inactive once the rollback's deployment succeeds in the same environment.
    expect(deployments.map((d) => [d.sha, d.rollback, d.states])).toEqual([
      [good, false, ['in_progress', 'success', 'inactive']],
      [bad, false, ['in_progress', 'failure']],
      [good, true, ['in_progress', 'success']],
    ]);
    const open = await view.issues('open');
    expect(open).toHaveLength(1);
    expect(open[0]!.body).toContain('version');
    expect(state.get(PENDING_INCIDENT_STATE)).toBe('');
    expect(result.report?.rollback?.timeline?.verdict).toBeGreaterThan(result.report!.timeline.verdict!);

    service.commands = [];
    const blocked = await runMode({});
    expect(blocked.outcome).toMatchObject({ kind: 'blocked', incidents: [{ number: open[0]!.number }] });
    expect(service.commands).toEqual([]);
  });

  it('with nothing to roll back to, a failed first deploy opens the incident and moves no tag', async () => {
    const bad = await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    service.broken.add(bad);
    const result = await runMode({});
    expect(result.outcome).toMatchObject({ kind: 'no-rollback-target', sha: bad });
    expect(service.commands.some((c) => c.command === 'roll-back')).toBe(false);
    const view = githubView(github);
    expect((await view.deployments()).map((d) => d.states)).toEqual([['in_progress', 'failure']]);
    await expect(view.octokit.rest.git.getRef({ owner: 'acme', repo: 'shop', ref: 'tags/deploy-guard/production/known-good' })).rejects.toMatchObject({ status: 404 });
    expect(await view.issues('open')).toHaveLength(1);
  });

  it('a dry run reports a failure without rolling back, without an incident, and closes its deployment', async () => {
    await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    await runMode({});
    const bad = await fixture.commitVersion({ 'app.txt': 'v2' }, 'v2');
    service.broken.add(bad);
    const result = await runMode({ 'dry-run': 'true' });
    expect(result.outcome).toMatchObject({ kind: 'unhealthy', sha: bad });
    expect(service.commands.some((c) => c.command === 'roll-back')).toBe(false);
    const view = githubView(github);
    expect((await view.deployments()).at(-1)!.states).toEqual(['in_progress', 'failure']);
    expect(await view.issues('open')).toHaveLength(0);
  });

  it('refuses to deploy on top of a deploy in progress, and ends its own deployment as error', async () => {
    const sha = await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    github.seed.deployments([{ sha, task: 'deploy:deploy-guard', payload: { 'deploy-guard': { rollback: false } }, statuses: [{ state: 'in_progress' }] }]);
    const result = await runMode({});
    expect(result.outcome.kind).toBe('failed');
    expect(result.outcome.kind === 'failed' && result.outcome.message).toMatch(/another deploy of production is in progress/);
    expect(service.commands).toEqual([]);
    const own = (await githubView(github).deployments()).at(-1)!;
    expect(own.states).toEqual(['in_progress', 'error']);
  });

  it('a manual rollback reads who asked from the run context (the re-runner on a re-run), and is refused for a reader', async () => {
    const good = await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    await runMode({});
    await fixture.commitVersion({ 'app.txt': 'v2' }, 'v2');
    await runMode({});
    github.setCollaborator('octo-maintainer', 'maintain');
    github.setCollaborator('octo-reader', 'read');

    const refused = await runMode({ mode: 'rollback', 'rollback-to': good, reason: 'try' }, { GITHUB_ACTOR: 'octo-maintainer', GITHUB_TRIGGERING_ACTOR: 'octo-reader' });
    expect(refused.outcome).toMatchObject({ kind: 'refused' });
    expect(refused.outcome.kind === 'refused' && refused.outcome.reason).toMatch(/@octo-reader has the read role/);

    const result = await runMode({ mode: 'rollback', 'rollback-to': good, reason: 'checkout errors' }, { GITHUB_ACTOR: 'octo-reader', GITHUB_TRIGGERING_ACTOR: 'octo-maintainer' });
    expect(result.outcome).toMatchObject({ kind: 'manual-rollback', sha: good, actor: 'octo-maintainer', reason: 'checkout errors' });
    expect(service.serving).toBe(good);
    expect(result.knownGoodSha).toBe(good);
    const last = (await githubView(github).deployments()).at(-1)!;
    expect(last).toMatchObject({ sha: good, rollback: true, states: ['in_progress', 'success'] });
  });

  it('gate and status modes answer through the same run()', async () => {
    const sha = await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    await runMode({});
    expect((await runMode({ mode: 'gate' })).outcome).toEqual({ kind: 'clear' });
    const status = await runMode({ mode: 'status' });
    expect(status.outcome.kind).toBe('status');
    expect(status.knownGoodSha).toBe(sha);
  });

  it('lock mode holds deploys with a reason, and unlock mode lets them go', async () => {
    github.setCollaborator('octo-writer', 'write');
    await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    const locked = await runMode({ mode: 'lock', reason: 'migrating the orders table' }, { GITHUB_ACTOR: 'octo-writer' });
    expect(locked.outcome).toMatchObject({ kind: 'locked', already: false, lock: { holder: { actor: 'octo-writer', reason: 'migrating the orders table', since: clock.now() } } });
    const blocked = await runMode({});
    expect(blocked.outcome).toMatchObject({ kind: 'blocked', by: 'lock' });
    expect(service.commands).toEqual([]);
    const issue = locked.outcome.kind === 'locked' ? locked.outcome.lock.number : 0;
    const unlocked = await runMode({ mode: 'unlock', reason: 'done' }, { GITHUB_ACTOR: 'octo-writer' });
    expect(unlocked.outcome).toMatchObject({ kind: 'unlocked', released: [{ number: issue }], actor: 'octo-writer' });
    expect((await runMode({})).outcome.kind).toBe('deployed');
  });

  it('mark-known-good watches what runs for the whole window with no command, and makes it known-good', async () => {
    github.setCollaborator('octo-writer', 'write');
    const sha = await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    service.serving = sha; // started before deploy-guard
    const marked = await runMode({ mode: 'mark-known-good' }, { GITHUB_ACTOR: 'octo-writer' });
    expect(marked.outcome).toMatchObject({ kind: 'mark-known-good', sha, tagMoved: true });
    expect(marked.knownGoodSha).toBe(sha);
    expect(marked.virtualMs).toBeGreaterThanOrEqual(10 * 60_000);
    expect(service.commands.map((c) => c.command)).toEqual(Array(21).fill('check-health'));
    expect((await githubView(github).deployments()).map((d) => d.states)).toEqual([['in_progress', 'success']]);
  });

  it('a drill runs the rollback command in a worktree of the previous proven version and the deploy command in one of known-good, a whole window each', async () => {
    github.setCollaborator('octo-writer', 'write');
    const v1 = await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    expect((await runMode({})).outcome.kind).toBe('deployed');
    const v2 = await fixture.commitVersion({ 'app.txt': 'v2' }, 'v2');
    expect((await runMode({})).outcome.kind).toBe('deployed');
    await fixture.commitVersion({ 'app.txt': 'v3' }, 'v3'); // the workspace is ahead of known-good
    service.commands = [];

    const drill = await runMode({ mode: 'drill' }, { GITHUB_ACTOR: 'octo-writer' });
    expect(drill.outcome).toMatchObject({ kind: 'drill', knownGoodSha: v2, back: { sha: v1 }, forward: { sha: v2 } });
    expect(drill.outcome.kind === 'drill' && [drill.outcome.back.failure, drill.outcome.forward?.failure, drill.outcome.incident]).toEqual([undefined, undefined, undefined]);
    expect(drill.virtualMs).toBeGreaterThanOrEqual(2 * 10 * 60_000);
    const [back, forward] = service.commands.filter((c) => c.command !== 'check-health');
    expect([back!.command, back!.env.DEPLOY_GUARD_SHA, back!.env.DEPLOY_GUARD_ROLLBACK]).toEqual(['roll-back', v1, 'true']);
    expect([forward!.command, forward!.env.DEPLOY_GUARD_SHA, forward!.env.DEPLOY_GUARD_ROLLBACK]).toEqual(['deploy', v2, 'false']);
    expect(await fixture.git(['rev-parse', 'HEAD'], forward!.cwd)).toBe(v2);
    expect(service.commands.filter((c) => c.command === 'check-health')).toHaveLength(2 * 21);
    expect(service.serving).toBe(v2);
    expect(drill.knownGoodSha).toBe(v2);
    expect(JSON.parse(state.get(OPEN_DEPLOYMENTS_STATE)!)).toEqual([]);
  });

  it('a drill whose forward leg fails opens a critical incident, and known-good stays where it was', async () => {
    github.setCollaborator('octo-writer', 'write');
    const v1 = await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    await runMode({});
    const v2 = await fixture.commitVersion({ 'app.txt': 'v2' }, 'v2');
    await runMode({});
    service.broken.add(v2); // known-good breaks only once it is put out again

    const drill = await runMode({ mode: 'drill' }, { GITHUB_ACTOR: 'octo-writer' });
    expect(drill.outcome).toMatchObject({ kind: 'drill', back: { sha: v1 }, forward: { sha: v2, failure: { kind: 'unhealthy' } }, incident: { number: expect.any(Number) } });
    const [incident] = await githubView(github).issues('open');
    expect(incident!.labels.map((l) => (typeof l === 'string' ? l : l.name))).toContain('severity:critical');
    const { data: ref } = await githubView(github).octokit.rest.git.getRef({ owner: 'acme', repo: 'shop', ref: 'tags/deploy-guard/production/known-good' });
    expect(ref.object.sha).toBe(v2);
    // The next deploy is blocked by the drill's incident, and a manual rollback to known-good goes to v2, not to the drill's v1.
    expect((await runMode({})).outcome).toMatchObject({ kind: 'blocked', by: 'incident' });
    service.broken.delete(v2);
    const manual = await runMode({ mode: 'rollback', reason: 'after the drill' }, { GITHUB_ACTOR: 'octo-writer' });
    expect(manual.outcome).toMatchObject({ kind: 'manual-rollback', sha: v2 });
  });

  it('ends in a failed outcome, with nothing written, when the workspace is not a git repository', async () => {
    await fixture.commitVersion({ 'app.txt': 'v1' }, 'v1');
    const result = await runMode({}, { GITHUB_WORKSPACE: join(fixture.root, 'not-a-repo') });
    expect(result.outcome.kind).toBe('failed');
    expect(githubView(github).writes().filter((r) => r.path.includes('/deployments'))).toEqual([]);
  });
});
