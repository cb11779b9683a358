// Issues: create, list with GitHub's filters, get, update (close/reopen), and the issue JSON.
import { isObject, optionalEnum, optionalString, requireObjectBody, type JsonObject } from '../body-checks.ts';
import { ApiError, invalidRequest, notFound, validationFailed } from '../errors.ts';
import { nodeId } from '../ids.ts';
import { intParam, json, listReply, nextIssueNumber, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import { actorOf } from '../tokens.ts';
import type { IssueRecord, IssueStateReason } from '../types.ts';
import { recordIssueEvent, setIssueLabels } from './issue-events.ts';
import { ensureLabels, findLabel, labelJson } from './labels.ts';

const DOCS = {
  list: 'https://docs.github.com/rest/issues/issues#list-repository-issues',
  create: 'https://docs.github.com/rest/issues/issues#create-an-issue',
  get: 'https://docs.github.com/rest/issues/issues#get-an-issue',
  update: 'https://docs.github.com/rest/issues/issues#update-an-issue',
};

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

export function authorAssociation(model: RepoModel, login: string): string {
  return model.users.user(login).type === 'Bot' ? 'NONE' : 'MEMBER';
}

export function reactionsJson(url: string): Record<string, unknown> {
  return { url, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
}

export function issueJson(model: RepoModel, issue: IssueRecord): Record<string, unknown> {
  const url = `${model.repoApiUrl}/issues/${issue.number}`;
  const labels = issue.labels.map((name) => findLabel(model, name)).filter((label) => label !== undefined);
  const assignees = issue.assignees.map((login) => model.users.user(login));
  return {
    url,
    repository_url: model.repoApiUrl,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${model.repoHtmlUrl}/issues/${issue.number}`,
    id: issue.id,
    node_id: issue.node_id,
    number: issue.number,
    title: issue.title,
    user: model.users.user(issue.user),
    labels: labels.map((label) => labelJson(model, label)),
    state: issue.state,
    locked: issue.locked,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    comments: issue.comments,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    author_association: authorAssociation(model, issue.user),
    active_lock_reason: null,
    body: issue.body,
    closed_by: issue.closed_by ? model.users.user(issue.closed_by) : null,
    reactions: reactionsJson(`${url}/reactions`),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: issue.state_reason,
  };
}

export function findIssue(model: RepoModel, rawNumber: string | undefined, docs: string): IssueRecord {
  const number = intParam(rawNumber);
  const issue = number === undefined ? undefined : model.state.issues.find((candidate) => candidate.number === number);
  // "If the issue was deleted from a repository where the authenticated user has read access, the API returns a 410 Gone status."
  if (!issue && number !== undefined && model.deletedIssues.has(number)) throw new ApiError(410, 'This issue was deleted', docs);
  if (!issue) throw notFound(docs);
  return issue;
}

/** Label names from GitHub's accepted forms: ['a'] or [{name: 'a'}]. */
export function labelNamesFrom(value: unknown, field: string, docs: string): string[] {
  if (!Array.isArray(value)) throw invalidRequest(`For '${field}', ${JSON.stringify(value)} is not an array.`, docs);
  return value.map((item) => {
    if (typeof item === 'string') return item;
    if (isObject(item) && typeof item.name === 'string') return item.name;
    throw invalidRequest(`For '${field}', ${JSON.stringify(item)} is not a label name.`, docs);
  });
}

function assigneesFrom(body: JsonObject, docs: string): string[] | undefined {
  const logins: string[] = [];
  let given = false;
  if (body.assignees !== undefined) {
    given = true;
    if (!Array.isArray(body.assignees)) throw invalidRequest(`For 'assignees', ${JSON.stringify(body.assignees)} is not an array.`, docs);
    for (const item of body.assignees) {
      const login = typeof item === 'string' ? item : isObject(item) && typeof item.login === 'string' ? item.login : undefined;
      if (login === undefined) throw invalidRequest(`For 'assignees', ${JSON.stringify(item)} is not a login.`, docs);
      logins.push(login);
    }
  }
  if (body.assignee !== undefined) {
    given = true;
    const assignee = optionalString(body, 'assignee', docs, true);
    if (assignee) logins.unshift(assignee);
  }
  if (!given) return undefined;
  const invalid = logins.find((login) => !LOGIN.test(login));
  if (invalid !== undefined) {
    throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'assignees', value: invalid }], docs);
  }
  return [...new Set(logins)];
}

function titleFrom(body: JsonObject, required: boolean, docs: string): string | undefined {
  const value = body.title;
  if (value === undefined) {
    if (required) throw invalidRequest(`"title" wasn't supplied.`, docs);
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw invalidRequest(`For 'title', ${JSON.stringify(value)} is not a string or integer.`, docs);
  }
  const title = String(value);
  if (title.trim() === '') throw validationFailed([{ resource: 'Issue', code: 'missing_field', field: 'title' }], docs);
  return title;
}

function rejectMilestone(body: JsonObject, docs: string): void {
  // The double has no milestones, so naming one can only be invalid.
  if (body.milestone !== undefined && body.milestone !== null) {
    throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'milestone', value: body.milestone }], docs);
  }
}

export function closeIssueRecord(model: RepoModel, issue: IssueRecord, by: string, reason: IssueStateReason): void {
  const now = model.now();
  if (issue.state !== 'closed') {
    issue.state = 'closed';
    issue.closed_at = now;
    issue.closed_by = by;
    recordIssueEvent(model, issue, 'closed', by);
  }
  issue.state_reason = reason;
  issue.updated_at = now;
}

