// The HTTP pipeline: log, authenticate, inject faults, count the rate limit, route, and answer like GitHub.
import { createHash } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, DOCS } from './errors.ts';
import type { FaultBook } from './faults.ts';
import { isoSeconds, requestId } from './ids.ts';
import type { RepoModel } from './model.ts';
import { rateLimitHeaders } from './rate-limit.ts';
import type { Reply, Router } from './router.ts';
import { operationOf } from './routes/graphql.ts';
import type { RequestLogEntry } from './types.ts';

const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
/** GitHub Enterprise Server serves REST under /api/v3 and GraphQL at /api/graphql; the double serves both spellings. */
const GHES_REST_PREFIX = /^\/api\/v3(?=\/|$)/;
const isGraphql = (path: string): boolean => path === '/graphql' || path === '/api/graphql';
const MAX_BODY_BYTES = 25 * 1024 * 1024;

export interface PipelineParts {
  model: RepoModel;
  router: Router;
  faults: FaultBook;
  requests: RequestLogEntry[];
  /** Aborted when the double closes, to cut injected latency short. */
  closing: AbortSignal;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function hasToken(header: string | undefined): boolean {
  return typeof header === 'string' && /^(token|bearer)\s+\S+/i.test(header.trim());
}

function tokenOf(header: string | undefined): string {
  return (header ?? '').trim().replace(/^(token|bearer)\s+/i, '');
}

export function createPipeline(parts: PipelineParts): (req: IncomingMessage, res: ServerResponse) => void {
  const { model, router, faults, requests } = parts;
  let counter = 0;

  /** A rate-limit answer. `primaryReset` overrides the reset of an injected primary limit. */
  const rateLimitReply = (
    kind: 'primary' | 'secondary',
    status: number,
    id: string,
    graphql: boolean,
    primaryReset?: number,
  ): Reply & { rateHeaders: Record<string, string> } => {
    const snapshot = (graphql ? model.graphqlRateLimit : model.rateLimit).snapshot();
    if (kind === 'primary' && graphql) {
      // GraphQL's primary limit answers 200 with an error, not 403 (docs/github-behaviours.md).
      const reset = primaryReset ?? snapshot.reset;
      return {
        status: 200,
        body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }] },
        rateHeaders: rateLimitHeaders({ ...snapshot, remaining: 0, used: snapshot.limit, reset }),
      };
    }
    if (kind === 'primary') {
      const reset = primaryReset ?? snapshot.reset;
      const timestamp = isoSeconds().replace('T', ' ').replace('Z', ' UTC');
      return {
        status,
        body: new ApiError(
          status,
          `API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${timestamp}.`,
          RATE_LIMIT_DOCS,
        ).toBody(),
        rateHeaders: rateLimitHeaders({ ...snapshot, remaining: 0, used: snapshot.limit, reset }),
      };
    }
    return {
      status,
      body: new ApiError(
        status,
        `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`,
        RATE_LIMIT_DOCS,
      ).toBody(),
      headers: { 'retry-after': '1' },
      rateHeaders: rateLimitHeaders(snapshot),
    };
  };

  const route = async (method: string, path: string, query: Record<string, string>, body: unknown, token: string): Promise<Reply> => {
    let routedPath = path.replace(GHES_REST_PREFIX, '');
    const alias = /^\/repositories\/(\d+)(\/.*)?$/.exec(routedPath);
    if (alias) {
      if (Number(alias[1]) !== model.repoId) throw new ApiError(404, 'Not Found');
      routedPath = `/repos/${model.owner}/${model.repo}${alias[2] ?? ''}`;
    }
    const match = router.match(method, routedPath);
    if (!match) throw new ApiError(404, 'Not Found');
    const { owner, repo } = match.params;
    if (
      (owner !== undefined && owner.toLowerCase() !== model.owner.toLowerCase()) ||
      (repo !== undefined && repo.toLowerCase() !== model.repo.toLowerCase())
    ) {
      throw new ApiError(404, 'Not Found', match.route.docs);
    }
    return match.route.handler({ method, path, params: match.params, query, body, token });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counter += 1;
    const id = requestId(counter);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const entry: RequestLogEntry = { method, path, query, status: 0, requestBody: undefined, at: Date.now() };
    requests.push(entry);

    let reply: Reply;
    let rateHeaders: Record<string, string> | undefined;
    const raw = await readBody(req);
    let body: unknown;
    let bodyError = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        bodyError = true;
      }
    }
    entry.requestBody = bodyError ? raw.toString('utf8') : body;

    const graphql = isGraphql(path);
    const operation = graphql ? operationOf(body) : undefined;
    if (operation) entry.operation = operation;
    const window = graphql ? model.graphqlRateLimit : model.rateLimit;
    const fault = faults.take(method, path, operation);
    if (fault?.latencyMs) {
      try {
        await sleep(fault.latencyMs, undefined, { signal: parts.closing });
      } catch {
        return; // closing: the connection is being torn down
      }
    }

    if (!hasToken(req.headers.authorization)) {
      reply = { status: 401, body: new ApiError(401, 'Requires authentication').toBody() };
    } else if (fault?.rateLimit) {
      const status = fault.status === 429 ? 429 : 403;
      const reset = fault.rateLimit === 'primary' ? Math.floor(Date.now() / 1000) + 1 : undefined;
      ({ rateHeaders, ...reply } = rateLimitReply(fault.rateLimit, status, id, graphql, reset));
    } else if (fault?.rawBody !== undefined) {
      reply = { status: 200, rawBody: fault.rawBody };
    } else if (fault?.status && !fault.afterWrite) {
      reply = {
        status: fault.status,
        body: new ApiError(fault.status, fault.message ?? STATUS_CODES[fault.status] ?? 'Server Error').toBody(),
        ...(fault.headers ? { headers: fault.headers } : {}),
      };
    } else if (path !== '/rate_limit' && !window.consume()) {
      ({ rateHeaders, ...reply } = rateLimitReply('primary', 403, id, graphql));
    } else if (bodyError) {
      reply = { status: 400, body: new ApiError(400, 'Problems parsing JSON').toBody() };
    } else {
      try {
        reply = await route(method, path, query, body, tokenOf(req.headers.authorization));
      } catch (error) {
        if (error instanceof ApiError) {
          reply = { status: error.status, body: error.toBody(), headers: error.headers };
        } else {
          const detail = error instanceof Error ? error.message : String(error);
          reply = { status: 500, body: { message: `Server Error: ${detail}`, documentation_url: DOCS, status: '500' } };
        }
      }
      if (fault?.status && fault.afterWrite) {
        reply = { status: fault.status, body: new ApiError(fault.status, STATUS_CODES[fault.status] ?? 'Server Error').toBody() };
      }
    }

    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': id,
      ...(rateHeaders ?? rateLimitHeaders(window.snapshot())),
      ...reply.headers,
    };
    let payload = '';
    let status = reply.status;
    if (reply.rawBody !== undefined) {
      payload = reply.rawBody;
      headers['content-type'] = 'application/json; charset=utf-8';
    } else if (status !== 204 && reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers['content-type'] = 'application/json; charset=utf-8';
      if (method === 'GET' && status === 200) {
        const etag = `W/"${createHash('sha256').update(payload).digest('hex').slice(0, 32)}"`;
        headers.etag = etag;
        headers['cache-control'] = 'private, max-age=60, s-maxage=60';
        if (req.headers['if-none-match'] === etag) {
          status = 304;
          payload = '';
          delete headers['content-type'];
        }
      }
    }
    entry.status = status;
    if (res.destroyed) return;
    res.writeHead(status, headers);
    res.end(payload);
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ message: `Server Error: ${String(error)}`, documentation_url: DOCS, status: '500' }));
    });
  };
}
