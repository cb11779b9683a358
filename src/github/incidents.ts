// Incident issues: the gate reads them, a failed deploy opens one.
import type { IssueSummary } from '../core/gate-decision.ts';
import type { IssueEvent, RecordedIncident } from '../core/incident-judgement.ts';
import { isIssue, isIssueEvent, listOf, objectOf } from './answer-shapes.ts';
import { DEPLOY_GUARD_TASK } from './deployments.ts';
import type { IncidentRef } from '../core/outcome.ts';
import type { Endpoints } from '@octokit/types';
import { call, statusOf, apiError, type GitHubClient, type Repo } from './client.ts';
import { createOnce, NO_RETRY } from './create-once.ts';

const PAGE = 100;

/**
 * Every page of a list, each answer checked for its shape. Not Octokit's paginate: it reads a
 * `null` or empty answer as an empty list, which would make a broken answer look like "no incidents".
 */
async function allPages<T>(route: string, page: (n: number) => Promise<{ data: unknown }>, item: (e: Record<string, unknown>) => boolean, what: string): Promise<T[]> {
  const all: T[] = [];
  for (let n = 1; ; n += 1) {
    const { data } = await call(route, () => page(n));
    const items = listOf<T>(route, data, item, what);
    all.push(...items);
    if (items.length < PAGE) return all;
  }
}

export async function listOpenLabeledIssues(gh: GitHubClient, repo: Repo, label: string): Promise<IssueSummary[]> {
  const issues = await allPages<ListedIssue>(
    'GET /issues',
    (page) => gh.request('GET /repos/{owner}/{repo}/issues', { ...repo, state: 'open', labels: label, per_page: PAGE, page }),
    isIssue,
    'issues',
  );
  return issues.map(toSummary);
}

/** The fields read from a listed issue (the paginate and request typings differ in the rest). */
type ListedIssue = Pick<Endpoints['GET /repos/{owner}/{repo}/issues']['response']['data'][number], 'number' | 'title' | 'html_url' | 'body' | 'pull_request' | 'user'>;

function toSummary(issue: ListedIssue): IssueSummary {
  return {
    number: issue.number,
    title: issue.title,
    htmlUrl: issue.html_url,
    body: issue.body ?? '',
    isPullRequest: Boolean(issue.pull_request),
    author: { login: issue.user?.login ?? '', type: issue.user?.type ?? '' },
  };
}

/**
 * An incident issue as it is now, with its events (who closed it, who took labels off) when it is
 * closed or has lost `label`; 'deleted' when GitHub answers 410 (only an admin can delete an issue).
 */
export async function readIncident(gh: GitHubClient, repo: Repo, issueNumber: number, label: string): Promise<RecordedIncident | 'deleted'> {
  const route = `GET /issues/${issueNumber}`;
  let data: Endpoints['GET /repos/{owner}/{repo}/issues/{issue_number}']['response']['data'];
  try {
    ({ data } = await gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: issueNumber }));
  } catch (error) {
    if (statusOf(error) === 410) return 'deleted';
    throw apiError(route, error);
  }
  const issue = objectOf<typeof data>(route, data, isIssue, 'an issue');
  const state = issue.state === 'closed' ? 'closed' : 'open';
  // Who closed it, and who took the label off, are in its events: read them when either can matter.
  const labeled = (issue.labels ?? []).some((l) => (typeof l === 'string' ? l : l.name)?.toLowerCase() === label.toLowerCase());
  const events = state === 'closed' || !labeled ? await issueEvents(gh, repo, issueNumber) : [];
  return {
    number: issue.number,
    title: issue.title,
    htmlUrl: issue.html_url,
    body: issue.body ?? '',
    state,
    stateReason: issue.state_reason ?? null,
    author: { login: issue.user?.login ?? '', type: issue.user?.type ?? '' },
    closedBy: issue.closed_by?.login ?? undefined,
    events,
  };
}

async function issueEvents(gh: GitHubClient, repo: Repo, issueNumber: number): Promise<IssueEvent[]> {
  const events = await allPages<{ event: string; actor?: { login: string } | null; label?: { name?: string } | null }>(
    `GET /issues/${issueNumber}/events`,
    (page) => gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}/events', { ...repo, issue_number: issueNumber, per_page: PAGE, page }),
    isIssueEvent,
    'issue events',
  );
  return events.map((e) => ({ event: e.event, actor: e.actor?.login ?? undefined, label: e.label?.name ?? undefined }));
}

const identities = new WeakMap<GitHubClient, Promise<string | undefined>>();

