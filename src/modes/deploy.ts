// Deploy mode: gate, tag, deploy, watch, then either promote to known-good or roll back.
import path from 'node:path';
import type { Clock } from '../clock.ts';
import { formatDuration } from '../core/duration.ts';
import { describeFailure, type Failure, type Outcome } from '../core/outcome.ts';
import { knownGoodRef, preDeployRef, shortSha } from '../core/tag-names.ts';
import type { Round } from '../core/verdict.ts';
import type { GitHubClient, Repo } from '../github/client.ts';
import { DeploymentLedger } from '../github/deployment-ledger.ts';
import { createDeployment } from '../github/deployments.ts';
import { createImmutableTag, moveTag, readTag } from '../github/tags.ts';
import type { Git } from '../git.ts';
import { usesBaseline, type PrometheusCheck } from '../check-types.ts';
import { planText } from '../core/plan-text.ts';
import type { Probe } from '../health/probe.ts';
import { watchHealth } from '../health/watch.ts';
import type { Log } from '../log.ts';
import { commandEnvironment, throwIfCancelled, type CommandRunner } from '../process.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { checkGate, gateOutcome } from './gate.ts';
import { openIncident } from './open-incident.ts';

import { WORKTREE_STATE } from '../state-names.ts';

export interface DeployDeps {
  settings: Settings;
  context: RunContext;
  gh: GitHubClient;
  git: Git;
  runCommand: CommandRunner;
  /** Builds the probe once the pre-deploy baselines are known. */
  createProbe: (baselines: ReadonlyMap<string, number>) => Probe;
  measureBaseline: (check: PrometheusCheck) => Promise<{ baseline?: number; detail: string }>;
  clock: Clock;
  log: Log;
  /** The job's environment, from which the commands' environment is made. */
  env: NodeJS.ProcessEnv;
  saveState: (name: string, value: string) => void;
  /** Where the commands' output goes (the step log). */
  write: (chunk: string) => void;
}

export interface DeployResult {
  outcome: Outcome;
  knownGoodSha: string | undefined;
}

export async function runDeployMode(d: DeployDeps): Promise<DeployResult> {
  const { settings: s, context: ctx, log } = d;
  const repo: Repo = { owner: ctx.owner, repo: ctx.repo };
  const ledger = new DeploymentLedger(d.gh, repo, ctx.runUrl, d.saveState);
  let knownGoodSha: string | undefined;
  try {
    const gate = await log.group('Gate', () => checkGate(d.gh, repo, s.incidentLabel, s.environment));
    if (gate.kind === 'blocked') return { outcome: gateOutcome(gate, s.environment, log), knownGoodSha };

    const goodRef = knownGoodRef(s.tagPrefix, s.environment);
    knownGoodSha = await readTag(d.gh, repo, goodRef);
    const sha = await d.git.headSha();
    log.info(planText({ ...s, environment: s.environment, sha, knownGoodSha }));

    const tag = preDeployRef(s.tagPrefix, s.environment, ctx.runId, ctx.runAttempt);
    await createImmutableTag(d.gh, repo, tag, sha);
    log.info(`Tagged ${shortSha(sha)} as ${tag}.`);

    const probe = d.createProbe(await measureBaselines(d));
    const attempt = await deployAndWatch(d, ledger, probe, { sha, cwd: ctx.workspace, command: s.deployCommand, rollback: false });
    if (s.dryRun) return { outcome: await finishDryRun(d, ledger, attempt, sha), knownGoodSha };
    if (!attempt.failure) {
      await moveTag(d.gh, repo, goodRef, sha);
      await ledger.finish(attempt.deploymentId, 'success', `Healthy for ${formatDuration(s.healthWindowMs)}; now known-good`);
      log.info(`Deployed ${shortSha(sha)} to ${s.environment}: healthy for the whole window; ${goodRef} now points at it.`);
      return { outcome: { kind: 'deployed', sha, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: true }, knownGoodSha: sha };
    }
    await ledger.finish(attempt.deploymentId, 'failure', describeFailure(attempt.failure));
    log.error(`Deploy of ${shortSha(sha)} to ${s.environment} failed: ${describeFailure(attempt.failure)}.`);

    if (!knownGoodSha) {
      const incident = await openIncident(d.gh, repo, s.incidentLabel, {
        environment: s.environment,
        failedSha: sha,
        deploymentId: attempt.deploymentId,
        failure: attempt.failure,
        runUrl: ctx.runUrl,
      }, log);
      log.error(`There is no known-good version of ${s.environment} to roll back to.`);
      return { outcome: { kind: 'no-rollback-target', sha, deploymentId: attempt.deploymentId, failure: attempt.failure, incident }, knownGoodSha };
    }

    const rollback = await rollBack(d, ledger, probe, knownGoodSha, goodRef).catch(
      (error: Error): Partial<Attempt> & { failure: Failure } => {
        log.error(`Rollback to ${shortSha(knownGoodSha!)} could not run: ${error.message}`);
        return { failure: { kind: 'error', message: `the rollback could not run: ${error.message}` } };
      },
    );
    const incident = await openIncident(d.gh, repo, s.incidentLabel, {
      environment: s.environment,
      failedSha: sha,
      deploymentId: attempt.deploymentId,
      failure: attempt.failure,
      runUrl: ctx.runUrl,
      rollback: {
        sha: knownGoodSha,
        ...(rollback.deploymentId ? { deploymentId: rollback.deploymentId } : {}),
        ...(rollback.failure ? { failure: rollback.failure } : {}),
      },
    }, log);
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
    };
  } finally {
    const problems = await ledger.abandonOpen('deploy-guard stopped before this deployment finished; see the run log');
    problems.forEach((p) => log.warning(`Could not close ${p}`));
  }
}

