// One run of the action: the mode the settings name, with the dependencies the composition root
// built. Whatever goes wrong inside a mode ends as a `failed` outcome with its message.
import type { ModeRunner, RunDeps, RunResult } from './deps.ts';
import type { Mode, Settings } from './settings.ts';
import type { RunContext } from './run-context.ts';
import { runDeploy } from './modes/deploy.ts';
import { runDrill } from './modes/drill.ts';
import { runGate } from './modes/gate.ts';
import { runLock, runUnlock } from './modes/lock.ts';
import { runMarkKnownGood } from './modes/mark-known-good.ts';
import { runRollback } from './modes/rollback.ts';
import { runStatus } from './modes/status.ts';

const MODES: Record<Mode, ModeRunner> = {
  deploy: runDeploy,
  rollback: runRollback,
  gate: runGate,
  status: runStatus,
  lock: runLock,
  unlock: runUnlock,
  'mark-known-good': runMarkKnownGood,
  drill: runDrill,
};

export async function run(settings: Settings, context: RunContext, deps: RunDeps): Promise<RunResult> {
  try {
    return await MODES[settings.mode](settings, context, deps);
  } catch (error) {
    return { outcome: { kind: 'failed', message: (error as Error).message }, knownGoodSha: undefined };
  }
}
