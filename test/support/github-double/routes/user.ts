// GET /user: the personal token's user; an installation token (GITHUB_TOKEN, a GitHub App) is
// refused with 403 "Resource not accessible by integration" (docs/github-behaviours.md, item 5).
import { ApiError } from '../errors.ts';
import { json, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import { tokenKind } from '../tokens.ts';

const DOCS = { me: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' };

export function userRoutes(model: RepoModel): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/user',
      docs: DOCS.me,
      handler: ({ token }) => {
        if (tokenKind(token) === 'installation') throw new ApiError(403, 'Resource not accessible by integration', DOCS.me);
        const user = model.users.user(model.personalTokenUser);
        return json(200, {
          ...user,
          user_view_type: 'private',
          name: null,
          company: null,
          blog: '',
          location: null,
          email: null,
          hireable: null,
          bio: null,
          twitter_username: null,
          notification_email: null,
          public_repos: 1,
          public_gists: 0,
          followers: 0,
          following: 0,
          created_at: model.createdAt,
          updated_at: model.createdAt,
          private_gists: 0,
          total_private_repos: 0,
          owned_private_repos: 0,
          disk_usage: 0,
          collaborators: 0,
          two_factor_authentication: true,
          plan: { collaborators: 0, name: 'free', space: 976562499, private_repos: 10000 },
        });
      },
    },
  ];
}
