import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFileCommands } from '../support/file-commands.ts';
import { createGitFixture, type GitFixture } from '../support/git-fixture.ts';
import { freePort } from '../support/ports.ts';
import { inputEnvName, runAction } from '../support/runner.ts';
import { serviceControl, type ServiceControl } from '../support/service/control.ts';
import { serviceFiles } from '../support/service/files.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const node24 = join(repoRoot, 'node_modules/node/bin/node');

interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bash deploy.sh` in `cwd` the way a deploy command would. */
function runDeploy(cwd: string, env: Record<string, string>): Promise<ScriptResult> {
  return new Promise((resolvePromise) => {
    execFile('bash', ['deploy.sh'], { cwd, env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('git fixture', () => {
  let fixture: GitFixture | undefined;
  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });

  it('commits, pushes to the bare origin and returns the sha', async () => {
    fixture = await createGitFixture();
    const sha = await fixture.commitVersion({ 'README.md': '# hello\n', 'dir/run.sh': '#!/bin/sh\necho hi\n' }, 'first');
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    await expect(fixture.git(['cat-file', '-e', `${sha}^{commit}`], fixture.bare)).resolves.toBe('');
    expect(await fixture.git(['rev-parse', 'refs/heads/main'], fixture.bare)).toBe(sha);
    expect(await fixture.git(['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(await fixture.git(['remote', 'get-url', 'origin'])).toBe(fixture.bare);
    // shebang files are committed executable
    expect(await fixture.git(['ls-files', '-s', 'dir/run.sh'])).toMatch(/^100755 /);

    const second = await fixture.commitVersion({ 'README.md': '# hello again\n' }, 'second');
    expect(await fixture.git(['rev-parse', 'main'], fixture.bare)).toBe(second);
    expect(await fixture.git(['rev-parse', `${second}^`])).toBe(sha);
    expect(await fixture.git(['log', '-1', '--format=%an <%ae>'])).toBe('Fixture Bot <fixture-bot@example.test>');
  });

  it('removes everything on cleanup', async () => {
    fixture = await createGitFixture();
    const root = fixture.root;
    await fixture.cleanup();
    fixture = undefined;
    await expect(readFile(join(root, 'work', '.git', 'HEAD'))).rejects.toThrow();
  });
});

describe('test service', () => {
  let fixture: GitFixture;
  let service: ServiceControl;
  let env: Record<string, string>;

  beforeEach(async () => {
    fixture = await createGitFixture();
    const port = await freePort();
    const stateDir = join(fixture.root, 'service-state');
    service = serviceControl(stateDir, port);
    env = { SERVICE_PORT: String(port), SERVICE_STATE_DIR: stateDir };
  });

  afterEach(async () => {
    await service.stop();
    await fixture.cleanup();
  });

  it('deploys v1 from the workspace, then v2 from a worktree, replacing v1', async () => {
    const v1 = await fixture.commitVersion(serviceFiles({ version: 'v1' }), 'v1');
    const v2 = await fixture.commitVersion(serviceFiles({ version: 'v2' }), 'v2');

    await fixture.git(['checkout', '--quiet', '--detach', v1]);
    const first = await runDeploy(fixture.work, { ...env, DEPLOY_GUARD_SHA: v1 });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('started version v1');
    expect(first.stdout).toContain(`DEPLOY_GUARD_SHA=${v1}`);
    expect(await service.currentVersion()).toBe('v1');
    expect(await service.healthStatus()).toBe(200);
    const v1Pid = await service.pid();
    expect(v1Pid).toBeTypeOf('number');

    const worktree = join(fixture.root, 'worktree-v2');
    await fixture.git(['worktree', 'add', '--detach', worktree, v2]);
    const second = await runDeploy(worktree, { ...env, DEPLOY_GUARD_ROLLBACK: 'true' });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(`stopping previous instance (pid ${v1Pid})`);
    expect(second.stdout).toContain('DEPLOY_GUARD_ROLLBACK=true');
    expect(await service.currentVersion()).toBe('v2');
    const v2Pid = await service.pid();
    expect(v2Pid).not.toBe(v1Pid);
    expect(await readFile(`/proc/${v1Pid}/cmdline`, 'utf8').catch(() => '')).not.toContain('server.mjs');

    // deploy.sh ran server.mjs from the worktree, not the workspace
    const cmdline = await readFile(`/proc/${v2Pid}/cwd/app/version.json`, 'utf8');
    expect(JSON.parse(cmdline).version).toBe('v2');

    await service.stop();
    expect(await service.currentVersion()).toBeUndefined();
    expect(await service.pid()).toBeUndefined();
  });

  it("answers 503 on /health for health 'fail'", async () => {
    await fixture.commitVersion(serviceFiles({ version: 'v3', health: 'fail' }), 'v3');
    const result = await runDeploy(fixture.work, env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await service.currentVersion()).toBe('v3');
    expect(await service.healthStatus()).toBe(503);
  });

  it('fails the deploy for bootFail', async () => {
    await fixture.commitVersion(serviceFiles({ version: 'v4', health: 'bootFail' }), 'v4');
    const result = await runDeploy(fixture.work, env);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('exited during boot');
    expect(await service.currentVersion()).toBeUndefined();
  });

  it('follows failRounds, failAfterMs and crashAfterMs', async () => {
    await fixture.commitVersion(serviceFiles({ version: 'r', health: { failRounds: [2, 3] } }), 'rounds');
    expect((await runDeploy(fixture.work, env)).code).toBe(0);
    const rounds: Array<number | undefined> = [];
    for (let i = 0; i < 4; i += 1) rounds.push(await service.healthStatus());
    expect(rounds).toEqual([200, 503, 503, 200]);

    await fixture.commitVersion(serviceFiles({ version: 'a', health: { failAfterMs: 300 } }), 'after');
    expect((await runDeploy(fixture.work, env)).code).toBe(0);
    expect(await service.healthStatus()).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(await service.healthStatus()).toBe(503);

    await fixture.commitVersion(serviceFiles({ version: 'c', health: { crashAfterMs: 300 } }), 'crash');
    expect((await runDeploy(fixture.work, env)).code).toBe(0);
    expect(await service.healthStatus()).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    expect(await service.healthStatus()).toBeUndefined();
  });

  it('injects errors deterministically and exposes Prometheus metrics', async () => {
    await fixture.commitVersion(serviceFiles({ version: 'e', errorRate: 0.5 }), 'errors');
    expect((await runDeploy(fixture.work, env)).code).toBe(0); // the readiness probe is request 1 (200)
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await service.get('/'))?.status ?? 0);
    expect(statuses).toEqual([500, 200, 500, 200]);
    const metrics = (await service.get('/metrics'))?.body ?? '';
    expect(metrics).toContain('http_requests_total{code="200"} 3');
    expect(metrics).toContain('http_requests_total{code="500"} 2');
    expect(metrics).toContain('http_request_duration_seconds_bucket{le="+Inf"} 5');
    expect(metrics).toContain('http_request_duration_seconds_count 5');
  });
});

describe('action runner', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-guard-runner-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Plays an action: writes outputs/state/summary the way @actions/core 3 does, reports env.
  const script = `
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
const put = (file, name, value) => {
  const delimiter = 'ghadelimiter_' + randomUUID();
  appendFileSync(process.env[file], name + '<<' + delimiter + '\\n' + value + '\\n' + delimiter + '\\n');
};
put('GITHUB_OUTPUT', 'deploy-command', process.env['INPUT_DEPLOY-COMMAND'] ?? '<unset>');
put('GITHUB_OUTPUT', 'multi', 'line one\\nline two');
put('GITHUB_OUTPUT', 'node-version', process.version);
put('GITHUB_OUTPUT', 'saved', process.env.STATE_phase ?? '<unset>');
put('GITHUB_OUTPUT', 'leaked', process.env.DEPLOY_GUARD_LEAK_CHECK ?? '<unset>');
put('GITHUB_OUTPUT', 'cwd', process.cwd());
appendFileSync(process.env.GITHUB_OUTPUT, 'plain=a=b\\n');
put('GITHUB_STATE', 'phase', 'post');
appendFileSync(process.env.GITHUB_STEP_SUMMARY, '## summary\\n');
console.log('::error title=Deploy failed::rolled back%0Asee issue');
console.log(JSON.stringify(Object.keys(process.env).filter((k) => k.startsWith('INPUT_')).sort()));
process.exit(3);
`;

  it('mirrors the runner: INPUT_ names, file commands, minimal env, exit code', async () => {
    const entry = join(dir, 'action.mjs');
    await writeFile(entry, script);
    process.env.DEPLOY_GUARD_LEAK_CHECK = 'leaked';
    try {
      const run = await runAction({
        entry,
        inputs: { 'deploy-command': 'bash deploy.sh', 'health window': '2s' },
        state: { phase: 'main' },
        cwd: dir,
        timeoutMs: 20_000,
      });
      expect(run.exitCode, run.stderr).toBe(3);
      expect(run.signal).toBeNull();
      expect(run.timedOut).toBe(false);
      expect(run.outputs).toEqual({
        'deploy-command': 'bash deploy.sh',
        multi: 'line one\nline two',
        'node-version': process.version,
        saved: 'main',
        leaked: '<unset>',
        cwd: dir,
        plain: 'a=b',
      });
      expect(run.state).toEqual({ phase: 'post' });
      expect(run.summary).toBe('## summary\n');
      expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toEqual(['INPUT_DEPLOY-COMMAND', 'INPUT_HEALTH_WINDOW']);
      expect(run.annotations).toEqual([
        { level: 'error', message: 'rolled back\nsee issue', properties: { title: 'Deploy failed' } },
      ]);
    } finally {
      delete process.env.DEPLOY_GUARD_LEAK_CHECK;
    }
  });

  it('runs with the Node 24 binary from node_modules', async () => {
    const entry = join(dir, 'action.mjs');
    await writeFile(entry, script);
    const run = await runAction({ entry, inputs: {}, nodeBinary: node24, env: { GITHUB_WORKSPACE: dir } });
    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.outputs['node-version']).toMatch(/^v24\./);
    expect(run.outputs['deploy-command']).toBe('<unset>');
  });

  it('kills a run that exceeds timeoutMs', async () => {
    const entry = join(dir, 'hang.mjs');
    await writeFile(entry, 'setInterval(() => {}, 1000);\n');
    const run = await runAction({ entry, inputs: {}, cwd: dir, timeoutMs: 500 });
    expect(run.timedOut).toBe(true);
    expect(run.exitCode).toBeNull();
    expect(run.signal).toBe('SIGTERM');
  });

  it('applies action.yml input defaults for a dist/ entry and warns about unknown inputs', async () => {
    await writeFile(
      join(dir, 'action.yml'),
      [
        'name: fake',
        'inputs:',
        '  deploy-command:',
        '    required: true',
        '  health-window:',
        '    default: 5m',
        '  token:',
        '    default: ${{ github.token }}',
        '  repo:',
        '    default: ${{ github.repository }}',
        'runs:',
        '  using: node24',
        '  main: dist/index.mjs',
        '',
      ].join('\n'),
    );
    await mkdir(join(dir, 'dist'));
    const entry = join(dir, 'dist', 'index.mjs');
    await writeFile(
      entry,
      "import { appendFileSync } from 'node:fs';\n" +
        "for (const k of ['INPUT_HEALTH-WINDOW', 'INPUT_TOKEN', 'INPUT_REPO', 'INPUT_DEPLOY-COMMAND']) appendFileSync(process.env.GITHUB_OUTPUT, k + '=' + (process.env[k] ?? '<unset>') + '\\n');\n",
    );
    const run = await runAction({
      entry,
      inputs: { 'deploy-command': 'x', 'health-windw': '1s' },
      cwd: dir,
      githubToken: 'ghs_abc',
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.outputs).toEqual({
      'INPUT_HEALTH-WINDOW': '5m',
      INPUT_TOKEN: 'ghs_abc',
      INPUT_REPO: 'acme/shop',
      'INPUT_DEPLOY-COMMAND': 'x',
    });
    expect(run.runnerWarnings).toEqual([
      "Unexpected input(s) 'health-windw', valid inputs are ['deploy-command', 'health-window', 'token', 'repo']",
    ]);
  });

  it('leaves a deployed service running when the action process group is killed', async () => {
    const fixture = await createGitFixture();
    const port = await freePort();
    const stateDir = join(fixture.root, 'service-state');
    const service = serviceControl(stateDir, port);
    try {
      await fixture.commitVersion(serviceFiles({ version: 'v1' }), 'v1');
      // The action is its own process group leader (detached spawn): take the whole group down.
      const entry = join(dir, 'deploy-then-die.mjs');
      await writeFile(
        entry,
        "import { execFileSync } from 'node:child_process';\n" +
          "execFileSync('bash', ['deploy.sh'], { stdio: 'inherit' });\n" +
          "process.kill(-process.pid, 'SIGKILL');\n",
      );
      const run = await runAction({
        entry,
        inputs: {},
        env: { GITHUB_WORKSPACE: fixture.work, SERVICE_PORT: String(port), SERVICE_STATE_DIR: stateDir },
        timeoutMs: 20_000,
      });
      expect(run.signal).toBe('SIGKILL');
      expect(run.stdout).toContain('started version v1');
      expect(await service.currentVersion()).toBe('v1');
    } finally {
      await service.stop();
      await fixture.cleanup();
    }
  });

  it('names inputs like the runner', () => {
    expect(inputEnvName('deploy-command')).toBe('INPUT_DEPLOY-COMMAND');
    expect(inputEnvName('health window')).toBe('INPUT_HEALTH_WINDOW');
  });

  it('parses heredoc and plain file commands', () => {
    const text = 'a<<ghadelimiter_1\nx\n\ny\nghadelimiter_1\nb=1\r\nc<<EOF\nEOF\n';
    expect(parseFileCommands(text)).toEqual({ a: 'x\n\ny', b: '1', c: '' });
    expect(() => parseFileCommands('a<<EOF\nnever closed\n')).toThrow(/closing delimiter/);
  });
});
