// Comments on issues.
import { requireObjectBody, requiredString } from '../body-checks.ts';
import { validationFailed } from '../errors.ts';
import { nodeId } from '../ids.ts';
import { json, listReply, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import { actorOf } from '../tokens.ts';
import type { CommentRecord } from '../types.ts';
import { authorAssociation, findIssue, reactionsJson } from './issues.ts';

const DOCS = {
  list: 'https://docs.github.com/rest/issues/comments#list-issue-comments',
  create: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
};

const MAX_BODY = 65536;

export function commentJson(model: RepoModel, comment: CommentRecord): Record<string, unknown> {
  const url = `${model.repoApiUrl}/issues/comments/${comment.id}`;
  return {
    url,
    html_url: `${model.repoHtmlUrl}/issues/${comment.issue_number}#issuecomment-${comment.id}`,
    issue_url: `${model.repoApiUrl}/issues/${comment.issue_number}`,
    id: comment.id,
    node_id: comment.node_id,
    user: model.users.user(comment.user),
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    author_association: authorAssociation(model, comment.user),
    body: comment.body,
    reactions: reactionsJson(`${url}/reactions`),
    performed_via_github_app: null,
  };
}

export function issueCommentRoutes(model: RepoModel): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/issues/:issue_number/comments',
      docs: DOCS.list,
      handler: (request) => {
        const issue = findIssue(model, request.params.issue_number, DOCS.list);
        const since = request.query.since ? Date.parse(request.query.since) : Number.NaN;
        const comments = model.state.comments.filter(
          (comment) =>
            comment.issue_number === issue.number && (Number.isNaN(since) || Date.parse(comment.updated_at) >= since),
        );
        return listReply(model, request, comments, (comment) => commentJson(model, comment));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/issues/:issue_number/comments',
      docs: DOCS.create,
      handler: ({ params, body: rawBody, token }) => {
        const issue = findIssue(model, params.issue_number, DOCS.create);
        const body = requireObjectBody(rawBody, DOCS.create);
        const text = requiredString(body, 'body', DOCS.create);
        if (text.trim() === '') {
          throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], DOCS.create);
        }
        if (text.length > MAX_BODY) {
          throw validationFailed(
            [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_BODY} characters)` }],
            DOCS.create,
          );
        }
        const id = model.ids.take('comment');
        const now = model.now();
        const comment: CommentRecord = {
          id,
          node_id: nodeId('IC', id),
          issue_number: issue.number,
          body: text,
          user: actorOf(model, token),
          created_at: now,
          updated_at: now,
        };
        model.state.comments.push(comment);
        issue.comments += 1;
        issue.updated_at = now;
        return json(201, commentJson(model, comment), { location: `${model.repoApiUrl}/issues/comments/${id}` });
      },
    },
  ];
}