interface Attempt {
  deploymentId: number;
  failure?: Failure;
  rounds: Round[];
}

/** One deployment: create it, run the command, watch health. Leaves a failure status to the caller. */
async function deployAndWatch(
  d: DeployDeps,
  ledger: DeploymentLedger,
  probe: Probe,
  spec: { sha: string; cwd: string; command: string; rollback: boolean },
): Promise<Attempt> {
  const { settings: s, context: ctx, log } = d;
  const what = spec.rollback ? 'Rollback' : 'Deploy';
  const deploymentId = await createDeployment(d.gh, { owner: ctx.owner, repo: ctx.repo }, {
    sha: spec.sha,
    environment: s.environment,
    description: spec.rollback ? `deploy-guard rollback to ${shortSha(spec.sha)}` : `deploy-guard deploy of ${shortSha(spec.sha)}`,
    rollback: spec.rollback,
  });
  await ledger.start(deploymentId, `${what} of ${shortSha(spec.sha)} in progress`);

  const result = await log.group(`${what}: ${shortSha(spec.sha)} to ${s.environment} (deployment ${deploymentId})`, () =>
    d.runCommand({
      command: spec.command,
      cwd: spec.cwd,
      timeoutMs: s.deployTimeoutMs,
      onOutput: d.write,
      env: commandEnvironment(d.env, {
        DEPLOY_GUARD_SHA: spec.sha,
        DEPLOY_GUARD_ENVIRONMENT: s.environment,
        DEPLOY_GUARD_ROLLBACK: String(spec.rollback),
        DEPLOY_GUARD_DEPLOYMENT_ID: String(deploymentId),
      }),
    }),
  );
  throwIfCancelled();
  if (result.exitCode !== 0 || result.timedOut) {
    return {
      deploymentId,
      rounds: [],
      failure: { kind: 'command-failed', exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, timeoutMs: s.deployTimeoutMs },
    };
  }
  log.info(`${what} command finished in ${formatDuration(result.durationMs)}.`);

  const watched = await log.group(`Health window: ${formatDuration(s.healthWindowMs)} of ${shortSha(spec.sha)}`, () =>
    watchHealth({
      checks: s.checks,
      policy: {
        windowMs: s.healthWindowMs,
        intervalMs: s.healthIntervalMs,
        initialDelayMs: s.healthInitialDelayMs,
        failureThreshold: s.failureThreshold,
        maxFailedRounds: s.maxFailedRounds,
        inconclusiveThreshold: s.inconclusiveThreshold,
      },
      clock: d.clock,
      log,
      probe,
    }),
  );
  throwIfCancelled();
  if (watched.verdict.kind === 'unhealthy') {
    return { deploymentId, rounds: watched.rounds, failure: { kind: 'unhealthy', reason: watched.verdict.reason, rounds: watched.rounds } };
  }
  return { deploymentId, rounds: watched.rounds };
}

