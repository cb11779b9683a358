// Public types of the GitHub REST API double.
import type { JobDeploymentInput, JobResult } from './routes/deployments.ts';
import type { SeedDeployment, SeedIssue } from './seed.ts';

export type { SeedDeployment, SeedIssue } from './seed.ts';
export type { JobDeploymentInput, JobResult } from './routes/deployments.ts';

export interface GitHubDoubleOptions {
  /** A real bare git repository; git refs are read from and written to it. */
  bareRepoPath: string;
  /** Default 'acme'. */
  owner?: string;
  /** Default 'shop'. */
  repo?: string;
  /** Default 0 (a free port). The server listens on 127.0.0.1. */
  port?: number;
  /** Identity behind every token. Default 'github-actions[bot]' (type 'Bot'). */
  botLogin?: string;
  /**
   * Seed the nine labels GitHub gives every new repository (bug, documentation, ...).
   * Default true, as on GitHub.
   */
  defaultLabels?: boolean;
  /**
   * Repository roles by login, merged over the default: 'octo-maintainer' (who closes issues in
   * `closeIssue`) has 'maintain'. Logins are case-insensitive, as on GitHub. A login never given a
   * role (here or through `setCollaborator`) is no account: its permission answers 404
   * "<login> is not a user". Bot accounts (`...[bot]`) are never collaborators: they answer 404 too.
   */
  collaborators?: Record<string, CollaboratorRole | CustomRole>;
  /**
   * The clock, in epoch milliseconds, behind every created_at/updated_at/closed_at the double
   * writes (and the repository's own timestamps). Default Date.now. Rate limits, request ids
   * and `requests[].at` keep real time. Ids still follow creation order, so seed history
   * oldest first.
   */
  now?: () => number;
  /**
   * Whether installation tokens (`ghs_...`, as GITHUB_TOKEN) have the workflows permission, as a
   * GitHub App granted `workflows: write` has. Default false, as for GITHUB_TOKEN: creating or
   * moving a ref to a commit whose .github/workflows differs from the default branch tip answers
   * 403. User tokens (`ghp_`, `github_pat_`) are taken to have it.
   */
  workflowsPermission?: boolean;
  /**
   * The user behind personal tokens (`ghp_`, `github_pat_`, `gho_`, `ghu_`): GET /user answers it and
   * their writes are made as it. Default 'octo-deployer'. Any other token acts as `botLogin`.
   */
  personalTokenUser?: string;
}

/** Another repository the same double serves (`GitHubDouble.addRepository`). */
export interface AddedRepositoryOptions {
  owner: string;
  repo: string;
  /** Its own bare git repository. */
  bareRepoPath: string;
  /** Its own roles, merged over the default ('octo-maintainer': 'maintain'), as for the first repository. */
  collaborators?: Record<string, CollaboratorRole | CustomRole>;
  /** Default true, as for the first repository. */
  defaultLabels?: boolean;
  /**
   * Full names (`owner/repo`) it had before a rename: GitHub answers a read of one with 301 and the
   * new location (docs/github-behaviours.md item 31).
   */
  formerNames?: string[];
}

/** The five base repository roles ('maintain' reads as 'write' and 'triage' as 'read' in `permission`). */
export const COLLABORATOR_ROLES = ['admin', 'maintain', 'write', 'triage', 'read'] as const;
export type CollaboratorRole = (typeof COLLABORATOR_ROLES)[number];

/**
 * A custom repository role (organizations on GitHub Enterprise Cloud): a name of the
 * organization's choosing, inheriting a base role. GitHub answers `role_name` with the custom
 * name and `permission` with the base role's legacy name.
 */
export interface CustomRole {
  name: string;
  base: Exclude<CollaboratorRole, 'admin'>;
}

