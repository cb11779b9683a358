// The records of the issues deploy-guard keeps for an environment, one ref each: the incidents it
// opened (refs/<prefix>/<env>/incidents/<issue number>) and the locks people took with mode: lock
// (refs/<prefix>/<env>/locks/<issue number>). Only a token with contents: write can write refs, so a
// person who can only triage issues cannot remove an incident or a lock from the gate's sight
// (taking the label off, renaming it, editing the marker out); and a look-alike issue is never recorded.
import { recordedIssue, recordRef, recordsPrefix, type RecordKind } from '../core/tag-names.ts';
import { isRef, listOf } from './answer-shapes.ts';
import { apiError, call, statusOf, type GitHubClient, type Repo } from './client.ts';
import { defaultBranch } from './commits.ts';
import { refusedForWorkflows } from './tags.ts';

export interface RecordScope {
  prefix: string;
  environment: string;
}

/** The issue numbers recorded for the environment, oldest first, by kind. */
export type EnvironmentRecords = Record<RecordKind, number[]>;

/** Every record of the environment, incidents and locks, in one request. */
export async function environmentRecords(gh: GitHubClient, repo: Repo, scope: RecordScope): Promise<EnvironmentRecords> {
  const prefix = recordsPrefix(scope.prefix, scope.environment);
  const route = `GET /git/matching-refs/${prefix}`;
  // GitHub answers every ref that starts with the prefix at once (the endpoint is not paginated).
  const { data } = await call(route, () => gh.request('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', { ...repo, ref: prefix }));
  const records: EnvironmentRecords = { incidents: [], locks: [] };
  for (const { ref } of listOf<{ ref: string }>(route, data, isRef, 'refs')) {
    const record = recordedIssue(ref, scope.prefix, scope.environment);
    if (record) records[record.kind].push(record.issue);
  }
  records.incidents.sort((a, b) => a - b);
  records.locks.sort((a, b) => a - b);
  return records;
}

/**
 * Records issue `issue` as a `kind` of the environment. The ref points at `sha` (the version it is
 * about) or, if GitHub refuses that for want of the workflows permission, or there is no such
 * version, at the default branch's tip, which it never refuses. Already recorded is fine.
 */
export async function recordIssue(gh: GitHubClient, repo: Repo, scope: RecordScope, kind: RecordKind, issue: number, sha: string | undefined): Promise<void> {
  const ref = `refs/${recordRef(scope.prefix, scope.environment, kind, issue)}`;
  /** False when GitHub refused it for want of the workflows permission and `orTip` allows another try. */
  const create = async (target: string, orTip: boolean) => {
    try {
      await gh.request('POST /repos/{owner}/{repo}/git/refs', { ...repo, ref, sha: target });
    } catch (error) {
      if (statusOf(error) === 422) return true; // already recorded (a retried step, or another run's comment)
      if (orTip && refusedForWorkflows(error)) return false;
      throw apiError('POST /git/refs', error);
    }
    return true;
  };
  if (sha && (await create(sha, true))) return;
  const branch = await defaultBranch(gh, repo);
  const { data: tip } = await call(`GET /commits/${branch}`, () => gh.request('GET /repos/{owner}/{repo}/commits/{ref}', { ...repo, ref: branch }));
  await create(tip.sha, false);
}

/** Forgets a record (an incident judged resolved, a duplicate deploy-guard closed, a released lock); gone already is fine. */
export async function forgetRecord(gh: GitHubClient, repo: Repo, scope: RecordScope, kind: RecordKind, issue: number): Promise<void> {
  const ref = recordRef(scope.prefix, scope.environment, kind, issue);
  try {
    await gh.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { ...repo, ref });
  } catch (error) {
    if (statusOf(error) === 422 || statusOf(error) === 404) return;
    throw apiError(`DELETE /git/refs/${ref}`, error);
  }
}

/** Records incident `issue`, pointing at the version it is about (see recordIssue). */
export function recordIncident(gh: GitHubClient, repo: Repo, scope: RecordScope, issue: number, sha: string | undefined): Promise<void> {
  return recordIssue(gh, repo, scope, 'incidents', issue, sha);
}

export function forgetIncident(gh: GitHubClient, repo: Repo, scope: RecordScope, issue: number): Promise<void> {
  return forgetRecord(gh, repo, scope, 'incidents', issue);
}
