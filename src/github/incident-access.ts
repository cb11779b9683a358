// What people read when the token cannot reach incident-repository. GitHub answers 404 for a
// repository a token cannot see (it does not confirm private ones exist) and 403 for a permission
// the token lacks; GITHUB_TOKEN can never reach another repository (docs/github-behaviours.md).
import type { Repo } from './client.ts';

/** The tokens that can reach more than one repository, and what they need there. */
const TOKEN_ADVICE =
  'GITHUB_TOKEN can never reach another repository: pass as github-token a GitHub App installation token or a fine-grained ' +
  'personal access token that can reach';
const NEEDS = 'Issues: Read and write and Contents: Read and write';

interface RequestFailure {
  status?: number;
  request?: { method?: string; url?: string };
  response?: { data?: { message?: string }; headers?: Record<string, string | undefined> };
  cause?: unknown;
}

/**
 * The advice for a request to `central` that GitHub refused for want of access, or undefined when
 * `error` is anything else (another repository's answer, a 5xx, a rate limit, a missing issue).
 */
export function centralAccessProblem(error: unknown, central: Repo): string | undefined {
  const failure = requestFailureIn(error);
  const where = failure?.request?.url ? repositoryPath(failure.request.url) : undefined;
  if (!failure || !where || where.owner.toLowerCase() !== central.owner.toLowerCase() || where.repo.toLowerCase() !== central.repo.toLowerCase()) return undefined;
  const name = `${central.owner}/${central.repo}`;
  const route = `${(failure.request?.method ?? 'GET').toUpperCase()} ${where.rest || '/'}`;
  if (failure.status === 404 && isCollection(where.rest)) {
    return `GitHub answers 404 for ${name}, the incident-repository: it does not exist, or the token cannot see it. ${TOKEN_ADVICE} ${name}, with ${NEEDS} there.`;
  }
  const message = failure.response?.data?.message ?? '';
  const headers = failure.response?.headers ?? {};
  if (failure.status !== 403 || /rate limit/i.test(message) || headers['x-ratelimit-remaining'] === '0') return undefined;
  const accepted = headers['x-accepted-github-permissions'];
  return (
    `GitHub refused the token ${route} in ${name}, the incident-repository (403: ${message || 'Forbidden'}): it needs ${permissionFor(where.rest)} there` +
    `${accepted ? ` (GitHub accepts: ${accepted})` : ''}. ${TOKEN_ADVICE} ${name}, with ${NEEDS} there.`
  );
}

/** The Octokit request error behind `error` (deploy-guard's API errors keep it as their cause). */
function requestFailureIn(error: unknown): RequestFailure | undefined {
  for (let e = error as RequestFailure | undefined, depth = 0; e && depth < 5; e = e.cause as RequestFailure | undefined, depth += 1) {
    if (typeof e.status === 'number' && e.request?.url) return e;
  }
  return undefined;
}

/** `/repos/{owner}/{repo}{rest}` in a request URL (after any base path, as on GitHub Enterprise Server). */
function repositoryPath(url: string): { owner: string; repo: string; rest: string } | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const match = /\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return undefined;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  return { owner: decode(match[1]!), repo: decode(match[2]!), rest: match[3] ?? '' };
}

/** A 404 from these means the repository itself is out of sight; one for a single issue or ref may not. */
function isCollection(rest: string): boolean {
  return /^\/(issues|labels|git\/refs|git\/matching-refs\/.*)$/.test(rest);
}

function permissionFor(rest: string): string {
  if (rest.startsWith('/git/')) return 'Contents: Read and write (incident records are refs)';
  if (rest.startsWith('/collaborators/')) return 'push access (Contents: Read and write), to read the roles of the people who close incidents';
  return 'Issues: Read and write';
}
