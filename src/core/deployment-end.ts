// The terminal status each of a run's deployments ends with, and its description: what a person
// reads on the environment's page. Pure: the phases plan these, the ledger writes them.
import { formatDuration } from './duration.ts';
import { failingChecks, withFailedChecks } from './failed-checks.ts';
import { describeFailure, type Failure } from './outcome.ts';
import { stagesWindowMs, type Stage } from './stages.ts';
import type { RollbackJournal } from './rollback-retry.ts';
import { shortSha } from './tag-names.ts';

export interface DeploymentEnd {
  state: 'success' | 'failure' | 'error';
  description: string;
}

/** A deploy that did not start because another held the environment, or an incident was opened meanwhile. */
export function notStarted(why: string): DeploymentEnd {
  return { state: 'error', description: `Not deployed: ${why}` };
}

/** A manual rollback refused after its deployment was recorded (the environment was held). */
export function notRolledBack(why: string): DeploymentEnd {
  return { state: 'error', description: `Not rolled back: ${why}` };
}

export function promoted(windowMs: number): DeploymentEnd {
  return { state: 'success', description: `Healthy for ${formatDuration(windowMs)}; now known-good` };
}

/** A staged deploy healthy through every stage. */
export function promotedInStages(stages: readonly Pick<Stage, 'windowMs'>[]): DeploymentEnd {
  return { state: 'success', description: `Healthy through ${stages.length} stages (${formatDuration(stagesWindowMs(stages))}); now known-good` };
}

export function dryRunEnd(failure: Failure | undefined): DeploymentEnd {
  return failure
    ? { state: 'failure', description: `Dry run: ${describeFailure(failure)}` }
    : { state: 'success', description: 'Dry run: healthy for the whole window (known-good not moved)' };
}

/** An unhealthy deploy's description names the checks that failed, for status mode's figures (core/failed-checks.ts). */
export function failedDeploy(failure: Failure): DeploymentEnd {
  const checks = failure.kind === 'unhealthy' ? failingChecks(failure.rounds) : [];
  return { state: 'failure', description: withFailedChecks(describeFailure(failure), checks) };
}

export function automaticRollbackEnd(sha: string, failure: Failure | undefined, journal?: RollbackJournal): DeploymentEnd {
  return failure
    ? { state: 'failure', description: `Rollback failed${afterAttempts(journal)}: ${describeFailure(failure)}` }
    : { state: 'success', description: `Rolled back to known-good ${shortSha(sha)}; healthy${onAttempt(journal)}` };
}

export function manualRollbackEnd(windowMs: number, failure: Failure | undefined, journal?: RollbackJournal): DeploymentEnd {
  return failure
    ? { state: 'failure', description: `Manual rollback failed${afterAttempts(journal)}: ${describeFailure(failure)}` }
    : { state: 'success', description: `Manual rollback healthy for ${formatDuration(windowMs)}; now known-good${onAttempt(journal)}` };
}

/** With rollback-attempts above 1, how many were made: " after 3 attempts". */
function afterAttempts(journal: RollbackJournal | undefined): string {
  const made = journal?.attempts.length ?? 0;
  return made > 1 ? ` after ${made} attempts` : '';
}

/** With rollback-attempts above 1, which attempt was healthy: " (attempt 2 of 3)". */
function onAttempt(journal: RollbackJournal | undefined): string {
  return journal && journal.limit > 1 ? ` (attempt ${journal.attempts.length} of ${journal.limit})` : '';
}

/** mark-known-good: what runs stayed healthy for the whole window, with no deploy command. */
export function markedKnownGood(windowMs: number): DeploymentEnd {
  return { state: 'success', description: `Marked known-good: healthy for ${formatDuration(windowMs)} (no deploy command ran)` };
}

/** mark-known-good: not marked, because what runs was unhealthy (`failure`) or another deploy held the environment. */
export function notMarked(why: Failure | string): DeploymentEnd {
  return typeof why === 'string'
    ? { state: 'error', description: `Not marked known-good: ${why}` }
    : { state: 'failure', description: `Not marked known-good: ${describeFailure(why)}` };
}

/** A leg of a rollback drill (modes/drill.ts): healthy for its whole window, or why not. Neither moves known-good. */
export function drillLegEnd(leg: 'back' | 'forward', windowMs: number, failure: Failure | undefined): DeploymentEnd {
  const name = leg === 'back' ? 'Drill, back to the previous version' : 'Drill, forward to known-good';
  return failure
    ? { state: 'failure', description: `${name}: failed: ${describeFailure(failure)}` }
    : { state: 'success', description: `${name}: healthy for ${formatDuration(windowMs)} (a drill; known-good not moved)` };
}

/** A drill refused after its first leg's deployment was recorded (another deploy held the environment). */
export function notDrilled(why: string): DeploymentEnd {
  return { state: 'error', description: `Not drilled: ${why}` };
}

/** What a deployment still open when the run stops says (an error on the way, or a cancel). */
export const STOPPED_BEFORE_FINISHED: DeploymentEnd = { state: 'error', description: 'deploy-guard stopped before this deployment finished; see the run log' };
