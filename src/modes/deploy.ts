// Deploy mode: gate, tag, deploy, watch, then either promote to known-good or roll back.
import { describeFailure, type Failure, type Outcome } from '../core/outcome.ts';
import { formatDuration } from '../core/duration.ts';
import { incidentText } from '../report/incident-text.ts';
import { planText } from '../report/plan-text.ts';
import { knownGoodRef, preDeployRef, shortSha } from '../core/tag-names.ts';
import type { Repo } from '../github/client.ts';
import { DeploymentLedger } from '../github/deployment-ledger.ts';
import { readTag, TagWriter } from '../github/tags.ts';
import { chooseKnownGood, tagBehindNote } from '../core/known-good.ts';
import type { Probe } from '../health/probe.ts';
import { checkGate, gateOutcome, recoveredFrom } from './gate.ts';
import { openIncident } from './open-incident.ts';
import { claimEnvironment, heldMessage } from './claim.ts';
import { checkOutVersion, deployAndWatch, measureBaselines, recordDeployment, type Attempt, type AttemptTimes, type ModeDeps } from './phases.ts';
import type { IncidentFacts, Timeline } from '../report/report-facts.ts';
import { commitRange } from '../github/commits.ts';
import { encodePendingIncident, type PendingIncident } from '../core/pending-incident.ts';
import { PENDING_INCIDENT_STATE } from '../state-names.ts';

export type { ModeDeps } from './phases.ts';

export interface DeployResult {
  outcome: Outcome;
  knownGoodSha: string | undefined;
  /** What the incident was written from, for the job summary. */
  report?: IncidentFacts;
}

