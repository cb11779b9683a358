// What a request's token is and may do. GitHub's token formats carry their kind in a prefix:
// `ghs_` is a server-to-server token (GITHUB_TOKEN and GitHub App installation tokens), `ghp_`,
// `github_pat_`, `gho_` and `ghu_` act as a user (docs/github-behaviours.md). Any other token (the
// tests' 'test-token') is taken for an installation token, the identity deploy-guard runs with.
import { ApiError } from './errors.ts';
import type { RepoModel } from './model.ts';

export type TokenKind = 'installation' | 'user';

export function tokenKind(token: string): TokenKind {
  return /^(ghp_|github_pat_|gho_|ghu_)/.test(token) ? 'user' : 'installation';
}

/** Who a write with this token is made as: the bot of an installation token, or the personal token's user. */
export function actorOf(model: RepoModel, token: string): string {
  return tokenKind(token) === 'installation' ? model.users.botLogin : model.personalTokenUser;
}

const WORKFLOWS_DIR = '.github/workflows';

/**
 * GitHub refuses an integration token without the workflows permission a ref created or moved to
 * a commit whose `.github/workflows` differs from the default branch tip (403, naming the
 * permissions it would accept in `x-accepted-github-permissions`). A user token is assumed to
 * have the `workflow` scope.
 */
export async function assertMayPointRefAt(model: RepoModel, token: string, sha: string, docs: string): Promise<void> {
  if (tokenKind(token) !== 'installation' || model.workflowsPermission) return;
  const commit = await model.git.resolveCommit(sha);
  const branch = await model.git.defaultBranch();
  const tip = (await model.git.readRef(`refs/heads/${branch}`))?.sha;
  if (!commit || !tip) return;
  const [mine, theirs] = await Promise.all([model.git.treeAt(commit, WORKFLOWS_DIR), model.git.treeAt(tip, WORKFLOWS_DIR)]);
  if (mine === theirs) return;
  throw new ApiError(403, 'Resource not accessible by integration', docs, undefined, {
    'x-accepted-github-permissions': 'contents=write; contents=write,workflows=write',
  });
}
