import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

/** A bare "origin" repository plus a clone of it that plays GITHUB_WORKSPACE. */
export interface GitFixture {
  /** Temp dir holding everything; `cleanup()` removes it. */
  root: string;
  /** Bare origin repository (`git init --bare -b main`). */
  bare: string;
  /** Clone of `bare` on branch main, origin = `bare`. */
  work: string;
  /**
   * Writes `files` (paths relative to `work`) into `work`, commits everything,
   * pushes to origin main and returns the new commit sha. Files whose content
   * starts with `#!` are made executable.
   */
  commitVersion(files: Record<string, string>, message: string): Promise<string>;
  /** Runs `git <args>` in `cwd` (default `work`) and returns trimmed stdout. */
  git(args: string[], cwd?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export const FIXTURE_AUTHOR = { name: 'Fixture Bot', email: 'fixture-bot@example.test' } as const;

/**
 * Environment for git commands run by the fixture: the caller's environment
 * minus anything GIT_* (a test started from a git hook would otherwise talk to
 * the wrong repository), with system and global config switched off and a
 * fixed identity.
 */
export function isolatedGitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: FIXTURE_AUTHOR.name,
    GIT_AUTHOR_EMAIL: FIXTURE_AUTHOR.email,
    GIT_COMMITTER_NAME: FIXTURE_AUTHOR.name,
    GIT_COMMITTER_EMAIL: FIXTURE_AUTHOR.email,
  };
}

/** `execFile('git', args)` with the isolated environment; trimmed stdout, stderr in the error. */
export async function runGit(args: string[], cwd: string): Promise<string> {
  return new Promise<string>((resolvePromise, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: isolatedGitEnv(), maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const detail = String(stderr).trim() || String(stdout).trim();
          reject(new Error(`git ${args.join(' ')} (in ${cwd}) failed: ${error.message}${detail ? `\n${detail}` : ''}`));
          return;
        }
        resolvePromise(String(stdout).trim());
      },
    );
  });
}

export async function createGitFixture(): Promise<GitFixture> {
  // realpath: on macOS the temp dir is behind a symlink, and git reports real paths.
  const root = await realpath(await mkdtemp(join(tmpdir(), 'deploy-guard-git-')));
  const bare = join(root, 'origin.git');
  const work = join(root, 'work');
  const identity = ['-c', `user.name=${FIXTURE_AUTHOR.name}`, '-c', `user.email=${FIXTURE_AUTHOR.email}`];

  const git = (args: string[], cwd: string = work): Promise<string> => runGit(args, cwd);

  try {
    await git(['init', '--quiet', '--bare', '-b', 'main', bare], root);
    await git(['-c', 'init.defaultBranch=main', 'clone', '--quiet', bare, work], root);
    // Cloning an empty repository does not always take over the remote's HEAD.
    await git(['symbolic-ref', 'HEAD', 'refs/heads/main']);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }

  let pushedOnce = false;

  const commitVersion = async (files: Record<string, string>, message: string): Promise<string> => {
    for (const [relativePath, content] of Object.entries(files)) {
      const target = resolve(work, relativePath);
      if (!target.startsWith(work + sep)) {
        throw new Error(`commitVersion: ${relativePath} is outside the work tree`);
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
      await chmod(target, content.startsWith('#!') ? 0o755 : 0o644);
    }
    await git(['add', '--all']);
    await git([...identity, 'commit', '--quiet', '--allow-empty', '-m', message]);
    await git(pushedOnce ? ['push', '--quiet', 'origin', 'main'] : ['push', '--quiet', '-u', 'origin', 'main']);
    pushedOnce = true;
    return git(['rev-parse', 'HEAD']);
  };

  const cleanup = async (): Promise<void> => {
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  };

  return { root, bare, work, commitVersion, git, cleanup };
}
