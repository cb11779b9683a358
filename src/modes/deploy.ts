// Deploy mode: gate, claim, tag, deploy, watch, then what the verdict calls for (core/next-step.ts):
// promote to known-good, report a dry run, or roll back and open the incident.
import type { RunDeps, RunResult } from '../deps.ts';
import { dryRunEnd, failedDeploy, notStarted, promoted, promotedInStages, automaticRollbackEnd } from '../core/deployment-end.ts';
import { nextStep } from '../core/next-step.ts';
import { describeFailure, type Failure, type Override } from '../core/outcome.ts';
import { everyCheck, failedStageEnv, stageProgress } from '../core/stages.ts';
import type { RollbackJournal } from '../core/rollback-retry.ts';
import { shortSha } from '../core/tag-names.ts';
import { checkWarnings, type CheckWarning } from '../core/warnings.ts';
import { commitRange } from '../github/commits.ts';
import type { Probe } from '../health/probe.ts';
import { incidentText } from '../report/incident-text.ts';
import { planText } from '../report/plan-text.ts';
import type { IncidentFacts } from '../report/report-facts.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { deployAndWatch, type Attempt, type AttemptPlace } from '../phases/attempt.ts';
import { claimEnvironment, heldMessage, type Claim } from '../phases/claim.ts';
import { checkGate, closingRules, gateOutcome, incidentScope, recoveredFrom, type GateReading } from '../phases/gate.ts';
import { incidentOrigin, openIncident, oweIncident } from '../phases/incident.ts';
import { recordDeployment, withDeployments } from '../phases/record.ts';
import { checkOutVersion, newJournal, rollBack, type RollbackRun } from '../phases/roll-back.ts';
import { mayStart } from '../phases/may-start.ts';
import { Tags } from '../phases/tag.ts';
import { deployInStages } from '../phases/stages.ts';
import { measureBaselines } from '../phases/watch.ts';
import { commentOnWarnings } from '../phases/warnings.ts';

export async function runDeploy(settings: Settings, context: RunContext, deps: RunDeps): Promise<RunResult> {
  const repo = { owner: context.owner, repo: context.repo };
  const result = await withDeployments(deps, repo, context, (ledger) => deploy({ settings, context, deps, repo, ledger }));
  // Once every deployment has its terminal status: the comment never delays the verdict's effects.
  await commentOnWarnings(deps, repo, settings, context, result);
  return result;
}

async function deploy(p: AttemptPlace): Promise<RunResult> {
  const { settings: s, context, deps } = p;
  const sha = await deps.git.headSha();
  const allowed = await mayStart(p, sha);
  if ('outcome' in allowed) return allowed;
  const { gate, override } = allowed;
  const spec = deploymentSpec(s, sha, override);
  const tags = new Tags(deps, p.repo, s);
  const held = await hold(p, spec, tags);
  if ('outcome' in held) return held;
  const { deploymentId, claim } = held;

  // Read once the environment is held (by the claim): the run before may have moved it just now.
  const knownGoodSha = await tags.knownGood(claim.proven, claim.tagSha);
  deps.log.info(planText({ ...s, sha, knownGoodSha }));
  await tags.tagPreDeploy(context, sha, deploymentId);

  const probe = deps.createProbe(await measureBaselines(deps, s.stages ? { checks: everyCheck(s.checks, s.stages) } : s));
  // The rollback's checkout is made once the deploy first looks bad, so it is ready by the verdict.
  let checkout: Promise<string> | undefined;
  const prepareRollback = (target: string): Promise<string> => {
    checkout ??= checkOutVersion(deps, context, target, tags.knownGoodRef);
    checkout.catch(() => {}); // awaited when the rollback starts
    return checkout;
  };
  const attemptSpec = {
    ...spec,
    cwd: context.workspace,
    command: s.deployCommand,
    deploymentId,
    ...(knownGoodSha && !s.dryRun ? { onFailedRound: () => void prepareRollback(knownGoodSha) } : {}),
  };
  const attempt = s.stages ? await deployInStages(p, probe, attemptSpec, s.stages) : await deployAndWatch(p, probe, attemptSpec);

  const step = nextStep(attempt, { dryRun: s.dryRun, knownGoodSha });
  const next = (): Promise<RunResult> => {
    switch (step.kind) {
      case 'report-dry-run':
        return reportDryRun(p, attempt, sha, knownGoodSha);
      case 'promote':
        return promote(p, tags, attempt, sha, claim, gate, override);
      case 'roll-back':
      case 'open-incident':
        return recover(p, probe, attempt as Attempt & { failure: Failure }, sha, step.kind === 'roll-back' ? { sha: step.to, checkout: prepareRollback(step.to) } : undefined);
    }
  };
  return { ...(await next()), warnings: attemptWarnings(attempt) };
}

