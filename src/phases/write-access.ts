// Who may lock, unlock or mark a version known-good: the person who started the run (on a re-run,
// who re-ran it), with write access or more, as for a manual rollback (core/rollback-target.ts).
import type { RunDeps } from '../deps.ts';
import { mayRollBack } from '../core/rollback-target.ts';
import type { Repo } from '../github/client.ts';
import { repositoryRole } from '../github/permissions.ts';
import type { RunContext } from '../run-context.ts';

/** Why the actor may not do `what` (e.g. "locking an environment"), or undefined when they may. */
export async function writeAccessRefusal(deps: Pick<RunDeps, 'gh'>, repo: Repo, context: Pick<RunContext, 'actor'>, what: string): Promise<string | undefined> {
  const { actor } = context;
  const role = actor ? await repositoryRole(deps.gh, repo, actor) : undefined;
  if (mayRollBack(role)) return undefined;
  return `@${actor || 'unknown'} has ${role ? `the ${role} role` : 'no role'} on ${repo.owner}/${repo.repo}; ${what} needs write access or more.`;
}
