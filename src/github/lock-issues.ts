// The one issue write a lock needs beyond those of incidents (github/incidents.ts): closing its
// issue on unlock.
import { call, type GitHubClient, type Repo } from './client.ts';

/** Closes an issue as completed. PATCH is idempotent: retries are safe. */
export async function closeIssue(gh: GitHubClient, repo: Repo, issueNumber: number): Promise<void> {
  await call(`PATCH /issues/${issueNumber}`, () => gh.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: issueNumber, state: 'closed', state_reason: 'completed' }));
}
