// Drill mode: proves the rollback path before it is needed. It rolls the environment back to the
// previous proven version with the rollback command and watches it for a whole window (the back
// leg), then rolls forward to known-good with the deploy command, a normal deploy of known-good,
// and watches again (the forward leg). Each leg is a deploy-guard deployment of its own, marked
// {"drill": "back" | "forward", "drill-run": <run id>}; neither ever counts as proven, and
// known-good never moves. A failed back leg still rolls forward, then opens an incident (the
// rollback path is broken); a failed forward leg opens a critical one. Refused before anything is
// written outside the deploy windows or in a freeze (unless a maintainer overrides it), while an
// incident or a lock blocks the environment, for actors without write access, and while a deploy
// holds the environment; skipped when there is no previous proven version.
import type { RunDeps, RunResult } from '../deps.ts';
import { drillLegEnd, notDrilled } from '../core/deployment-end.ts';
import { chooseDrillTarget, DRILL_LOOKBACK, holderNow, type DrillTarget } from '../core/drill-target.ts';
import { formatDuration } from '../core/duration.ts';
import { describeFailure, type DrillLegResult, type Outcome, type Override } from '../core/outcome.ts';
import { knownGoodRef, shortSha } from '../core/tag-names.ts';
import type { Repo } from '../github/client.ts';
import { readRecentOwnDeployments } from '../github/deployment-history.ts';
import type { Probe } from '../health/probe.ts';
import { drillIncidentText } from '../report/drill-text.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { deployAndWatch, type AttemptPlace } from '../phases/attempt.ts';
import { claimEnvironment, heldMessage } from '../phases/claim.ts';
import { incidentOrigin, openIncident } from '../phases/incident.ts';
import { incidentScope } from '../phases/gate.ts';
import { mayStart } from '../phases/may-start.ts';
import { recordDeployment, withDeployments } from '../phases/record.ts';
import { checkOutVersion } from '../phases/roll-back.ts';
import { measureBaselines } from '../phases/watch.ts';
import { writeAccessRefusal } from '../phases/write-access.ts';

const WHAT = 'Drill';
/** A drill that may start: to what, and the window or freeze a maintainer overrode for it, if any. */
type Target = Extract<DrillTarget, { kind: 'drill' }> & { override?: Override | undefined };
type Leg = DrillLegResult['leg'];

export async function runDrill(s: Settings, ctx: RunContext, deps: RunDeps): Promise<RunResult> {
  const repo = { owner: ctx.owner, repo: ctx.repo };
  const allowed = await allow(s, ctx, deps, repo);
  if ('outcome' in allowed) return allowed;
  return withDeployments(deps, repo, ctx, (ledger) => drill({ settings: s, context: ctx, deps, repo, ledger }, allowed));
}

function refuse(deps: Pick<RunDeps, 'log'>, reason: string, knownGoodSha: string | undefined): RunResult {
  deps.log.error(`${WHAT} refused: ${reason}`);
  return { outcome: { kind: 'refused', what: WHAT, reason }, knownGoodSha };
}

/** Whether the drill may start, and to what; refused, blocked or skipped before anything is written. */
async function allow(s: Settings, ctx: RunContext, deps: RunDeps, repo: Repo): Promise<RunResult | Target> {
  const refusal = await writeAccessRefusal(deps, repo, ctx, 'a rollback drill');
  if (refusal) return refuse(deps, refusal, undefined);
  // A drill deploys twice: deploy windows, freezes (override-reason included), incidents and locks
  // refuse it as they refuse a deploy. require-proven-in is about the checked-out commit, which a drill does not deploy.
  const allowed = await mayStart({ settings: s, context: ctx, deps, repo }, undefined);
  if ('outcome' in allowed) return allowed;

  // One read: the known-good tag and deploy-guard's newest deployments with their statuses.
  const recent = await readRecentOwnDeployments(deps.gh, repo, { environment: s.environment, ref: `refs/${knownGoodRef(s.tagPrefix, s.environment)}`, limit: DRILL_LOOKBACK });
  const held = holderNow(recent.deployments, s, deps.clock.now());
  if (held) return refuse(deps, heldMessage(s.environment, held), recent.refSha);
  const target = chooseDrillTarget(s.environment, recent.refSha, recent.deployments);
  if (target.kind === 'none') {
    deps.log.warning(`Rollback drill skipped: ${target.reason} Nothing was deployed.`, `${s.environment}: rollback drill skipped`);
    return { outcome: { kind: 'drill-skipped', reason: target.reason }, knownGoodSha: recent.refSha };
  }
  return { ...target, override: allowed.override };
}

/** How a leg is recorded on GitHub: its own deployment, never a rollback's (it proves nothing). */
function legSpec(ctx: RunContext, leg: Leg, sha: string, override: Override | undefined) {
  const short = shortSha(sha);
  return {
    sha,
    rollback: false,
    kind: `drill-${leg}`,
    description: leg === 'back' ? `deploy-guard rollback drill: back to ${short} (rollback command)` : `deploy-guard rollback drill: forward to known-good ${short} (deploy command)`,
    progress: leg === 'back' ? `Drill: rolling back to ${short}` : `Drill: rolling forward to known-good ${short}`,
    payload: { drill: leg, 'drill-run': Number(ctx.runId), actor: ctx.actor, ...(override ? { override } : {}) },
  };
}

