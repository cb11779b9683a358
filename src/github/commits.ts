// The commits between two versions, for the incident report: GitHub's compare API, one request.
import type { CommitLine, CommitRange } from '../report/report-facts.ts';
import { apiError, call, statusOf, type GitHubClient, type Repo } from './client.ts';

/** GitHub's page size limit: `per_page` above 100 is read as 100. */
const MAX_PER_PAGE = 100;

/**
 * The commits from `base` to `head` (`git log base..head`): how many there are, and the first
 * `shown` of them (at most 100), oldest first. Asking for a page makes GitHub list from the oldest
 * commit on; without paging parameters it would list the most recent 250 instead.
 */
export async function commitRange(gh: GitHubClient, repo: Repo, base: string, head: string, shown = 20): Promise<CommitRange> {
  const basehead = `${base}...${head}`;
  const { data } = await call(`GET /compare/${basehead}`, () =>
    gh.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
      ...repo,
      basehead,
      per_page: Math.min(Math.max(shown, 1), MAX_PER_PAGE),
      page: 1,
    }),
  );
  return {
    total: data.total_commits,
    shown: data.commits.slice(0, Math.max(shown, 0)).map(
      (c): CommitLine => ({
        sha: c.sha,
        title: c.commit.message.split('\n', 1)[0] ?? '',
        // The login when GitHub links the commit to an account; otherwise the git author's name.
        author: c.author?.login ?? c.commit.author?.name ?? 'unknown',
      }),
    ),
    // GitHub's own link (its schema requires it), so it points at GHES on GHES.
    compareUrl: data.html_url,
  };
}

/**
 * Whether `sha` and the default branch's tip may differ under .github/workflows/: files changed
 * there on either side of their merge base (GitHub's compare API, both ways). Tells GitHub's
 * refusal of a ref for want of the workflows permission from a token that lacks contents: write,
 * which answer alike (403, the same accepted permissions).
 */
export async function workflowsMayDiffer(gh: GitHubClient, repo: Repo, sha: string): Promise<boolean> {
  const branch = await defaultBranch(gh, repo);
  const touched = async (basehead: string) => {
    const { data } = await call(`GET /compare/${basehead}`, () => gh.request('GET /repos/{owner}/{repo}/compare/{basehead}', { ...repo, basehead }));
    return (data.files ?? []).some((f) => [f.filename, f.previous_filename].some((name) => name?.startsWith('.github/workflows/')));
  };
  const sides = await Promise.all([touched(`${sha}...${branch}`), touched(`${branch}...${sha}`)]);
  return sides.some(Boolean);
}

/** The repository's default branch (GitHub's answer, not an assumed `main`). */
export async function defaultBranch(gh: GitHubClient, repo: Repo): Promise<string> {
  const { data } = await call('GET /repos/{owner}/{repo}', () => gh.request('GET /repos/{owner}/{repo}', { ...repo }));
  return data.default_branch;
}

/** Whether the repository on GitHub has commit `sha`: GitHub answers 422 "No commit found for SHA" (or 404) when not. */
export async function hasCommit(gh: GitHubClient, repo: Repo, sha: string): Promise<boolean> {
  try {
    await gh.request('GET /repos/{owner}/{repo}/commits/{ref}', { ...repo, ref: sha });
    return true;
  } catch (error) {
    if (statusOf(error) === 422 || statusOf(error) === 404) return false;
    throw apiError(`GET /commits/${sha}`, error);
  }
}
