// Dispatches a check to the probe for its type.
import type { Check } from './check-types.ts';
import type { CommandRunner } from '../process.ts';
import type { Fetch } from '../http/answer.ts';
import type { AddressGuard } from './address-guard.ts';
import { probeCommand } from './command.ts';
import type { ProbeResult } from './check-types.ts';
import { probeHttp } from './http.ts';
import { probePrometheus } from './prometheus.ts';
import { probeTcp } from './tcp.ts';

export type Probe = (check: Check) => Promise<ProbeResult>;

export interface ProbeDeps {
  runCommand: CommandRunner;
  /** Where command checks run (the workspace). */
  cwd: string;
  /** The environment command checks see (the deploy command's, without secrets). */
  env: NodeJS.ProcessEnv;
  /** Pre-deploy baselines of the checks that compare against one, by check name. */
  baselines: ReadonlyMap<string, number>;
  /** What http and prometheus checks request with (default: nodeFetch, no proxy). */
  fetch?: Fetch;
  /** Refuses link-local and metadata addresses for http and prometheus checks; none: all allowed. */
  guard?: AddressGuard;
}

export function createProbe(deps: ProbeDeps): Probe {
  return (check) => {
    switch (check.type) {
      case 'http':
        return probeHttp(check, deps.fetch, deps.guard);
      case 'tcp':
        return probeTcp(check);
      case 'command':
        return probeCommand(check, deps);
      case 'prometheus':
        return probePrometheus(check, deps.baselines.get(check.name), deps.fetch, deps.guard);
    }
  };
}
