// Who may do what: the repository role of a user.
import { apiError, statusOf, type GitHubClient, type Repo } from './client.ts';

/** The user's role name on the repository (admin, maintain, write, triage, read), or undefined if none. */
export async function repositoryRole(gh: GitHubClient, repo: Repo, username: string): Promise<string | undefined> {
  try {
    const { data } = await gh.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repo, username });
    return (data as { role_name?: string }).role_name ?? data.permission;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw apiError(`GET /collaborators/${username}/permission`, error);
  }
}
