// Who may do what: the repository role of a user.
import { baseRole, type PermissionAnswer } from '../core/repository-role.ts';
import { apiError, statusOf, type GitHubClient, type Repo } from './client.ts';

/**
 * The user's base role on the repository (admin, maintain, write, triage, read; a custom role as
 * the base role it includes), or undefined if none. Bots are no collaborators: GitHub answers 404.
 */
export async function repositoryRole(gh: GitHubClient, repo: Repo, username: string): Promise<string | undefined> {
  try {
    const { data } = await gh.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repo, username });
    return baseRole(data as PermissionAnswer);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw apiError(`GET /collaborators/${username}/permission`, error);
  }
}
