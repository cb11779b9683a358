// One attempt to put a version out: record its deployment (unless the caller did), deploy, watch.
// A deploy and a rollback are both attempts; the terminal status is the caller's to plan.
import type { RunDeps } from '../deps.ts';
import { formatDuration } from '../core/duration.ts';
import type { Failure } from '../core/outcome.ts';
import { stageEnv, stageLabel, type StageRef } from '../core/stages.ts';
import { shortSha } from '../core/tag-names.ts';
import type { Timeline } from '../core/timeline.ts';
import type { Round } from '../core/verdict.ts';
import type { Repo } from '../github/client.ts';
import type { DeploymentLedger } from '../github/deployment-ledger.ts';
import type { Probe } from '../health/probe.ts';
import type { RunContext } from '../run-context.ts';
import type { Settings } from '../settings.ts';
import { runDeployCommand } from './deploy.ts';
import { recordDeployment, type DeploymentSpec } from './record.ts';
import { watchWindow } from './watch.ts';

export interface Attempt {
  deploymentId: number;
  /** Absent: the command succeeded and the version stayed healthy for the whole window. */
  failure?: Failure;
  rounds: Round[];
  timeline: Timeline;
}

export interface AttemptSpec extends DeploymentSpec {
  cwd: string;
  command: string;
  /** The deployment, when the caller recorded it already (a deploy records first: it is the claim). */
  deploymentId?: number;
  /**
   * Start the command at once and record the deployment while it runs, then call `after` (e.g. to
   * close the failed deployment, which keeps the environment held until this one is recorded; not
   * called if it cannot be recorded): an automatic rollback must not wait on GitHub. The command then
   * gets no DEPLOY_GUARD_DEPLOYMENT_ID.
   */
  recordWhileRunning?: { after: () => Promise<void>; env: Record<string, string> };
  /** Called after each failed health round that does not end the watch. */
  onFailedRound?: (round: Round) => void;
  /** More variables for the command (a rollback's attempt and the stage that failed: DEPLOY_GUARD_ROLLBACK_ATTEMPT, DEPLOY_GUARD_FAILED_STAGE). */
  env?: Record<string, string>;
  /** A stage of a staged deploy: its command is told which (core/stages.ts), and its log group names it. */
  stage?: StageRef;
}

/** Where an attempt happens, and with what. */
export interface AttemptPlace {
  settings: Settings;
  context: RunContext;
  deps: RunDeps;
  repo: Repo;
  ledger: DeploymentLedger;
}

export async function deployAndWatch(place: AttemptPlace, probe: Probe, spec: AttemptSpec): Promise<Attempt> {
  const { settings: s, deps, ledger } = place;
  const { log } = deps;
  const what = spec.rollback ? 'Rollback' : 'Deploy';
  const timeline: Timeline = { start: deps.clock.now() };
  const where = { gh: deps.gh, repo: place.repo, environment: s.environment, context: place.context };
  const concurrent = spec.recordWhileRunning;
  // `after` runs once this deployment is recorded, so the environment is never without an
  // unfinished deployment while the command runs; if it cannot be recorded, the caller closes
  // the one it replaces later.
  const recording = concurrent
    ? recordDeployment(where, ledger, spec).then(async (id) => {
        await concurrent.after().catch((error: Error) => log.warning(`Could not finish the deployment this ${what.toLowerCase()} replaces: ${error.message}`));
        return id;
      })
    : undefined;
  recording?.catch(() => {}); // awaited below, once the command has run
  const knownId = recording ? undefined : (spec.deploymentId ?? (await recordDeployment(where, ledger, spec)));

  const title = `${what}${spec.stage ? `, ${stageLabel(spec.stage)}` : ''}: ${shortSha(spec.sha)} to ${s.environment} (${knownId ? `deployment ${knownId}` : 'recorded on GitHub meanwhile'})`;
  const env = { ...spec.env, ...(spec.stage ? stageEnv(spec.stage) : {}), ...concurrent?.env };
  const result = await log.group(title, () =>
    runDeployCommand(deps, s, { command: spec.command, cwd: spec.cwd, sha: spec.sha, rollback: spec.rollback, deploymentId: knownId, ...(Object.keys(env).length ? { env } : {}) }),
  );
  timeline.commandEnd = deps.clock.now();
  // Settle the recording before anything else, so a cancel or failure finds the deployment in the ledger.
  const deploymentId =
    knownId ??
    (await recording!.catch((error: Error) => {
      throw new Error(`the ${what.toLowerCase()} command ran (exit ${result.exitCode ?? result.signal}), but its deployment could not be recorded: ${error.message}`, { cause: error });
    }));
  deps.throwIfCancelled();
  if (result.exitCode !== 0 || result.timedOut) {
    return {
      deploymentId,
      rounds: [],
      timeline: { ...timeline, firstFailure: timeline.commandEnd, verdict: timeline.commandEnd },
      failure: { kind: 'command-failed', exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, timeoutMs: s.deployTimeoutMs },
    };
  }
  log.info(`${what} command finished in ${formatDuration(result.durationMs)}.`);

  const watched = await watchWindow(deps, s, probe, spec.sha, spec.onFailedRound);
  deps.throwIfCancelled();
  timeline.windowStart = watched.startedAt;
  timeline.verdict = deps.clock.now();
  const firstFailed = watched.rounds.find((r) => r.outcome === 'fail');
  if (firstFailed) timeline.firstFailure = watched.startedAt + Math.min(...firstFailed.samples.filter((x) => x.outcome === 'fail' && !x.warnOnly).map((x) => x.at));
  if (watched.verdict.kind === 'unhealthy') {
    return { deploymentId, rounds: watched.rounds, timeline, failure: { kind: 'unhealthy', reason: watched.verdict.reason, rounds: watched.rounds } };
  }
  return { deploymentId, rounds: watched.rounds, timeline };
}
