// The accounts the double knows and their roles on the repository.
import { COLLABORATOR_ROLES, type CollaboratorRole, type CustomRole } from './types.ts';

export interface Account {
  /** The login as first given (GitHub answers with an account's own spelling). */
  login: string;
  /** null: an existing account that is no collaborator. */
  role: CollaboratorRole | CustomRole | null;
}

export class CollaboratorBook {
  /** By lower-cased login: logins are case-insensitive on GitHub. */
  private readonly accounts = new Map<string, Account>();

  set(login: string, role: CollaboratorRole | CustomRole | null): void {
    if (typeof login !== 'string' || login === '') throw new Error('GitHub double: a collaborator needs a login');
    if (role !== null && typeof role === 'object') {
      if (!role.name || !(COLLABORATOR_ROLES as readonly string[]).includes(role.base) || role.base === ('admin' as string)) {
        throw new Error(`GitHub double: a custom role needs a name and a base role below admin, not ${JSON.stringify(role)}`);
      }
    } else if (role !== null && !(COLLABORATOR_ROLES as readonly string[]).includes(role)) {
      throw new Error(`GitHub double: unknown role ${JSON.stringify(role)} for ${login} (one of ${COLLABORATOR_ROLES.join(', ')}, or null)`);
    }
    const key = login.toLowerCase();
    this.accounts.set(key, { login: this.accounts.get(key)?.login ?? login, role });
  }

  /** undefined: no such account. */
  find(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }
}