async function rollBack(d: DeployDeps, ledger: DeploymentLedger, probe: Probe, knownGoodSha: string, goodRef: string): Promise<Attempt> {
  const { context: ctx, log } = d;
  const dir = path.join(ctx.runnerTemp, `deploy-guard-rollback-${ctx.runId}-${ctx.runAttempt}-${d.clock.now()}`);
  await log.group(`Preparing rollback to ${shortSha(knownGoodSha)}`, async () => {
    await d.git.fetchCommit(knownGoodSha, goodRef);
    await d.git.addWorktree(dir, knownGoodSha);
    d.saveState(WORKTREE_STATE, dir);
    log.info(`Checked out the known-good version ${knownGoodSha} in ${dir}.`);
  });
  const attempt = await deployAndWatch(d, ledger, probe, { sha: knownGoodSha, cwd: dir, command: d.settings.rollbackCommand, rollback: true });
  if (attempt.failure) {
    await ledger.finish(attempt.deploymentId, 'failure', `Rollback failed: ${describeFailure(attempt.failure)}`);
    log.error(`Rollback to ${shortSha(knownGoodSha)} failed: ${describeFailure(attempt.failure)}. Not rolling back a rollback.`);
  } else {
    await ledger.finish(attempt.deploymentId, 'success', `Rolled back to known-good ${shortSha(knownGoodSha)}; healthy`);
    log.info(`Rolled back ${d.settings.environment} to ${shortSha(knownGoodSha)}; it stayed healthy for the whole window.`);
  }
  return attempt;
}

/**
 * Measures, just before the deploy command runs, the value each ratio-to-baseline check is compared
 * with. A baseline that cannot be measured, or is below the check's floor, counts as the floor.
 */
async function measureBaselines(d: DeployDeps): Promise<Map<string, number>> {
  const baselines = new Map<string, number>();
  for (const check of d.settings.checks.filter(usesBaseline)) {
    const floor = check.baselineFloor ?? 0;
    const measured = await d.measureBaseline(check);
    const baseline = Math.max(measured.baseline ?? floor, floor);
    baselines.set(check.name, baseline);
    const note = measured.baseline === undefined ? `could not be measured (${measured.detail}); using the floor` : measured.baseline < floor ? `is below the floor; using the floor` : '';
    d.log.info(`Baseline of "${check.name}": ${measured.baseline ?? 'none'}${note ? ` ${note}` : ''} -> ${baseline}.`);
  }
  return baselines;
}

/** A dry run reports the verdict and stops: no known-good move, no rollback, no incident. */
async function finishDryRun(d: DeployDeps, ledger: DeploymentLedger, attempt: Attempt, sha: string): Promise<Outcome> {
  if (!attempt.failure) {
    await ledger.finish(attempt.deploymentId, 'success', 'Dry run: healthy for the whole window (known-good not moved)');
    d.log.info(`Dry run: ${shortSha(sha)} was healthy for the whole window. Known-good was not moved.`);
    return { kind: 'deployed', sha, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: false };
  }
  await ledger.finish(attempt.deploymentId, 'failure', `Dry run: ${describeFailure(attempt.failure)}`);
  d.log.error(`Dry run: ${shortSha(sha)} failed (${describeFailure(attempt.failure)}). No rollback and no incident, as asked.`);
  return { kind: 'unhealthy', sha, deploymentId: attempt.deploymentId, failure: attempt.failure };
}
