// Which base role a user has on a repository, from GitHub's collaborator-permission answer.
// `role_name` is one of the five base roles or an organization's custom role (named as it likes,
// inheriting a base role); `user.permissions` says which base roles it includes, and `permission`
// is the legacy level (admin, write, read, none: maintain reads as write, triage as read).
import { ROLES, type Role } from './gate-decision.ts';

export interface PermissionAnswer {
  permission?: string | null;
  role_name?: string | null;
  user?: { permissions?: Partial<Record<'admin' | 'maintain' | 'push' | 'triage' | 'pull', boolean>> } | null;
}

/** The base role to judge by; undefined for none. A custom role counts as the base role it includes. */
export function baseRole(answer: PermissionAnswer): Role | undefined {
  const named = answer.role_name ?? undefined;
  if (named && (ROLES as readonly string[]).includes(named)) return named as Role;
  const p = answer.user?.permissions;
  if (p) {
    if (p.admin) return 'admin';
    if (p.maintain) return 'maintain';
    if (p.push) return 'write';
    if (p.triage) return 'triage';
    if (p.pull) return 'read';
  }
  switch (answer.permission) {
    case 'admin':
      return 'admin';
    case 'write':
      return 'write';
    case 'read':
      return 'read';
    default:
      return undefined;
  }
}
