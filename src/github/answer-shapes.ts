// The shapes of GitHub's answers the gate decides on. Anything else (null, an object for a list,
// an empty body) is refused, so a broken proxy or server makes the gate fail closed, not clear.

function unexpected(route: string, what: string, value: unknown): Error {
  const seen = value === null ? 'null' : Array.isArray(value) ? 'a list' : value === '' ? 'an empty body' : typeof value;
  return new Error(`GitHub API ${route} answered with ${seen} where ${what} was expected; not deciding on it`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function listOf<T>(route: string, value: unknown, item: (entry: Record<string, unknown>) => boolean, what: string): T[] {
  if (!Array.isArray(value)) throw unexpected(route, `a list of ${what}`, value);
  for (const entry of value) if (!isObject(entry) || !item(entry)) throw unexpected(route, `a list of ${what}`, entry);
  return value as T[];
}

export function objectOf<T>(route: string, value: unknown, check: (entry: Record<string, unknown>) => boolean, what: string): T {
  if (!isObject(value) || !check(value)) throw unexpected(route, what, value);
  return value as T;
}

const login = (user: unknown) => user === null || user === undefined || (isObject(user) && typeof user.login === 'string');

/** An issue as listed or read: a number, a title, a state, an author. */
export const isIssue = (e: Record<string, unknown>): boolean =>
  Number.isInteger(e.number) && typeof e.title === 'string' && (e.state === 'open' || e.state === 'closed') && login(e.user) && (e.body === null || e.body === undefined || typeof e.body === 'string');

export const isRef = (e: Record<string, unknown>): boolean => typeof e.ref === 'string';

export const isIssueEvent = (e: Record<string, unknown>): boolean => typeof e.event === 'string' && login(e.actor);
