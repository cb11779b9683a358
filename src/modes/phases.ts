// The phases a deploy and a rollback share: check out a version, measure baselines, deploy a
// version as a GitHub deployment and watch its health.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { usesBaseline, type PrometheusCheck } from '../health/check-types.ts';
import type { Clock } from '../clock.ts';
import { formatDuration } from '../core/duration.ts';
import type { Failure } from '../core/outcome.ts';
import { shortSha } from '../core/tag-names.ts';
import type { Round } from '../core/verdict.ts';
import type { GitHubClient } from '../github/client.ts';
import type { DeploymentLedger } from '../github/deployment-ledger.ts';
import { createDeployment } from '../github/deployments.ts';
import type { Git } from '../git.ts';
import type { Probe } from '../health/probe.ts';
import { watchHealth } from '../health/watch.ts';
import type { Log } from '../log.ts';
import { commandEnvironment, throwIfCancelled, type CommandRunner } from '../process.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { WORKTREE_STATE } from '../state-names.ts';

export interface ModeDeps {
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

export interface Attempt {
  deploymentId: number;
  failure?: Failure;
  rounds: Round[];
  times: AttemptTimes;
}

/** Clock times of one attempt's moments (see Timeline in report/report-facts.ts). */
export interface AttemptTimes {
  start: number;
  commandEnd?: number;
  windowStart?: number;
  firstFailure?: number;
  verdict?: number;
}

export interface DeploySpec {
  sha: string;
  cwd: string;
  command: string;
  rollback: boolean;
  kind?: string;
  description?: string;
  payload?: Record<string, unknown>;
  /**
   * Start the command at once and record the deployment while it runs, then call `after` (e.g. to
   * write the failed deployment's status, which keeps the environment held until this one is
   * recorded; not called if it cannot be recorded): an automatic rollback must not wait on GitHub. The command then gets no
   * DEPLOY_GUARD_DEPLOYMENT_ID.
   */
  recordWhileRunning?: { after: () => Promise<void>; env: Record<string, string> };
  /** Called after each failed health round that does not end the watch. */
  onFailedRound?: (round: Round) => void;
}

/** Creates the deployment of `spec` on GitHub and marks it in progress. */
export async function recordDeployment(
  d: ModeDeps,
  ledger: DeploymentLedger,
  spec: Pick<DeploySpec, 'sha' | 'rollback' | 'kind' | 'description' | 'payload'>,
): Promise<number> {
  const { settings: s, context: ctx } = d;
  const id = await createDeployment(d.gh, { owner: ctx.owner, repo: ctx.repo }, {
    sha: spec.sha,
    environment: s.environment,
    description: spec.description ?? (spec.rollback ? `deploy-guard rollback to ${shortSha(spec.sha)}` : `deploy-guard deploy of ${shortSha(spec.sha)}`),
    rollback: spec.rollback,
    ...(spec.payload ? { payload: spec.payload } : {}),
    run: { id: ctx.runId, attempt: ctx.runAttempt, kind: spec.kind ?? (spec.rollback ? 'rollback' : 'deploy') },
  });
  await ledger.start(id, `${spec.rollback ? 'Rollback' : 'Deploy'} of ${shortSha(spec.sha)} in progress`);
  return id;
}

/**
 * One deployment: create it (unless `deploymentId` says it was), run the command, watch health.
 * Leaves a terminal status to the caller.
 */
export async function deployAndWatch(d: ModeDeps, ledger: DeploymentLedger, probe: Probe, spec: DeploySpec & { deploymentId?: number }): Promise<Attempt> {
  const { settings: s, log } = d;
  const what = spec.rollback ? 'Rollback' : 'Deploy';
  const times: AttemptTimes = { start: d.clock.now() };
  const concurrent = spec.recordWhileRunning;
  // `after` runs once this deployment is recorded, so the environment is never without an
  // unfinished deployment while the command runs; if it cannot be recorded, the caller finishes
  // the one it replaces later.
  const recording = concurrent
    ? recordDeployment(d, ledger, spec).then(async (id) => {
        await concurrent.after().catch((error: Error) => log.warning(`Could not finish the deployment this ${what.toLowerCase()} replaces: ${error.message}`));
        return id;
      })
    : undefined;
  recording?.catch(() => {}); // awaited below, once the command has run
  const knownId = recording ? undefined : (spec.deploymentId ?? (await recordDeployment(d, ledger, spec)));

  const title = `${what}: ${shortSha(spec.sha)} to ${s.environment} (${knownId ? `deployment ${knownId}` : 'recorded on GitHub meanwhile'})`;
  const result = await log.group(title, async () => {
    // The command's output is the user's, not ours: it must not be able to issue workflow
    // commands (annotations, masks, outputs) in the action's name.
    const token = randomUUID();
    d.write(`::stop-commands::${token}\n`);
    try {
      return await d.runCommand({
        command: spec.command,
        cwd: spec.cwd,
        timeoutMs: s.deployTimeoutMs,
        onOutput: d.write,
        env: commandEnvironment(d.env, {
          DEPLOY_GUARD_SHA: spec.sha,
          DEPLOY_GUARD_ENVIRONMENT: s.environment,
          DEPLOY_GUARD_ROLLBACK: String(spec.rollback),
          ...(knownId ? { DEPLOY_GUARD_DEPLOYMENT_ID: String(knownId) } : {}),
          ...concurrent?.env,
        }),
      });
    } finally {
      d.write(`\n::${token}::\n`);
    }
  });
  times.commandEnd = d.clock.now();
  // Settle the recording before anything else, so a cancel or failure finds the deployment in the ledger.
  const deploymentId = knownId ?? (await recording!.catch((error: Error) => {
    throw new Error(`the ${what.toLowerCase()} command ran (exit ${result.exitCode ?? result.signal}), but its deployment could not be recorded: ${error.message}`, { cause: error });
  }));
  throwIfCancelled();
  if (result.exitCode !== 0 || result.timedOut) {
    return {
      deploymentId,
      rounds: [],
      times: { ...times, firstFailure: times.commandEnd, verdict: times.commandEnd },
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
      ...(spec.onFailedRound ? { onFailedRound: spec.onFailedRound } : {}),
    }),
  );
  throwIfCancelled();
  times.windowStart = watched.startedAt;
  times.verdict = d.clock.now();
  const firstFailed = watched.rounds.find((r) => r.outcome === 'fail');
  if (firstFailed) times.firstFailure = watched.startedAt + Math.min(...firstFailed.samples.filter((x) => x.outcome === 'fail').map((x) => x.at));
  if (watched.verdict.kind === 'unhealthy') {
    return { deploymentId, rounds: watched.rounds, times, failure: { kind: 'unhealthy', reason: watched.verdict.reason, rounds: watched.rounds } };
  }
  return { deploymentId, rounds: watched.rounds, times };
}

/** Makes a git worktree of `sha` (fetched through `tagRef` if needed) for a rollback command to run in. */
export async function checkOutVersion(d: ModeDeps, sha: string, tagRef: string): Promise<string> {
  const { context: ctx, log } = d;
  const dir = path.join(ctx.runnerTemp, `deploy-guard-rollback-${ctx.runId}-${ctx.runAttempt}-${d.clock.now()}`);
  // No log group: this may run while the health window's group is open.
  log.info(`Checking out ${shortSha(sha)} for a rollback, in case one is needed.`);
  await d.git.fetchCommit(sha, tagRef);
  await d.git.addWorktree(dir, sha);
  d.saveState(WORKTREE_STATE, dir);
  log.info(`Checked out ${sha} in ${dir}.`);
  return dir;
}

/**
 * Measures, just before the deploy command runs, the value each ratio-to-baseline check is compared
 * with. A baseline that cannot be measured, or is below the check's floor, counts as the floor.
 */
export async function measureBaselines(d: ModeDeps): Promise<Map<string, number>> {
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
