// The record of which incident issues deploy-guard opened for an environment: one ref each,
// refs/<prefix>/<env>/incidents/<issue number>. Only a token with contents: write can write refs, so
// a person who can only triage issues cannot remove an incident from the gate's sight (taking the
// label off, renaming it, editing the marker out); and a look-alike issue is never recorded.
import { incidentRecordRef, incidentRecordsPrefix, recordedIssue } from '../core/tag-names.ts';
import { isRef, listOf } from './answer-shapes.ts';
import { apiError, call, statusOf, type GitHubClient, type Repo } from './client.ts';
import { defaultBranch } from './commits.ts';
import { refusedForWorkflows } from './tags.ts';

export interface RecordScope {
  prefix: string;
  environment: string;
}

/** The issue numbers recorded for the environment, oldest first. */
export async function recordedIncidents(gh: GitHubClient, repo: Repo, scope: RecordScope): Promise<number[]> {
  const route = `GET /git/matching-refs/${incidentRecordsPrefix(scope.prefix, scope.environment)}`;
  // GitHub answers every matching ref at once (the endpoint is not paginated).
  const { data } = await call(route, () => gh.request('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', { ...repo, ref: incidentRecordsPrefix(scope.prefix, scope.environment) }));
  return listOf<{ ref: string }>(route, data, isRef, 'refs')
    .map((r) => recordedIssue(r.ref, scope.prefix, scope.environment))
    .filter((n): n is number => n !== undefined)
    .sort((a, b) => a - b);
}

/**
 * Records incident `issue`. The ref points at `sha` (the version the incident is about) or, if
 * GitHub refuses that for want of the workflows permission, at the default branch's tip, which it
 * never refuses. Without `sha` (the incident is kept in another repository, where the version's
 * commit does not exist) it points at that tip at once. Already recorded is fine.
 */
export async function recordIncident(gh: GitHubClient, repo: Repo, scope: RecordScope, issue: number, sha: string | undefined): Promise<void> {
  const ref = `refs/${incidentRecordRef(scope.prefix, scope.environment, issue)}`;
  const create = (target: string) => gh.request('POST /repos/{owner}/{repo}/git/refs', { ...repo, ref, sha: target });
  const tipOfDefaultBranch = async () => {
    const branch = await defaultBranch(gh, repo);
    const { data: tip } = await call(`GET /commits/${branch}`, () => gh.request('GET /repos/{owner}/{repo}/commits/{ref}', { ...repo, ref: branch }));
    return tip.sha;
  };
  if (sha) {
    try {
      await create(sha);
      return;
    } catch (error) {
      if (statusOf(error) === 422) return; // already recorded (a retried step, or another run's comment)
      if (!refusedForWorkflows(error)) throw apiError('POST /git/refs', error);
    }
  }
  try {
    await create(await tipOfDefaultBranch());
  } catch (again) {
    if (statusOf(again) !== 422) throw apiError('POST /git/refs', again);
  }
}

/** Forgets a record (an incident judged resolved, or a duplicate deploy-guard closed); gone already is fine. */
export async function forgetIncident(gh: GitHubClient, repo: Repo, scope: RecordScope, issue: number): Promise<void> {
  const ref = incidentRecordRef(scope.prefix, scope.environment, issue);
  try {
    await gh.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { ...repo, ref });
  } catch (error) {
    if (statusOf(error) === 422 || statusOf(error) === 404) return;
    throw apiError(`DELETE /git/refs/${ref}`, error);
  }
}
