// A deadline for every GitHub API request. fetch has none of its own: a request GitHub (or a
// proxy) never answers would hold the run, and the deployment it recorded, until the job's own
// timeout (6 hours by default). The deadline covers the whole exchange, headers and body; a
// request that misses it fails as a 5xx would, so Octokit's retries (and create-once's look
// before a second create) still apply.
import { formatDuration, parseDuration } from '../core/duration.ts';
import { bufferedAnswer, type Fetch } from '../http/answer.ts';

/** Longest one API request may take, unless DEPLOY_GUARD_API_TIMEOUT says otherwise. */
export const DEFAULT_API_TIMEOUT_MS = 30_000;
/** DEPLOY_GUARD_API_TIMEOUT is at most this: a longer wait, times Octokit's retries, is a hang. */
export const MAX_API_TIMEOUT_MS = 10 * 60_000;
export const API_TIMEOUT_VARIABLE = 'DEPLOY_GUARD_API_TIMEOUT';

/** A request that got no (whole) answer within the deadline. */
export class ApiTimeoutError extends Error {
  override name = 'ApiTimeoutError';
  /** "no answer within 30s", for a message that names the route itself. */
  readonly reason: string;
  constructor(
    readonly route: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    const reason = `no answer within ${formatDuration(timeoutMs)}`;
    super(`${route} timed out: ${reason}`, options);
    this.reason = reason;
  }
}

/**
 * `fetcher` with a deadline of `timeoutMs` for the request and its whole body. The body is read
 * here, under the deadline, because Octokit reads it after fetch has returned, where nothing
 * would bound it.
 */
export function fetchWithTimeout(fetcher: Fetch, timeoutMs: number): Fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      const response = await fetcher(input, { ...init, signal });
      const body = new Uint8Array(await response.arrayBuffer());
      return bufferedAnswer({ status: response.status, statusText: response.statusText, url: response.url, headers: response.headers }, body);
    } catch (error) {
      if (deadline.aborted && !init?.signal?.aborted) throw new ApiTimeoutError(routeOf(input, init), timeoutMs, { cause: error });
      throw error;
    }
  };
}

function routeOf(input: Parameters<Fetch>[0], init: Parameters<Fetch>[1]): string {
  const url = new URL(input);
  const method = init?.method ?? 'GET';
  return `${method.toUpperCase()} ${url.pathname}`;
}

/** The ApiTimeoutError an Octokit error was made from, if it was. */
export function timeoutOf(error: unknown): ApiTimeoutError | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 10; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof ApiTimeoutError) return e;
  }
  return undefined;
}

/** The API timeout from DEPLOY_GUARD_API_TIMEOUT (a duration such as 30s), read by the composition roots. */
export function apiTimeoutFrom(env: NodeJS.ProcessEnv): { ms: number; warning?: string } {
  const text = env[API_TIMEOUT_VARIABLE]?.trim();
  if (!text) return { ms: DEFAULT_API_TIMEOUT_MS };
  const parsed = parseDuration(text, MAX_API_TIMEOUT_MS);
  if (parsed.ok) return { ms: parsed.ms };
  return {
    ms: DEFAULT_API_TIMEOUT_MS,
    warning: `${API_TIMEOUT_VARIABLE}: ${parsed.error}; using ${formatDuration(DEFAULT_API_TIMEOUT_MS)}`,
  };
}
