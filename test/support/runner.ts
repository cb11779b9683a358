import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateDefault, findActionYml, readActionInputs } from './action-metadata.ts';
import { type Annotation, parseAnnotations, parseFileCommands } from './file-commands.ts';

export interface RunActionOptions {
  /** Absolute path of the bundled entry, e.g. <repo>/dist/index.js or dist/post.js. */
  entry: string;
  /** Action inputs by their action.yml names, e.g. {'deploy-command': 'bash deploy.sh'}. */
  inputs: Record<string, string>;
  /** Extra environment; overrides the runner defaults (not the file-command paths). */
  env?: Record<string, string>;
  /** State saved by the main step, passed as STATE_<name> like the runner does for post steps. */
  state?: Record<string, string>;
  /** Default process.execPath. */
  nodeBinary?: string;
  /** Default env.GITHUB_WORKSPACE. */
  cwd?: string;
  /** Kill the action's process group after this long (default 120 s); reported as a failure. */
  timeoutMs?: number;
  /**
   * action.yml whose input defaults are applied to inputs not passed, as the
   * runner does. Default: `<repo>/action.yml` for an entry in `<repo>/dist/`,
   * if that file exists. `false` disables.
   */
  actionYml?: string | false;
  /** Value of `${{ github.token }}` in input defaults. */
  githubToken?: string;
  /**
   * Signals sent to the action's node process only (not its process group), as the runner does
   * when a run is cancelled: SIGINT, then SIGTERM 7.5 s later, then SIGKILL. Each is sent
   * `afterMs` after the process started or, with `after`, `afterMs` after that promise resolves
   * (e.g. once the deploy command wrote a pid file). None is sent once the process has exited,
   * nor if `after` rejects. Independent of `timeoutMs`, which still applies.
   */
  signals?: SignalPlan[];
  /** Called with each chunk of the action's stdout as it arrives (e.g. to timestamp log lines). */
  onStdout?: (chunk: string) => void;
  /**
   * Runs `[...commandPrefix, node, entry]` instead of `node entry`, e.g.
   * `['/usr/bin/time', '-f', '%M', '-o', file]` to measure peak memory. `signals` then go to the
   * prefix's process, not to node.
   */
  commandPrefix?: string[];
}

export interface SignalPlan {
  signal: NodeJS.Signals;
  afterMs: number;
  /** Count `afterMs` from when this resolves instead of from the start. */
  after?: PromiseLike<unknown>;
}

export interface SentSignal {
  signal: NodeJS.Signals;
  /** Milliseconds after the process started. */
  atMs: number;
}

export interface ActionRun {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Parsed from the GITHUB_OUTPUT file. */
  outputs: Record<string, string>;
  /** Parsed from the GITHUB_STATE file. */
  state: Record<string, string>;
  /** Contents of GITHUB_STEP_SUMMARY. */
  summary: string;
  durationMs: number;
  /** True when the run was killed for exceeding timeoutMs. */
  timedOut: boolean;
  /** Milliseconds after start when the process exited (before its output was drained), if it did. */
  exitMs?: number;
  /** The `signals` actually sent, in order (those due after the process exited are not). */
  signalsSent: SentSignal[];
  /** Parsed from the GITHUB_ENV file (core.exportVariable). */
  exportedEnv: Record<string, string>;
  /** Lines of GITHUB_PATH (core.addPath). */
  addedPath: string[];
  /** ::error / ::warning / ::notice workflow commands from stdout. */
  annotations: Annotation[];
  /** What the runner itself would warn about, e.g. unexpected inputs. */
  runnerWarnings: string[];
}

/** INPUT_<NAME>: upper-cased, spaces to `_`, hyphens kept (as the runner and @actions/core do). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const KILL_GRACE_MS = 3_000;
const STDIO_DRAIN_MS = 2_000;
const DEFAULT_GITHUB_TOKEN = 'ghs_deployguardtesttoken000000000000000';

/** What a GitHub-hosted runner sets for every step (subset relevant here). */
function runnerDefaults(): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '9000000001',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'deploy-guard-test-runner',
    RUNNER_ENVIRONMENT: 'github-hosted',
  };
}

/**
 * Runs a bundled action entry the way the GitHub runner does: INPUT_* and
 * STATE_* env, fresh file-command files, a minimal environment (PATH and HOME
 * from this process, nothing else), then parses what the action wrote.
 *
 * Git inside the action sees no system config and an empty global config
 * (GIT_CONFIG_NOSYSTEM, GIT_CONFIG_GLOBAL), so the developer's ~/.gitconfig
 * (identity, aliases, url rewrites) cannot make a test pass; override via env.
 */
