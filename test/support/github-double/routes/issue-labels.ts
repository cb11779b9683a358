// Labels on one issue: list, add, replace, remove.
import { isObject } from '../body-checks.ts';
import { ApiError, invalidRequest } from '../errors.ts';
import { json, listReply, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import { actorOf } from '../tokens.ts';
import type { IssueRecord } from '../types.ts';
import { ensureLabels, findLabel, labelJson } from './labels.ts';
import { setIssueLabels } from './issue-events.ts';
import { findIssue, labelNamesFrom } from './issues.ts';

const DOCS = {
  list: 'https://docs.github.com/rest/issues/labels#list-labels-for-an-issue',
  add: 'https://docs.github.com/rest/issues/labels#add-labels-to-an-issue',
  set: 'https://docs.github.com/rest/issues/labels#set-labels-for-an-issue',
  removeAll: 'https://docs.github.com/rest/issues/labels#remove-all-labels-from-an-issue',
  remove: 'https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue',
};

/** GitHub takes {labels: [...]} or a bare array, of names or {name} objects. */
function requestedNames(body: unknown, docs: string, allowEmpty: boolean): string[] {
  const list = Array.isArray(body) ? body : isObject(body) ? body.labels : undefined;
  if (list === undefined) throw invalidRequest(`"labels" wasn't supplied.`, docs);
  const names = labelNamesFrom(list, 'labels', docs);
  if (!allowEmpty && names.length === 0) throw invalidRequest(`For 'labels', [] has fewer items than the minimum of 1.`, docs);
  return names;
}

export function issueLabelRoutes(model: RepoModel): RouteDefinition[] {
  const labelsOf = (issue: IssueRecord) =>
    issue.labels.map((name) => findLabel(model, name)).filter((label) => label !== undefined);
  const reply = (issue: IssueRecord) => json(200, labelsOf(issue).map((label) => labelJson(model, label)));

  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
      docs: DOCS.list,
      handler: (request) => {
        const issue = findIssue(model, request.params.issue_number, DOCS.list);
        return listReply(model, request, labelsOf(issue), (label) => labelJson(model, label));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
      docs: DOCS.add,
      handler: ({ params, body, token }) => {
        const issue = findIssue(model, params.issue_number, DOCS.add);
        const labels = ensureLabels(model, requestedNames(body, DOCS.add, false));
        const added = labels.map((label) => label.name).filter((name) => !issue.labels.includes(name));
        setIssueLabels(model, issue, [...issue.labels, ...added], actorOf(model, token));
        return reply(issue);
      },
    },
    {
      method: 'PUT',
      pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
      docs: DOCS.set,
      handler: ({ params, body, token }) => {
        const issue = findIssue(model, params.issue_number, DOCS.set);
        setIssueLabels(model, issue, ensureLabels(model, requestedNames(body ?? [], DOCS.set, true)).map((label) => label.name), actorOf(model, token));
        issue.updated_at = model.now();
        return reply(issue);
      },
    },
    {
      method: 'DELETE',
      pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
      docs: DOCS.removeAll,
      handler: ({ params, token }) => {
        const issue = findIssue(model, params.issue_number, DOCS.removeAll);
        setIssueLabels(model, issue, [], actorOf(model, token));
        return json(204);
      },
    },
    {
      method: 'DELETE',
      pattern: '/repos/:owner/:repo/issues/:issue_number/labels/:name',
      docs: DOCS.remove,
      handler: ({ params, token }) => {
        const issue = findIssue(model, params.issue_number, DOCS.remove);
        const label = params.name === undefined ? undefined : findLabel(model, params.name);
        if (!label || !issue.labels.includes(label.name)) throw new ApiError(404, 'Label does not exist', DOCS.remove);
        setIssueLabels(model, issue, issue.labels.filter((name) => name !== label.name), actorOf(model, token));
        return reply(issue);
      },
    },
  ];
}
