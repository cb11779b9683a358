// What the post step does for a main step that was stopped (cancelled or killed) before it
// finished: it opens the incident the run still owed, then closes the deployments it left in
// progress. In that order: the environment is never let go before its incident is open (claim.ts).
import { stoppedRunIncidentText } from '../report/incident-text.ts';
import type { PendingIncident } from '../core/pending-incident.ts';
import { shortSha } from '../core/tag-names.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { latestDeploymentState, setDeploymentStatus } from '../github/deployments.ts';
import type { Log } from '../log.ts';
import type { RunContext } from '../run-context.ts';
import { openIncident } from '../phases/incident.ts';
import { isUnfinished } from '../core/in-flight.ts';

export interface StoppedRun {
  gh: GitHubClient;
  context: RunContext;
  log: Log;
  /** Deployments the main step had not finished (its ledger, from the step state). */
  openDeploymentIds: readonly number[];
  /** The incident the main step owed and had not opened, if any. */
  pending: PendingIncident | undefined;
  /** Waits between tries to open the incident (default: real time). */
  sleep?: (ms: number) => Promise<void>;
}

/** Waits before the second and third try to open the incident: a short outage should not leave the environment held. */
const RETRY_WAITS_MS = [1_000, 3_000];


/** False when the owed incident could not be opened: the deployments are then left holding the environment. */
export async function finishStoppedRun(r: StoppedRun): Promise<boolean> {
  const { gh, context: ctx, log, pending } = r;
  const repo: Repo = { owner: ctx.owner, repo: ctx.repo };
  if (pending) {
    const during = pending.knownGoodSha && !pending.rollbackResult ? ` (it was stopped during the rollback to ${shortSha(pending.knownGoodSha)})` : '';
    log.warning(`The deploy of ${shortSha(pending.failedSha)} to ${pending.environment} failed and the run ended before it opened its incident${during}; opening it now, before its deployments are closed.`);
    const problem = await openOwedIncident(r, repo, pending);
    if (problem) {
      const held = r.openDeploymentIds.length ? `Left deployment ${r.openDeploymentIds.join(', ')} in progress, so no deploy of ${pending.environment} starts before a person looks. ` : '';
      log.error(
        `The deploy of ${shortSha(pending.failedSha)} to ${pending.environment} failed and its incident could not be opened now either: ${problem.message}. ${held}` +
          `Check what ${pending.environment} is serving, then open an incident or roll back by hand (mode: rollback, with take-over: true while a deployment holds it).`,
        `${pending.environment}: no incident for a failed deploy`,
      );
      return false;
    }
  }
  for (const id of r.openDeploymentIds) {
    try {
      const state = await latestDeploymentState(gh, repo, id);
      if (state !== undefined && !isUnfinished(state)) continue;
      await setDeploymentStatus(gh, repo, id, 'error', {
        description: 'The deploy-guard step was stopped (cancelled or killed) before this deployment finished',
        logUrl: ctx.runUrl,
      });
      log.warning(`Deployment ${id} was left ${state ?? 'without a status'} by a stopped run; marked it error.`);
    } catch (error) {
      log.warning(`Could not close deployment ${id}: ${(error as Error).message}`);
    }
  }
  return true;
}

/** Opens the incident the run owed, trying again after short waits; the error if it still could not. */
async function openOwedIncident(r: StoppedRun, repo: Repo, pending: PendingIncident): Promise<Error | undefined> {
  const { context: ctx, log } = r;
  const text = stoppedRunIncidentText(pending, { runUrl: ctx.runUrl, repoUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`, openDeploymentIds: r.openDeploymentIds });
  const scope = { label: pending.label, environment: pending.environment, prefix: pending.prefix };
  const sleep = r.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt += 1) {
    try {
      // Found, not repeated, if the main step (or an earlier try) opened it: the run's marker.
      await openIncident({ gh: r.gh, repo, scope, log, context: ctx }, text, pending.failedSha);
      return undefined;
    } catch (error) {
      const wait = RETRY_WAITS_MS[attempt];
      if (wait === undefined) return error as Error;
      log.warning(`Could not open the incident yet (${(error as Error).message}); trying again in ${wait / 1000}s.`);
      await sleep(wait);
    }
  }
}
