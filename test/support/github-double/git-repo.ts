// The bare repository behind the double, driven through the git CLI (argument arrays only).
import { execFile } from 'node:child_process';

export type GitObjectType = 'commit' | 'tag' | 'tree' | 'blob';

export interface GitRef {
  /** Full name, e.g. 'refs/tags/v1'. */
  name: string;
  sha: string;
  type: GitObjectType;
}

export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

export interface GitTag {
  sha: string;
  name: string;
  object: { sha: string; type: GitObjectType };
  tagger: GitPerson;
  message: string;
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

const ZERO_SHA = '0000000000000000000000000000000000000000';
const FULL_SHA = /^[0-9a-f]{40}$/;

/** The identity the double commits as when GitHub would (auto-merge on deployment). */
const GITHUB_IDENTITY = { name: 'GitHub', email: 'noreply@github.com' };

export class GitRepo {
  constructor(readonly gitDir: string) {}

  private run(args: string[], env: Record<string, string> = {}): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        [`--git-dir=${this.gitDir}`, ...args],
        { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env } },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') {
            reject(error);
            return;
          }
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
        },
      );
    });
  }

  private async ok(args: string[], env?: Record<string, string>): Promise<string> {
    const result = await this.run(args, env);
    if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
    return result.stdout;
  }

  async assertBare(): Promise<void> {
    const out = await this.ok(['rev-parse', '--is-bare-repository']);
    if (out.trim() !== 'true') throw new Error(`${this.gitDir} is not a bare git repository`);
  }

  /** All refs (not HEAD), sorted by name. */
  async listRefs(): Promise<GitRef[]> {
    const out = await this.ok(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(objecttype)']);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name = '', sha = '', type = ''] = line.split('\0');
        return { name, sha, type: type as GitObjectType };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async readRef(name: string): Promise<GitRef | undefined> {
    return (await this.listRefs()).find((ref) => ref.name === name);
  }

  /** The type of a full 40-hex object id, or undefined when the object is not in the repository. */
  async objectType(sha: string): Promise<GitObjectType | undefined> {
    if (!FULL_SHA.test(sha)) return undefined;
    const result = await this.run(['cat-file', '-t', sha]);
    return result.code === 0 ? (result.stdout.trim() as GitObjectType) : undefined;
  }

  /** Resolves a revision (branch, tag, sha or abbreviated sha) to a commit sha. */
  async resolveCommit(revision: string): Promise<string | undefined> {
    if (revision === '' || revision.startsWith('-')) return undefined;
    const result = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.run(['merge-base', '--is-ancestor', ancestor, descendant]);
    if (result.code > 1) throw new Error(`git merge-base failed: ${result.stderr.trim()}`);
    return result.code === 0;
  }

  async isValidRefName(name: string): Promise<boolean> {
    return (await this.run(['check-ref-format', name])).code === 0;
  }

  /** Creates a ref that must not exist yet. Returns false if it exists by now. */
  async createRef(name: string, sha: string): Promise<boolean> {
    return (await this.run(['update-ref', '--no-deref', name, sha, ZERO_SHA])).code === 0;
  }

  /** Moves a ref from `oldSha` to `sha`. Returns false if it no longer points at `oldSha`. */
  async updateRef(name: string, sha: string, oldSha: string): Promise<boolean> {
    return (await this.run(['update-ref', '--no-deref', name, sha, oldSha])).code === 0;
  }

  async deleteRef(name: string, oldSha: string): Promise<boolean> {
    return (await this.run(['update-ref', '--no-deref', '-d', name, oldSha])).code === 0;
  }

  /** The branch HEAD names ('main'), or 'main' when HEAD is unset or detached. */
  async defaultBranch(): Promise<string> {
    const result = await this.run(['symbolic-ref', '--quiet', '--short', 'HEAD']);
    return result.code === 0 && result.stdout.trim() ? result.stdout.trim() : 'main';
  }

  async commit(sha: string): Promise<GitCommit | undefined> {
    const result = await this.run(['show', '-s', '--format=%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B', sha, '--']);
    if (result.code !== 0) return undefined;
    const [hash = '', tree = '', parents = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', ...message] =
      result.stdout.split('\0');
    return {
      sha: hash,
      tree,
      parents: parents.split(' ').filter(Boolean),
      author: { name: an, email: ae, date: toUtc(ad) },
      committer: { name: cn, email: ce, date: toUtc(cd) },
      message: message.join('\0').replace(/\n+$/, ''),
    };
  }

  /** An annotated tag object, or undefined when `sha` is not one. */
  async tag(sha: string): Promise<GitTag | undefined> {
    if ((await this.objectType(sha)) !== 'tag') return undefined;
    const raw = await this.ok(['cat-file', 'tag', sha]);
    const split = raw.indexOf('\n\n');
    const header = split < 0 ? raw : raw.slice(0, split);
    const message = split < 0 ? '' : raw.slice(split + 2);
    const fields = new Map<string, string>();
    for (const line of header.split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0 && !fields.has(line.slice(0, space))) fields.set(line.slice(0, space), line.slice(space + 1));
    }
    const tagger = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(fields.get('tagger') ?? '');
    return {
      sha,
      name: fields.get('tag') ?? '',
      object: { sha: fields.get('object') ?? '', type: (fields.get('type') ?? 'commit') as GitObjectType },
      tagger: {
        name: tagger?.[1] ?? '',
        email: tagger?.[2] ?? '',
        date: tagger ? new Date(Number(tagger[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : '',
      },
      // GitHub shows the message without a signature block.
      message: message.replace(/-----BEGIN PGP SIGNATURE-----[\s\S]*$/, ''),
    };
  }

  /**
   * Merges commit `theirs` into branch `branchRef` with a merge commit, as GitHub's
   * auto-merge does. Returns the new sha, or undefined on a conflict.
   */
  async mergeIntoBranch(branchRef: string, ours: string, theirs: string, message: string): Promise<string | undefined> {
    const merged = await this.run(['merge-tree', '--write-tree', '--no-messages', ours, theirs]);
    if (merged.code === 1) return undefined;
    if (merged.code !== 0) throw new Error(`git merge-tree failed: ${merged.stderr.trim()}`);
    const tree = merged.stdout.split('\n')[0]?.trim() ?? '';
    const env = {
      GIT_AUTHOR_NAME: GITHUB_IDENTITY.name,
      GIT_AUTHOR_EMAIL: GITHUB_IDENTITY.email,
      GIT_COMMITTER_NAME: GITHUB_IDENTITY.name,
      GIT_COMMITTER_EMAIL: GITHUB_IDENTITY.email,
    };
    const sha = (await this.ok(['commit-tree', tree, '-p', ours, '-p', theirs, '-m', message], env)).trim();
    return (await this.updateRef(branchRef, sha, ours)) ? sha : undefined;
  }
}

function toUtc(isoWithOffset: string): string {
  const ms = Date.parse(isoWithOffset);
  return Number.isNaN(ms) ? isoWithOffset : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
