// An issue's events (closed, reopened, labeled, unlabeled), each with who did it, as GitHub lists
// them under GET /issues/{n}/events (oldest first). deploy-guard judges a closed incident by them.
import { nodeId } from '../ids.ts';
import { listReply, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import type { IssueEventKind, IssueEventRecord, IssueRecord } from '../types.ts';
import { findLabel, labelJson } from './labels.ts';
import { findIssue } from './issues.ts';

const DOCS = { list: 'https://docs.github.com/rest/issues/events#list-issue-events' };

export function recordIssueEvent(model: RepoModel, issue: IssueRecord, event: IssueEventKind, actor: string, label?: string): void {
  const id = model.ids.take('issueEvent');
  model.state.issueEvents.push({ id, node_id: nodeId('IE', id), issue_number: issue.number, event, actor, ...(label ? { label } : {}), created_at: model.now() });
}

/** Sets an issue's labels, recording a labeled/unlabeled event by `actor` for each change. */
export function setIssueLabels(model: RepoModel, issue: IssueRecord, names: readonly string[], actor: string): void {
  const before = issue.labels;
  for (const name of before) if (!names.includes(name)) recordIssueEvent(model, issue, 'unlabeled', actor, name);
  for (const name of names) if (!before.includes(name)) recordIssueEvent(model, issue, 'labeled', actor, name);
  if (before.length !== names.length || before.some((name, i) => names[i] !== name)) issue.updated_at = model.now();
  issue.labels = [...names];
}

function eventJson(model: RepoModel, event: IssueEventRecord): Record<string, unknown> {
  const label = event.label ? findLabel(model, event.label) : undefined;
  return {
    id: event.id,
    node_id: event.node_id,
    url: `${model.repoApiUrl}/issues/events/${event.id}`,
    actor: model.users.user(event.actor),
    event: event.event,
    commit_id: null,
    commit_url: null,
    created_at: event.created_at,
    performed_via_github_app: null,
    // GitHub keeps the label's name as it was (a deleted label still shows); the colour is the label's now.
    ...(event.label ? { label: { name: event.label, color: label ? labelJson(model, label).color : 'ededed' } } : {}),
    ...(event.event === 'closed' ? { state_reason: null } : {}),
  };
}

export function issueEventRoutes(model: RepoModel): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/issues/:issue_number/events',
      docs: DOCS.list,
      handler: (request) => {
        const issue = findIssue(model, request.params.issue_number, DOCS.list);
        const events = model.state.issueEvents.filter((event) => event.issue_number === issue.number).sort((a, b) => a.id - b.id);
        return listReply(model, request, events, (event) => eventJson(model, event));
      },
    },
  ];
}