/**
 * deploy-guard's own identity: the login its writes are made as, so that only issues it opened
 * count as incidents. A personal token's user answers GET /user. An installation token
 * (GITHUB_TOKEN, a GitHub App) is refused GET /user with 403 "Resource not accessible by
 * integration"; its identity is then the creator of deploy-guard's own deployments (undefined
 * before the first one). Any other answer leaves it unknown, and the gate fails closed.
 */
export function ownIdentity(gh: GitHubClient, repo: Repo): Promise<string | undefined> {
  let identity = identities.get(gh);
  if (!identity) {
    identity = gh.request('GET /user').then(
      ({ data }) => objectOf<{ login: string }>('GET /user', data, (u) => typeof u.login === 'string', 'a user').login,
      async (error: unknown) => {
        const message = (error as { response?: { data?: { message?: string } } }).response?.data?.message ?? '';
        if (statusOf(error) !== 403 || !/not accessible by integration/i.test(message)) throw apiError('GET /user', error);
        const { data } = await call('GET /deployments', () => gh.request('GET /repos/{owner}/{repo}/deployments', { ...repo, task: DEPLOY_GUARD_TASK, per_page: 1 }));
        return data[0]?.creator?.login ?? undefined;
      },
    );
    identity.catch(() => identities.delete(gh));
    identities.set(gh, identity);
  }
  return identity;
}

export interface LabelLook {
  color: string;
  description: string;
}

const INCIDENT_LABEL: LabelLook = { color: 'b60205', description: 'deploy-guard: deploys to an environment are blocked while this is open' };

/** Creates a label (by default the incident label, in a colour people notice); an existing label is left as it is. */
export async function ensureLabel(gh: GitHubClient, repo: Repo, label: string, look: LabelLook = INCIDENT_LABEL): Promise<void> {
  try {
    await gh.request('POST /repos/{owner}/{repo}/labels', { ...repo, name: label, color: look.color, description: look.description });
  } catch (error) {
    if (statusOf(error) === 422) return; // already exists
    throw apiError('POST /labels', error);
  }
}

/** Puts `add` on the issue and takes `remove` off (gone already is fine). */
export async function swapLabel(gh: GitHubClient, repo: Repo, issueNumber: number, add: string, remove: string): Promise<void> {
  await call(`POST /issues/${issueNumber}/labels`, () => gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...repo, issue_number: issueNumber, labels: [add] }));
  try {
    await gh.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { ...repo, issue_number: issueNumber, name: remove });
  } catch (error) {
    if (statusOf(error) !== 404) throw apiError(`DELETE /issues/${issueNumber}/labels/${remove}`, error);
  }
}

/** Replaces the issue's description. PATCH is idempotent: retries are safe. */
export async function setIssueBody(gh: GitHubClient, repo: Repo, issueNumber: number, body: string): Promise<void> {
  await call(`PATCH /issues/${issueNumber}`, () => gh.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: issueNumber, body }));
}

/** `find` looks for the issue this call would have made, in case a failed POST did make it. */
export async function openIssue(
  gh: GitHubClient,
  repo: Repo,
  issue: { title: string; body: string; labels: string[] },
  find: () => Promise<IncidentRef | undefined>,
): Promise<IncidentRef> {
  return createOnce(
    'POST /issues',
    async () => {
      const { data } = await gh.request('POST /repos/{owner}/{repo}/issues', { ...repo, title: issue.title, body: issue.body, labels: issue.labels, ...NO_RETRY });
      return { number: data.number, url: data.html_url };
    },
    find,
  );
}

/** Adds a comment unless one carrying `marker` is already there (a failed POST that did happen). */
export async function commentOnIssue(gh: GitHubClient, repo: Repo, issueNumber: number, body: string, marker: string): Promise<void> {
  await createOnce(
    `POST /issues/${issueNumber}/comments`,
    async () => {
      await gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber, body, ...NO_RETRY });
      return true;
    },
    async () => {
      const comments = await gh.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber, per_page: 100 });
      return comments.some((c) => c.body?.includes(marker)) ? true : undefined;
    },
  );
}

/** Closes an issue that duplicates another, saying which. PATCH is idempotent: retries are safe. */
export async function closeAsDuplicate(gh: GitHubClient, repo: Repo, issueNumber: number, originalUrl: string): Promise<void> {
  await call(`POST /issues/${issueNumber}/comments`, () =>
    gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issueNumber, body: `Duplicate of ${originalUrl}, opened at the same time by another run; this failure was added there.` }),
  );
  await call(`PATCH /issues/${issueNumber}`, () => gh.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: issueNumber, state: 'closed', state_reason: 'not_planned' }));
}
