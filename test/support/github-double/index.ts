// A GitHub REST API double for end-to-end tests and the demo: real HTTP on 127.0.0.1,
// git refs in a real bare repository, everything else in memory.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CollaboratorBook } from './collaborators.ts';
import { FaultBook } from './faults.ts';
import { GitRepo } from './git-repo.ts';
import { IdSequences } from './ids.ts';
import { createModel, ID_BASES, type RepoModel } from './model.ts';
import { RateLimitWindow } from './rate-limit.ts';
import { Router } from './router.ts';
import { collaboratorRoutes } from './routes/collaborators.ts';
import { commitCommentRoutes } from './routes/commit-comments.ts';
import { compareRoutes } from './routes/compare.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { gitRefRoutes } from './routes/git-refs.ts';
import { gitTagRoutes } from './routes/git-tags.ts';
import { graphqlRoutes } from './routes/graphql.ts';
import { issueCommentRoutes } from './routes/issue-comments.ts';
import { issueLabelRoutes } from './routes/issue-labels.ts';
import { issueEventRoutes } from './routes/issue-events.ts';
import { issueRoutes } from './routes/issues.ts';
import { labelRoutes, seedDefaultLabels } from './routes/labels.ts';
import { repositoryRoutes } from './routes/repository.ts';
import { userRoutes } from './routes/user.ts';
import { DEFAULT_MAINTAINER, repositoryHandle } from './repository-handle.ts';
import { createPipeline } from './server.ts';
import type { AddedRepositoryOptions, FaultRule, GitHubDouble, GitHubDoubleOptions, RequestLogEntry } from './types.ts';
import { createUserDirectory } from './users.ts';

export type * from './types.ts';

