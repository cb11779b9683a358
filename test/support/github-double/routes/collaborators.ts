// A user's permission on the repository.
//
// As on GitHub: `permission` is the legacy base role (maintain reads as 'write', triage as 'read'),
// `role_name` the role itself, and `user` the collaborator object with its `permissions` hash. An
// existing account that is no collaborator reads as 'read', because the repository is public (any
// user may pull it); a login that is no account answers 404 "<login> is not a user".
import { ApiError } from '../errors.ts';
import { json, type RepoModel } from '../model.ts';
import type { RouteDefinition } from '../router.ts';
import type { CollaboratorRole } from '../types.ts';

const DOCS = {
  permission: 'https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user',
};

type Permission = 'admin' | 'write' | 'read';

const LEGACY_PERMISSION: Record<CollaboratorRole, Permission> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
};

const RANK: Record<CollaboratorRole, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** The `permissions` hash of a collaborator: each base role and everything below it. */
function permissionsOf(role: CollaboratorRole): Record<'admin' | 'maintain' | 'push' | 'triage' | 'pull', boolean> {
  const rank = RANK[role];
  return {
    admin: rank >= RANK.admin,
    maintain: rank >= RANK.maintain,
    push: rank >= RANK.write,
    triage: rank >= RANK.triage,
    pull: rank >= RANK.read,
  };
}

export function collaboratorRoutes(model: RepoModel): RouteDefinition[] {
  return [
    {
      method: 'GET',
      pattern: '/repos/:owner/:repo/collaborators/:username/permission',
      docs: DOCS.permission,
      handler: ({ params }) => {
        const username = params.username ?? '';
        // Bots (github-actions[bot], any App's bot) are no collaborators on GitHub.
        const account = username.toLowerCase().endsWith('[bot]') ? undefined : model.collaborators.find(username);
        if (!account) throw new ApiError(404, `${username} is not a user`, DOCS.permission);
        // Public repository: an account without a role may still read it.
        const given = account.role ?? 'read';
        const base: CollaboratorRole = typeof given === 'object' ? given.base : given;
        const roleName = typeof given === 'object' ? given.name : given;
        return json(200, {
          permission: LEGACY_PERMISSION[base],
          user: { ...model.users.user(account.login), permissions: permissionsOf(base), role_name: roleName },
          role_name: roleName,
        });
      },
    },
  ];
}
