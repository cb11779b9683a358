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

/** One changed file between two commits (`git diff --raw` plus `--numstat` plus its hunks). */
export interface GitFileChange {
  /** git's status letter: A(dded), D(eleted), M(odified), R(enamed), C(opied), T(ype changed). */
  status: 'A' | 'D' | 'M' | 'R' | 'C' | 'T';
  path: string;
  /** The source path of a rename or copy. */
  previousPath?: string;
  oldBlob: string;
  newBlob: string;
  /** 0 for a binary file, as GitHub counts it. */
  additions: number;
  deletions: number;
  /** The hunks, from the first '@@' on; absent for a binary file or a change without hunks. */
  patch?: string;
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

  /** The tree id of `path` in commit `sha`, or undefined when the commit has no such directory. */
  async treeAt(sha: string, path: string): Promise<string | undefined> {
    const result = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${sha}:${path}`]);
    return result.code === 0 ? result.stdout.trim() : undefined;
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
    const result = await this.run(['show', '-s', `--format=${COMMIT_FORMAT}`, sha, '--']);
    if (result.code !== 0) return undefined;
    const [hash = '', tree = '', parents = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', ...message] =
      result.stdout.split('\0');
    return toCommit([hash, tree, parents, an, ae, ad, cn, ce, cd, message.join('\0')]);
  }

  /** Several commits by full sha, in the order given (repeats included), read with one git process. */
  async commits(shas: readonly string[]): Promise<GitCommit[]> {
    if (shas.length === 0) return [];
    if (!shas.every((sha) => FULL_SHA.test(sha))) throw new Error(`commits: not full shas: ${shas.join(' ')}`);
    // git log shows a commit named twice once; -z ends each record with NUL, and as a commit
    // message holds no NUL, every record is exactly COMMIT_FIELDS fields.
    const out = await this.ok(['log', '-z', '--no-walk=unsorted', `--format=${COMMIT_FORMAT}`, ...new Set(shas), '--']);
    const fields = out.split('\0');
    const bySha = new Map<string, GitCommit>();
    for (let i = 0; i + COMMIT_FIELDS <= fields.length; i += COMMIT_FIELDS) {
      const commit = toCommit(fields.slice(i, i + COMMIT_FIELDS));
      bySha.set(commit.sha, commit);
    }
    return shas.map((sha) => {
      const commit = bySha.get(sha);
      if (!commit) throw new Error(`commits: ${sha} is not a commit`);
      return commit;
    });
  }

  /** `git merge-base a b`: the best common ancestor, or undefined when the histories are unrelated. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const result = await this.run(['merge-base', '--end-of-options', a, b]);
    if (result.code > 1) throw new Error(`git merge-base failed: ${result.stderr.trim()}`);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  /**
   * Commits reachable from `head` but not from `exclude` (`git log exclude..head`), oldest first:
   * date order reversed, so a parent always comes before its children.
   */
  async revList(head: string, exclude: string): Promise<string[]> {
    const out = await this.ok(['rev-list', '--date-order', '--reverse', '--end-of-options', head, `^${exclude}`]);
    return out.split('\n').filter(Boolean);
  }

  /** How many commits `git rev-list --count exclude..head` finds. */
  async countCommits(head: string, exclude: string): Promise<number> {
    return Number((await this.ok(['rev-list', '--count', '--end-of-options', head, `^${exclude}`])).trim());
  }

  /** The files that differ between two commits, with renames detected, in git's (path) order. */
  async diff(from: string, to: string): Promise<GitFileChange[]> {
    // Flags that keep user or system config (external diff tools, colour, textconv) out of the output.
    const common = ['diff', '--no-ext-diff', '--no-color', '--no-textconv', '-M'];
    const raw = (await this.ok([...common, '--raw', '-z', '--no-abbrev', '--end-of-options', from, to])).split('\0');
    const numstat = (await this.ok([...common, '--numstat', '-z', '--end-of-options', from, to])).split('\0');
    const patches = splitPatch(await this.ok([...common, '--patch', '--end-of-options', from, to]));

    const changes: GitFileChange[] = [];
    let r = 0;
    let n = 0;
    let p = 0;
    while (r < raw.length && raw[r]!.startsWith(':')) {
      // ':<old mode> <new mode> <old blob> <new blob> <status letter><score>' NUL path [NUL new path]
      const [, , oldBlob = '', newBlob = '', statusField = ''] = raw[r]!.slice(1).split(' ');
      const status = statusField.charAt(0) as GitFileChange['status'];
      const twoPaths = status === 'R' || status === 'C';
      const first = raw[r + 1] ?? '';
      const second = twoPaths ? (raw[r + 2] ?? '') : undefined;
      r += twoPaths ? 3 : 2;

      // '<added>\t<deleted>\t<path>' NUL, or for a rename '<added>\t<deleted>\t' NUL old NUL new NUL; '-' for binary.
      const [added = '0', deleted = '0'] = (numstat[n] ?? '').split('\t');
      n += twoPaths ? 3 : 1;
      // A type change (file <-> symlink) is two files in a patch: a deletion and an addition.
      const patch = status === 'T' ? undefined : patches[p];
      p += status === 'T' ? 2 : 1;
      changes.push({
        status,
        path: second ?? first,
        ...(second !== undefined ? { previousPath: first } : {}),
        oldBlob,
        newBlob,
        additions: added === '-' ? 0 : Number(added),
        deletions: deleted === '-' ? 0 : Number(deleted),
        ...(patch ? { patch } : {}),
      });
    }
    return changes;
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

const COMMIT_FORMAT = '%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B';
const COMMIT_FIELDS = 10;

function toCommit(fields: string[]): GitCommit {
  const [hash = '', tree = '', parents = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', message = ''] = fields;
  return {
    sha: hash,
    tree,
    parents: parents.split(' ').filter(Boolean),
    author: { name: an, email: ae, date: toUtc(ad) },
    committer: { name: cn, email: ce, date: toUtc(cd) },
    message: message.replace(/\n+$/, ''),
  };
}

/**
 * The hunks of each file of a `git diff --patch`, in file order ('' for a file without hunks).
 * Only a file header starts a line with 'diff --git ': hunk lines start with ' ', '+', '-' or '\\'.
 */
function splitPatch(patch: string): string[] {
  const files = patch.split(/^diff --git /m).slice(1);
  return files.map((file) => {
    const hunks = file.search(/^@@ /m);
    return hunks < 0 ? '' : file.slice(hunks).replace(/\n$/, '');
  });
}

function toUtc(isoWithOffset: string): string {
  const ms = Date.parse(isoWithOffset);
  return Number.isNaN(ms) ? isoWithOffset : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
