// Incident issues: the gate reads them, a failed deploy opens one.
import type { IssueSummary } from '../core/gate-decision.ts';
import type { IncidentRef } from '../core/outcome.ts';
import { call, statusOf, apiError, type GitHubClient, type Repo } from './client.ts';

export async function listOpenLabeledIssues(gh: GitHubClient, repo: Repo, label: string): Promise<IssueSummary[]> {
  const issues = await call('GET /issues', () =>
    gh.paginate(gh.rest.issues.listForRepo, { ...repo, state: 'open', labels: label, per_page: 100 }),
  );
  return issues.map((issue) => ({
    number: issue.number,
    title: issue.title,
    htmlUrl: issue.html_url,
    body: issue.body ?? '',
    isPullRequest: Boolean(issue.pull_request),
  }));
}

/** Creates the incident label with a colour people notice; an existing label is left as it is. */
export async function ensureLabel(gh: GitHubClient, repo: Repo, label: string): Promise<void> {
  try {
    await gh.rest.issues.createLabel({
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

export async function openIssue(
  gh: GitHubClient,
  repo: Repo,
  issue: { title: string; body: string; label: string },
): Promise<IncidentRef> {
  const { data } = await call('POST /issues', () =>
    gh.rest.issues.create({ ...repo, title: issue.title, body: issue.body, labels: [issue.label] }),
  );
  return { number: data.number, url: data.html_url };
}

export async function commentOnIssue(gh: GitHubClient, repo: Repo, issueNumber: number, body: string): Promise<void> {
  await call(`POST /issues/${issueNumber}/comments`, () => gh.rest.issues.createComment({ ...repo, issue_number: issueNumber, body }));
}
