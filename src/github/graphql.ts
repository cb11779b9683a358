// GitHub's GraphQL API through the same Octokit as REST (retries, rate-limit waits, the request
// deadline). GitHub answers a query it cannot (wholly) answer with HTTP 200 and `errors`
// (docs/github-behaviours.md, item 15): that becomes an error naming the query and GitHub's messages.
import { apiError, type GitHubClient } from './client.ts';

interface GraphqlErrorEntry {
  type?: string;
  message?: string;
}

/** Runs query `name` (`query <name>(...)` in `text`) and returns its `data`. */
export async function queryGraphql<T>(gh: GitHubClient, name: string, text: string, variables: Record<string, unknown>): Promise<T> {
  try {
    return await gh.graphql<T>(text, variables);
  } catch (error) {
    const errors = (error as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length) {
      const messages = (errors as GraphqlErrorEntry[]).map((e) => `${e.type ? `${e.type}: ` : ''}${e.message ?? 'no message'}`);
      throw new Error(`GitHub GraphQL query ${name} failed: ${messages.join('; ')}`, { cause: error });
    }
    throw apiError(`POST /graphql (query ${name})`, error);
  }
}

/** The answer's repository, refused when it is missing or not an object (a broken proxy, say). */
export function repositoryOf<T extends object>(name: string, data: unknown): T {
  const repository = (data as { repository?: unknown } | null | undefined)?.repository;
  if (!repository || typeof repository !== 'object') throw new Error(`GitHub GraphQL query ${name} answered without a repository; not deciding on it`);
  return repository as T;
}

export interface Page<N> {
  nodes: N[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A connection's page, refused when it has no list of nodes or no page info. */
export function pageOf<N>(name: string, field: string, value: unknown): Page<N> {
  const page = value as { nodes?: unknown; pageInfo?: { hasNextPage?: unknown; endCursor?: unknown } } | null | undefined;
  if (!Array.isArray(page?.nodes) || typeof page.pageInfo?.hasNextPage !== 'boolean') {
    throw new Error(`GitHub GraphQL query ${name} answered ${field} without nodes and page info; not deciding on it`);
  }
  const endCursor = typeof page.pageInfo.endCursor === 'string' ? page.pageInfo.endCursor : null;
  // A next page without a cursor to reach it would loop on the first page.
  if (page.pageInfo.hasNextPage && !endCursor) throw new Error(`GitHub GraphQL query ${name} answered ${field} with a next page but no cursor`);
  return { nodes: page.nodes as N[], hasNextPage: page.pageInfo.hasNextPage, endCursor };
}
