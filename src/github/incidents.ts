// Incident issues: the gate reads them, a failed deploy opens one.
import type { IssueSummary } from '../core/gate-decision.ts';
import type { IncidentRef } from '../core/outcome.ts';
import type { Endpoints } from '@octokit/types';
import { call, statusOf, apiError, type GitHubClient, type Repo } from './client.ts';
import { createOnce, NO_RETRY } from './create-once.ts';

export async function listOpenLabeledIssues(gh: GitHubClient, repo: Repo, label: string): Promise<IssueSummary[]> {
  const issues = await call('GET /issues', () =>
    gh.paginate('GET /repos/{owner}/{repo}/issues', { ...repo, state: 'open', labels: label, per_page: 100 }),
  );
  return issues.map(toSummary);
}

/** The fields read from a listed issue (the paginate and request typings differ in the rest). */
type ListedIssue = Pick<Endpoints['GET /repos/{owner}/{repo}/issues']['response']['data'][number], 'number' | 'title' | 'html_url' | 'body' | 'pull_request' | 'user'>;

function toSummary(issue: ListedIssue): IssueSummary {
  return {
    number: issue.number,
    title: issue.title,
    htmlUrl: issue.html_url,
    body: issue.body ?? '',
    isPullRequest: Boolean(issue.pull_request),
    author: { login: issue.user?.login ?? '', type: issue.user?.type ?? '' },
  };
}

/** The most recently updated closed issues with the label, at most `limit` (one request). */
export async function listRecentlyClosedLabeledIssues(gh: GitHubClient, repo: Repo, label: string, limit: number): Promise<IssueSummary[]> {
  const { data } = await call('GET /issues', () =>
    gh.request('GET /repos/{owner}/{repo}/issues', { ...repo, state: 'closed', labels: label, sort: 'updated', direction: 'desc', per_page: limit }),
  );
  return data.map(toSummary);
}

/** Who closed an issue (the list endpoint does not say). */
export async function closedBy(gh: GitHubClient, repo: Repo, issueNumber: number): Promise<string | undefined> {
  const { data } = await call(`GET /issues/${issueNumber}`, () => gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: issueNumber }));
  return data.closed_by?.login;
}

const ownLogins = new WeakMap<GitHubClient, Promise<string | undefined>>();

/**
 * The login of the token's user, for personal tokens; undefined for installation tokens
 * (GITHUB_TOKEN, GitHub Apps), which act as bots and cannot read /user. Asked once per client.
 */
export function ownLogin(gh: GitHubClient): Promise<string | undefined> {
  let login = ownLogins.get(gh);
  if (!login) {
    login = gh.request('GET /user').then(
      ({ data }) => data.login,
      (error: unknown) => {
        // Installation tokens are refused /user (403), and some servers do not have it (404).
        // Anything else means the identity is unknown, and the gate must not guess: fail closed.
        const status = statusOf(error);
        if (status === 401 || status === 403 || status === 404) return undefined;
        ownLogins.delete(gh);
        throw apiError('GET /user', error);
      },
    );
    ownLogins.set(gh, login);
  }
  return login;
}

/** Creates the incident label with a colour people notice; an existing label is left as it is. */
export async function ensureLabel(gh: GitHubClient, repo: Repo, label: string): Promise<void> {
  try {
    await gh.request('POST /repos/{owner}/{repo}/labels', {
      ...repo,
      name: label,
      color: 'b60205',
      description: 'deploy-guard: deploys to an environment are blocked while this is open',
    });
  } catch (error) {
    if (statusOf(error) === 422) return; // already exists
    throw apiError('POST /labels', error);
  }
}

/** `find` looks for the issue this call would have made, in case a failed POST did make it. */
export async function openIssue(
  gh: GitHubClient,
  repo: Repo,
  issue: { title: string; body: string; label: string },
  find: () => Promise<IncidentRef | undefined>,
): Promise<IncidentRef> {
  return createOnce(
    'POST /issues',
    async () => {
      const { data } = await gh.request('POST /repos/{owner}/{repo}/issues', { ...repo, title: issue.title, body: issue.body, labels: [issue.label], ...NO_RETRY });
      return { number: data.number, url: data.html_url };
    },
    find,
  );
}

/** Adds a comment unless one carrying `marker` is already there (a failed POST that did happen). */
export async function commentOnIssue(gh: GitHubClient, repo: Repo, issueNumber: number, body: string, marker: string): Promise<void> {
  await createOnce(
    `POST /issues/${issueNumber}/comments`,
    async () => {
      await gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber, body, ...NO_RETRY });
      return true;
    },
    async () => {
      const comments = await gh.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber, per_page: 100 });
      return comments.some((c) => c.body?.includes(marker)) ? true : undefined;
    },
  );
}

/** Closes an issue that duplicates another, saying which. PATCH is idempotent: retries are safe. */
export async function closeAsDuplicate(gh: GitHubClient, repo: Repo, issueNumber: number, originalUrl: string): Promise<void> {
  await call(`POST /issues/${issueNumber}/comments`, () =>
    gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber, body: `Duplicate of ${originalUrl}, opened at the same time by another run; this failure was added there.` }),
  );
  await call(`PATCH /issues/${issueNumber}`, () => gh.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: issueNumber, state: 'closed', state_reason: 'not_planned' }));
}