export async function runAction(opts: RunActionOptions): Promise<ActionRun> {
  const cwd = opts.cwd ?? opts.env?.GITHUB_WORKSPACE;
  if (!cwd) throw new Error('runAction: pass cwd or env.GITHUB_WORKSPACE');

  const dir = await realpath(await mkdtemp(join(tmpdir(), 'deploy-guard-run-')));
  try {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_PATH: join(dir, 'path'),
    };
    for (const file of Object.values(files)) await writeFile(file, '');
    const runnerTemp = join(dir, 'runner-temp');
    await mkdir(runnerTemp);
    const eventPath = join(dir, 'event.json');
    await writeFile(eventPath, '{}\n');
    const gitConfig = join(dir, 'gitconfig');
    await writeFile(gitConfig, '');

    const baseEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env.HOME ?? homedir(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: gitConfig,
      ...runnerDefaults(),
      GITHUB_WORKSPACE: cwd,
      GITHUB_EVENT_PATH: eventPath,
      RUNNER_TEMP: runnerTemp,
      ...opts.env,
    };

    const runnerWarnings: string[] = [];
    const inputs = { ...opts.inputs };
    const actionYml = opts.actionYml === false ? undefined : (opts.actionYml ?? findActionYml(opts.entry));
    if (actionYml) {
      const declared = await readActionInputs(actionYml);
      for (const [name, spec] of Object.entries(declared)) {
        if (!(name in inputs) && spec.default !== undefined) {
          inputs[name] = evaluateDefault(spec.default, baseEnv, opts.githubToken ?? DEFAULT_GITHUB_TOKEN);
        }
      }
      const unexpected = Object.keys(opts.inputs).filter((name) => !(name in declared));
      if (unexpected.length > 0) {
        runnerWarnings.push(
          `Unexpected input(s) ${unexpected.map((n) => `'${n}'`).join(', ')}, valid inputs are [${Object.keys(declared)
            .map((n) => `'${n}'`)
            .join(', ')}]`,
        );
      }
    }

    const env: Record<string, string> = { ...baseEnv };
    for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
    for (const [name, value] of Object.entries(opts.state ?? {})) env[`STATE_${name}`] = value;
    Object.assign(env, files);

    const node = opts.nodeBinary ?? process.execPath;
    const [prefixCommand, ...prefixArgs] = opts.commandPrefix ?? [];
    const child = await spawnAndCollect({
      command: prefixCommand ?? node,
      args: prefixCommand ? [...prefixArgs, node, opts.entry] : [opts.entry],
      cwd,
      env,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signals: opts.signals ?? [],
      ...(opts.onStdout ? { onStdout: opts.onStdout } : {}),
    });

    const read = (file: string): Promise<string> => readFile(file, 'utf8');
    const pathText = await read(files.GITHUB_PATH);
    return {
      ...child,
      outputs: parseFileCommands(await read(files.GITHUB_OUTPUT), 'GITHUB_OUTPUT'),
      state: parseFileCommands(await read(files.GITHUB_STATE), 'GITHUB_STATE'),
      summary: await read(files.GITHUB_STEP_SUMMARY),
      exportedEnv: parseFileCommands(await read(files.GITHUB_ENV), 'GITHUB_ENV'),
      addedPath: pathText.split(/\r?\n/).filter((line) => line !== ''),
      annotations: parseAnnotations(child.stdout),
      runnerWarnings,
    };
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

interface SpawnRequest {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signals: SignalPlan[];
  onStdout?: (chunk: string) => void;
}

interface SpawnResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  exitMs?: number;
  signalsSent: SentSignal[];
}

function spawnAndCollect(req: SpawnRequest): Promise<SpawnResult> {
  const verbose = process.env.DEPLOY_GUARD_TEST_VERBOSE === '1';
  const started = performance.now();
  return new Promise<SpawnResult>((resolve, reject) => {
    // Own process group, so a timeout can take down the deploy command the action started too.
    const child = spawn(req.command, req.args, {
      cwd: req.cwd,
      env: req.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let exit: { code: number | null; signal: string | null } | undefined;
    let exitMs: number | undefined;
    const signalsSent: SentSignal[] = [];
    const timers: NodeJS.Timeout[] = [];
    const elapsed = (): number => Math.round(performance.now() - started);

    // Like the runner on cancel: the action's own process only, never its group.
    const signalProcess = (signal: NodeJS.Signals): void => {
      if (exit || child.pid === undefined) return;
      try {
        process.kill(child.pid, signal);
        signalsSent.push({ signal, atMs: elapsed() });
      } catch {
        // already gone
      }
    };
    for (const plan of req.signals) {
      const schedule = (): void => {
        if (!exit) timers.push(setTimeout(() => signalProcess(plan.signal), plan.afterMs));
      };
      if (plan.after) Promise.resolve(plan.after).then(schedule, () => {});
      else schedule();
    }

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // group already gone
      }
    };

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      req.onStdout?.(chunk);
      if (verbose) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (verbose) process.stderr.write(chunk);
    });

    timers.push(
      setTimeout(() => {
        timedOut = true;
        stderr += `\n[runAction] timed out after ${req.timeoutMs} ms; killing the action's process group\n`;
        killGroup('SIGTERM');
        timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS));
      }, req.timeoutMs),
    );

    child.on('error', (error) => {
      timers.forEach(clearTimeout);
      reject(new Error(`runAction: could not start ${req.command}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      exitMs = elapsed();
      // A grandchild that inherited stdout/stderr (e.g. a backgrounded process
      // without redirection) would keep 'close' from firing; stop waiting for it.
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, STDIO_DRAIN_MS),
      );
    });
    child.on('close', (code, signal) => {
      timers.forEach(clearTimeout);
      resolve({
        exitCode: exit?.code ?? code,
        signal: exit?.signal ?? signal,
        stdout,
        stderr,
        durationMs: elapsed(),
        timedOut,
        ...(exitMs !== undefined ? { exitMs } : {}),
        signalsSent,
      });
    });
  });
}
