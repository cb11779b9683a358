// Local git: the workspace's HEAD and a worktree of the rollback target. Argument arrays only.
// git runs with hooks and fsmonitor off and a scrubbed environment: a deploy command can write
// hooks and config into .git, and whatever git then runs (a post-checkout hook, a smudge filter)
// must not see the token.
// Short commands that end on their own, so @actions/exec (which has no timeout) suits them.
import { getExecOutput } from '@actions/exec';

/**
 * The only variables git gets from the job's environment: where it finds itself and its config,
 * how it reaches the remote (proxies, CA bundles, an SSH agent), and the runner's config isolation.
 * Never INPUT_* (the token), GITHUB_TOKEN, ACTIONS_*, STATE_*, DEPLOY_ENV's variables, or
 * GIT_CONFIG_COUNT/KEY/VALUE (which may carry credentials).
 */
export const GIT_ENV_KEPT = [
  'PATH',
  'HOME',
  'TMPDIR',
  'XDG_CONFIG_HOME',
  'LANG',
  'LC_ALL',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_SYSTEM',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'SSH_AUTH_SOCK',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
] as const;

/** Turns off what git would run from the repository's own files: hooks, and an fsmonitor command. */
const SAFE_CONFIG = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];

/** The environment git runs with: only GIT_ENV_KEPT from `base`, and never a credential prompt. */
export function gitEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of GIT_ENV_KEPT) if (base[key] !== undefined) env[key] = base[key];
  // A fetch that needs credentials fails at once instead of waiting on a prompt no one answers.
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}

export class Git {
  private readonly env: NodeJS.ProcessEnv;

  /** `baseEnv`: the job's environment, of which git gets only GIT_ENV_KEPT. */
  constructor(
    private readonly cwd: string,
    baseEnv: NodeJS.ProcessEnv = process.env,
  ) {
    this.env = gitEnvironment(baseEnv);
  }

  private async git(args: string[], cwd = this.cwd): Promise<string> {
    const command = `git ${args.join(' ')}`;
    let result: { exitCode: number; stdout: string; stderr: string };
    try {
      // @actions/exec finds git on this process's PATH (the one gitEnvironment keeps) and runs it with `env` alone.
      result = await getExecOutput('git', [...SAFE_CONFIG, ...args], { cwd, env: this.env as Record<string, string>, silent: true, ignoreReturnCode: true });
    } catch (error) {
      throw new Error(`${command} failed: ${(error as Error).message}`, { cause: error });
    }
    if (result.exitCode !== 0) throw new Error(`${command} failed: ${(result.stderr.trim() || `exit code ${result.exitCode}`)}`);
    return result.stdout.trim();
  }

  headSha(): Promise<string> {
    return this.git(['rev-parse', '--verify', 'HEAD^{commit}']);
  }

  async hasCommit(sha: string): Promise<boolean> {
    try {
      await this.git(['cat-file', '-e', `${sha}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** Makes `sha` available locally: fetch the tag that names it, or the commit itself. */
  async fetchCommit(sha: string, tagRef: string): Promise<void> {
    if (await this.hasCommit(sha)) return;
    await this.git(['fetch', '--no-tags', '--quiet', 'origin', `+refs/${tagRef}:refs/deploy-guard/rollback-target`]);
    if (await this.hasCommit(sha)) return;
    // The tag moved between reading it and fetching it: ask for the commit by id.
    await this.git(['fetch', '--no-tags', '--quiet', 'origin', sha]);
  }

  async addWorktree(dir: string, sha: string): Promise<void> {
    await this.git(['worktree', 'add', '--detach', '--force', dir, sha]);
  }

  async removeWorktree(dir: string): Promise<void> {
    await this.git(['worktree', 'remove', '--force', dir]);
  }
}
