// Local git: the workspace's HEAD and a worktree of the rollback target. Argument arrays only.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class Git {
  constructor(private readonly cwd: string) {}

  private async git(args: string[], cwd = this.cwd): Promise<string> {
    try {
      const { stdout } = await run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
      return stdout.trim();
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`git ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`, { cause: error });
    }
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
