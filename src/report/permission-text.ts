// What people read when GitHub refuses deploy-guard a write for want of a permission.
import { shortSha } from '../core/tag-names.ts';

/**
 * GitHub refuses an integration token a ref on a commit whose .github/workflows differ from the
 * default branch unless it has the workflows permission; GITHUB_TOKEN can never have it
 * (docs/github-behaviours.md), so the advice names only tokens that can.
 */
export function workflowsRefusalText(ref: string, sha: string): string {
  return (
    `GitHub refused to point ${ref} at ${shortSha(sha)}: that commit's .github/workflows differ from the default branch, ` +
    `and the token has no workflows permission (403, x-accepted-github-permissions: contents=write,workflows=write). ` +
    `Nothing else is affected: the deploy goes on, deploy-guard's deployments record which version passed its health window, ` +
    `and the tag catches up on the next run that can write it. To let deploy-guard write such tags, give github-token a ` +
    `GitHub App installation token whose app has the "Workflows: Read and write" permission (e.g. from actions/create-github-app-token) ` +
    `or a fine-grained personal access token with "Workflows: Read and write". GITHUB_TOKEN can never have this permission: ` +
    `adding it under permissions: does not work.`
  );
}
