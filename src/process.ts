// Runs deploy and rollback commands: bash in its own process group, output streamed, a timeout
// that kills the whole group, and signals to the action forwarded to it.
import { spawn, type ChildProcess } from 'node:child_process';

export interface CommandSpec {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** After SIGTERM at the timeout, how long before SIGKILL (default KILL_GRACE_MS). */
  killGraceMs?: number;
  /** Receives the command's output as it arrives. */
  onOutput: (chunk: string) => void;
}

export interface CommandResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
}

export type CommandRunner = (spec: CommandSpec) => Promise<CommandResult>;

/** After SIGTERM, a command has this long to stop before the group gets SIGKILL. */
const KILL_GRACE_MS = 5_000;
/** After the command exits, its output pipes get this long to drain (a background child may hold them open). */
const DRAIN_MS = 1_000;

const running = new Set<ChildProcess>();

export const runCommand: CommandRunner = (spec) =>
  new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('bash', ['-c', spec.command], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timeout = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), spec.killGraceMs ?? KILL_GRACE_MS);
    }, spec.timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', spec.onOutput);
    child.stderr!.setEncoding('utf8').on('data', spec.onOutput);
    child.on('error', (error) => {
      clearTimeout(timeout);
      running.delete(child);
      reject(new Error(`could not start bash for the command: ${error.message}`));
    });
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      running.delete(child);
      // Background children of a timed-out or cancelled command are still in its group (a
      // non-interactive bash's background jobs ignore SIGINT): end them with it.
      if (timedOut || cancelledBy) killGroup(child, 'SIGKILL');
      const finish = () => resolve({ exitCode, signal, timedOut, durationMs: Date.now() - started });
      const drained = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish();
      }, DRAIN_MS);
      let open = 2;
      const closed = () => {
        open -= 1;
        if (open === 0) {
          clearTimeout(drained);
          finish();
        }
      };
      child.stdout!.once('close', closed);
      child.stderr!.once('close', closed);
      if (child.stdout!.closed) closed();
      if (child.stderr!.closed) closed();
    });
  });

let cancelledBy: NodeJS.Signals | undefined;

/** The action itself was told to stop: pass the signal to every running command's process group. */
export function cancel(signal: NodeJS.Signals): void {
  cancelledBy ??= signal;
  for (const child of running) {
    killGroup(child, signal);
    // Well within the runner's 7.5 s before its SIGTERM: whatever ignored the signal is ended.
    setTimeout(() => killGroup(child, 'SIGKILL'), CANCEL_GRACE_MS).unref();
  }
}

/** After a cancel, a command's group has this long to stop before SIGKILL. */
const CANCEL_GRACE_MS = 3_000;

/** Throws once the run has been cancelled, so no new phase (such as a rollback) starts. */
export function throwIfCancelled(): void {
  if (cancelledBy) throw new Error(`the run was cancelled (${cancelledBy})`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * The environment a deploy or rollback command sees: the job's environment without the action's
 * inputs (which hold the token) or any token variable, plus what it needs to know. The step's
 * outputs and saved state are the action's own: a command's writes to them go nowhere (the post
 * step trusts the state to say which deployments to close and which incident to open).
 */
export function commandEnvironment(base: NodeJS.ProcessEnv, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    // DEPLOY_ENV reaches the action only so it can redact its values; the commands get them as variables already.
    if (key.startsWith('INPUT_') || key === 'GITHUB_TOKEN' || key === 'ACTIONS_RUNTIME_TOKEN' || key.startsWith('STATE_') || key === 'DEPLOY_ENV') continue;
    env[key] = value;
  }
  for (const key of ['GITHUB_OUTPUT', 'GITHUB_STATE']) if (env[key] !== undefined) env[key] = '/dev/null';
  return { ...env, ...extra };
}
