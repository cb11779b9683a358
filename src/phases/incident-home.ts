// Where an environment's incidents are kept (this repository, or incident-repository), and what a
// refusal from there tells people.
import type { Repo } from '../github/client.ts';
import { centralAccessProblem } from '../github/incident-access.ts';
import type { IncidentScope } from './gate.ts';

/** The repository that keeps the incidents of `scope` for a run in `repo`. */
export function incidentHome(repo: Repo, scope: IncidentScope): Repo {
  return scope.central ?? repo;
}

/** incident-repository when it is another repository than `repo`; undefined when incidents are kept in `repo` itself. */
export function elsewhere(repo: Repo, scope: IncidentScope): Repo | undefined {
  const c = scope.central;
  return c && (c.owner.toLowerCase() !== repo.owner.toLowerCase() || c.repo.toLowerCase() !== repo.repo.toLowerCase()) ? c : undefined;
}

/** `error`, or, when GitHub refused the token incident-repository, an error that says what the token is missing there. */
export function withAccessAdvice(error: Error, repo: Repo, scope: IncidentScope): Error {
  const central = elsewhere(repo, scope);
  const advice = central && centralAccessProblem(error, central);
  return advice ? new Error(advice, { cause: error }) : error;
}
