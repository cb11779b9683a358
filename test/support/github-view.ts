// What a person looking at the repository on GitHub would see, read through the API double.
import { Octokit } from '@octokit/rest';
import type { GitHubDouble } from './github-double/index.ts';
import { TOKEN } from './deploy-scenario.ts';

export interface DeploymentView {
  id: number;
  sha: string;
  environment: string;
  rollback: boolean;
  /** Login of who made it: github-actions[bot] for a job's environment deployment. */
  creator: string;
  /** Oldest first. */
  states: string[];
}

function ownPayload(payload: unknown): { rollback?: boolean } | undefined {
  const parsed = (typeof payload === 'string' ? JSON.parse(payload || '{}') : payload) as Record<string, { rollback?: boolean }> | null;
  return parsed?.['deploy-guard'];
}

export function githubView(github: GitHubDouble) {
  const octokit = new Octokit({ baseUrl: github.url, auth: TOKEN });
  const repo = { owner: github.owner, repo: github.repo };
  return {
    octokit,
    /**
     * deploy-guard's deployments (those with its payload marker) oldest first, each with its
     * statuses oldest first. `all`: every deployment, GitHub's own job deployments too.
     */
    async deployments(options: { all?: boolean } = {}): Promise<DeploymentView[]> {
      const every = await octokit.paginate(octokit.rest.repos.listDeployments, { ...repo, per_page: 100 });
      const list = options.all ? every : every.filter((d) => ownPayload(d.payload) !== undefined);
      const views = await Promise.all(
        list.map(async (d) => {
          const statuses = await octokit.paginate(octokit.rest.repos.listDeploymentStatuses, { ...repo, deployment_id: d.id, per_page: 100 });
          return {
            id: d.id,
            sha: d.sha,
            environment: d.environment,
            creator: d.creator?.login ?? '',
            rollback: Boolean(ownPayload(d.payload)?.rollback),
            states: statuses.map((s) => s.state).reverse(),
          };
        }),
      );
      return views.sort((a, b) => a.id - b.id);
    },
    async issues(state: 'open' | 'closed' | 'all' = 'all') {
      return octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state, per_page: 100 });
    },
    async closeIssue(issueNumber: number) {
      await octokit.rest.issues.update({ ...repo, issue_number: issueNumber, state: 'closed' });
    },
    /** Requests that may have changed something: anything but a GET or a GraphQL query (a POST that only reads). */
    writes() {
      return github.requests.filter((r) => r.method !== 'GET' && !isGraphqlQuery(r.path, r.requestBody));
    },
  };
}

/** A POST to the GraphQL endpoint whose document holds no mutation. */
function isGraphqlQuery(path: string, body: unknown): boolean {
  if (!/\/graphql$/.test(path)) return false;
  const query = (body as { query?: unknown } | undefined)?.query;
  return typeof query === 'string' && !/\bmutation\b/.test(query);
}
