// Staged rollout: one deployment put out stage by stage (the `stages` input). Each stage posts an
// in-progress status naming it, runs its command and watches its own window with its own checks;
// the first stage that fails ends the attempt, and the caller rolls back everything as after any
// failed deploy.
import { stageProgress, stageRef, type Stage } from '../core/stages.ts';
import type { StageMoments } from '../core/timeline.ts';
import type { Probe } from '../health/probe.ts';
import { deployAndWatch, type Attempt, type AttemptPlace, type AttemptSpec } from './attempt.ts';

/**
 * `spec.deploymentId` is recorded already, with stage 1's in-progress status (deploymentSpec in
 * modes/deploy.ts); the attempt's rounds and moments are those of the last stage that ran, and
 * `timeline.stages` holds every stage's, a stage after a failed one `not-reached`.
 */
export async function deployInStages(place: AttemptPlace, probe: Probe, spec: AttemptSpec & { deploymentId: number }, stages: readonly Stage[]): Promise<Attempt> {
  const moments: StageMoments[] = stages.map((s) => ({ name: s.name, windowMs: s.windowMs, result: 'not-reached' }));
  let last: Attempt | undefined;
  for (const [index, stage] of stages.entries()) {
    // Only what people see: a status GitHub refuses must not stop a deploy half out (no rollback).
    if (index > 0) {
      await place.ledger.progress(spec.deploymentId, stageProgress(stages, index)).catch((error: Error) => {
        place.deps.log.warning(`Could not post the status of stage ${index + 1} on deployment ${spec.deploymentId} (${error.message}); the deploy goes on.`);
      });
    }
    const ref = stageRef(stages, index);
    const settings = { ...place.settings, checks: stage.checks, healthWindowMs: stage.windowMs };
    last = await deployAndWatch({ ...place, settings }, probe, { ...spec, command: stage.command, stage: ref });
    moments[index] = { ...moments[index]!, ...last.timeline, result: last.failure ? 'failed' : 'healthy' };
    if (last.failure) {
      last = { ...last, failure: { ...last.failure, stage: ref } };
      break;
    }
  }
  return { ...last!, timeline: { ...last!.timeline, start: moments[0]!.start!, stages: moments } };
}
