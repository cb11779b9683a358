// The simulated repository: its identity, URLs, git storage, in-memory records and helpers shared by routes.
import type { CollaboratorBook } from './collaborators.ts';
import type { GitRepo } from './git-repo.ts';
import { IdSequences, isoSeconds } from './ids.ts';
import { paginate } from './pagination.ts';
import type { RateLimitWindow } from './rate-limit.ts';
import type { Reply, RouteRequest } from './router.ts';
import type { GitHubDoubleState } from './types.ts';
import type { UserDirectory } from './users.ts';

export interface RepoModel {
  owner: string;
  repo: string;
  /** Numeric repository id (also served under /repositories/{id}). */
  repoId: number;
  /** The double's own base URL; API URLs in bodies point here, as on GitHub Enterprise. */
  apiBase: string;
  /** `${apiBase}/repos/{owner}/{repo}` */
  repoApiUrl: string;
  /** `https://github.com/{owner}/{repo}` */
  repoHtmlUrl: string;
  createdAt: string;
  git: GitRepo;
  state: GitHubDoubleState;
  ids: IdSequences;
  users: UserDirectory;
  rateLimit: RateLimitWindow;
  /** GraphQL's own window (x-ratelimit-resource: graphql). */
  graphqlRateLimit: RateLimitWindow;
  collaborators: CollaboratorBook;
  /** Whether installation tokens (`ghs_`) have the workflows permission (see tokens.ts). */
  workflowsPermission: boolean;
  /** The user behind personal tokens (`ghp_`, `github_pat_`, ...). */
  personalTokenUser: string;
  /** Numbers of issues an admin deleted: GitHub answers 410 for them. */
  deletedIssues: Set<number>;
  /** Epoch milliseconds; replaceable (GitHubDouble.setNow). */
  clock: () => number;
  /** `clock()` as GitHub writes timestamps. */
  now(): string;
}

/** Where each kind of id starts (a repository added later takes a range above these). */
export const ID_BASES: Readonly<Record<string, number>> = {
  deployment: 1_000_000_001,
  deploymentStatus: 2_000_000_001,
  issue: 3_000_000_001,
  comment: 4_000_000_001,
  label: 5_000_000_001,
  issueEvent: 6_000_000_001,
  commitComment: 7_000_000_001,
};

function isoAt(clock: () => number): string {
  const ms = clock();
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new Error(`GitHub double: now() returned ${String(ms)}, not epoch milliseconds`);
  return isoSeconds(ms);
}

export function createModel(input: {
  owner: string;
  repo: string;
  apiBase: string;
  git: GitRepo;
  users: UserDirectory;
  rateLimit: RateLimitWindow;
  graphqlRateLimit: RateLimitWindow;
  collaborators: CollaboratorBook;
  clock: () => number;
  workflowsPermission: boolean;
  personalTokenUser: string;
}): RepoModel {
  const model: RepoModel = {
    ...input,
    repoId: 700_000_001,
    repoApiUrl: `${input.apiBase}/repos/${input.owner}/${input.repo}`,
    repoHtmlUrl: `https://github.com/${input.owner}/${input.repo}`,
    createdAt: isoAt(input.clock),
    state: { deployments: [], deploymentStatuses: [], issues: [], comments: [], labels: [], issueEvents: [], commitComments: [] },
    ids: new IdSequences(ID_BASES),
    deletedIssues: new Set<number>(),
    now: () => isoAt(model.clock),
  };
  return model;
}

/** The next issue number: GitHub never gives a deleted issue's number again. */
export function nextIssueNumber(model: RepoModel): number {
  return Math.max(0, ...model.state.issues.map((issue) => issue.number), ...model.deletedIssues) + 1;
}

export function json(status: number, body?: unknown, headers?: Record<string, string>): Reply {
  return { status, body, ...(headers ? { headers } : {}) };
}

/** A 200 list reply, paginated like GitHub with a Link header built on the request's own path. */
export function listReply<T>(model: RepoModel, request: RouteRequest, items: readonly T[], map: (item: T) => unknown): Reply {
  const page = paginate(items, request.query, `${model.apiBase}${request.path}`);
  return json(200, page.items.map(map), page.link ? { link: page.link } : undefined);
}

/** Parses a positive integer path parameter; GitHub answers 404 for anything else. */
export function intParam(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}