export function reopenIssueRecord(model: RepoModel, issue: IssueRecord, by: string): void {
  if (issue.state === 'open') return;
  recordIssueEvent(model, issue, 'reopened', by);
  issue.state = 'open';
  issue.closed_at = null;
  issue.closed_by = null;
  issue.state_reason = 'reopened';
  issue.updated_at = model.now();
}

function filterIssues(model: RepoModel, query: Record<string, string>): IssueRecord[] {
  const state = query.state === 'closed' || query.state === 'all' ? query.state : 'open';
  const wantedLabels = (query.labels ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const creator = query.creator?.toLowerCase();
  const assignee = query.assignee?.toLowerCase();
  const since = query.since ? Date.parse(query.since) : Number.NaN;
  const sort = query.sort === 'updated' || query.sort === 'comments' ? query.sort : 'created';
  const direction = query.direction === 'asc' ? 1 : -1;

  const matches = model.state.issues.filter((issue) => {
    if (state !== 'all' && issue.state !== state) return false;
    const names = issue.labels.map((name) => name.toLowerCase());
    if (!wantedLabels.every((name) => names.includes(name))) return false;
    if (creator !== undefined && issue.user.toLowerCase() !== creator) return false;
    if (assignee === '*' && issue.assignees.length === 0) return false;
    if (assignee === 'none' && issue.assignees.length > 0) return false;
    if (assignee !== undefined && assignee !== '*' && assignee !== 'none' && !issue.assignees.some((login) => login.toLowerCase() === assignee)) {
      return false;
    }
    if (query.milestone === '*') return false;
    if (!Number.isNaN(since) && Date.parse(issue.updated_at) < since) return false;
    return true;
  });
  const key = (issue: IssueRecord): number =>
    sort === 'comments' ? issue.comments : Date.parse(sort === 'updated' ? issue.updated_at : issue.created_at);
  return matches.sort((a, b) => direction * (key(a) - key(b) || a.number - b.number));
}

export function issueRoutes(model: RepoModel): RouteDefinition[] {
  const toJson = (issue: IssueRecord) => issueJson(model, issue);

  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/issues',
      docs: DOCS.list,
      handler: (request) => listReply(model, request, filterIssues(model, request.query), toJson),
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/issues',
      docs: DOCS.create,
      handler: ({ body: rawBody, token }) => {
        const bot = actorOf(model, token);
        const body = requireObjectBody(rawBody, DOCS.create);
        const title = titleFrom(body, true, DOCS.create)!;
        const text = optionalString(body, 'body', DOCS.create, true) ?? null;
        rejectMilestone(body, DOCS.create);
        const assignees = assigneesFrom(body, DOCS.create) ?? [];
        const labels = body.labels === undefined ? [] : ensureLabels(model, labelNamesFrom(body.labels, 'labels', DOCS.create));
        const id = model.ids.take('issue');
        const now = model.now();
        const issue: IssueRecord = {
          id,
          node_id: nodeId('I', id),
          number: nextIssueNumber(model),
          title,
          body: text,
          state: 'open',
          state_reason: null,
          labels: [],
          assignees,
          user: bot,
          locked: false,
          comments: 0,
          created_at: now,
          updated_at: now,
          closed_at: null,
          closed_by: null,
        };
        model.state.issues.push(issue);
        setIssueLabels(model, issue, labels.map((label) => label.name), bot);
        issue.updated_at = now;
        return json(201, toJson(issue), { location: `${model.repoApiUrl}/issues/${issue.number}` });
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/issues/:issue_number',
      docs: DOCS.get,
      handler: ({ params }) => json(200, toJson(findIssue(model, params.issue_number, DOCS.get))),
    },
    {
      method: 'PATCH',
      pattern: '/repos/:owner/:repo/issues/:issue_number',
      docs: DOCS.update,
      handler: ({ params, body: rawBody, token }) => {
        const actor = actorOf(model, token);
        const issue = findIssue(model, params.issue_number, DOCS.update);
        const body = requireObjectBody(rawBody, DOCS.update);
        const title = body.title === null ? undefined : titleFrom(body, false, DOCS.update);
        const text = optionalString(body, 'body', DOCS.update, true);
        const state = optionalEnum(body, 'state', ['open', 'closed'] as const, DOCS.update);
        const reason =
          body.state_reason === null
            ? null
            : optionalEnum(body, 'state_reason', ['completed', 'not_planned', 'duplicate', 'reopened'] as const, DOCS.update);
        rejectMilestone(body, DOCS.update);
        const assignees = assigneesFrom(body, DOCS.update);
        const labels = body.labels === undefined ? undefined : ensureLabels(model, labelNamesFrom(body.labels, 'labels', DOCS.update));

        if (title !== undefined) issue.title = title;
        if (text !== undefined) issue.body = text;
        if (assignees !== undefined) issue.assignees = assignees;
        if (labels !== undefined) setIssueLabels(model, issue, labels.map((label) => label.name), actor);
        const closing = state === 'closed' || (state === undefined && issue.state === 'closed');
        if (closing) {
          const closeReason = reason && reason !== 'reopened' ? reason : issue.state === 'closed' ? issue.state_reason ?? 'completed' : 'completed';
          // A PATCH acts as the token's identity.
          closeIssueRecord(model, issue, actor, closeReason);
        } else if (state === 'open') {
          reopenIssueRecord(model, issue, actor);
        }
        issue.updated_at = model.now();
        return json(200, toJson(issue));
      },
    },
  ];
}
