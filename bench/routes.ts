// Groups the double's request log by method and route, so a reader sees which calls were made.
import type { RequestLogEntry } from '../test/support/github-double/index.ts';

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * `GET /repos/{owner}/{repo}/git/ref/tags/deploy-guard/production/deploy-{run}-{attempt}`: ids,
 * shas, run ids and issue numbers generalised; ref names and list filters kept (minus `page`);
 * `POST /graphql DeploymentHistory`: a GraphQL request with its operation name.
 */
export function routeKey(entry: Pick<RequestLogEntry, 'method' | 'path' | 'query' | 'operation'>): string {
  let path = decoded(entry.path)
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}')
    .replace(/\b[0-9a-f]{40}\b/g, '{sha}')
    .replace(/\/deploy-\d+-\d+/g, '/deploy-{run}-{attempt}')
    .replace(/\/(deployments|statuses|issues|comments)\/\d+/g, '/$1/{id}')
    .replace(/\/collaborators\/[^/]+\/permission$/, '/collaborators/{user}/permission');
  if (path.startsWith('/repos/{owner}/{repo}/issues/{id}')) path = path.replace('/issues/{id}', '/issues/{number}');
  const filters = Object.entries(entry.query)
    .filter(([key]) => key !== 'page')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value.replace(/\b[0-9a-f]{40}\b/g, '{sha}')}`);
  // One GraphQL endpoint: the query's operation name says which read it was.
  const operation = entry.operation ? ` ${entry.operation}` : '';
  return `${entry.method} ${path}${filters.length ? `?${filters.join('&')}` : ''}${operation}`;
}

export interface RouteCount {
  route: string;
  count: number;
  /** e.g. { '200': 2, '404': 1 } */
  statuses: Record<string, number>;
}

export function breakdown(entries: readonly RequestLogEntry[]): RouteCount[] {
  const byRoute = new Map<string, RouteCount>();
  for (const entry of entries) {
    const key = routeKey(entry);
    const row = byRoute.get(key) ?? { route: key, count: 0, statuses: {} };
    row.count += 1;
    row.statuses[String(entry.status)] = (row.statuses[String(entry.status)] ?? 0) + 1;
    byRoute.set(key, row);
  }
  return [...byRoute.values()];
}
