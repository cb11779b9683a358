// A small method + path-pattern router. ':name' matches one segment, '*name' the (possibly empty) rest.

export interface Reply {
  status: number;
  body?: unknown;
  /** Sent as it is instead of JSON of `body` (fault injection only). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface RouteRequest {
  method: string;
  /** Raw path without query. */
  path: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** The token from the Authorization header (the pipeline answers 401 without one). */
  token: string;
}

export type Handler = (request: RouteRequest) => Promise<Reply> | Reply;

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  pattern: string;
  /** GitHub's documentation page of the operation, used in error bodies. */
  docs: string;
  handler: Handler;
}

export interface RouteMatch {
  route: RouteDefinition;
  params: Record<string, string>;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/');
  const pathParts = path.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i += 1) {
    const part = patternParts[i]!;
    if (part.startsWith('*')) {
      if (pathParts.length <= i) return undefined;
      const rest = decode(pathParts.slice(i).join('/'));
      if (rest === undefined) return undefined;
      params[part.slice(1)] = rest;
      return params;
    }
    const actual = pathParts[i];
    if (actual === undefined) return undefined;
    if (part.startsWith(':')) {
      const value = decode(actual);
      if (value === undefined || value === '') return undefined;
      params[part.slice(1)] = value;
    } else if (part !== actual) {
      return undefined;
    }
  }
  return pathParts.length === patternParts.length ? params : undefined;
}

export class Router {
  private readonly routes: RouteDefinition[] = [];

  add(...definitions: RouteDefinition[]): void {
    this.routes.push(...definitions);
  }

  /** First route whose method and pattern match; GitHub answers any other request 404. */
  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = matchPattern(route.pattern, path);
      if (params) return { route, params };
    }
    return undefined;
  }
}
