// What a run needs from the world, built once by the composition root (index.ts, real-deps.ts)
// and handed to every mode: tests hand in a fake clock, a fake command runner or a double's client.
import type { Clock } from './clock.ts';
import type { Outcome } from './core/outcome.ts';
import type { CheckWarning } from './core/warnings.ts';
import type { GitHubClient } from './github/client.ts';
import type { Git } from './git.ts';
import type { PrometheusCheck } from './health/check-types.ts';
import type { Probe } from './health/probe.ts';
import type { Log } from './log.ts';
import type { Notices } from './notify.ts';
import type { CommandRunner } from './process.ts';
import type { IncidentFacts } from './report/report-facts.ts';
import type { RunContext } from './run-context.ts';
import type { Settings } from './settings.ts';

export interface RunDeps {
  gh: GitHubClient;
  git: Git;
  /** Runs the deploy and rollback commands (process.ts). */
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
  /** Throws if the run was cancelled (a signal reached the action) while a phase ran. */
  throwIfCancelled: () => void;
  /** Notices sent while the run goes on (rollback-started); absent without notify-webhook. */
  notices?: Notices;
}

export interface RunResult {
  outcome: Outcome;
  knownGoodSha: string | undefined;
  /** What the incident was written from, for the job summary. */
  report?: IncidentFacts;
  /** Deploy mode, once a health window ran: the warn-only checks that failed in it (core/warnings.ts). */
  warnings?: CheckWarning[];
}

/** Every mode has this one signature. */
export type ModeRunner = (settings: Settings, context: RunContext, deps: RunDeps) => Promise<RunResult>;
