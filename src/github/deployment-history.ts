// An environment's deployments with their statuses, and the commit of one ref, read through GitHub's
// GraphQL API: each page of up to 100 deployments comes with every deployment's statuses, where REST
// needs a request per deployment (docs/github-behaviours.md, item 16). GraphQL cannot filter by task,
// so GitHub's own job deployments come along and are left out here: only deploy-guard's task with
// its payload marker counts, as in every REST read.
import type { EarlierDeployment } from '../core/deploy-lock.ts';
import { needsOlderPage } from '../core/history-window.ts';
import type { GitHubClient, Repo } from './client.ts';
import { DEPLOY_GUARD_TASK, markerFacts, ownMarker, type DeploymentRecord } from './deployments.ts';
import { pageOf, queryGraphql, repositoryOf } from './graphql.ts';

const QUERY = 'DeploymentHistory';
const PAGE = 100;

/**
 * Newest first (CREATED_AT DESC); the ref only when asked. `statuses(first: 100)`: a deploy-guard
 * deployment has a handful, and 100 deployments of 100 statuses each stay within GitHub's node
 * limit and cost about one point. The commit's time and the statuses' descriptions feed status
 * mode's delivery figures (lead time, the checks that failed) at no extra cost: no connections.
 */
const HISTORY = `query ${QUERY}($owner: String!, $name: String!, $environment: String!, $first: Int!, $after: String, $ref: String!, $withRef: Boolean!) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) @include(if: $withRef) {
      target { __typename oid ... on Tag { target { oid } } }
    }
    deployments(environments: [$environment], orderBy: {field: CREATED_AT, direction: DESC}, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId
        commitOid
        createdAt
        task
        payload
        commit { committedDate }
        latestStatus { state createdAt logUrl }
        statuses(first: 100) { nodes { state createdAt description } }
      }
    }
  }
}`;

interface StatusNode {
  state: string;
  createdAt: string;
  description?: string | null;
}

interface DeploymentNode {
  databaseId: number | null;
  commitOid: string;
  createdAt: string;
  task: string | null;
  payload: string | null;
  /** Null when GitHub no longer has the commit; absent where the query does not ask. */
  commit?: { committedDate: string } | null;
  latestStatus: (StatusNode & { logUrl: string | null }) | null;
  statuses: { nodes: StatusNode[] } | null;
}

interface HistoryAnswer {
  ref?: { target: { __typename: string; oid: string; target?: { oid: string } } | null } | null;
  deployments: unknown;
}

interface HistoryPage {
  /** deploy-guard's own deployments of the page, each with its marker. */
  own: Array<{ node: DeploymentNode; marker: Record<string, unknown> }>;
  oldestCreatedAt: string | undefined;
  hasOlder: boolean;
  endCursor: string | null;
  /** The ref's commit (an annotated tag's target), when the ref was asked for and exists. */
  refSha: string | undefined;
}

async function readPage(gh: GitHubClient, repo: Repo, environment: string, ref: string | undefined, after: string | null): Promise<HistoryPage> {
  const data = await queryGraphql<unknown>(gh, QUERY, HISTORY, {
    owner: repo.owner,
    name: repo.repo,
    environment,
    first: PAGE,
    after,
    ref: ref ?? '',
    withRef: ref !== undefined,
  });
  const repository = repositoryOf<HistoryAnswer>(QUERY, data);
  const page = pageOf<DeploymentNode>(QUERY, 'deployments', repository.deployments);
  const target = repository.ref?.target;
  return {
    own: page.nodes.flatMap((node) => {
      const marker = node.task === DEPLOY_GUARD_TASK && node.databaseId !== null ? ownMarker(node.payload) : undefined;
      return marker ? [{ node, marker }] : [];
    }),
    oldestCreatedAt: page.nodes.at(-1)?.createdAt,
    hasOlder: page.hasNextPage,
    endCursor: page.endCursor,
    refSha: target ? (target.__typename === 'Tag' ? target.target?.oid : target.oid) : undefined,
  };
}

/**
 * Statuses newest first, as REST lists them. GitHub does not document the connection's order
 * (public queries read the latest with `statuses(last: 1)`, so oldest first): the times order
 * them, the connection's order reversed breaks ties of the same second, and latestStatus comes first.
 */