export async function startGitHubDouble(opts: GitHubDoubleOptions): Promise<GitHubDouble> {
  const owner = opts.owner ?? 'acme';
  const repo = opts.repo ?? 'shop';
  const botLogin = opts.botLogin ?? 'github-actions[bot]';
  const git = new GitRepo(opts.bareRepoPath);
  await git.assertBare();
  const collaborators = collaboratorBook(opts.collaborators);
  const clock = opts.now ?? Date.now;
  if (typeof clock !== 'function') throw new Error('GitHub double: now must be a function returning epoch milliseconds');

  const requests: RequestLogEntry[] = [];
  const faults = new FaultBook();
  const closing = new AbortController();
  /** Every repository served, the first one first: requests go to the one their path names. */
  const served: Array<{ model: RepoModel; listener: ReturnType<typeof createPipeline> }> = [];

  /** Former full name (lower case) -> the repository's current one (addRepository's formerNames). */
  const renamed = new Map<string, { owner: string; repo: string }>();
  const server = createServer((req, res) => {
    if (redirectRenamed(req, res, renamed, requests)) return;
    const target = served.length ? repositoryFor(served, req.url ?? '/') : undefined;
    if (target) target.listener(req, res);
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
  const serve = (target: RepoModel, defaultLabels: boolean | undefined): void => {
    if (defaultLabels !== false) seedDefaultLabels(target);
    const router = new Router();
    router.add(
      // Before the repository's routes: GET /commits/*ref would take /commits/{sha}/comments.
      ...commitCommentRoutes(target),
      ...repositoryRoutes(target),
      ...compareRoutes(target),
      ...gitRefRoutes(target),
      ...gitTagRoutes(target),
      ...collaboratorRoutes(target),
      ...deploymentRoutes(target),
      ...issueRoutes(target),
      ...issueCommentRoutes(target),
      ...issueLabelRoutes(target),
      ...issueEventRoutes(target),
      ...userRoutes(target),
      ...labelRoutes(target),
      // GraphQL names its repository in the query: every repository served answers it.
      ...graphqlRoutes(target, () => served.map((s) => s.model)),
    );
    served.push({ model: target, listener: createPipeline({ model: target, router, faults, requests, closing: closing.signal }) });
  };
  serve(model, opts.defaultLabels);

  let closed: Promise<void> | undefined;
  const shared = {
    url,
    requests,
    faults: {
      add: (rule: FaultRule) => faults.add(rule),
      clear: () => faults.clear(),
    },
    setNow(now: () => number) {
      if (typeof now !== 'function') throw new Error('GitHub double: setNow needs a function returning epoch milliseconds');
      model.clock = now;
    },
    async addRepository(more: AddedRepositoryOptions): Promise<GitHubDouble> {
      const moreGit = new GitRepo(more.bareRepoPath);
      await moreGit.assertBare();
      const wanted = `${more.owner}/${more.repo}`.toLowerCase();
      if (served.some((s) => `${s.model.owner}/${s.model.repo}`.toLowerCase() === wanted)) throw new Error(`GitHub double: ${more.owner}/${more.repo} is served already`);
      const moreCollaborators = collaboratorBook(more.collaborators);
      const added = createModel({
        owner: more.owner,
        repo: more.repo,
        apiBase: url,
        git: moreGit,
        users: model.users,
        rateLimit: model.rateLimit,
        graphqlRateLimit: model.graphqlRateLimit,
        collaborators: moreCollaborators,
        // One clock for every repository: setNow on any handle moves them all.
        clock: () => model.clock(),
        workflowsPermission: model.workflowsPermission,
        personalTokenUser: model.personalTokenUser,
      });
      // Ids are global on GitHub: each repository takes its own range.
      const offset = served.length * 10_000_000;
      added.repoId = model.repoId + served.length;
      added.ids = new IdSequences(Object.fromEntries(Object.entries(ID_BASES).map(([kind, base]) => [kind, base + offset])));
      serve(added, more.defaultLabels);
      for (const former of more.formerNames ?? []) renamed.set(former.toLowerCase(), { owner: more.owner, repo: more.repo });
      return { ...shared, ...repositoryHandle(added, moreCollaborators) };
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
  return { ...shared, ...repositoryHandle(model, collaborators) };
}

function collaboratorBook(roles: GitHubDoubleOptions['collaborators']): CollaboratorBook {
  const book = new CollaboratorBook();
  for (const [login, role] of Object.entries({ [DEFAULT_MAINTAINER]: 'maintain' as const, ...roles })) book.set(login, role);
  return book;
}

/**
 * A read of a renamed repository by a former name: 301 to the same path under its current name
 * (docs/github-behaviours.md item 31). Writes are not redirected here (what GitHub answers them is
 * not confirmed): they go on and find no repository of that name.
 */
function redirectRenamed(req: IncomingMessage, res: ServerResponse, renamed: ReadonlyMap<string, { owner: string; repo: string }>, requests: RequestLogEntry[]): boolean {
  const method = (req.method ?? 'GET').toUpperCase();
  if (!renamed.size || (method !== 'GET' && method !== 'HEAD')) return false;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const named = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
  const now = named ? renamed.get(`${safeDecode(named[1]!)}/${safeDecode(named[2]!)}`.toLowerCase()) : undefined;
  if (!named || !now) return false;
  const location = `http://${req.headers.host ?? '127.0.0.1'}/repos/${now.owner}/${now.repo}${named[3] ?? ''}${url.search}`;
  requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 301, requestBody: undefined, at: Date.now() });
  res.writeHead(301, { location, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ message: 'Moved Permanently', url: location, documentation_url: 'https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects' }));
  return true;
}

/** The repository a request's path names (`/repos/{owner}/{repo}/...` or `/repositories/{id}/...`); the first one for any other path. */
function repositoryFor<T extends { model: RepoModel }>(served: readonly T[], rawUrl: string): T {
  const path = new URL(rawUrl, 'http://127.0.0.1').pathname;
  const named = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
  const byId = /^\/repositories\/(\d+)/.exec(path);
  const found = served.find(({ model }) => {
    if (byId) return model.repoId === Number(byId[1]);
    if (!named) return false;
    const [owner, repo] = [named[1]!, named[2]!].map((part) => safeDecode(part).toLowerCase());
    return model.owner.toLowerCase() === owner && model.repo.toLowerCase() === repo;
  });
  return found ?? served[0]!;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
