// Every way a run can end, and what each means for the step's outputs and exit code.
import type { OutputName } from '../action-io.ts';
import type { LockHolder } from './environment-lock.ts';
import { stageLabel, type StageRef } from './stages.ts';
import { troubledHooks, type RollbackJournal } from './rollback-retry.ts';
import type { StatusReport } from './status-report.ts';
import type { StageMoments, Timeline } from './timeline.ts';
import type { Round } from './verdict.ts';
import { warningsJson, type CheckWarning } from './warnings.ts';

export interface IncidentRef {
  number: number;
  url: string;
  title?: string;
}

/** What refused a deploy (the blocked-by output). */
export type BlockedBy = 'incident' | 'window' | 'freeze' | 'not-proven' | 'lock';

/** A lock's issue, and who holds it why (undefined when its issue no longer says). */
export interface LockRef extends IncidentRef {
  holder: LockHolder | undefined;
}

/** A deploy let through a closed window or a freeze: by whom, and why. */
export interface Override {
  actor: string;
  reason: string;
  /** What it overrode. */
  over: 'window' | 'freeze';
}

/** Why a deploy (or a rollback) is considered failed; `stage`: the stage of a staged deploy that failed. */
export type Failure = (
  | { kind: 'command-failed'; exitCode: number | null; signal: string | null; timedOut: boolean; timeoutMs: number }
  | { kind: 'unhealthy'; reason: string; rounds: Round[] }
  /** The step could not be carried out at all (git or the API failed). */
  | { kind: 'error'; message: string }
) & { stage?: StageRef };

/** One leg of a rollback drill (modes/drill.ts): its deployment, and how it ended (no failure: healthy for its whole window). */
export interface DrillLegResult {
  leg: 'back' | 'forward';
  sha: string;
  deploymentId: number;
  failure?: Failure;
  rounds: Round[];
  timeline?: Timeline;
}

export type Outcome =
  /** `promoted` is false for a dry run: healthy, but known-good was left where it was. */
  | {
      kind: 'deployed';
      sha: string;
      deploymentId: number;
      rounds: Round[];
      promoted: boolean;
      /** The first good deploy after the environment's last deploy failed: the incidents it follows. */
      recovered?: IncidentRef[];
      /** A maintainer deployed through a closed window or a freeze. */
      override?: Override;
      /** A staged deploy (the `stages` input): each stage's moments. */
      stages?: StageMoments[];
    }
  /** Dry run only: the verdict was unhealthy, and nothing was done about it. */
  | { kind: 'unhealthy'; sha: string; deploymentId: number; failure: Failure }
  | {
      kind: 'rolled-back' | 'rollback-failed';
      sha: string;
      deploymentId: number;
      failure: Failure;
      knownGoodSha: string;
      /** Absent when the rollback failed before its deployment was created. */
      rollbackDeploymentId?: number;
      rollbackFailure?: Failure;
      incident: IncidentRef;
      /** The rollback's attempts and maintenance hooks. */
      journal?: RollbackJournal;
    }
  | { kind: 'no-rollback-target'; sha: string; deploymentId: number; failure: Failure; incident: IncidentRef }
  /** rollback mode: a rollback asked for by a person. */
  | { kind: 'manual-rollback'; sha: string; deploymentId: number; failure?: Failure; incident: IncidentRef; actor: string; reason: string; journal?: RollbackJournal }
  /** rollback, lock, unlock and mark-known-good modes: refused before anything was changed; `what` was refused (default: Rollback). */
  | { kind: 'refused'; reason: string; what?: string }
  /** lock mode: the environment is locked, by this run or (`already`) by an earlier one. */
  | { kind: 'locked'; lock: LockRef; already: boolean }
  /** unlock mode: the locks let go; none when the environment was not locked. */
  | { kind: 'unlocked'; released: IncidentRef[]; actor: string; reason: string }
  /**
   * mark-known-good mode: what runs was watched for a whole window as `sha`, with no deploy command.
   * Healthy: its deployment is a success and known-good moved to it (`tagMoved`: the tag too).
   */
  | { kind: 'mark-known-good'; sha: string; deploymentId: number; rounds: Round[]; failure?: Failure; tagMoved: boolean }
  /**
   * drill mode: the previous proven version was put out and watched (`back`), then known-good again
   * (`forward`, absent only when the run could not get that far). Known-good never moves. A failed
   * leg opens `incident`.
   */
  | { kind: 'drill'; knownGoodSha: string; back: DrillLegResult; forward?: DrillLegResult; incident?: IncidentRef }
  /** drill mode: there was nothing to drill (no previous proven version); nothing was written. */
  | { kind: 'drill-skipped'; reason: string }
  /** status mode. */
  | { kind: 'status'; report: StatusReport }
  /** Not deployed: `reason` says why and what to do (absent for open incidents, which `incidents` lists). */
  | { kind: 'blocked'; by: BlockedBy; incidents: IncidentRef[]; reason?: string; nextOpening?: number }
  | { kind: 'clear' }
  | { kind: 'failed'; message: string };

// Every output in action.yml, declared with the inputs and the state in action-io.ts.
export { OUTPUT_NAMES, type OutputName } from '../action-io.ts';

