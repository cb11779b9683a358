// One deploy-guard world for end-to-end tests and the demo: a bare origin and its clone, the
// GitHub API double over that origin, and the test service the repo's deploy.sh starts.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGitFixture, type GitFixture } from './git-fixture.ts';
import { startGitHubDouble, type GitHubDouble } from './github-double/index.ts';
import { runAction, type ActionRun } from './runner.ts';
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
}

export interface Scenario {
  fixture: GitFixture;
  github: GitHubDouble;
  service: ServiceControl;
  stateDir: string;
  /** Commits a version of the service (and deploy.sh) and returns its sha. */
  commit(version: ServiceVersion): Promise<string>;
  /** Runs the action's main step then its post step, as one job step on the runner. */
  deploy(options?: { inputs?: Record<string, string>; env?: Record<string, string>; nodeBinary?: string; timeoutMs?: number }): Promise<DeployRun>;
  /** The commit a tag points at in the origin, or undefined. */
  tagSha(name: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function startScenario(): Promise<Scenario> {
  const fixture = await createGitFixture();
  const github = await startGitHubDouble({ bareRepoPath: fixture.bare, owner: 'acme', repo: 'shop' });
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
        GITHUB_REPOSITORY: 'acme/shop',
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
      const main = await runAction({ ...common, entry: join(REPO_ROOT, 'dist/index.js'), timeoutMs: options.timeoutMs ?? 60_000 });
      const post = await runAction({ ...common, entry: join(REPO_ROOT, 'dist/post.js'), state: main.state, timeoutMs: 30_000 });
      return { main, post };
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
      await github.close().catch(() => {});
      await fixture.cleanup();
    },
  };
}
