// Rollback mode: a person rolls an environment back by hand. Allowed while an incident is open
// (it is how people recover); refused, before anything changes, for actors without write access
// and for targets that never passed a health window here (unless forced); refused too, with only
// its own deployment closed as `error`, while another deploy or rollback holds the environment,
// unless a maintainer takes the environment over (take-over: true; see core/take-over.ts).
import type { RunDeps, RunResult } from '../deps.ts';
import { manualRollbackEnd, notRolledBack } from '../core/deployment-end.ts';
import { chooseKnownGood, tagBehindNote } from '../core/known-good.ts';
import { EARLIER_LOOKED_AT, passedWindow, type EarlierDeployment } from '../core/deploy-lock.ts';
import type { Outcome } from '../core/outcome.ts';
import { parseRollbackTarget } from '../core/rollback-target.ts';
import { shortSha } from '../core/tag-names.ts';
import { mayTakeOver, TAKE_OVER_HINT, takenOverDescription, takeOverRefusal } from '../core/take-over.ts';
import type { Repo } from '../github/client.ts';
import type { DeploymentLedger } from '../github/deployment-ledger.ts';
import { everSucceeded } from '../github/deployments.ts';
import { readRecentOwnDeployments } from '../github/deployment-history.ts';
import { readTag } from '../github/tags.ts';
import { manualRollbackText } from '../report/incident-text.ts';
import { quoteForLog } from '../report/log-text.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { claimEnvironment, heldMessage, takeOverEnvironment, type Claim } from '../phases/claim.ts';
import { incidentScope } from '../phases/gate.ts';
import { incidentOrigin, openIncident } from '../phases/incident.ts';
import { recordDeployment, withDeployments } from '../phases/record.ts';
import { checkOutVersion, newJournal, rollBack } from '../phases/roll-back.ts';
import { Tags } from '../phases/tag.ts';
import { measureBaselines } from '../phases/watch.ts';
import { writeAccess } from '../phases/write-access.ts';

/** A rollback that was asked for and allowed: to what, through which ref, by whom. */
interface Allowed {
  sha: string;
  /** The tag the target is fetched through. */
  ref: string;
  role: string;
  knownGoodSha: string | undefined;
}

export async function runRollback(settings: Settings, context: RunContext, deps: RunDeps): Promise<RunResult> {
  const repo = { owner: context.owner, repo: context.repo };
  const tags = new Tags(deps, repo, settings);
  const allowed = await allow(settings, context, deps, repo, tags);
  if ('refused' in allowed) {
    deps.log.error(`Rollback refused: ${allowed.refused}`);
    return { outcome: { kind: 'refused', reason: allowed.refused }, knownGoodSha: allowed.knownGoodSha };
  }
  return withDeployments(deps, repo, context, (ledger) => rollBackByHand(settings, context, deps, repo, ledger, tags, allowed));
}

/** Who may roll back to what; refused before anything is written. */
async function allow(s: Settings, ctx: RunContext, deps: RunDeps, repo: Repo, tags: Tags): Promise<Allowed | { refused: string; knownGoodSha: string | undefined }> {
  const actor = ctx.actor;
  // One read: the known-good tag and deploy-guard's newest deployments with their statuses.
  const recent = await readRecentOwnDeployments(deps.gh, repo, { environment: s.environment, ref: `refs/${tags.knownGoodRef}`, limit: EARLIER_LOOKED_AT });
  const tagSha = recent.refSha;
  let knownGoodSha = tagSha;
  const refuse = (refused: string) => ({ refused, knownGoodSha });

  const { role, refusal } = await writeAccess(deps, repo, ctx, 'a manual rollback');
  if (refusal) return refuse(refusal);
  if (s.takeOver && !mayTakeOver(role)) return refuse(takeOverRefusal(actor, role, `${ctx.owner}/${ctx.repo}`));

  const spec = parseRollbackTarget(s.rollbackTo, s.tagPrefix, s.environment);
  if (spec.kind === 'invalid') return refuse(`rollback-to ${spec.reason}.`);
  const toKnownGood = spec.kind === 'tag' && spec.knownGood;
  if (toKnownGood) {
    // The newest version that passed its window, by the deployments first: the tag may lag (core/known-good.ts).
    const known = chooseKnownGood(tagSha, recent.deployments.find(passedWindow));
    if (known.tagBehind && known.sha) deps.log.info(tagBehindNote(tags.knownGoodRef, tagSha, known));
    knownGoodSha = known.sha;
  }
  const sha = spec.kind === 'sha' ? spec.sha : toKnownGood ? knownGoodSha : await readTag(deps.gh, repo, spec.ref);
  if (!sha) return refuse(toKnownGood ? `${s.environment} has no known-good version yet.` : `there is no tag ${s.rollbackTo}.`);
  if (!toKnownGood) {
    const passed = await everSucceeded(deps.gh, repo, s.environment, sha);
    if (!passed && !s.force) return refuse(`${shortSha(sha)} never passed a health window in ${s.environment}; pass force: true to roll back to it anyway.`);
    if (!passed) deps.log.warning(`${shortSha(sha)} never passed a health window in ${s.environment}; rolling back to it because force is true.`);
  }
  return { sha, ref: spec.kind === 'tag' ? spec.ref : tags.knownGoodRef, role: role!, knownGoodSha };
}

