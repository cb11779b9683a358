// Deploy: runs the repository's deploy (or rollback) command for one version, its output fenced
// off from workflow commands, with the variables the command is promised.
import { randomUUID } from 'node:crypto';
import type { RunDeps } from '../deps.ts';
import { commandEnvironment, type CommandResult } from '../process.ts';
import type { Settings } from '../settings.ts';

export interface CommandRun {
  command: string;
  cwd: string;
  sha: string;
  rollback: boolean;
  /** Known when the deployment was recorded before the command started. */
  deploymentId: number | undefined;
  /** More variables for the command (e.g. DEPLOY_GUARD_ROLLBACK_OF). */
  env?: Record<string, string>;
}

export async function runDeployCommand(
  deps: Pick<RunDeps, 'runCommand' | 'env' | 'write'>,
  settings: Pick<Settings, 'environment' | 'deployTimeoutMs'>,
  run: CommandRun,
): Promise<CommandResult> {
  // The command's output is the user's, not ours: it must not be able to issue workflow
  // commands (annotations, masks, outputs) in the action's name.
  const token = randomUUID();
  deps.write(`::stop-commands::${token}\n`);
  try {
    return await deps.runCommand({
      command: run.command,
      cwd: run.cwd,
      timeoutMs: settings.deployTimeoutMs,
      onOutput: deps.write,
      env: commandEnvironment(deps.env, {
        DEPLOY_GUARD_SHA: run.sha,
        DEPLOY_GUARD_ENVIRONMENT: settings.environment,
        DEPLOY_GUARD_ROLLBACK: String(run.rollback),
        ...(run.deploymentId ? { DEPLOY_GUARD_DEPLOYMENT_ID: String(run.deploymentId) } : {}),
        ...run.env,
      }),
    });
  } finally {
    deps.write(`\n::${token}::\n`);
  }
}
