// Taking an environment over: a maintainer ends the deploy-guard deployments that hold it (left in
// progress by a lost runner) so that a manual rollback can go on before they count as abandoned.
import { closerQualifies } from './gate-decision.ts';

/** Ending another run's deployments is for people who may change the repository's settings too. */
export const TAKE_OVER_ROLE = 'maintain';

export function mayTakeOver(role: string | undefined): boolean {
  return closerQualifies(role, TAKE_OVER_ROLE);
}

/** Why `actor` may not take the environment over. */
export function takeOverRefusal(actor: string, role: string | undefined, repository: string): string {
  return (
    `take-over needs the ${TAKE_OVER_ROLE} role or more on ${repository}, and @${actor || 'unknown'} has ${role ? `the ${role} role` : 'no role'}. ` +
    `Ask a maintainer to run it, or roll back without take-over once the deploy that holds the environment has ended.`
  );
}

/** What a rollback refused because the environment is held adds: the way out for a lost runner. */
export const TAKE_OVER_HINT =
  'Cancel that run first, or wait for it to end. If its runner was lost, a maintainer can take the environment over now: ' +
  'run the rollback again with take-over: true (its reason is recorded on the deployment it ends).';

/** The status description of a deployment that was taken over (GitHub keeps 140 characters). */
export function takenOverDescription(actor: string, reason: string): string {
  return `Taken over by @${actor} for a manual rollback: ${reason.replace(/\s+/g, ' ').trim()}`;
}
