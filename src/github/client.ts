// The one Octokit the action uses: @actions/github's getOctokit (route strings through
// `gh.request`, `gh.paginate`, typed `gh.rest.*`) with retries on 5xx and waits on rate limits.
// Every request goes through our own fetch: a deadline per request (request-timeout.ts) and the
// proxy chosen per request (proxy.ts), node:http when there is none (http/node-fetch.ts); its
// answers carry what Octokit reads of a Response (http/answer.ts). getOctokit's default fetch, which
// picks a proxy once at import for GITHUB_API_URL, is replaced (scripts/build.mjs leaves its undici
// out of dist/).
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { systemClock } from '../clock.ts';
import type { Redactor } from '../core/redact.ts';
import type { Log } from '../log.ts';
import { proxyAwareFetch } from '../proxy.ts';
import { tuneRuntime } from '../runtime-tuning.ts';
import { createConcurrencyLimit } from './concurrency-limit.ts';
import { createRateLimitRetries } from './rate-limit-retries.ts';
import { createWritePacer } from './write-pacer.ts';
import { DEFAULT_API_TIMEOUT_MS, fetchWithTimeout, timeoutOf } from './request-timeout.ts';

export type GitHubClient = ReturnType<typeof getOctokit>;
type ThrottleGroup = NonNullable<Extract<ThrottlingOptions, { onRateLimit: unknown }>['write']>;

export interface Repo {
  owner: string;
  repo: string;
}

/** Rate-limit waits are retried this many times before the call fails. */
const RATE_LIMIT_RETRIES = 3;
/** A single rate-limit wait longer than this is not waited out: the call fails with a clear error. */
export const MAX_RATE_LIMIT_WAIT_S = 120;

/**
 * `requestTimeoutMs`: the deadline of each request (see request-timeout.ts); default 30 s.
 * `redactor`: applied to the text of every write (see redactWrite), so no known secret reaches GitHub.
 */
export function createGitHubClient(options: { token: string; baseUrl: string; log: Log; userAgent: string; requestTimeoutMs?: number; redactor?: Redactor }): GitHubClient {
  // Every step builds its client before it makes any request (API, health check or webhook).
  tuneRuntime();
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const again = retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_S;
    const why = retryAfter > MAX_RATE_LIMIT_WAIT_S ? `the wait of ${retryAfter}s is longer than deploy-guard waits (${MAX_RATE_LIMIT_WAIT_S}s)` : `${retryCount} waits already`;
    options.log.warning(
      `GitHub ${kind} rate limit on ${request.method} ${request.url}; ${again ? `retrying in ${retryAfter}s` : `giving up: ${why}`}`,
    );
    return again;
  };
  const throttle: ThrottlingOptions = {
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
    // A deploy's dozen writes go at once; longer runs are spaced as GitHub asks (see write-pacer.ts).
    write: createWritePacer({ burst: 10, intervalMs: 1000, clock: systemClock }) as unknown as ThrottleGroup,
    notifications: createWritePacer({ burst: 3, intervalMs: 3000, clock: systemClock }) as unknown as ThrottleGroup,
    // As the plugin's own global group (10 requests at a time) and retry limiter, without Bottleneck's
    // waits (concurrency-limit.ts, rate-limit-retries.ts). The plugin reads them from these options,
    // though its type names only write and notifications.
    ...({ global: createConcurrencyLimit(10), retryLimiter: createRateLimitRetries(systemClock) } as object),
  };
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      userAgent: options.userAgent,
      log: { debug: () => {}, info: () => {}, warn: (m: string) => options.log.warning(m), error: () => {} },
      throttle,
      retry: { retries: 3 },
      // Replaces getOctokit's whole default `request` (its fetch and agent): Octokit merges options shallowly.
      request: { fetch: fetchWithTimeout(proxyAwareFetch, options.requestTimeoutMs ?? DEFAULT_API_TIMEOUT_MS) },
    },
    retry,
    throttling,
  );
  const redactor = options.redactor;
  if (redactor) octokit.hook.before('request', (request) => redactWrite(request as Record<string, unknown>, redactor));
  return octokit;
}

/** The parameters of a write that people read: issue and comment text, deployment and status descriptions, payloads. */
const WRITTEN_TEXT = ['title', 'body', 'description', 'payload'] as const;
/** GitHub's limit on a deployment's and a status's description, where deploy-guard cuts them. */
const DESCRIPTION_CHARS = 140;

/**
 * The one door to GitHub: every known secret is taken out of what a request writes, whichever
 * module wrote it (an incident's quoted response body, a reason, an error message).
 */
export function redactWrite(request: Record<string, unknown>, redactor: Redactor): void {
  if (String(request.method).toUpperCase() === 'GET') return;
  for (const key of WRITTEN_TEXT) {
    const value = request[key];
    if (value === undefined || value === null) continue;
    // A description cut at GitHub's limit may end in the start of a secret: mark the cut so it is redacted too.
    if (key === 'description' && typeof value === 'string' && value.length >= DESCRIPTION_CHARS) {
      const redacted = redactor.text(`${value}…`);
      request[key] = redacted.slice(0, -1);
    } else request[key] = redactor.deep(value);
  }
}

/**
 * Turns an Octokit error into one that names the route, the status and GitHub's message, and for
 * a missing permission, the permission to grant.
 */
export function apiError(route: string, error: unknown): Error {
  const e = error as {
    status?: number;
    message?: string;
    response?: { data?: { message?: string }; headers?: Record<string, string | undefined> };
  };
  const timedOut = timeoutOf(error);
  if (timedOut) return new Error(`GitHub API ${route} timed out: ${timedOut.reason} (the last of its tries)`, { cause: error });
  const status = e.status ?? 'no response';
  const message = e.response?.data?.message ?? e.message ?? String(error);
  return new Error(`GitHub API ${route} failed (${status}): ${message}${permissionHint(message, e.response?.headers)}`, { cause: error });
}

function permissionHint(message: string, headers: Record<string, string | undefined> | undefined): string {
  if (/workflow/i.test(message) && /permission|scope/i.test(message)) return `. ${WORKFLOWS_HINT}`;
  if (!/not accessible by integration|must have|permission/i.test(message)) return '';
  const accepted = headers?.['x-accepted-github-permissions'];
  // GitHub lists the same accepted permissions for a token without contents: write and for a commit
  // that needs the workflows permission too; GITHUB_TOKEN can never have the latter, so it is never
  // advised under permissions:.
  if (accepted && /workflows=write/.test(accepted)) {
    return `. The token needs contents: write (grant it under permissions: in the job that runs deploy-guard); if the commit's .github/workflows differ from the default branch, it needs the workflows permission as well: ${WORKFLOWS_HINT}`;
  }
  if (accepted) return `. The token needs: ${accepted.replace(/;/g, ' or ')}. Grant it under permissions: in the job that runs deploy-guard.`;
  return '. The token lacks a permission; see SECURITY.md for what each mode needs.';
}

const WORKFLOWS_HINT =
  'GitHub lets a token create or move a ref to a commit whose .github/workflows differ from the default branch only with the workflows permission, ' +
  'which GITHUB_TOKEN can never have; use a GitHub App installation token whose app has Workflows: Read and write, or a fine-grained personal access token with it.';

export function statusOf(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

export async function call<T>(route: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw apiError(route, error);
  }
}
