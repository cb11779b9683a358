// Annotated tag objects, read from the bare repository.
import { notFound } from '../errors.ts';
import { json, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';

const DOCS = 'https://docs.github.com/rest/git/tags#get-a-tag';

export function gitTagRoutes(model: RepoModel): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/git/tags/:tag_sha',
      docs: DOCS,
      handler: async ({ params }) => {
        const tag = await model.git.tag((params.tag_sha ?? '').toLowerCase());
        if (!tag) throw notFound(DOCS);
        const objectKind = tag.object.type === 'tag' ? 'tags' : `${tag.object.type}s`;
        return json(200, {
          node_id: `TAG_kwDO${Buffer.from(`${model.repoId}:${tag.sha}`).toString('base64url')}`,
          sha: tag.sha,
          url: `${model.repoApiUrl}/git/tags/${tag.sha}`,
          tagger: tag.tagger,
          object: { sha: tag.object.sha, type: tag.object.type, url: `${model.repoApiUrl}/git/${objectKind}/${tag.object.sha}` },
          tag: tag.name,
          message: tag.message,
          verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
        });
      },
    },
  ];
}
