// Git references, stored in the bare repository so that they are fetchable with git.
import { requireObjectBody, requiredString, optionalBoolean } from '../body-checks.ts';
import { notFound, unprocessable } from '../errors.ts';
import type { GitRef } from '../git-repo.ts';
import { json, listReply, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import { assertMayPointRefAt } from '../tokens.ts';

const DOCS = {
  get: 'https://docs.github.com/rest/git/refs#get-a-reference',
  matching: 'https://docs.github.com/rest/git/refs#list-matching-references',
  create: 'https://docs.github.com/rest/git/refs#create-a-reference',
  update: 'https://docs.github.com/rest/git/refs#update-a-reference',
  delete: 'https://docs.github.com/rest/git/refs#delete-a-reference',
};

function encodePath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

export function refJson(model: RepoModel, ref: GitRef): Record<string, unknown> {
  const objectKind = ref.type === 'tag' ? 'tags' : ref.type === 'commit' ? 'commits' : `${ref.type}s`;
  return {
    ref: ref.name,
    node_id: `REF_kwDO${Buffer.from(`${model.repoId}:${ref.name}`).toString('base64url')}`,
    url: `${model.repoApiUrl}/git/${encodePath(ref.name)}`,
    object: { sha: ref.sha, type: ref.type, url: `${model.repoApiUrl}/git/${objectKind}/${ref.sha}` },
  };
}

export function gitRefRoutes(model: RepoModel): RouteDefinition[] {
  const { git } = model;
  const toJson = (ref: GitRef) => refJson(model, ref);

  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/git/ref/*ref',
      docs: DOCS.get,
      handler: async ({ params }) => {
        const ref = params.ref ? await git.readRef(`refs/${params.ref}`) : undefined;
        if (!ref) throw notFound(DOCS.get);
        return json(200, toJson(ref));
      },
    },
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/git/matching-refs/*ref',
      docs: DOCS.matching,
      handler: async ({ params }) => {
        const prefix = `refs/${params.ref ?? ''}`;
        const refs = (await git.listRefs()).filter((ref) => ref.name.startsWith(prefix));
        return json(200, refs.map(toJson));
      },
    },
    {
      // Not in the OpenAPI description any more, but GitHub still serves it: every ref.
      method: 'GET',
      pattern: '/repos/:owner/:repo/git/refs',
      docs: DOCS.get,
      handler: async (request) => listReply(model, request, await git.listRefs(), toJson),
    },
    {
      // Legacy "get a reference": the ref itself when it exists exactly, otherwise every
      // ref that starts with it (an array), otherwise 404. A trailing slash lists all refs.
      method: 'GET',
      pattern: '/repos/:owner/:repo/git/refs/*ref',
      docs: DOCS.get,
      handler: async (request) => {
        const refs = await git.listRefs();
        const wanted = request.params.ref ?? '';
        if (wanted === '') return listReply(model, request, refs, toJson);
        const exact = refs.find((ref) => ref.name === `refs/${wanted}`);
        if (exact) return json(200, toJson(exact));
        const matching = refs.filter((ref) => ref.name.startsWith(`refs/${wanted}`));
        if (matching.length === 0) throw notFound(DOCS.get);
        return listReply(model, request, matching, toJson);
      },
    },
    {
      method: 'POST',
      pattern: '/repos/:owner/:repo/git/refs',
      docs: DOCS.create,
      handler: async ({ body: rawBody, token }) => {
        const body = requireObjectBody(rawBody, DOCS.create);
        const name = requiredString(body, 'ref', DOCS.create);
        const sha = requiredString(body, 'sha', DOCS.create);
        if (!name.startsWith('refs/') || name.split('/').length < 3) {
          throw unprocessable('Reference name must contain at least three slash-separated components.', DOCS.create);
        }
        if (!(await git.isValidRefName(name))) throw unprocessable(`${name} is not a valid ref name.`, DOCS.create);
        if (!(await git.objectType(sha))) throw unprocessable('Object does not exist', DOCS.create);
        if (await git.readRef(name)) throw unprocessable('Reference already exists', DOCS.create);
        await assertMayPointRefAt(model, token, sha, DOCS.create);
        if (!(await git.createRef(name, sha))) {
          if (await git.readRef(name)) throw unprocessable('Reference already exists', DOCS.create);
          throw unprocessable('Reference update failed', DOCS.create);
        }
        const created = await git.readRef(name);
        if (!created) throw unprocessable('Reference update failed', DOCS.create);
        return json(201, toJson(created), { location: `${model.repoApiUrl}/git/${encodePath(name)}` });
      },
    },
    {
      method: 'PATCH',
      pattern: '/repos/:owner/:repo/git/refs/*ref',
      docs: DOCS.update,
      handler: async ({ params, body: rawBody, token }) => {
        const body = requireObjectBody(rawBody, DOCS.update);
        const sha = requiredString(body, 'sha', DOCS.update);
        const force = optionalBoolean(body, 'force', DOCS.update) ?? false;
        const name = `refs/${params.ref ?? ''}`;
        const current = await git.readRef(name);
        if (!current) throw unprocessable('Reference does not exist', DOCS.update);
        if (!(await git.objectType(sha))) throw unprocessable('Object does not exist', DOCS.update);
        if (!force && current.sha !== sha) {
          const fastForward = await git.isAncestor(current.sha, sha).catch(() => false);
          if (!fastForward) throw unprocessable('Update is not a fast forward', DOCS.update);
        }
        if (current.sha !== sha) await assertMayPointRefAt(model, token, sha, DOCS.update);
        if (current.sha !== sha && !(await git.updateRef(name, sha, current.sha))) {
          throw unprocessable('Reference update failed', DOCS.update);
        }
        const updated = await git.readRef(name);
        if (!updated) throw unprocessable('Reference does not exist', DOCS.update);
        return json(200, toJson(updated));
      },
    },
    {
      method: 'DELETE',
      pattern: '/repos/:owner/:repo/git/refs/*ref',
      docs: DOCS.delete,
      handler: async ({ params }) => {
        const name = `refs/${params.ref ?? ''}`;
        const current = await git.readRef(name);
        if (!current) throw unprocessable('Reference does not exist', DOCS.delete);
        if (!(await git.deleteRef(name, current.sha))) throw unprocessable('Reference update failed', DOCS.delete);
        return json(204);
      },
    },
  ];
}
