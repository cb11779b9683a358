// What a person looking at the repository on GitHub would see, read through the API double.
import { Octokit } from '@octokit/rest';
import type { GitHubDouble } from './github-double/index.ts';
import { TOKEN } from './deploy-scenario.ts';

export interface DeploymentView {
  id: number;
  sha: string;
  environment: string;
  rollback: boolean;
  /** Oldest first. */
  states: string[];
}

export function githubView(github: GitHubDouble) {
  const octokit = new Octokit({ baseUrl: github.url, auth: TOKEN });
  const repo = { owner: github.owner, repo: github.repo };
  return {
    octokit,
    /** Deployments oldest first, each with its statuses oldest first. */
    async deployments(): Promise<DeploymentView[]> {
      const list = await octokit.paginate(octokit.rest.repos.listDeployments, { ...repo, per_page: 100 });
      const views = await Promise.all(
        list.map(async (d) => {
          const statuses = await octokit.paginate(octokit.rest.repos.listDeploymentStatuses, { ...repo, deployment_id: d.id, per_page: 100 });
          const payload = (typeof d.payload === 'string' ? JSON.parse(d.payload || '{}') : d.payload) as Record<string, { rollback?: boolean }>;
          return {
            id: d.id,
            sha: d.sha,
            environment: d.environment,
            rollback: Boolean(payload['deploy-guard']?.rollback),
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
    /** Requests that changed something (anything but GET). */
    writes() {
      return github.requests.filter((r) => r.method !== 'GET');
    },
  };
}
