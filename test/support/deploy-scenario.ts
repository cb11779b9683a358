// One deploy-guard world for end-to-end tests and the demo: a bare origin and its clone, the
// GitHub API double over that origin, and the test service the repo's deploy.sh starts.
import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGitFixture, type GitFixture } from './git-fixture.ts';
import { startGitHubDouble, type GitHubDouble } from './github-double/index.ts';
import type { RequestLogEntry } from './github-double/types.ts';
import { runAction, type ActionRun, type RunActionOptions, type SignalPlan } from './runner.ts';
import { freePort, serviceControl, type ServiceControl } from './service/control.ts';
import { serviceFiles, type ServiceVersion } from './service/files.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const NODE24 = join(REPO_ROOT, 'node_modules/node/bin/node');
export const TOKEN = 'ghs_e2eTestToken0123456789';

/** Fast health settings: a 2 s window of rounds every 250 ms. */
export const FAST_HEALTH = {
  'health-window': '2s',
  'health-interval': '250ms',
  'request-timeout': '200ms',
  'failure-threshold': '3',
} as const;

export interface DeployRun {
  main: ActionRun;
  post: ActionRun;
  /** GITHUB_RUN_ID of this run (attempt 1). */
  runId: string;
  /** GITHUB_SHA: the workspace's HEAD when the run started. */
  sha: string;
  /** The API requests the post step made (a slice of `github.requests`). */
  postRequests: RequestLogEntry[];
  /** The deployment GitHub made for the job's environment, if the job had one. */
  jobDeploymentId?: number;
}

export interface DeployOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  nodeBinary?: string;
  /** Of the main step (default 60 s). */
  timeoutMs?: number;
  /** Of the post step (default 30 s). */
  postTimeoutMs?: number;
  /** Signals to the main step's node process, as the runner sends them on cancel (see runAction). */
  signals?: SignalPlan[];
  /** Extra runAction options for the main step only (e.g. a stdout listener, a command prefix). */
  mainStep?: StepHooks;
  /** The same for the post step. */
  postStep?: StepHooks;
  /**
   * The job's `environment:`, for which GitHub makes a deployment of its own before the first step
   * (see GitHubDouble.startJobDeployment). Default: the `environment` input, or 'production', as in
   * the README's usage. `false`: a job without an environment, or with `deployment: false`.
   */
  jobEnvironment?: string | false;
}

export type StepHooks = Pick<RunActionOptions, 'onStdout' | 'commandPrefix'>;

export interface ScenarioOptions {
  /** Where index.js and post.js are taken from (default `<repo>/dist`); action.yml is looked up beside it. */
  distDir?: string;
  /** The repository the runs are for, `owner/name` (default `acme/shop`). */
  repository?: string;
  /**
   * A double another scenario started: this scenario's repository is added to it
   * (`addRepository`), so both share one GitHub, and closing this scenario leaves it running.
   */
  github?: GitHubDouble;
}

export interface Scenario {
  fixture: GitFixture;
  github: GitHubDouble;
  service: ServiceControl;
  stateDir: string;
  /** Commits a version of the service (and deploy.sh) and returns its sha. */
  commit(version: ServiceVersion): Promise<string>;
  /** Runs the action's main step then its post step, as one job step on the runner. */
  deploy(options?: DeployOptions): Promise<DeployRun>;
  /** The commit a tag points at in the origin, or undefined. */
  tagSha(name: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function startScenario(options: ScenarioOptions = {}): Promise<Scenario> {
  // DEPLOY_GUARD_TEST_DIST: run the suites against another build (e.g. main's, to see a new test fail there).
  const distDir = options.distDir ?? process.env.DEPLOY_GUARD_TEST_DIST ?? join(REPO_ROOT, 'dist');
  const fixture = await createGitFixture();
  const repository = options.repository ?? 'acme/shop';
  const [owner, repo] = repository.split('/') as [string, string];
  const github = options.github
    ? await options.github.addRepository({ owner, repo, bareRepoPath: fixture.bare })
    : await startGitHubDouble({ bareRepoPath: fixture.bare, owner, repo });
  const port = await freePort();
  const stateDir = join(fixture.root, 'service-state');
  await mkdir(stateDir, { recursive: true });
  const service = serviceControl(stateDir, port);
  let runId = 1000;

  return {
    fixture,
    github,
    service,
    stateDir,
    commit: (version) => fixture.commitVersion(serviceFiles(version), `service ${version.version}`),
    async deploy(options = {}) {
      runId += 1;
      const sha = await fixture.git(['rev-parse', 'HEAD']);
      const env = {
        GITHUB_API_URL: github.url,
        GITHUB_WORKSPACE: fixture.work,
        GITHUB_REPOSITORY: repository,
        GITHUB_SHA: sha,
        GITHUB_RUN_ID: String(runId),
        GITHUB_RUN_ATTEMPT: '1',
        RUNNER_TEMP: join(fixture.root, 'runner-temp'),
        SERVICE_PORT: String(port),
        SERVICE_STATE_DIR: stateDir,
        ...options.env,
      };
      await mkdir(env.RUNNER_TEMP, { recursive: true });
      const inputs = {
        'deploy-command': 'bash deploy.sh',
        'health-url': `${service.url}/health`,
        ...FAST_HEALTH,
        ...options.inputs,
      };
      const common = { inputs, env, githubToken: TOKEN, ...(options.nodeBinary ? { nodeBinary: options.nodeBinary } : {}) };
      const jobEnvironment = options.jobEnvironment ?? (inputs as Record<string, string>).environment ?? 'production';
      const job =
        jobEnvironment === false
          ? undefined
          : github.startJobDeployment({
              actor: (env as Record<string, string>).GITHUB_ACTOR ?? 'octocat',
              sha,
              ref: 'main',
              environment: jobEnvironment,
              jobUrl: `https://github.com/${repository}/actions/runs/${env.GITHUB_RUN_ID}/job/${env.GITHUB_RUN_ID}01`,
            });
      const main = await runAction({
        ...common,
        entry: join(distDir, 'index.js'),
        timeoutMs: options.timeoutMs ?? 60_000,
        ...(options.signals ? { signals: options.signals } : {}),
        ...options.mainStep,
      });
      const before = github.requests.length;
      const post = await runAction({
        ...common,
        entry: join(distDir, 'post.js'),
        state: main.state,
        timeoutMs: options.postTimeoutMs ?? 30_000,
        ...options.postStep,
      });
      job?.finish(main.signalsSent.length > 0 ? 'cancelled' : main.exitCode === 0 && post.exitCode === 0 ? 'success' : 'failure');
      return { main, post, runId: env.GITHUB_RUN_ID, sha, postRequests: github.requests.slice(before), ...(job ? { jobDeploymentId: job.id } : {}) };
    },
    async tagSha(name) {
      try {
        return await fixture.git(['rev-parse', '--verify', `refs/tags/${name}^{commit}`], fixture.bare);
      } catch {
        return undefined;
      }
    },
    async close() {
      await service.stop().catch(() => {});
      if (!options.github) await github.close().catch(() => {});
      await fixture.cleanup();
    },
  };
}

/**
 * Resolves once `path` exists (polling every 50 ms); rejects after `timeoutMs`. For
 * `signals: [{ signal: 'SIGINT', afterMs: 0, after: fileExists(pidFile) }]`: cancel once the
 * deploy command has started.
 */
export function fileExists(path: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      access(path).then(resolve, () => {
        if (Date.now() >= deadline) reject(new Error(`${path} did not appear within ${timeoutMs} ms`));
        else setTimeout(poll, 50).unref();
      });
    };
    poll();
  });
}
