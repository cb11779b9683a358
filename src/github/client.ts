// The one Octokit the action uses: GitHub's API with retries on 5xx and waits on rate limits.
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Log } from '../log.ts';

const GuardedOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GuardedOctokit>;

export interface Repo {
  owner: string;
  repo: string;
}

/** Rate-limit waits are retried this many times before the call fails. */
const RATE_LIMIT_RETRIES = 3;

export function createGitHubClient(options: { token: string; baseUrl: string; log: Log; userAgent: string }): GitHubClient {
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const again = retryCount < RATE_LIMIT_RETRIES;
    options.log.warning(
      `GitHub ${kind} rate limit on ${request.method} ${request.url}; ${again ? `retrying in ${retryAfter}s` : 'giving up'}`,
    );
    return again;
  };
  return new GuardedOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    log: { debug: () => {}, info: () => {}, warn: (m: string) => options.log.warning(m), error: () => {} },
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    retry: { retries: 3 },
  });
}

/** Turns an Octokit error into one that names the route, the status and GitHub's message. */
export function apiError(route: string, error: unknown): Error {
  const e = error as { status?: number; message?: string; response?: { data?: { message?: string } } };
  const status = e.status ?? 'no response';
  const message = e.response?.data?.message ?? e.message ?? String(error);
  return new Error(`GitHub API ${route} failed (${status}): ${message}`, { cause: error });
}

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
