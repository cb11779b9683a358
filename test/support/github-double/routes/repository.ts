// The repository itself, its commits (read from git) and the rate-limit status.
import { notFound, unprocessable } from '../errors.ts';
import type { GitCommit } from '../git-repo.ts';
import { json, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';

const DOCS = {
  repo: 'https://docs.github.com/rest/repos/repos#get-a-repository',
  commit: 'https://docs.github.com/rest/commits/commits#get-a-commit',
  rateLimit: 'https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user',
};

async function repositoryJson(model: RepoModel): Promise<Record<string, unknown>> {
  const api = model.repoApiUrl;
  const defaultBranch = await model.git.defaultBranch();
  const openIssues = model.state.issues.filter((issue) => issue.state === 'open').length;
  const now = model.now();
  return {
    id: model.repoId,
    node_id: `R_kgDO${Buffer.from(String(model.repoId)).toString('base64url')}`,
    name: model.repo,
    full_name: `${model.owner}/${model.repo}`,
    private: false,
    owner: model.users.user(model.owner),
    html_url: model.repoHtmlUrl,
    description: null,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: model.createdAt,
    updated_at: now,
    pushed_at: now,
    git_url: `git://github.com/${model.owner}/${model.repo}.git`,
    ssh_url: `git@github.com:${model.owner}/${model.repo}.git`,
    clone_url: `${model.repoHtmlUrl}.git`,
    svn_url: model.repoHtmlUrl,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: 'public',
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: defaultBranch,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    network_count: 0,
    subscribers_count: 0,
  };
}

/** A commit as GitHub's commit endpoints show it (the `commit` schema, without stats and files). */
export function commitJson(model: RepoModel, commit: GitCommit): Record<string, unknown> {
  const api = model.repoApiUrl;
  return {
    sha: commit.sha,
    node_id: `C_kwDO${Buffer.from(`${model.repoId}:${commit.sha}`).toString('base64url')}`,
    commit: {
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      url: `${api}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: `${model.repoHtmlUrl}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    // Git identities here belong to no GitHub account, for which GitHub answers null.
    author: null,
    committer: null,
    parents: commit.parents.map((parent) => ({
      sha: parent,
      url: `${api}/commits/${parent}`,
      html_url: `${model.repoHtmlUrl}/commit/${parent}`,
    })),
  };
}

/** GitHub's ref argument for commits: sha, branch, tag, or heads/X, tags/X, refs/... */
export async function resolveCommitRef(model: RepoModel, ref: string): Promise<string | undefined> {
  const candidates = [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`, ref];
  for (const name of candidates) {
    const found = await model.git.readRef(name);
    if (found) return model.git.resolveCommit(found.sha);
  }
  return /^[0-9a-f]{7,40}$/i.test(ref) ? model.git.resolveCommit(ref.toLowerCase()) : undefined;
}

export function repositoryRoutes(model: RepoModel): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo',
      docs: DOCS.repo,
      handler: async () => json(200, await repositoryJson(model)),
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/commits/*ref',
      docs: DOCS.commit,
      handler: async ({ params }) => {
        const ref = params.ref ?? '';
        if (ref === '') throw notFound(DOCS.commit);
        const sha = await resolveCommitRef(model, ref);
        const commit = sha ? await model.git.commit(sha) : undefined;
        if (!commit) throw unprocessable(`No commit found for SHA: ${ref}`, DOCS.commit);
        return json(200, commitJson(model, commit));
      },
    },
    {
      method: 'GET',
      pattern: '/rate_limit',
      docs: DOCS.rateLimit,
      handler: () => {
        const core = model.rateLimit.snapshot();
        const reset = core.reset;
        const other = (limit: number, resource: string) => ({ limit, used: 0, remaining: limit, reset, resource });
        const coreJson = { limit: core.limit, used: core.used, remaining: core.remaining, reset, resource: 'core' };
        return json(200, {
          resources: {
            core: coreJson,
            search: other(30, 'search'),
            graphql: other(5000, 'graphql'),
            integration_manifest: other(5000, 'integration_manifest'),
            source_import: other(100, 'source_import'),
            code_scanning_upload: other(1000, 'code_scanning_upload'),
            actions_runner_registration: other(10000, 'actions_runner_registration'),
            scim: other(15000, 'scim'),
            dependency_snapshots: other(100, 'dependency_snapshots'),
            code_search: other(10, 'code_search'),
          },
          rate: coreJson,
        });
      },
    },
  ];
}
