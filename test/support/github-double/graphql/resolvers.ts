// The objects behind the GraphQL schema: the double's own repository model (the deployments,
// statuses, refs and issues the REST routes serve), seen with GitHub's GraphQL names. Fields are
// plain values or methods (graphql-js calls a method with the field's arguments); interfaces
// resolve by `__typename`.
import type { GitCommit, GitObjectType } from '../git-repo.ts';
import type { RepoModel } from '../model.ts';
import { findLabel } from '../routes/labels.ts';
import type { DeploymentRecord, DeploymentStatusRecord, IssueRecord } from '../types.ts';
import { connection, type ConnectionArgs } from './connection.ts';
import { ResolveError } from './errors.ts';

type Order = { field: string; direction: 'ASC' | 'DESC' } | null | undefined;

/** Per request: each deployment's statuses, oldest first, indexed once; each commit read from git once. */
export interface GraphqlContext {
  model: RepoModel;
  statuses(deployment: DeploymentRecord): DeploymentStatusRecord[];
  commit(sha: string): Promise<GitCommit | undefined>;
}

export function graphqlContext(model: RepoModel): GraphqlContext {
  let index: Map<number, DeploymentStatusRecord[]> | undefined;
  const commits = new Map<string, Promise<GitCommit | undefined>>();
  return {
    model,
    commit(sha) {
      if (!commits.has(sha)) commits.set(sha, model.git.commit(sha));
      return commits.get(sha)!;
    },
    statuses(deployment) {
      if (!index) {
        index = new Map();
        for (const status of model.state.deploymentStatuses) {
          const list = index.get(status.deployment_id) ?? [];
          list.push(status);
          index.set(status.deployment_id, list);
        }
        for (const list of index.values()) list.sort((a, b) => a.id - b.id);
      }
      return index.get(deployment.id) ?? [];
    },
  };
}

/** GraphQL's Bot login has no `[bot]` suffix (REST's has it): docs/github-behaviours.md, item 17. */
function actor(model: RepoModel, login: string) {
  const user = model.users.user(login);
  return { __typename: user.type, id: user.node_id, login: user.type === 'Bot' ? login.replace(/\[bot\]$/, '') : login, url: user.html_url };
}

function sorted<T>(items: readonly T[], key: (item: T) => string, direction: 'ASC' | 'DESC'): T[] {
  const sign = direction === 'DESC' ? -1 : 1;
  return items
    .map((item) => [key(item), item] as const)
    .sort(([x], [y]) => (x < y ? -sign : x > y ? sign : 0))
    .map(([, item]) => item);
}

/** The payload as a String: JSON of the object, none for an empty one, a string payload encoded once more. */
function payloadText(payload: DeploymentRecord['payload']): string | null {
  if (typeof payload === 'string') return JSON.stringify(payload);
  return Object.keys(payload).length ? JSON.stringify(payload) : null;
}

function deploymentState(deployment: DeploymentRecord, latest: DeploymentStatusRecord | undefined): string {
  if (!latest) return 'PENDING';
  if (latest.state === 'success') return 'ACTIVE';
  if (latest.state === 'inactive' && deployment.transient_environment) return 'DESTROYED';
  return latest.state.toUpperCase();
}

function statusNode(ctx: GraphqlContext, status: DeploymentStatusRecord, deployment: DeploymentRecord) {
  return {
    id: status.node_id,
    createdAt: status.created_at,
    updatedAt: status.updated_at,
    creator: actor(ctx.model, status.creator),
    deployment: () => deploymentNode(ctx, deployment),
    description: status.description,
    environment: status.environment,
    environmentUrl: status.environment_url || null,
    logUrl: status.log_url || null,
    state: status.state.toUpperCase(),
  };
}

function deploymentNode(ctx: GraphqlContext, deployment: DeploymentRecord) {
  const statuses = () => ctx.statuses(deployment);
  return {
    id: deployment.node_id,
    databaseId: deployment.id,
    // Null when git no longer has the commit (GitHub: "commit: Commit", nullable; commitOid stays).
    commit: async () => {
      const commit = await ctx.commit(deployment.sha);
      return commit ? { __typename: 'Commit', ...commitFields(commit) } : null;
    },
    commitOid: deployment.sha,
    createdAt: deployment.created_at,
    updatedAt: deployment.updated_at,
    creator: actor(ctx.model, deployment.creator),
    description: deployment.description,
    environment: deployment.environment,
    latestEnvironment: deployment.environment,
    originalEnvironment: deployment.original_environment,
    payload: payloadText(deployment.payload),
    task: deployment.task,
    state: () => deploymentState(deployment, statuses().at(-1)),
    latestStatus: () => {
      const latest = statuses().at(-1);
      return latest ? statusNode(ctx, latest, deployment) : null;
    },
    statuses: (args: ConnectionArgs) => connection(statuses(), args, 'statuses', (s) => s.id, (s) => statusNode(ctx, s, deployment)),
  };
}

function commitFields(commit: GitCommit) {
  return {
    id: `C_kwDO${Buffer.from(commit.sha).toString('base64url')}`,
    oid: commit.sha,
    abbreviatedOid: commit.sha.slice(0, 7),
    authoredDate: commit.author.date,
    committedDate: commit.committer.date,
  };
}

async function gitObject(model: RepoModel, sha: string, type: GitObjectType): Promise<Record<string, unknown>> {
  const base = { oid: sha, abbreviatedOid: sha.slice(0, 7) };
  if (type === 'commit') {
    const dates = async (field: 'author' | 'committer') => (await model.git.commit(sha))?.[field].date;
    return { __typename: 'Commit', id: `C_kwDO${Buffer.from(sha).toString('base64url')}`, ...base, authoredDate: () => dates('author'), committedDate: () => dates('committer') };
  }
  const tag = type === 'tag' ? await model.git.tag(sha) : undefined;
  if (!tag) throw new ResolveError('UNPROCESSABLE', `The double serves no ${type} objects over GraphQL`);
  return { __typename: 'Tag', id: `TAG_kwDO${Buffer.from(sha).toString('base64url')}`, ...base, name: tag.name, target: () => gitObject(model, tag.object.sha, tag.object.type) };
}

