// Takes the environment for this run's deployment, or finds another deploy holding it
// (the rules are in core/deploy-lock.ts).
import { formatDuration } from '../core/duration.ts';
import { EARLIER_LOOKED_AT, gateMayHaveChanged, judgeEarlier, passedWindow, type EarlierDeployment, type LockLimits } from '../core/deploy-lock.ts';
import type { ProvenDeployment } from '../core/known-good.ts';
import { shortSha } from '../core/tag-names.ts';
import type { Repo } from '../github/client.ts';
import { setDeploymentStatus } from '../github/deployments.ts';
import { readRecentOwnDeployments } from '../github/deployment-history.ts';
import type { RunDeps } from '../deps.ts';
import type { RunContext } from '../run-context.ts';

/** What claiming needs: the API, the log and the clock, where, and how long a deploy may take. */
export interface ClaimScope {
  deps: Pick<RunDeps, 'gh' | 'log' | 'clock'>;
  repo: Repo;
  environment: string;
  limits: LockLimits;
  context: Pick<RunContext, 'runUrl'>;
  /** The known-good tag (refs/tags/...), read in the same request. */
  knownGoodRef: string;
}

export type Claim =
  | {
      kind: 'claimed';
      /** The newest earlier deployment that finished for real, if any. */
      previous: EarlierDeployment | undefined;
      /**
       * The deployment before this one failed, was a rollback or ended in an error: the gate must
       * be read again (see gateMayHaveChanged), and a healthy deploy now is a recovery.
       */
      afterTrouble: boolean;
      /** The newest earlier deployment that passed a whole health window (core/known-good.ts). */
      proven: ProvenDeployment | undefined;
      /** Where the known-good tag points now, read with the deployments. */
      tagSha: string | undefined;
    }
  | { kind: 'held'; holder: EarlierDeployment; ageMs: number; abandonAfterMs: number };

/**
 * Walks deploy-guard's earlier deployments of the environment, newest first: the first unfinished
 * one holds the environment, abandoned ones are closed, and the walk goes on past the first that
 * settled only as far as the newest one that passed its health window.
 */
export async function claimEnvironment(c: ClaimScope, ownDeploymentId: number): Promise<Claim> {
  const { gh, log, clock } = c.deps;
  let passedOver = 0;
  let settled: EarlierDeployment | undefined;
  let proven: ProvenDeployment | undefined;
  // One GraphQL request: the deployments with their statuses, and the known-good tag.
  const { deployments, refSha } = await readRecentOwnDeployments(gh, c.repo, { environment: c.environment, ref: `refs/${c.knownGoodRef}`, limit: EARLIER_LOOKED_AT, before: ownDeploymentId });
  for (const earlier of deployments) {
    if (!settled) {
      const verdict = judgeEarlier(earlier, c.limits, clock.now());
      if (verdict.kind === 'held') return { kind: 'held', holder: earlier, ageMs: verdict.ageMs, abandonAfterMs: verdict.abandonAfterMs };
      if (verdict.kind === 'settled') settled = earlier;
      else passedOver += 1;
      if (verdict.kind === 'abandoned') {
        await setDeploymentStatus(gh, c.repo, earlier.id, 'error', {
          description: `Abandoned: still unfinished after ${formatDuration(verdict.ageMs)} (its runner was lost)`,
          logUrl: c.context.runUrl,
        });
        log.warning(`Deployment ${earlier.id} of ${shortSha(earlier.sha)} was left unfinished ${formatDuration(verdict.ageMs)} ago; marked it error (abandoned).`);
      }
    }
    if (!proven && passedWindow(earlier)) proven = { id: earlier.id, sha: earlier.sha };
    if (settled && proven) break;
  }
  return { kind: 'claimed', previous: settled, afterTrouble: gateMayHaveChanged(settled, passedOver), proven, tagSha: refSha };
}

/** Why this run does not deploy while `claim` is held by another. */
export function heldMessage(environment: string, claim: Extract<Claim, { kind: 'held' }>): string {
  const { holder } = claim;
  return (
    `another deploy of ${environment} is in progress (deployment ${holder.id} of ${shortSha(holder.sha)}, ${formatDuration(claim.ageMs)} ago` +
    `${holder.logUrl ? `, ${holder.logUrl}` : ''}); not deploying on top of it. ` +
    `If its runner was lost, it counts as abandoned after ${formatDuration(claim.abandonAfterMs)}.`
  );
}

/**
 * Claims the environment for a person who takes it over: each deploy-guard deployment found holding
 * it is marked `error` with `description` (who took over, and why), then the claim is tried again,
 * until it succeeds or `limit` holders have been ended. Returns the claim and what was taken over.
 */
export async function takeOverEnvironment(
  c: ClaimScope,
  ownDeploymentId: number,
  description: string,
  limit = EARLIER_LOOKED_AT,
): Promise<{ claim: Claim; takenOver: EarlierDeployment[] }> {
  const takenOver: EarlierDeployment[] = [];
  for (;;) {
    const claim = await claimEnvironment(c, ownDeploymentId);
    if (claim.kind === 'claimed' || takenOver.length >= limit) return { claim, takenOver };
    const { holder } = claim;
    await setDeploymentStatus(c.deps.gh, c.repo, holder.id, 'error', { description, logUrl: c.context.runUrl });
    takenOver.push(holder);
    c.deps.log.warning(
      `Took ${c.environment} over from deployment ${holder.id} of ${shortSha(holder.sha)} (${holder.state ?? 'no status'} for ${formatDuration(claim.ageMs)}` +
        `${holder.logUrl ? `, ${holder.logUrl}` : ''}); marked it error. If its run is still going, cancel it: it no longer holds the environment.`,
    );
  }
}