export interface RequestLogEntry {
  method: string;
  /** Path without the query string, as sent (not decoded). */
  path: string;
  query: Record<string, string>;
  /** Status sent; 0 while the response is still pending. */
  status: number;
  /** Parsed JSON body, or undefined when there was none. */
  requestBody: unknown;
  /** Date.now() when the request arrived. */
  at: number;
  /** A GraphQL request's operation name (`query DeploymentHistory(...)`), when it has one. */
  operation?: string;
}

export interface FaultRule {
  /** Matches case-insensitively; any method when omitted. */
  method?: string;
  /**
   * String: the request path (without query) equals it, or ends with it when it starts
   * with '/' (so '/git/refs' matches '/repos/acme/shop/git/refs'). RegExp: tested
   * against the path. The path is tried as sent and percent-decoded ('heads%2Fmain' is
   * also 'heads/main'). Any path when omitted.
   */
  path?: string | RegExp;
  /**
   * Only GraphQL requests (POST /graphql) whose operation has this name, e.g. 'DeploymentHistory'
   * for `query DeploymentHistory(...)`. Any request when omitted.
   */
  operation?: string;
  /** Answer with this status (500, 502, 503, ...) instead of handling the request. */
  status?: number;
  /** With `status`: GitHub's message in the body (default the status text). */
  message?: string;
  /** With `status`: extra response headers, e.g. `x-accepted-github-permissions` on a 403. */
  headers?: Record<string, string>;
  /**
   * Answer 200 with this raw body instead of handling the request: a broken proxy or server
   * ('null', '{}', '' for an empty body). Sent as application/json whatever it is.
   */
  rawBody?: string;
  /**
   * With `status`: handle the request first (the write happens), then answer with the error
   * anyway, as when GitHub times out after committing a create.
   */
  afterWrite?: boolean;
  /** Answer as GitHub does when a rate limit is hit (403; 429 when status is 429). */
  rateLimit?: 'primary' | 'secondary';
  /** Delay the response by this many milliseconds (then handle normally unless status/rateLimit). */
  latencyMs?: number;
  /** How many matching requests the rule applies to. Default Infinity. */
  times?: number;
}

export interface SimpleUser {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string;
  url: string;
  html_url: string;
  followers_url: string;
  following_url: string;
  gists_url: string;
  starred_url: string;
  subscriptions_url: string;
  organizations_url: string;
  repos_url: string;
  events_url: string;
  received_events_url: string;
  type: 'User' | 'Bot' | 'Organization';
  site_admin: boolean;
}