function refNode(model: RepoModel, ref: { name: string; sha: string; type: GitObjectType }, prefix: string) {
  return {
    id: `REF_kwDO${Buffer.from(`${model.repoId}:${ref.name}`).toString('base64url')}`,
    name: ref.name.slice(prefix.length),
    prefix,
    target: () => gitObject(model, ref.sha, ref.type),
  };
}

/** `refs/heads/` or `refs/tags/` for branches and tags; `refs/` for any other ref. */
const prefixOf = (name: string): string => /^refs\/(heads|tags)\//.exec(name)?.[0] ?? 'refs/';

function issueNode(ctx: GraphqlContext, issue: IssueRecord) {
  const { model } = ctx;
  return {
    id: issue.node_id,
    databaseId: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    url: `${model.repoHtmlUrl}/issues/${issue.number}`,
    state: issue.state.toUpperCase(),
    // Without enableDuplicate GitHub does not tell a duplicate apart (schema description of DUPLICATE).
    stateReason: ({ enableDuplicate }: { enableDuplicate?: boolean }) =>
      issue.state_reason === null ? null : issue.state_reason === 'duplicate' && !enableDuplicate ? 'NOT_PLANNED' : issue.state_reason.toUpperCase(),
    author: actor(model, issue.user),
    closed: issue.state === 'closed',
    closedAt: issue.closed_at,
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    labels: (args: ConnectionArgs) => {
      const labels = issue.labels.map((name) => findLabel(model, name)).filter((label) => label !== undefined);
      return connection(labels, args, 'labels', (l) => l.id, (l) => ({ id: l.node_id, name: l.name, color: l.color, description: l.description }));
    },
  };
}

function repositoryNode(ctx: GraphqlContext) {
  const { model } = ctx;
  return {
    id: `R_kgDO${Buffer.from(String(model.repoId)).toString('base64url')}`,
    databaseId: model.repoId,
    name: model.repo,
    nameWithOwner: `${model.owner}/${model.repo}`,
    url: model.repoHtmlUrl,
    deployments: (args: ConnectionArgs & { environments?: string[] | null; orderBy?: Order }) => {
      const wanted = args.environments;
      const list = model.state.deployments.filter((d) => !wanted || wanted.includes(d.environment));
      // Ordered by creation time; ids break ties in the same second.
      const ordered = sorted(list, (d) => `${d.created_at}|${String(d.id).padStart(12, '0')}`, args.orderBy?.direction ?? 'ASC');
      return connection(ordered, args, 'deployments', (d) => d.id, (d) => deploymentNode(ctx, d));
    },
    ref: async ({ qualifiedName }: { qualifiedName: string }) => {
      const refs = await model.git.listRefs();
      const candidates = qualifiedName.startsWith('refs/') ? [qualifiedName] : [`refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`];
      const found = candidates.map((name) => refs.find((ref) => ref.name === name)).find((ref) => ref !== undefined);
      return found ? refNode(model, found, prefixOf(found.name)) : null;
    },
    refs: async (args: ConnectionArgs & { refPrefix: string; direction?: string | null; orderBy?: Order }) => {
      const matching = (await model.git.listRefs()).filter((ref) => ref.name.startsWith(args.refPrefix));
      const ordered = sorted(matching, (ref) => ref.name, args.orderBy?.direction ?? (args.direction === 'DESC' ? 'DESC' : 'ASC'));
      return connection(ordered, args, 'refs', (ref) => ref.name, (ref) => refNode(model, ref, args.refPrefix));
    },
    issues: (args: ConnectionArgs & { labels?: string[] | null; states?: string[] | null; orderBy?: Order }) => {
      const labels = args.labels?.map((name) => name.toLowerCase());
      const list = model.state.issues.filter(
        (issue) =>
          (!args.states || args.states.includes(issue.state.toUpperCase())) &&
          (!labels || issue.labels.some((name) => labels.includes(name.toLowerCase()))),
      );
      const field = args.orderBy?.field === 'UPDATED_AT' ? 'updated_at' : 'created_at';
      const ordered = sorted(list, (issue) => `${issue[field]}|${String(issue.number).padStart(10, '0')}`, args.orderBy?.direction ?? 'ASC');
      return connection(ordered, args, 'issues', (issue) => issue.number, (issue) => issueNode(ctx, issue));
    },
    issue: ({ number }: { number: number }) => {
      const issue = model.state.issues.find((candidate) => candidate.number === number);
      if (!issue) throw new ResolveError('NOT_FOUND', `Could not resolve to an Issue with the number of ${number}.`);
      return issueNode(ctx, issue);
    },
    defaultBranchRef: async () => {
      const branch = await model.git.defaultBranch();
      const ref = await model.git.readRef(`refs/heads/${branch}`);
      return ref ? refNode(model, ref, 'refs/heads/') : null;
    },
  };
}

/** The query root. */
export function queryRoot(ctx: GraphqlContext, served: readonly RepoModel[] = [ctx.model]) {
  return {
    id: 'Q_double',
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const target = served.find((m) => m.owner.toLowerCase() === owner.toLowerCase() && m.repo.toLowerCase() === name.toLowerCase());
      if (!target) throw new ResolveError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return repositoryNode(target === ctx.model ? ctx : graphqlContext(target));
    },
  };
}