async function drill(p: AttemptPlace, t: Target): Promise<RunResult> {
  const { settings: s, context: ctx, deps, ledger } = p;
  const where = { ...deps, repo: p.repo, environment: s.environment, context: ctx };
  const goodRef = knownGoodRef(s.tagPrefix, s.environment);
  // Recorded first: the back leg's deployment is this run's claim on the environment (core/deploy-lock.ts).
  const backId = await recordDeployment(where, ledger, legSpec(ctx, 'back', t.back.sha, t.override));
  const claim = await claimEnvironment({ deps, repo: p.repo, environment: s.environment, limits: s, context: ctx, knownGoodRef: goodRef }, backId);
  const stale =
    claim.kind === 'held'
      ? heldMessage(s.environment, claim)
      : claim.proven && claim.proven.sha !== t.knownGoodSha
        ? `known-good of ${s.environment} moved to ${shortSha(claim.proven.sha)} (deployment ${claim.proven.id}) while the drill started; run it again.`
        : undefined;
  if (stale) {
    ledger.plan(backId, notDrilled(stale));
    return refuse(deps, stale, t.knownGoodSha);
  }

  deps.log.info(
    `Rollback drill of ${s.environment}: back to the previous proven version ${t.back.sha} (proven by deployment ${t.back.provenBy}) with the rollback command, ` +
      `then forward to known-good ${t.knownGoodSha} with the deploy command; each watched for ${formatDuration(s.healthWindowMs)}. Known-good does not move.`,
  );
  const probe = deps.createProbe(await measureBaselines(deps, s));
  const back = await runLeg(p, probe, { leg: 'back', sha: t.back.sha, deploymentId: backId, command: s.rollbackCommand, tagRef: goodRef });
  // The forward leg's deployment holds the environment before the back leg's lets go of it.
  const forwardId = await recordDeployment(where, ledger, legSpec(ctx, 'forward', t.knownGoodSha, t.override));
  ledger.plan(backId, drillLegEnd('back', s.healthWindowMs, back.result.failure));
  await ledger.close(backId);
  const forward = await runLeg(p, probe, { leg: 'forward', sha: t.knownGoodSha, deploymentId: forwardId, command: s.deployCommand, tagRef: goodRef });
  ledger.plan(forwardId, drillLegEnd('forward', s.healthWindowMs, forward.result.failure));
  await removeCheckout(deps, back.dir);

  const outcome: Extract<Outcome, { kind: 'drill' }> = { kind: 'drill', knownGoodSha: t.knownGoodSha, back: back.result, forward: forward.result };
  if (back.result.failure || forward.result.failure) {
    // Opened before the forward leg's deployment lets go of the environment (phases/claim.ts).
    outcome.incident = await openDrillIncident(p, outcome);
  } else {
    deps.log.info(`Rollback drill of ${s.environment} passed: both legs stayed healthy for their whole windows; ${s.environment} is on known-good ${shortSha(t.knownGoodSha)} again.`);
  }
  return { outcome, knownGoodSha: t.knownGoodSha };
}

interface LegRun {
  leg: Leg;
  sha: string;
  deploymentId: number;
  command: string;
  /** The known-good tag, which a checkout fetches through when the commit is not in the clone. */
  tagRef: string;
}

/**
 * One leg: a checkout of its version, its command there, its health window. Anything that keeps it
 * from completing (the checkout, the API) is its failure, so that the drill still rolls forward; a
 * cancel is not, and stops the run (its deployments then end `error`, by withDeployments).
 */
async function runLeg(p: AttemptPlace, probe: Probe, r: LegRun): Promise<{ result: DrillLegResult; dir?: string }> {
  const { deps, context: ctx } = p;
  let dir: string | undefined;
  try {
    dir = await checkOutVersion(deps, ctx, r.sha, r.tagRef);
    const attempt = await deployAndWatch(p, probe, { sha: r.sha, rollback: r.leg === 'back', cwd: dir, command: r.command, deploymentId: r.deploymentId });
    const result = { leg: r.leg, sha: r.sha, deploymentId: r.deploymentId, rounds: attempt.rounds, timeline: attempt.timeline, ...(attempt.failure ? { failure: attempt.failure } : {}) };
    if (attempt.failure) deps.log.error(`Drill, ${r.leg} leg: ${shortSha(r.sha)} failed: ${describeFailure(attempt.failure)}.`, `${p.settings.environment}: drill ${r.leg} leg failed`);
    return { result, dir };
  } catch (error) {
    deps.throwIfCancelled();
    const message = `the ${r.leg} leg did not complete: ${(error as Error).message}`;
    deps.log.error(`Drill: ${message}`, `${p.settings.environment}: drill ${r.leg} leg did not complete`);
    return { result: { leg: r.leg, sha: r.sha, deploymentId: r.deploymentId, rounds: [], failure: { kind: 'error', message } }, ...(dir ? { dir } : {}) };
  }
}

/** The back leg's checkout, once the forward leg has replaced what it served; the forward leg's is the post step's to remove. */
async function removeCheckout(deps: RunDeps, dir: string | undefined): Promise<void> {
  if (!dir) return;
  await deps.git.removeWorktree(dir).catch((error: Error) => deps.log.info(`Could not remove ${dir}: ${error.message}`));
}

function openDrillIncident(p: AttemptPlace, outcome: Extract<Outcome, { kind: 'drill' }>) {
  const { settings: s, context: ctx, deps } = p;
  const scope = incidentScope(s);
  const text = drillIncidentText({
    environment: s.environment,
    knownGoodSha: outcome.knownGoodSha,
    back: outcome.back,
    forward: outcome.forward,
    actor: ctx.actor,
    runUrl: ctx.runUrl,
    repoUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`,
    origin: incidentOrigin(scope, ctx),
  });
  const about = outcome.back.failure ? outcome.back.sha : outcome.knownGoodSha;
  return openIncident({ gh: deps.gh, repo: p.repo, scope, log: deps.log, context: ctx }, text, about);
}
