// The machine and the code a result was measured on.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { capture } from './proc.ts';

export interface MachineInfo {
  cpu: string;
  cores: number;
  ramBytes: number;
  os: string;
  /** The node this harness runs on. */
  harnessNode: string;
  /** The node the action was run with. */
  actionNode: string;
  actionNodePath: string;
  date: string;
  /** 1, 5 and 15 minute load averages when the run started (other work on the machine skews timings). */
  loadAverage: number[];
}

export interface CodeInfo {
  commit: string;
  /** Files under src/, dist/ and action.yml that differ from the commit (uncommitted work measured too). */
  uncommitted: string[];
  /** Hash of the dist/ snapshot that was measured. */
  distHash: string;
}

async function osName(): Promise<string> {
  try {
    const release = await readFile('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1];
    if (pretty) return `${pretty} (${os.type()} ${os.release()}, ${os.arch()})`;
  } catch {
    // not Linux, or no os-release
  }
  return `${os.type()} ${os.release()} (${os.arch()})`;
}

export async function machineInfo(actionNode: string, cwd: string): Promise<MachineInfo> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    ramBytes: os.totalmem(),
    os: await osName(),
    harnessNode: process.version,
    actionNode: (await capture(actionNode, ['--version'], cwd)) ?? 'unknown',
    actionNodePath: actionNode,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export async function codeInfo(repoRoot: string, distHash: string): Promise<CodeInfo> {
  const commit = (await capture('git', ['rev-parse', 'HEAD'], repoRoot)) ?? 'unknown';
  const status = (await capture('git', ['status', '--porcelain', '--untracked-files=all', '--', 'src', 'dist', 'action.yml'], repoRoot)) ?? '';
  return { commit, uncommitted: status.split('\n').map((line) => line.trim()).filter(Boolean), distHash };
}
