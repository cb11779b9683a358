// Comments on commits (not on a line of a diff: deploy-guard comments on the commit as a whole).
import { requireObjectBody, requiredString } from '../body-checks.ts';
import { unprocessable, validationFailed } from '../errors.ts';
import { nodeId } from '../ids.ts';
import { json, listReply, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import { actorOf } from '../tokens.ts';
import type { CommitCommentRecord } from '../types.ts';
import { authorAssociation, reactionsJson } from './issues.ts';

const DOCS = {
  list: 'https://docs.github.com/rest/commits/comments#list-commit-comments',
  create: 'https://docs.github.com/rest/commits/comments#create-a-commit-comment',
};

/** As for issue comments (GitHub does not document a commit comment's limit; not confirmed). */
const MAX_BODY = 65536;

function commitCommentJson(model: RepoModel, comment: CommitCommentRecord): Record<string, unknown> {
  const url = `${model.repoApiUrl}/comments/${comment.id}`;
  return {
    html_url: `${model.repoHtmlUrl}/commit/${comment.commit_id}#commitcomment-${comment.id}`,
    url,
    id: comment.id,
    node_id: comment.node_id,
    body: comment.body,
    path: null,
    position: null,
    line: null,
    commit_id: comment.commit_id,
    user: model.users.user(comment.user),
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    author_association: authorAssociation(model, comment.user),
    reactions: reactionsJson(`${url}/reactions`),
  };
}

/** The full sha of the commit `sha` names (full or abbreviated), as GET /commits/{ref} answers for one it lacks. */
async function commitOf(model: RepoModel, sha: string | undefined, docs: string): Promise<string> {
  const found = sha && /^[0-9a-f]{7,40}$/i.test(sha) ? await model.git.resolveCommit(sha.toLowerCase()) : undefined;
  if (!found) throw unprocessable(`No commit found for SHA: ${sha ?? ''}`, docs);
  return found;
}

export function commitCommentRoutes(model: RepoModel): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/commits/:commit_sha/comments',
      docs: DOCS.list,
      handler: async (request) => {
        const sha = await commitOf(model, request.params.commit_sha, DOCS.list);
        const comments = model.state.commitComments.filter((comment) => comment.commit_id === sha);
        return listReply(model, request, comments, (comment) => commitCommentJson(model, comment));
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/commits/:commit_sha/comments',
      docs: DOCS.create,
      handler: async ({ params, body: rawBody, token }) => {
        const body = requireObjectBody(rawBody, DOCS.create);
        const text = requiredString(body, 'body', DOCS.create);
        if (text.trim() === '') throw validationFailed([{ resource: 'CommitComment', code: 'missing_field', field: 'body' }], DOCS.create);
        if (text.length > MAX_BODY) {
          throw validationFailed([{ resource: 'CommitComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_BODY} characters)` }], DOCS.create);
        }
        const sha = await commitOf(model, params.commit_sha, DOCS.create);
        const id = model.ids.take('commitComment');
        const now = model.now();
        const comment: CommitCommentRecord = { id, node_id: nodeId('CC', id), commit_id: sha, body: text, user: actorOf(model, token), created_at: now, updated_at: now };
        model.state.commitComments.push(comment);
        return json(201, commitCommentJson(model, comment), { location: `${model.repoApiUrl}/comments/${id}` });
      },
    },
  ];
}
