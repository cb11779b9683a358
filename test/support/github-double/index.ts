// A GitHub REST API double for end-to-end tests and the demo: real HTTP on 127.0.0.1,
// git refs in a real bare repository, everything else in memory.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CollaboratorBook } from './collaborators.ts';
import { FaultBook } from './faults.ts';
import { GitRepo } from './git-repo.ts';
import { createModel } from './model.ts';
import { RateLimitWindow } from './rate-limit.ts';
import { Router } from './router.ts';
import { collaboratorRoutes } from './routes/collaborators.ts';
import { compareRoutes } from './routes/compare.ts';
import { deploymentRoutes, startJobDeployment } from './routes/deployments.ts';
import { gitRefRoutes } from './routes/git-refs.ts';
import { gitTagRoutes } from './routes/git-tags.ts';
import { graphqlRoutes } from './routes/graphql.ts';
import { issueCommentRoutes } from './routes/issue-comments.ts';
import { issueLabelRoutes } from './routes/issue-labels.ts';
import { issueEventRoutes, setIssueLabels } from './routes/issue-events.ts';
import { closeIssueRecord, issueRoutes, reopenIssueRecord } from './routes/issues.ts';
import { labelRoutes, seedDefaultLabels } from './routes/labels.ts';
import { repositoryRoutes } from './routes/repository.ts';
import { userRoutes } from './routes/user.ts';
import { seedDeployments, seedIssues } from './seed.ts';
import { createPipeline } from './server.ts';
import type { CloseIssueOptions, CollaboratorRole, CustomRole, GitHubDouble, GitHubDoubleOptions, RequestLogEntry } from './types.ts';
import { createUserDirectory } from './users.ts';

export type * from './types.ts';

const DEFAULT_MAINTAINER = 'octo-maintainer';

export async function startGitHubDouble(opts: GitHubDoubleOptions): Promise<GitHubDouble> {
  const owner = opts.owner ?? 'acme';
  const repo = opts.repo ?? 'shop';
  const botLogin = opts.botLogin ?? 'github-actions[bot]';
  const git = new GitRepo(opts.bareRepoPath);
  await git.assertBare();
  const collaborators = new CollaboratorBook();
  const roles: Record<string, CollaboratorRole | CustomRole> = { [DEFAULT_MAINTAINER]: 'maintain', ...opts.collaborators };
  for (const [login, role] of Object.entries(roles)) collaborators.set(login, role);
  const clock = opts.now ?? Date.now;
  if (typeof clock !== 'function') throw new Error('GitHub double: now must be a function returning epoch milliseconds');

  const requests: RequestLogEntry[] = [];
  const faults = new FaultBook();
  const router = new Router();
  const closing = new AbortController();
  let listener: ReturnType<typeof createPipeline> | undefined;

  const server = createServer((req, res) => {
    if (listener) listener(req, res);
    else res.destroy();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const model = createModel({
    owner,
    repo,
    apiBase: url,
    git,
    users: createUserDirectory(url, botLogin, owner),
    rateLimit: new RateLimitWindow(),
    graphqlRateLimit: new RateLimitWindow(5000, 3600, 'graphql'),
    collaborators,
    clock,
    workflowsPermission: opts.workflowsPermission ?? false,
    personalTokenUser: opts.personalTokenUser ?? 'octo-deployer',
  });
  if (opts.defaultLabels !== false) seedDefaultLabels(model);
  router.add(
    ...repositoryRoutes(model),
    ...compareRoutes(model),
    ...gitRefRoutes(model),
    ...gitTagRoutes(model),
    ...collaboratorRoutes(model),
    ...deploymentRoutes(model),
    ...issueRoutes(model),
    ...issueCommentRoutes(model),
    ...issueLabelRoutes(model),
    ...issueEventRoutes(model),
    ...userRoutes(model),
    ...labelRoutes(model),
    ...graphqlRoutes(model),
  );
  listener = createPipeline({ model, router, faults, requests, closing: closing.signal });

  let closed: Promise<void> | undefined;
  return {
    url,
    owner,
    repo,
    requests,
    state: model.state,
    faults: {
      add: (rule) => faults.add(rule),
      clear: () => faults.clear(),
    },
    closeIssue(issueNumber: number, options: CloseIssueOptions = {}) {
      const issue = model.state.issues.find((candidate) => candidate.number === issueNumber);
      if (!issue) throw new Error(`GitHub double: no issue #${issueNumber} in ${owner}/${repo}`);
      closeIssueRecord(model, issue, options.by ?? DEFAULT_MAINTAINER, options.reason ?? 'completed');
    },
    reopenIssue(issueNumber: number, options: { by?: string } = {}) {
      const issue = model.state.issues.find((candidate) => candidate.number === issueNumber);
      if (!issue) throw new Error(`GitHub double: no issue #${issueNumber} in ${owner}/${repo}`);
      reopenIssueRecord(model, issue, options.by ?? DEFAULT_MAINTAINER);
    },
    removeIssueLabel(issueNumber: number, label: string, options: { by?: string } = {}) {
      const issue = model.state.issues.find((candidate) => candidate.number === issueNumber);
      if (!issue) throw new Error(`GitHub double: no issue #${issueNumber} in ${owner}/${repo}`);
      const name = issue.labels.find((candidate) => candidate.toLowerCase() === label.toLowerCase());
      if (!name) throw new Error(`GitHub double: issue #${issueNumber} has no label ${label}`);
      setIssueLabels(model, issue, issue.labels.filter((candidate) => candidate !== name), options.by ?? DEFAULT_MAINTAINER);
    },
    deleteIssue(issueNumber: number) {
      const index = model.state.issues.findIndex((candidate) => candidate.number === issueNumber);
      if (index < 0) throw new Error(`GitHub double: no issue #${issueNumber} in ${owner}/${repo}`);
      model.state.issues.splice(index, 1);
      model.deletedIssues.add(issueNumber);
    },
    editIssueBody(issueNumber: number, body: string) {
      const issue = model.state.issues.find((candidate) => candidate.number === issueNumber);
      if (!issue) throw new Error(`GitHub double: no issue #${issueNumber} in ${owner}/${repo}`);
      issue.body = body;
      issue.updated_at = model.now();
    },
    setCollaborator(login: string, role: CollaboratorRole | CustomRole | null) {
      collaborators.set(login, role);
    },
    seed: {
      deployments: (items) => seedDeployments(model, items),
      issues: (items) => seedIssues(model, items),
    },
    startJobDeployment: (input) => startJobDeployment(model, input),
    setWorkflowsPermission(allowed: boolean) {
      model.workflowsPermission = allowed;
    },
    setNow(now: () => number) {
      if (typeof now !== 'function') throw new Error('GitHub double: setNow needs a function returning epoch milliseconds');
      model.clock = now;
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
