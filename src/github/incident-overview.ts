// What the gate reads first, in one GraphQL request: deploy-guard's records of an environment's
// incidents (refs/<prefix>/<env>/incidents/<n>, github/incident-records.ts) and the open issues
// with the incident label (github/incidents.ts), in the shapes the REST readers give.
import type { IssueSummary } from '../core/gate-decision.ts';
import { incidentRecordsPrefix, recordedIssue } from '../core/tag-names.ts';
import type { GitHubClient, Repo } from './client.ts';
import { pageOf, queryGraphql, repositoryOf, type Page } from './graphql.ts';
import type { RecordScope } from './incident-records.ts';

const QUERY = 'IncidentGate';

/** GitHub's issues connection has no pull requests (REST's list has them), so none is ever one here. */
const GATE = `query ${QUERY}($owner: String!, $name: String!, $prefix: String!, $label: String!, $refsAfter: String, $issuesAfter: String, $withRefs: Boolean!, $withIssues: Boolean!) {
  repository(owner: $owner, name: $name) {
    refs(refPrefix: $prefix, first: 100, after: $refsAfter) @include(if: $withRefs) {
      pageInfo { hasNextPage endCursor }
      nodes { prefix name }
    }
    issues(labels: [$label], states: [OPEN], first: 100, after: $issuesAfter, orderBy: {field: CREATED_AT, direction: DESC}) @include(if: $withIssues) {
      pageInfo { hasNextPage endCursor }
      nodes { number title url body author { __typename login } }
    }
  }
}`;

interface IssueNode {
  number: number;
  title: string;
  url: string;
  body: string;
  author: { __typename: string; login: string } | null;
}

/** REST spells an app's login with `[bot]`, GraphQL without (docs/github-behaviours.md, item 17): REST's spelling, as ownIdentity has it. */
function summaryOf(issue: IssueNode): IssueSummary {
  const author = issue.author;
  const login = author ? (author.__typename === 'Bot' ? `${author.login}[bot]` : author.login) : '';
  return { number: issue.number, title: issue.title, htmlUrl: issue.url, body: issue.body ?? '', isPullRequest: false, author: { login, type: author?.__typename ?? '' } };
}

/**
 * The issue numbers recorded for the environment (oldest first, as recordedIncidents gives them)
 * and the open issues labelled `label` (newest first, as listOpenLabeledIssues gives them). One
 * request, unless there are more than 100 of either: then the longer list is paged on.
 */
export async function readIncidentGate(gh: GitHubClient, repo: Repo, scope: RecordScope & { label: string }): Promise<{ recorded: number[]; openLabeled: IssueSummary[] }> {
  const prefix = `refs/${incidentRecordsPrefix(scope.prefix, scope.environment)}`;
  const recorded: number[] = [];
  const openLabeled: IssueSummary[] = [];
  let refsAfter: string | null = null;
  let issuesAfter: string | null = null;
  let withRefs = true;
  let withIssues = true;
  while (withRefs || withIssues) {
    const data: unknown = await queryGraphql<unknown>(gh, QUERY, GATE, { owner: repo.owner, name: repo.repo, prefix, label: scope.label, refsAfter, issuesAfter, withRefs, withIssues });
    const repository: { refs?: unknown; issues?: unknown } = repositoryOf(QUERY, data);
    if (withRefs) {
      const refs: Page<{ prefix: string; name: string }> = pageOf(QUERY, 'refs', repository.refs);
      // GitHub's Ref.name is relative to its prefix; the two together are the ref's full name.
      recorded.push(...refs.nodes.map((ref) => recordedIssue(`${ref.prefix}${ref.name}`, scope.prefix, scope.environment)).filter((n): n is number => n !== undefined));
      [withRefs, refsAfter] = [refs.hasNextPage, refs.endCursor];
    }
    if (withIssues) {
      const issues: Page<IssueNode> = pageOf(QUERY, 'issues', repository.issues);
      openLabeled.push(...issues.nodes.map(summaryOf));
      [withIssues, issuesAfter] = [issues.hasNextPage, issues.endCursor];
    }
  }
  return { recorded: recorded.sort((a, b) => a - b), openLabeled };
}
