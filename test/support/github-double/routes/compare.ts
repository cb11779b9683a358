// Comparing two commits, read from the bare repository: the commits of `git log BASE..HEAD` oldest
// first, how far each side is ahead, and the files of the three-dot diff (merge base to head).
import { ApiError, notFound } from '../errors.ts';
import type { GitFileChange } from '../git-repo.ts';
import { json, type RepoModel } from '../model.ts';
import { paginate, type Page } from '../pagination.ts';
import type { RouteDefinition } from '../router.ts';
import { commitJson, resolveCommitRef } from './repository.ts';

const DOCS = 'https://docs.github.com/rest/commits/commits#compare-two-commits';

/** Without per_page or page, GitHub lists the most recent 250 commits of the comparison. */
const UNPAGED_COMMITS = 250;
/** GitHub lists at most 300 changed files for the whole comparison. */
const MAX_FILES = 300;

const FILE_STATUS: Record<GitFileChange['status'], string> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** One side of `basehead`: a ref, or `owner:ref` (only this repository's owner: the double has no forks). */
function splitSide(side: string): { owner?: string; ref: string } {
  // A ':' cannot occur in a git ref name, so it always separates the owner.
  const colon = side.indexOf(':');
  return colon < 0 ? { ref: side } : { owner: side.slice(0, colon), ref: side.slice(colon + 1) };
}

function encodeSide(side: string): string {
  const { owner, ref } = splitSide(side);
  return owner === undefined ? encodePath(ref) : `${encodeURIComponent(owner)}:${encodePath(ref)}`;
}

async function resolveSide(model: RepoModel, side: string): Promise<string | undefined> {
  const { owner, ref } = splitSide(side);
  if (owner !== undefined && owner.toLowerCase() !== model.owner.toLowerCase()) return undefined;
  return ref === '' ? undefined : resolveCommitRef(model, ref);
}

function fileJson(model: RepoModel, change: GitFileChange, baseSha: string, headSha: string): Record<string, unknown> {
  // A removed file is shown as it was at the merge base.
  const removed = change.status === 'D';
  const ref = removed ? baseSha : headSha;
  const path = encodePath(change.path);
  return {
    sha: removed ? change.oldBlob : change.newBlob,
    filename: change.path,
    status: FILE_STATUS[change.status],
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${model.repoHtmlUrl}/blob/${ref}/${path}`,
    raw_url: `${model.repoHtmlUrl}/raw/${ref}/${path}`,
    contents_url: `${model.repoApiUrl}/contents/${path}?ref=${ref}`,
    ...(change.patch !== undefined ? { patch: change.patch } : {}),
    ...(change.previousPath !== undefined ? { previous_filename: change.previousPath } : {}),
  };
}

export function compareRoutes(model: RepoModel): RouteDefinition[] {
  const { git } = model;
  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/compare/*basehead',
      docs: DOCS,
      handler: async ({ params, query, path }) => {
        // Only BASE...HEAD is documented; git ref names cannot contain '..', so the split is unambiguous.
        const basehead = params.basehead ?? '';
        const dots = basehead.indexOf('...');
        if (dots < 0) throw notFound(DOCS);
        const baseName = basehead.slice(0, dots);
        const headName = basehead.slice(dots + 3);
        const base = await resolveSide(model, baseName);
        const head = await resolveSide(model, headName);
        if (!base || !head) throw notFound(DOCS);
        const mergeBase = await git.mergeBase(base, head);
        if (!mergeBase) throw new ApiError(404, `No common ancestor between ${baseName} and ${headName}.`, DOCS);

        const ahead = await git.revList(head, base);
        const behindBy = await git.countCommits(base, head);
        const status =
          ahead.length === 0 && behindBy === 0 ? 'identical' : behindBy === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged';

        // Paged (per_page or page given): pages of the list from the oldest commit on, the files on
        // page 1 only. Unpaged: the most recent 250 commits, still oldest first.
        const paged = query.per_page !== undefined || query.page !== undefined;
        const page: Page<string> = paged ? paginate(ahead, query, `${model.apiBase}${path}`) : { items: ahead.slice(-UNPAGED_COMMITS) };
        const firstPage = !(/^\d+$/.test(query.page ?? '') && Number(query.page) > 1);
        const [baseCommit, mergeBaseCommit, ...listed] = await git.commits([base, mergeBase, ...page.items]);
        const files = firstPage ? (await git.diff(mergeBase, head)).slice(0, MAX_FILES) : undefined;

        const shown = `${encodeSide(baseName)}...${encodeSide(headName)}`;
        const html = `${model.repoHtmlUrl}/compare/${shown}`;
        return json(
          200,
          {
            url: `${model.repoApiUrl}/compare/${shown}`,
            html_url: html,
            permalink_url: `${model.repoHtmlUrl}/compare/${model.owner}:${base}...${model.owner}:${head}`,
            diff_url: `${html}.diff`,
            patch_url: `${html}.patch`,
            base_commit: commitJson(model, baseCommit!),
            merge_base_commit: commitJson(model, mergeBaseCommit!),
            status,
            ahead_by: ahead.length,
            behind_by: behindBy,
            total_commits: ahead.length,
            commits: listed.map((commit) => commitJson(model, commit)),
            ...(files ? { files: files.map((change) => fileJson(model, change, mergeBase, head)) } : {}),
          },
          page.link ? { link: page.link } : undefined,
        );
      },
    },
  ];
}