/** How this deploy is recorded on GitHub: a dry run and an override are in its payload; a staged one starts at stage 1. */
function deploymentSpec(s: Settings, sha: string, override: Override | undefined) {
  const payload = { ...(s.dryRun ? { 'dry-run': true } : {}), ...(override ? { override } : {}) };
  return {
    sha,
    rollback: false,
    ...(s.stages ? { progress: stageProgress(s.stages, 0) } : {}),
    ...(Object.keys(payload).length ? { payload } : {}),
    ...(override ? { description: `deploy-guard deploy of ${shortSha(sha)}; ${override.over} overridden by @${override.actor}: ${override.reason}` } : {}),
  };
}

/**
 * Records the deployment, which is this run's claim on the environment (core/deploy-lock.ts), and
 * takes the environment; after a troubled deploy the gate is read again, since an incident may have
 * been opened since the first look (a run opens it before it lets go).
 */
async function hold(p: AttemptPlace, spec: ReturnType<typeof deploymentSpec>, tags: Tags): Promise<RunResult | { deploymentId: number; claim: Extract<Claim, { kind: 'claimed' }> }> {
  const { settings: s, context, deps, ledger } = p;
  const deploymentId = await recordDeployment({ ...deps, repo: p.repo, environment: s.environment, context }, ledger, spec);
  const claim = await claimEnvironment({ deps, repo: p.repo, environment: s.environment, limits: s, context, knownGoodRef: tags.knownGoodRef }, deploymentId);
  if (claim.kind === 'held') {
    ledger.plan(deploymentId, notStarted(`deployment ${claim.holder.id} of ${shortSha(claim.holder.sha)} was in progress`));
    throw new Error(heldMessage(s.environment, claim));
  }
  if (claim.afterTrouble) {
    const again = gateOutcome(await checkGate(deps.gh, p.repo, incidentScope(s), closingRules(s), { log: deps.log }), s.environment, deps.log);
    if (again.kind === 'blocked') {
      ledger.plan(deploymentId, notStarted('an incident was opened while this run started'));
      return { outcome: again, knownGoodSha: undefined };
    }
  }
  return { deploymentId, claim };
}

/** Healthy for the whole window: the success status is the record, and the tag follows it when GitHub lets it (core/known-good.ts). */
async function promote(p: AttemptPlace, tags: Tags, attempt: Attempt, sha: string, claim: Extract<Claim, { kind: 'claimed' }>, gate: GateReading, override: Override | undefined): Promise<RunResult> {
  const { settings: s, deps } = p;
  const moved = await tags.promote(sha);
  p.ledger.plan(attempt.deploymentId, s.stages ? promotedInStages(s.stages) : promoted(s.healthWindowMs));
  await p.ledger.close(attempt.deploymentId);
  deps.log.info(
    `Deployed ${shortSha(sha)} to ${s.environment}: healthy for the whole window${s.stages ? ` of each of its ${s.stages.length} stages` : ''}; ` +
      (moved ? `${tags.knownGoodRef} now points at it.` : `it is known-good (deployment ${attempt.deploymentId}), and ${tags.knownGoodRef} catches up on a later run.`),
  );
  // The previous deploy ended in a rollback or failure: this is the recovery people wait for.
  const recovered = claim.afterTrouble && s.notify ? recoveredFrom(gate) : undefined;
  return {
    outcome: {
      kind: 'deployed',
      sha,
      deploymentId: attempt.deploymentId,
      rounds: attempt.rounds,
      promoted: true,
      ...(recovered ? { recovered } : {}),
      ...(override ? { override } : {}),
      ...(attempt.timeline.stages ? { stages: attempt.timeline.stages } : {}),
    },
    knownGoodSha: sha,
  };
}

