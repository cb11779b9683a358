// Test helper: a temporary bare repository with a working clone and a few commits on main.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const IDENTITY = ['-c', 'user.name=t', '-c', 'user.email=t@example.com'];

export interface FixtureRepo {
  /** Temporary directory holding everything; removed by cleanup(). */
  root: string;
  /** The bare repository (what the double serves). */
  bare: string;
  /** A working clone with origin = bare. */
  clone: string;
  /** Commit shas on main, oldest first. */
  commits: string[];
  git(args: string[], cwd?: string): Promise<string>;
  /** Commits a file change in the clone on the current branch and pushes it; returns the sha. */
  commit(message: string, branch?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createFixtureRepo(commitCount = 2): Promise<FixtureRepo> {
  const root = await mkdtemp(join(tmpdir(), 'github-double-'));
  const bare = join(root, 'origin.git');
  const clone = join(root, 'work');
  const git = async (args: string[], cwd = clone): Promise<string> => (await run('git', args, { cwd })).stdout.trim();

  await git(['init', '--quiet', '--bare', '--initial-branch=main', bare], root);
  await git(['clone', '--quiet', bare, clone], root);
  await git(['checkout', '--quiet', '-B', 'main']);
  let counter = 0;
  const commit = async (message: string, branch = 'main'): Promise<string> => {
    counter += 1;
    await writeFile(join(clone, `file-${counter}.txt`), `${message}\n`);
    await git(['add', '.']);
    await git([...IDENTITY, 'commit', '--quiet', '-m', message]);
    await git(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
    return git(['rev-parse', 'HEAD']);
  };
  const commits: string[] = [];
  for (let i = 1; i <= commitCount; i += 1) commits.push(await commit(`commit ${i}`));
  return {
    root,
    bare,
    clone,
    commits,
    git,
    commit,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