function newestFirst(node: DeploymentNode): DeploymentRecord['statuses'] {
  const all = (node.statuses?.nodes ?? []).map((s) => ({ state: s.state.toLowerCase(), createdAt: s.createdAt, description: s.description ?? '' })).reverse();
  const sorted = all.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const latest = node.latestStatus;
  const at = latest ? sorted.findIndex((s) => s.state === latest.state.toLowerCase() && s.createdAt === latest.createdAt) : -1;
  return at > 0 ? [sorted[at]!, ...sorted.filter((_, i) => i !== at)] : sorted;
}

function toRecord({ node, marker }: HistoryPage['own'][number]): DeploymentRecord {
  const committedAt = node.commit?.committedDate;
  return { id: node.databaseId!, sha: node.commitOid, createdAt: node.createdAt, ...markerFacts(marker), ...(committedAt ? { committedAt } : {}), statuses: newestFirst(node) };
}

function toEarlier({ node, marker }: HistoryPage['own'][number]): EarlierDeployment {
  const latest = node.latestStatus;
  const { rollback, dryRun, drill } = markerFacts(marker);
  return {
    id: node.databaseId!,
    sha: node.commitOid,
    state: latest?.state.toLowerCase(),
    since: latest?.createdAt ?? node.createdAt,
    rollback,
    logUrl: latest?.logUrl ?? undefined,
    succeeded: (node.statuses?.nodes ?? []).some((s) => s.state === 'SUCCESS'),
    dryRun,
    ...(drill ? { drill } : {}),
  };
}

const byIdNewestFirst = <T extends { id: number }>(list: T[]): T[] => list.sort((a, b) => b.id - a.id);

/**
 * What status mode reports on: deploy-guard's deployments of the environment, newest first, with
 * their statuses, read in pages of 100 until core/history-window.ts says the report has all it
 * needs; and the commit of `ref` (the known-good tag), read with the first page.
 */
export async function readStatusHistory(
  gh: GitHubClient,
  repo: Repo,
  input: { environment: string; ref: string; now: number; periodDays?: number },
): Promise<{ deployments: DeploymentRecord[]; refSha: string | undefined; pages: number }> {
  const own: DeploymentRecord[] = [];
  let refSha: string | undefined;
  let after: string | null = null;
  for (let pages = 1; ; pages += 1) {
    const page = await readPage(gh, repo, input.environment, pages === 1 ? input.ref : undefined, after);
    if (pages === 1) refSha = page.refSha;
    own.push(...page.own.map(toRecord));
    const read = { own, oldestCreatedAt: page.oldestCreatedAt, hasOlder: page.hasOlder, now: input.now, ...(input.periodDays ? { periodDays: input.periodDays } : {}) };
    if (!needsOlderPage(read)) {
      return { deployments: byIdNewestFirst(own), refSha, pages };
    }
    after = page.endCursor;
  }
}

/**
 * The newest `limit` of deploy-guard's deployments of the environment (made before deployment
 * `before`, when given), newest first, each with its latest status, as earlierDeployments yields
 * them; and the commit `ref` points at, as readTag answers. One request, unless the newest 100
 * deployments of the environment hold fewer than `limit` of deploy-guard's (GitHub's job
 * deployments sit among them): then older pages follow until `limit` are found or none are left.
 */
export async function readRecentOwnDeployments(
  gh: GitHubClient,
  repo: Repo,
  input: { environment: string; ref: string; limit: number; before?: number },
): Promise<{ deployments: EarlierDeployment[]; refSha: string | undefined }> {
  const own: EarlierDeployment[] = [];
  let refSha: string | undefined;
  let after: string | null = null;
  for (let first = true; ; first = false) {
    const page = await readPage(gh, repo, input.environment, first ? input.ref : undefined, after);
    if (first) refSha = page.refSha;
    own.push(...page.own.map(toEarlier).filter((d) => input.before === undefined || d.id < input.before));
    if (own.length >= input.limit || !page.hasOlder) return { deployments: byIdNewestFirst(own).slice(0, input.limit), refSha };
    after = page.endCursor;
  }
}