/** A dry run reports the verdict and stops: no known-good move, no rollback, no incident. */
async function reportDryRun(p: AttemptPlace, attempt: Attempt, sha: string, knownGoodSha: string | undefined): Promise<RunResult> {
  p.ledger.plan(attempt.deploymentId, dryRunEnd(attempt.failure));
  await p.ledger.close(attempt.deploymentId);
  if (!attempt.failure) {
    p.deps.log.info(`Dry run: ${shortSha(sha)} was healthy for the whole window. Known-good was not moved.`);
    const stages = attempt.timeline.stages;
    return { outcome: { kind: 'deployed', sha, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: false, ...(stages ? { stages } : {}) }, knownGoodSha };
  }
  p.deps.log.error(`Dry run: ${shortSha(sha)} failed (${describeFailure(attempt.failure)}). No rollback and no incident, as asked.`);
  return { outcome: { kind: 'unhealthy', sha, deploymentId: attempt.deploymentId, failure: attempt.failure }, knownGoodSha };
}

/**
 * The deploy failed: roll back to `target` if there is one, then open the incident. The failed
 * deployment and the rollback's are let go only once the incident is open (phases/claim.ts), by
 * withDeployments; the failed one earlier, once the rollback's deployment holds the environment.
 */
async function recover(p: AttemptPlace, probe: Probe, attempt: Attempt & { failure: Failure }, sha: string, target: { sha: string; checkout: Promise<string> } | undefined): Promise<RunResult> {
  const { settings: s, context: ctx, deps, ledger } = p;
  const { log } = deps;
  log.error(`Deploy of ${shortSha(sha)} to ${s.environment} failed: ${describeFailure(attempt.failure)}.`, `${s.environment}: ${shortSha(sha)} failed`);
  ledger.plan(attempt.deploymentId, failedDeploy(attempt.failure));
  const facts = incidentFacts(p, attempt, sha);
  const owed = oweIncident(deps.saveState, {
    environment: s.environment,
    label: s.incidentLabel,
    prefix: s.tagPrefix,
    ...(s.incidentRepository ? { repository: `${s.incidentRepository.owner}/${s.incidentRepository.repo}` } : {}),
    failedSha: sha,
    failedDeploymentId: attempt.deploymentId,
    failure: describeFailure(attempt.failure),
    ...(target ? { knownGoodSha: target.sha } : {}),
    failedAt: deps.clock.now(),
  });
  const place = { gh: deps.gh, repo: p.repo, scope: incidentScope(s), log, context: ctx };
  const origin = incidentOrigin(place.scope, ctx);

  if (!target) {
    const incident = await openIncident(place, incidentText(facts, origin), sha);
    owed.paid();
    log.error(`There is no known-good version of ${s.environment} to roll back to.`, `${s.environment}: nothing to roll back to`);
    return { outcome: { kind: 'no-rollback-target', sha, deploymentId: attempt.deploymentId, failure: attempt.failure, incident }, knownGoodSha: undefined, report: facts };
  }

  const rollback = await tryRollBack(p, probe, attempt, { ...target, failedSha: sha, env: failedStageEnv(attempt.failure) });
  owed.rolledBack(rollback.failure ? 'failed' : 'healthy');
  // After the rollback, not before: what changed between the versions, for the incident.
  const commits = await commitRange(deps.gh, p.repo, target.sha, sha).catch((error: Error) => {
    log.warning(`Could not list the commits from ${shortSha(target.sha)} to ${shortSha(sha)}: ${error.message}`);
    return undefined;
  });
  if (commits) facts.commits = commits;
  facts.rollback = rollbackFacts(target.sha, rollback);
  const incident = await openIncident(place, incidentText(facts, origin), sha);
  owed.paid();
  return {
    outcome: {
      kind: rollback.failure ? 'rollback-failed' : 'rolled-back',
      sha,
      deploymentId: attempt.deploymentId,
      failure: attempt.failure,
      knownGoodSha: target.sha,
      ...(rollback.deploymentId ? { rollbackDeploymentId: rollback.deploymentId } : {}),
      ...(rollback.failure ? { rollbackFailure: rollback.failure } : {}),
      incident,
      journal: rollback.journal,
    },
    knownGoodSha: target.sha,
    report: facts,
  };
}

