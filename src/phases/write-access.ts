// Who may lock, unlock or mark a version known-good: the person who started the run (on a re-run,
// who re-ran it), with write access or more, as for a manual rollback (core/rollback-target.ts).
import type { RunDeps } from '../deps.ts';
import { mayRollBack } from '../core/rollback-target.ts';
import type { Repo } from '../github/client.ts';
import { repositoryRole } from '../github/permissions.ts';
import type { RunContext } from '../run-context.ts';

/** The actor's role, and why they may not do `what` (e.g. "locking an environment") when they may not. */
export async function writeAccess(deps: Pick<RunDeps, 'gh'>, repo: Repo, context: Pick<RunContext, 'actor'>, what: string): Promise<{ role: string | undefined; refusal?: string }> {
  const { actor } = context;
  const role = actor ? await repositoryRole(deps.gh, repo, actor) : undefined;
  if (mayRollBack(role)) return { role };
  return { role, refusal: `@${actor || 'unknown'} has ${role ? `the ${role} role` : 'no role'} on ${repo.owner}/${repo.repo}; ${what} needs write access or more.` };
}

/** Why the actor may not do `what`, or undefined when they may. */
export async function writeAccessRefusal(deps: Pick<RunDeps, 'gh'>, repo: Repo, context: Pick<RunContext, 'actor'>, what: string): Promise<string | undefined> {
  return (await writeAccess(deps, repo, context, what)).refusal;
}