async function rollBackByHand(s: Settings, ctx: RunContext, deps: RunDeps, repo: Repo, ledger: DeploymentLedger, tags: Tags, a: Allowed): Promise<RunResult> {
  const { sha } = a;
  const actor = ctx.actor;
  // The reason is anyone's text: quoted on one line, so it cannot forge workflow commands in the log.
  deps.log.info(`Manual rollback of ${s.environment} to ${sha} by @${actor} (${a.role}). Reason: ${quoteForLog(s.reason)}`);
  const description = `Manual rollback to ${shortSha(sha)} by @${actor}: ${s.reason}`;
  const spec = { kind: 'manual-rollback', description, payload: { manual: true, actor, reason: s.reason, ...(s.takeOver ? { 'take-over': true } : {}) } };
  // Recorded first: the deployment is this run's claim on the environment (core/deploy-lock.ts).
  const deploymentId = await recordDeployment({ ...deps, repo, environment: s.environment, context: ctx }, ledger, { ...spec, sha, rollback: true });
  const claimScope = { deps, repo, environment: s.environment, limits: s, context: ctx, knownGoodRef: tags.knownGoodRef };
  const { claim, takenOver }: { claim: Claim; takenOver: EarlierDeployment[] } = s.takeOver
    ? await takeOverEnvironment(claimScope, deploymentId, takenOverDescription(actor, s.reason))
    : { claim: await claimEnvironment(claimScope, deploymentId), takenOver: [] };
  if (claim.kind === 'held') {
    ledger.plan(deploymentId, notRolledBack(`deployment ${claim.holder.id} of ${shortSha(claim.holder.sha)} was in progress`));
    const more = `Took over ${takenOver.length} deployments and ${s.environment} was still held; look at its deployments before trying again.`;
    const reason = `${heldMessage(s.environment, claim)} ${s.takeOver ? more : TAKE_OVER_HINT}`;
    deps.log.error(`Rollback refused: ${reason}`);
    return { outcome: { kind: 'refused', reason }, knownGoodSha: a.knownGoodSha };
  }
  if (s.takeOver && !takenOver.length) deps.log.info(`take-over: nothing held ${s.environment}; there was nothing to take over.`);

  const checkout = Promise.resolve(await checkOutVersion(deps, ctx, sha, a.ref));
  const probe = deps.createProbe(await measureBaselines(deps, s));
  const journal = newJournal(s);
  const attempt = await rollBack({ settings: s, context: ctx, deps, repo, ledger }, probe, { sha, checkout, spec, deploymentId, cause: { actor, reason: s.reason }, journal });
  ledger.plan(attempt.deploymentId, manualRollbackEnd(s.healthWindowMs, attempt.failure, journal));
  const knownGoodSha = attempt.failure ? a.knownGoodSha : sha;
  if (!attempt.failure) await tags.promote(sha);
  // The incident is opened before the deployment lets go of the environment (phases/claim.ts).
  const scope = incidentScope(s);
  const origin = incidentOrigin(scope, ctx);
  const incident = await openIncident(
    { gh: deps.gh, repo, scope, log: deps.log, context: ctx },
    manualRollbackText({
      environment: s.environment,
      sha,
      deploymentId: attempt.deploymentId,
      actor,
      reason: s.reason,
      runUrl: ctx.runUrl,
      repoUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`,
      timeline: attempt.timeline,
      rounds: attempt.rounds,
      ...(attempt.failure ? { failure: attempt.failure } : {}),
      ...(takenOver.length ? { takenOver: takenOver.map(({ id, sha }) => ({ id, sha })) } : {}),
      severity: s.severity,
      ...(origin ? { origin } : {}),
      journal,
    }),
    sha,
  );
  const outcome: Outcome = { kind: 'manual-rollback', sha, deploymentId: attempt.deploymentId, incident, actor, reason: s.reason, ...(attempt.failure ? { failure: attempt.failure } : {}), journal };
  return { outcome, knownGoodSha };
}
