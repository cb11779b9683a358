// Staged rollout (the `stages` input): the stages a deploy goes out in, one deployment for all of
// them. What each stage is called on GitHub, what its command and the rollback's are told.
import type { Check } from '../health/check-types.ts';
import { formatDuration } from './duration.ts';

export interface Stage {
  name: string;
  /** Run like deploy-command, in the workspace. */
  command: string;
  /** How long this stage must stay healthy before the next starts (0: one round of checks). */
  windowMs: number;
  /** Its own checks, or the top-level ones (health-url and checks). */
  checks: Check[];
}

/** Which stage, of how many (numbers count from 1). */
export interface StageRef {
  name: string;
  number: number;
  count: number;
}

/** At most this many stages: each one is a status on the deployment and a window to wait out. */
export const MAX_STAGES = 10;
/** Letters, digits and `._%+-`, words apart by single spaces: it goes into statuses, env and titles. */
export const STAGE_NAME = /^[A-Za-z0-9._%+-]+(?: [A-Za-z0-9._%+-]+)*$/;
export const STAGE_NAME_MAX = 40;

export function stageRef(stages: readonly Pick<Stage, 'name'>[], index: number): StageRef {
  return { name: stages[index]!.name, number: index + 1, count: stages.length };
}

/** `stage 2/3 canary` */
export function stageLabel(ref: StageRef): string {
  return `stage ${ref.number}/${ref.count} ${ref.name}`;
}

/** The in-progress status a stage posts on the deployment as it starts. */
export function stageProgress(stages: readonly Stage[], index: number): string {
  return `${stageLabel(stageRef(stages, index))}: deploying, then watching ${formatDuration(stages[index]!.windowMs)}`;
}

/** What a stage's command is told, besides deploy-command's variables. */
export function stageEnv(ref: StageRef): Record<string, string> {
  return { DEPLOY_GUARD_STAGE: ref.name, DEPLOY_GUARD_STAGE_NUMBER: String(ref.number), DEPLOY_GUARD_STAGE_COUNT: String(ref.count) };
}

/** What the rollback command is told of the stage that failed; nothing when the deploy was not staged. */
export function failedStageEnv(failure: { stage?: StageRef }): Record<string, string> {
  const ref = failure.stage;
  return ref ? { DEPLOY_GUARD_FAILED_STAGE: ref.name, DEPLOY_GUARD_FAILED_STAGE_NUMBER: String(ref.number) } : {};
}

/** How long a staged deploy watched in all, when every stage stayed healthy. */
export function stagesWindowMs(stages: readonly Pick<Stage, 'windowMs'>[]): number {
  return stages.reduce((sum, s) => sum + s.windowMs, 0);
}

/**
 * The checks whose baselines are measured once, before the first stage: the top-level ones and
 * every stage's, each name once (the first one given).
 */
export function everyCheck(topLevel: readonly Check[], stages: readonly Stage[] | undefined): Check[] {
  const all = [...topLevel, ...(stages ?? []).flatMap((s) => s.checks)];
  return all.filter((check, i) => all.findIndex((c) => c.name === check.name) === i);
}