export interface LabelRecord {
  id: number;
  node_id: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export type IssueStateReason = 'completed' | 'not_planned' | 'duplicate' | 'reopened';

export interface IssueRecord {
  id: number;
  node_id: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: IssueStateReason | null;
  /** Label names, as the labels are currently named. */
  labels: string[];
  /** Logins. */
  assignees: string[];
  /** Login of the author. */
  user: string;
  locked: boolean;
  /** Number of comments. */
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Login of whoever closed it. */
  closed_by: string | null;
}

export interface CommentRecord {
  id: number;
  node_id: string;
  issue_number: number;
  body: string;
  /** Login of the author. */
  user: string;
  created_at: string;
  updated_at: string;
}

/** A comment on a commit as a whole (no path or line). */
export interface CommitCommentRecord {
  id: number;
  node_id: string;
  /** The full sha. */
  commit_id: string;
  body: string;
  /** Login of the author. */
  user: string;
  created_at: string;
  updated_at: string;
}

export type IssueEventKind = 'closed' | 'reopened' | 'labeled' | 'unlabeled';

export interface IssueEventRecord {
  id: number;
  node_id: string;
  issue_number: number;
  event: IssueEventKind;
  /** Login of who did it. */
  actor: string;
  /** For labeled/unlabeled: the label's name at the time. */
  label?: string;
  created_at: string;
}

export interface DeploymentRecord {
  id: number;
  node_id: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  environment: string;
  original_environment: string;
  description: string | null;
  /** Login of the creator. */
  creator: string;
  created_at: string;
  updated_at: string;
  transient_environment: boolean;
  production_environment: boolean;
}

export const DEPLOYMENT_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export interface DeploymentStatusRecord {
  id: number;
  node_id: string;
  deployment_id: number;
  state: DeploymentState;
  description: string;
  environment: string;
  target_url: string;
  log_url: string;
  environment_url: string;
  /** Login of the creator. */
  creator: string;
  created_at: string;
  updated_at: string;
}

/** In-memory state, in creation order. Tests may read it; mutate only through the API. */
export interface GitHubDoubleState {
  deployments: DeploymentRecord[];
  deploymentStatuses: DeploymentStatusRecord[];
  issues: IssueRecord[];
  comments: CommentRecord[];
  labels: LabelRecord[];
  issueEvents: IssueEventRecord[];
  commitComments: CommitCommentRecord[];
}

export interface CloseIssueOptions {
  /** Default 'completed'. */
  reason?: 'completed' | 'not_planned' | 'duplicate';
  /** Login of the maintainer. Default 'octo-maintainer'. */
  by?: string;
}

export interface GitHubDouble {
  /** 'http://127.0.0.1:PORT' */
  url: string;
  owner: string;
  repo: string;
  requests: RequestLogEntry[];
  state: GitHubDoubleState;
  faults: {
    add(rule: FaultRule): void;
    clear(): void;
  };
  /** What a maintainer does in the UI: closes the issue (throws if there is no such issue). */
  closeIssue(issueNumber: number, options?: CloseIssueOptions): void;
  /** What a person does in the UI: reopens the issue (a `reopened` event by `by`, default octo-maintainer). */
  reopenIssue(issueNumber: number, options?: { by?: string }): void;
  /** What a person does in the UI: takes a label off an issue (an `unlabeled` event by `by`). */
  removeIssueLabel(issueNumber: number, label: string, options?: { by?: string }): void;
  /** What a person does in the UI: edits the issue's description. */
  editIssueBody(issueNumber: number, body: string): void;
  /** What an admin does in the UI: deletes the issue; GitHub then answers 410 Gone for it. */
  deleteIssue(issueNumber: number): void;
  /**
   * Gives `login` a role on the repository, replacing any earlier one. `null` removes the
   * collaborator; the account still exists, so (the repository being public) it then reads
   * as 'read', as GitHub answers for any user. Throws for an unknown role.
   */
  setCollaborator(login: string, role: CollaboratorRole | CustomRole | null): void;
  /**
   * Bulk history written straight into `state`, without HTTP (fast enough for 10,000 records).
   * Ids and issue numbers continue the double's sequences; seed before creating through the API.
   */
  seed: {
    deployments(items: readonly SeedDeployment[]): DeploymentRecord[];
    issues(items: readonly SeedIssue[]): IssueRecord[];
  };
  /**
   * What GitHub Actions does for a job with `environment:` before its first step: a deployment in
   * the name of the run's actor (empty payload, task `deploy`), `queued` then `in_progress`. `finish` adds
   * the status for the job's result, as GitHub does when the job ends.
   */
  startJobDeployment(input: JobDeploymentInput): { id: number; finish(result: JobResult): void };
  /** See `GitHubDoubleOptions.workflowsPermission`. */
  setWorkflowsPermission(allowed: boolean): void;
  /** Replaces the clock (see `GitHubDoubleOptions.now`); affects only timestamps written from now on. */
  setNow(now: () => number): void;
  /**
   * Serves one more repository at the same URL, with its own git, issues, labels, deployments and
   * roles (the tokens, the bot, the clock, the rate limit, faults and the request log are shared).
   * The handle it returns acts on that repository; its `url`, `requests`, `faults`, `close` are the double's.
   */
  addRepository(options: AddedRepositoryOptions): Promise<GitHubDouble>;
  /** Closes the whole double (every repository it serves). */
  close(): Promise<void>;
}
