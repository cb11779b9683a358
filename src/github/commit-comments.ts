// Comments on a commit: where a deploy's warnings go, since GitHub deployments take no comments
// (docs/github-behaviours.md, item 27). Needs contents: write, which deploy-guard has for its tags.
import { call, type GitHubClient, type Repo } from './client.ts';

/** Comments on `sha`; the comment's web address. */
export async function commentOnCommit(gh: GitHubClient, repo: Repo, sha: string, body: string): Promise<string> {
  const { data } = await call(`POST /commits/${sha}/comments`, () => gh.request('POST /repos/{owner}/{repo}/commits/{commit_sha}/comments', { ...repo, commit_sha: sha, body }));
  return data.html_url;
}