export interface StepResult {
  outputs: Partial<Record<OutputName, string>>;
  exitCode: 0 | 1;
}

/** `warnings`: deploy mode's, once a health window ran (core/warnings.ts). */
export function stepResult(outcome: Outcome, knownGoodSha: string | undefined, warnings?: readonly CheckWarning[]): StepResult {
  const outputs: StepResult['outputs'] = { result: resultName(outcome) };
  if (knownGoodSha) outputs['known-good-sha'] = knownGoodSha;
  if (warnings) outputs.warnings = warningsJson(warnings);
  if (outcome.kind === 'drill') return drillOutputs(outputs, outcome);
  switch (outcome.kind) {
    case 'deployed':
      outputs['deployment-id'] = String(outcome.deploymentId);
      outputs['deployed-sha'] = outcome.sha;
      if (outcome.promoted) outputs['known-good-sha'] = outcome.sha;
      return { outputs, exitCode: 0 };
    case 'unhealthy':
      outputs['deployment-id'] = String(outcome.deploymentId);
      outputs['deployed-sha'] = outcome.sha;
      return { outputs, exitCode: 1 };
    case 'rolled-back':
    case 'rollback-failed':
      outputs['deployment-id'] = String(outcome.deploymentId);
      outputs['deployed-sha'] = outcome.sha;
      outputs['known-good-sha'] = outcome.knownGoodSha;
      setIncident(outputs, outcome.incident);
      return { outputs, exitCode: 1 };
    case 'no-rollback-target':
      outputs['deployment-id'] = String(outcome.deploymentId);
      outputs['deployed-sha'] = outcome.sha;
      setIncident(outputs, outcome.incident);
      return { outputs, exitCode: 1 };
    case 'manual-rollback':
      outputs['deployment-id'] = String(outcome.deploymentId);
      outputs['deployed-sha'] = outcome.sha;
      setIncident(outputs, outcome.incident);
      // A maintenance hook that failed needs a person too, though the version is back.
      return { outputs, exitCode: outcome.failure || troubledHooks(outcome.journal).length ? 1 : 0 };
    case 'refused':
      return { outputs, exitCode: 1 };
    case 'locked':
    case 'unlocked':
    case 'drill-skipped':
      return { outputs, exitCode: 0 };
    case 'mark-known-good':
      outputs['deployment-id'] = String(outcome.deploymentId);
      if (!outcome.failure) outputs['known-good-sha'] = outcome.sha;
      return { outputs, exitCode: outcome.failure ? 1 : 0 };
    case 'status':
      outputs.status = JSON.stringify(outcome.report);
      return { outputs, exitCode: 0 };
    case 'blocked': {
      const first = outcome.incidents[0];
      if (first) setIncident(outputs, first);
      outputs.incidents = JSON.stringify(outcome.incidents);
      outputs['blocked-by'] = outcome.by;
      return { outputs, exitCode: 1 };
    }
    case 'clear':
      outputs.incidents = '[]';
      return { outputs, exitCode: 0 };
    case 'failed':
      return { outputs, exitCode: 1 };
  }
}

/** A drill passed when both legs stayed healthy for their whole windows. */
export function drillPassed(outcome: Extract<Outcome, { kind: 'drill' }>): boolean {
  return !outcome.back.failure && outcome.forward !== undefined && !outcome.forward.failure;
}

function drillOutputs(outputs: StepResult['outputs'], outcome: Extract<Outcome, { kind: 'drill' }>): StepResult {
  const { back, forward } = outcome;
  outputs['deployment-id'] = String((forward ?? back).deploymentId);
  outputs['drill-deployments'] = JSON.stringify({ back: back.deploymentId, ...(forward ? { forward: forward.deploymentId } : {}) });
  outputs['known-good-sha'] = outcome.knownGoodSha;
  if (forward && !forward.failure) outputs['deployed-sha'] = forward.sha;
  if (outcome.incident) setIncident(outputs, outcome.incident);
  return { outputs, exitCode: drillPassed(outcome) ? 0 : 1 };
}

function resultName(outcome: Outcome): string {
  if (outcome.kind === 'drill') return drillPassed(outcome) ? 'drill-passed' : 'drill-failed';
  if (outcome.kind === 'manual-rollback') return outcome.failure ? 'rollback-failed' : 'rolled-back';
  if (outcome.kind === 'status') return 'reported';
  if (outcome.kind === 'mark-known-good') return outcome.failure ? 'unhealthy' : 'marked-known-good';
  return outcome.kind;
}

function setIncident(outputs: StepResult['outputs'], incident: IncidentRef): void {
  outputs['incident-number'] = String(incident.number);
  outputs['incident-url'] = incident.url;
}

export function describeFailure(failure: Failure): string {
  return failure.stage ? `${stageLabel(failure.stage)}: ${failureReason(failure)}` : failureReason(failure);
}

function failureReason(failure: Failure): string {
  if (failure.kind === 'unhealthy') return `unhealthy: ${failure.reason}`;
  if (failure.kind === 'error') return failure.message;
  if (failure.timedOut) return `the command did not finish within ${Math.round(failure.timeoutMs / 1000)}s and was killed`;
  if (failure.signal) return `the command was killed by ${failure.signal}`;
  return `the command exited with code ${failure.exitCode}`;
}
