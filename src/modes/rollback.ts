// Rollback mode: a person rolls an environment back by hand. Allowed while an incident is open
// (it is how people recover); refused, before anything changes, for actors without write access
// and for targets that never passed a health window here (unless forced); refused too, with only
// its own deployment closed as `error`, while another deploy or rollback holds the environment,
// unless a maintainer takes the environment over (take-over: true; see core/take-over.ts).
import { formatDuration } from '../core/duration.ts';
import { manualRollbackText } from '../report/incident-text.ts';
import { describeFailure, type Outcome } from '../core/outcome.ts';
import { mayRollBack, parseRollbackTarget } from '../core/rollback-target.ts';
import { knownGoodRef, shortSha } from '../core/tag-names.ts';
import { quoteForLog } from '../report/log-text.ts';
import type { Repo } from '../github/client.ts';
import { DeploymentLedger } from '../github/deployment-ledger.ts';
import { everSucceeded, newestProven } from '../github/deployments.ts';
import { chooseKnownGood, tagBehindNote } from '../core/known-good.ts';
import { EARLIER_LOOKED_AT, type EarlierDeployment } from '../core/deploy-lock.ts';
import { repositoryRole } from '../github/permissions.ts';
import { readTag, TagWriter } from '../github/tags.ts';
import { openIncident } from './open-incident.ts';
import { claimEnvironment, heldMessage, takeOverEnvironment, type Claim } from './claim.ts';
import { mayTakeOver, TAKE_OVER_HINT, takenOverDescription, takeOverRefusal } from '../core/take-over.ts';
import { checkOutVersion, deployAndWatch, measureBaselines, recordDeployment, type ModeDeps } from './phases.ts';

export interface RollbackDeps extends ModeDeps {
  /** Who asked: the user who triggered the run. */
  actor: string;
}