/**
 * The automatic rollback, replacing the failed deployment; a rollback that could not complete (its
 * checkout failed, or it was cancelled) is a failed one. Its deployment's end is planned here.
 */
async function tryRollBack(
  p: AttemptPlace,
  probe: Probe,
  failed: Attempt & { failure: Failure },
  target: Pick<RollbackRun, 'sha' | 'checkout' | 'env'> & { failedSha: string },
): Promise<Partial<Attempt> & { journal: RollbackJournal }> {
  const { settings: s, deps, ledger } = p;
  const journal = newJournal(s);
  const replaces = { deploymentId: failed.deploymentId, close: () => ledger.close(failed.deploymentId) };
  const cause = { failedSha: target.failedSha, reason: describeFailure(failed.failure) };
  const rollback = await rollBack(p, probe, { sha: target.sha, checkout: target.checkout, ...(target.env ? { env: target.env } : {}), replaces, cause, journal }).catch(
    (error: Error): Partial<Attempt> & { failure: Failure } => {
      deps.log.error(`Rollback to ${shortSha(target.sha)} did not complete: ${error.message}`, `${s.environment}: rollback did not complete`);
      return { failure: { kind: 'error', message: `the rollback did not complete: ${error.message}` } };
    },
  );
  if (rollback.deploymentId !== undefined) ledger.plan(rollback.deploymentId, automaticRollbackEnd(target.sha, rollback.failure, journal));
  return { ...rollback, journal };
}

function incidentFacts(p: AttemptPlace, attempt: Attempt & { failure: Failure }, sha: string): IncidentFacts {
  const { context: ctx } = p;
  return {
    environment: p.settings.environment,
    failedSha: sha,
    deploymentId: attempt.deploymentId,
    failure: attempt.failure,
    links: { repoUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`, runUrl: ctx.runUrl },
    timeline: attempt.timeline,
    warnings: attemptWarnings(attempt),
  };
}

/** The warn-only checks that failed in the attempt's health window (none if it never started). */
function attemptWarnings(attempt: Attempt): CheckWarning[] {
  const start = attempt.timeline.windowStart;
  return start === undefined ? [] : checkWarnings(attempt.rounds, start);
}

function rollbackFacts(sha: string, rollback: Partial<Attempt> & { journal: RollbackJournal }): NonNullable<IncidentFacts['rollback']> {
  return {
    sha,
    ...(rollback.deploymentId ? { deploymentId: rollback.deploymentId } : {}),
    ...(rollback.failure ? { failure: rollback.failure } : {}),
    ...(rollback.rounds?.length ? { rounds: rollback.rounds } : {}),
    ...(rollback.timeline ? { timeline: rollback.timeline } : {}),
    journal: rollback.journal,
  };
}