export async function runDeployMode(d: ModeDeps): Promise<DeployResult> {
  const { settings: s, context: ctx, log } = d;
  const repo: Repo = { owner: ctx.owner, repo: ctx.repo };
  const ledger = new DeploymentLedger(d.gh, repo, ctx.runUrl, d.saveState);
  let knownGoodSha: string | undefined;
  try {
    const rules = { closerRole: s.incidentCloserRole, requirePostmortem: s.requirePostmortem };
    const scope = { label: s.incidentLabel, environment: s.environment, prefix: s.tagPrefix };
    const gate = await log.group('Gate', () => checkGate(d.gh, repo, scope, rules, { settle: true, log }));
    const gated = gateOutcome(gate, s.environment, log);
    if (gated.kind === 'blocked') return { outcome: gated, knownGoodSha };

    // The deployment is recorded first: it is this run's claim on the environment (core/deploy-lock.ts).
    const sha = await d.git.headSha();
    const spec = { sha, cwd: ctx.workspace, command: s.deployCommand, rollback: false, ...(s.dryRun ? { payload: { 'dry-run': true } } : {}) };
    const deploymentId = await recordDeployment(d, ledger, spec);
    const claim = await claimEnvironment(d, repo, deploymentId);
    if (claim.kind === 'held') {
      await ledger.finish(deploymentId, 'error', `Not deployed: deployment ${claim.holder.id} of ${shortSha(claim.holder.sha)} was in progress`);
      throw new Error(heldMessage(s.environment, claim));
    }
    if (claim.afterTrouble) {
      // An incident may have been opened since the first look: a run opens it before it lets go.
      const again = gateOutcome(await checkGate(d.gh, repo, scope, rules, { log }), s.environment, log);
      if (again.kind === 'blocked') {
        await ledger.finish(deploymentId, 'error', 'Not deployed: an incident was opened while this run started');
        return { outcome: again, knownGoodSha };
      }
    }

    // Read once the environment is held: the run before may have moved it just now.
    const goodRef = knownGoodRef(s.tagPrefix, s.environment);
    const tags = new TagWriter(d.gh, repo, log);
    const tagSha = await readTag(d.gh, repo, goodRef);
    const known = chooseKnownGood(tagSha, claim.proven);
    knownGoodSha = known.sha;
    if (known.tagBehind && known.sha) {
      log.info(tagBehindNote(goodRef, tagSha, known));
      await tags.move(goodRef, known.sha);
    }
    log.info(planText({ ...s, environment: s.environment, sha, knownGoodSha }));

    const tag = preDeployRef(s.tagPrefix, s.environment, ctx.runId, ctx.runAttempt);
    if (await tags.createImmutable(tag, sha)) log.info(`Tagged ${shortSha(sha)} as ${tag}.`);
    else log.info(`Not tagged as ${tag}; deployment ${deploymentId} records ${sha}.`);

    const probe = d.createProbe(await measureBaselines(d));
    // The rollback's checkout is made once the deploy first looks bad, so it is ready by the verdict.
    const target = knownGoodSha;
    let checkout: Promise<string> | undefined;
    const prepareRollback = (): Promise<string> => {
      if (!checkout) {
        checkout = checkOutVersion(d, target!, goodRef);
        checkout.catch(() => {}); // awaited when the rollback starts
      }
      return checkout;
    };
    const attempt = await deployAndWatch(d, ledger, probe, {
      ...spec,
      deploymentId,
      ...(target && !s.dryRun ? { onFailedRound: () => void prepareRollback() } : {}),
    });
    if (s.dryRun) return { outcome: await finishDryRun(d, ledger, attempt, sha), knownGoodSha };
    if (!attempt.failure) {
      // The success status is the record; the tag follows it when GitHub lets it (core/known-good.ts).
      const moved = await tags.move(goodRef, sha);
      await ledger.finish(attempt.deploymentId, 'success', `Healthy for ${formatDuration(s.healthWindowMs)}; now known-good`);
      log.info(
        `Deployed ${shortSha(sha)} to ${s.environment}: healthy for the whole window; ` +
          (moved ? `${goodRef} now points at it.` : `it is known-good (deployment ${attempt.deploymentId}), and ${goodRef} catches up on a later run.`),
      );
      // The previous deploy ended in a rollback or failure: this is the recovery people wait for.
      const recovered = claim.afterTrouble && s.notify ? recoveredFrom(gate) : undefined;
      return {
        outcome: { kind: 'deployed', sha, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: true, ...(recovered ? { recovered } : {}) },
        knownGoodSha: sha,
      };
    }
    log.error(`Deploy of ${shortSha(sha)} to ${s.environment} failed: ${describeFailure(attempt.failure)}.`, `${s.environment}: ${shortSha(sha)} failed`);
    const markFailed = () => ledger.finish(attempt.deploymentId, 'failure', describeFailure(attempt.failure!));

    const facts: IncidentFacts = {
      environment: s.environment,
      failedSha: sha,
      deploymentId: attempt.deploymentId,
      failure: attempt.failure,
      links: { repoUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`, runUrl: ctx.runUrl },
      timeline: timelineOf(attempt.times),
    };
    // Until the incident is open, the post step opens it if this run is killed (post.ts).
    const owed: PendingIncident = {
      environment: s.environment,
      label: s.incidentLabel,
      prefix: s.tagPrefix,
      failedSha: sha,
      failedDeploymentId: attempt.deploymentId,
      failure: describeFailure(attempt.failure),
      ...(knownGoodSha ? { knownGoodSha } : {}),
      failedAt: d.clock.now(),
    };
    d.saveState(PENDING_INCIDENT_STATE, encodePendingIncident(owed));
    const incidentOpened = <T>(incident: T): T => {
      d.saveState(PENDING_INCIDENT_STATE, '');
      return incident;
    };

    if (!knownGoodSha) {
      // The incident is opened before the deployment lets go of the environment (see claim.ts).
      const incident = await openIncident(d.gh, repo, scope, incidentText(facts), log, ctx, sha).then(incidentOpened).finally(markFailed);
      log.error(`There is no known-good version of ${s.environment} to roll back to.`, `${s.environment}: nothing to roll back to`);
      return { outcome: { kind: 'no-rollback-target', sha, deploymentId: attempt.deploymentId, failure: attempt.failure, incident }, knownGoodSha, report: facts };
    }

    const rollback = await rollBack(d, ledger, probe, { sha: knownGoodSha, checkout: prepareRollback(), failedDeploymentId: attempt.deploymentId, markFailed }).catch(
      (error: Error): Partial<Attempt> & { failure: Failure } => {
        log.error(`Rollback to ${shortSha(knownGoodSha!)} did not complete: ${error.message}`, `${s.environment}: rollback did not complete`);
        return { failure: { kind: 'error', message: `the rollback did not complete: ${error.message}` } };
      },
    );
    d.saveState(PENDING_INCIDENT_STATE, encodePendingIncident({ ...owed, rollbackResult: rollback.failure ? 'failed' : 'healthy' }));
    // After the rollback, not before: what changed between the versions, for the incident.
    const commits = await commitRange(d.gh, repo, knownGoodSha, sha).catch((error: Error) => {
      log.warning(`Could not list the commits from ${shortSha(knownGoodSha!)} to ${shortSha(sha)}: ${error.message}`);
      return undefined;
    });
    const rt = rollback.times;
    facts.timeline = {
      ...facts.timeline,
      ...(rt ? { rollbackStart: rt.start, rollbackCommandEnd: rt.commandEnd, rollbackWindowStart: rt.windowStart, rollbackEnd: rt.verdict } : {}),
    };
    if (commits) facts.commits = commits;
    facts.rollback = {
      sha: knownGoodSha,
      ...(rollback.deploymentId ? { deploymentId: rollback.deploymentId } : {}),
      ...(rollback.failure ? { failure: rollback.failure } : {}),
      ...(rollback.rounds?.length ? { rounds: rollback.rounds } : {}),
    };
    const incident = await openIncident(d.gh, repo, scope, incidentText(facts), log, ctx, sha).then(incidentOpened).finally(async () => {
      // Still open when the rollback could not be checked out or its deployment could not be recorded.
      if (ledger.isOpen(attempt.deploymentId)) await markFailed();
      if (rollback.deploymentId === undefined) return;
      await ledger.finish(
        rollback.deploymentId,
        rollback.failure ? 'failure' : 'success',
        rollback.failure ? `Rollback failed: ${describeFailure(rollback.failure)}` : `Rolled back to known-good ${shortSha(knownGoodSha!)}; healthy`,
      );
    });
    return {
      outcome: {
        kind: rollback.failure ? 'rollback-failed' : 'rolled-back',
        sha,
        deploymentId: attempt.deploymentId,
        failure: attempt.failure,
        knownGoodSha,
        ...(rollback.deploymentId ? { rollbackDeploymentId: rollback.deploymentId } : {}),
        ...(rollback.failure ? { rollbackFailure: rollback.failure } : {}),
        incident,
      },
      knownGoodSha,
      report: facts,
    };
  } finally {
    const problems = await ledger.abandonOpen('deploy-guard stopped before this deployment finished; see the run log');
    problems.forEach((p) => log.warning(`Could not close ${p}`));
  }
}

function timelineOf(t: AttemptTimes): Timeline {
  const optional = (key: keyof Omit<Timeline, 'deployStart'>, value: number | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    deployStart: t.start,
    ...optional('commandEnd', t.commandEnd),
    ...optional('windowStart', t.windowStart),
    ...optional('firstFailure', t.firstFailure),
    ...optional('verdict', t.verdict),
  };
}

/**
 * Runs the rollback command as soon as its checkout is ready; the rollback's deployment and then
 * the failed deployment's status are written to GitHub while it runs, not before. The rollback's
 * deployment is left in progress for the caller to finish once the incident is open.
 */
async function rollBack(
  d: ModeDeps,
  ledger: DeploymentLedger,
  probe: Probe,
  r: { sha: string; checkout: Promise<string>; failedDeploymentId: number; markFailed: () => Promise<void> },
): Promise<Attempt> {
  const { log } = d;
  const knownGoodSha = r.sha;
  // On failure the failed deployment stays open until the incident is (see runDeployMode).
  const dir = await r.checkout.catch((error: Error) => {
    throw new Error(`could not check out ${shortSha(knownGoodSha)}: ${error.message}`, { cause: error });
  });
  const attempt = await deployAndWatch(d, ledger, probe, {
    sha: knownGoodSha,
    cwd: dir,
    command: d.settings.rollbackCommand,
    rollback: true,
    payload: { rollback: true, 'rollback-of': r.failedDeploymentId },
    recordWhileRunning: { after: r.markFailed, env: { DEPLOY_GUARD_ROLLBACK_OF: String(r.failedDeploymentId) } },
  });
  // Its deployment is finished once the incident is open, so no deploy starts in between.
  if (attempt.failure) {
    log.error(`Rollback to ${shortSha(knownGoodSha)} failed: ${describeFailure(attempt.failure)}. Not rolling back a rollback.`, `${d.settings.environment}: rollback failed`);
  } else {
    log.warning(`Rolled back ${d.settings.environment} to ${shortSha(knownGoodSha)}; it stayed healthy for the whole window.`, `${d.settings.environment}: rolled back to ${shortSha(knownGoodSha)}`);
  }
  return attempt;
}

/** A dry run reports the verdict and stops: no known-good move, no rollback, no incident. */
async function finishDryRun(d: ModeDeps, ledger: DeploymentLedger, attempt: Attempt, sha: string): Promise<Outcome> {
  if (!attempt.failure) {
    await ledger.finish(attempt.deploymentId, 'success', 'Dry run: healthy for the whole window (known-good not moved)');
    d.log.info(`Dry run: ${shortSha(sha)} was healthy for the whole window. Known-good was not moved.`);
    return { kind: 'deployed', sha, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: false };
  }
  await ledger.finish(attempt.deploymentId, 'failure', `Dry run: ${describeFailure(attempt.failure)}`);
  d.log.error(`Dry run: ${shortSha(sha)} failed (${describeFailure(attempt.failure)}). No rollback and no incident, as asked.`);
  return { kind: 'unhealthy', sha, deploymentId: attempt.deploymentId, failure: attempt.failure };
}