export async function runRollbackMode(d: RollbackDeps): Promise<{ outcome: Outcome; knownGoodSha: string | undefined }> {
  const { settings: s, context: ctx, log } = d;
  const repo: Repo = { owner: ctx.owner, repo: ctx.repo };
  const goodRef = knownGoodRef(s.tagPrefix, s.environment);
  const tags = new TagWriter(d.gh, repo, log);
  const tagSha = await readTag(d.gh, repo, goodRef);
  let knownGoodSha = tagSha;
  const refuse = (reason: string) => {
    log.error(`Rollback refused: ${reason}`);
    return { outcome: { kind: 'refused', reason } as Outcome, knownGoodSha };
  };

  const role = d.actor ? await repositoryRole(d.gh, repo, d.actor) : undefined;
  if (!mayRollBack(role)) {
    return refuse(`@${d.actor || 'unknown'} has ${role ? `the ${role} role` : 'no role'} on ${ctx.owner}/${ctx.repo}; a manual rollback needs write access or more.`);
  }
  if (s.takeOver && !mayTakeOver(role)) return refuse(takeOverRefusal(d.actor, role, `${ctx.owner}/${ctx.repo}`));

  const spec = parseRollbackTarget(s.rollbackTo, s.tagPrefix, s.environment);
  if (spec.kind === 'invalid') return refuse(`rollback-to ${spec.reason}.`);
  if (spec.kind === 'tag' && spec.knownGood) {
    // The newest version that passed its window, by the deployments first: the tag may lag (core/known-good.ts).
    const known = chooseKnownGood(tagSha, await newestProven(d.gh, repo, s.environment, EARLIER_LOOKED_AT));
    if (known.tagBehind && known.sha) log.info(tagBehindNote(goodRef, tagSha, known));
    knownGoodSha = known.sha;
  }
  const sha = spec.kind === 'sha' ? spec.sha : spec.knownGood ? knownGoodSha : await readTag(d.gh, repo, spec.ref);
  if (!sha) {
    return refuse(spec.kind === 'tag' && spec.knownGood ? `${s.environment} has no known-good version yet.` : `there is no tag ${s.rollbackTo}.`);
  }
  if (!(spec.kind === 'tag' && spec.knownGood)) {
    const passed = await everSucceeded(d.gh, repo, s.environment, sha);
    if (!passed && !s.force) {
      return refuse(`${shortSha(sha)} never passed a health window in ${s.environment}; pass force: true to roll back to it anyway.`);
    }
    if (!passed) log.warning(`${shortSha(sha)} never passed a health window in ${s.environment}; rolling back to it because force is true.`);
  }

  const targetRef = spec.kind === 'tag' ? spec.ref : goodRef;
  // The reason is anyone's text: quoted on one line, so it cannot forge workflow commands in the log.
  log.info(`Manual rollback of ${s.environment} to ${sha} by @${d.actor} (${role}). Reason: ${quoteForLog(s.reason)}`);
  const ledger = new DeploymentLedger(d.gh, repo, ctx.runUrl, d.saveState);
  try {
    const description = `Manual rollback to ${shortSha(sha)} by @${d.actor}: ${s.reason}`;
    const payload = { manual: true, actor: d.actor, reason: s.reason, ...(s.takeOver ? { 'take-over': true } : {}) };
    const deploySpec = { sha, rollback: true, kind: 'manual-rollback', description, payload };
    // Recorded first: the deployment is this run's claim on the environment (core/deploy-lock.ts).
    const deploymentId = await recordDeployment(d, ledger, deploySpec);
    const { claim, takenOver }: { claim: Claim; takenOver: EarlierDeployment[] } = s.takeOver
      ? await takeOverEnvironment(d, repo, deploymentId, takenOverDescription(d.actor, s.reason))
      : { claim: await claimEnvironment(d, repo, deploymentId), takenOver: [] };
    if (claim.kind === 'held') {
      await ledger.finish(deploymentId, 'error', `Not rolled back: deployment ${claim.holder.id} of ${shortSha(claim.holder.sha)} was in progress`);
      const more = `Took over ${takenOver.length} deployments and ${s.environment} was still held; look at its deployments before trying again.`;
      return refuse(`${heldMessage(s.environment, claim)} ${s.takeOver ? more : TAKE_OVER_HINT}`);
    }
    if (s.takeOver && !takenOver.length) log.info(`take-over: nothing held ${s.environment}; there was nothing to take over.`);
    const dir = await checkOutVersion(d, sha, targetRef);
    const probe = d.createProbe(await measureBaselines(d));
    const attempt = await deployAndWatch(d, ledger, probe, { ...deploySpec, cwd: dir, command: s.rollbackCommand, deploymentId });
    if (!attempt.failure) {
      await tags.move(goodRef, sha);
      knownGoodSha = sha;
    }
    // The incident is opened before the deployment lets go of the environment (see claim.ts).
    const incident = await openIncident(
      d.gh,
      repo,
      { label: s.incidentLabel, environment: s.environment, prefix: s.tagPrefix },
      manualRollbackText({
        environment: s.environment,
        sha,
        deploymentId: attempt.deploymentId,
        actor: d.actor,
        reason: s.reason,
        runUrl: ctx.runUrl,
        repoUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`,
        timeline: attempt.times,
        rounds: attempt.rounds,
        ...(attempt.failure ? { failure: attempt.failure } : {}),
        ...(takenOver.length ? { takenOver: takenOver.map(({ id, sha }) => ({ id, sha })) } : {}),
      }),
      log,
      ctx,
      sha,
    ).finally(() =>
      attempt.failure
        ? ledger.finish(attempt.deploymentId, 'failure', `Manual rollback failed: ${describeFailure(attempt.failure)}`)
        : ledger.finish(attempt.deploymentId, 'success', `Manual rollback healthy for ${formatDuration(s.healthWindowMs)}; now known-good`),
    );
    return {
      outcome: { kind: 'manual-rollback', sha, deploymentId: attempt.deploymentId, incident, actor: d.actor, reason: s.reason, ...(attempt.failure ? { failure: attempt.failure } : {}) },
      knownGoodSha,
    };
  } finally {
    const problems = await ledger.abandonOpen('deploy-guard stopped before this rollback finished; see the run log');
    problems.forEach((p) => log.warning(`Could not close ${p}`));
  }
}
