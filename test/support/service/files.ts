import { readFileSync } from 'node:fs';

/** Behaviour of GET /health for one version of the test service. */
export type HealthMode =
  /** 200 always (default). */
  | 'ok'
  /** 503 always. */
  | 'fail'
  /** The process exits with code 1 before listening, so deploy.sh fails. */
  | 'bootFail'
  /** 200 for this many ms after start, then 503 forever. */
  | { failAfterMs: number }
  /** 503 for these GET /health requests (1 = first one this process serves), 200 otherwise. */
  | { failRounds: number[] }
  /** 200 while running, but the process exits with code 1 this many ms after it started listening. */
  | { crashAfterMs: number };

export interface ServiceVersion {
  /** e.g. 'v1'; GET / answers {"version": ...}. */
  version: string;
  health?: HealthMode;
  /** Fraction of GET / answered with 500, spread deterministically (see server.mjs). Default 0. */
  errorRate?: number;
}

const templateUrl = (name: string): URL => new URL(name, import.meta.url);

/**
 * Files to commit for one version of the test service:
 * `app/server.mjs`, `app/version.json` and `deploy.sh`.
 */
export function serviceFiles(v: ServiceVersion): Record<string, string> {
  if (!/^[A-Za-z0-9._-]+$/.test(v.version)) {
    throw new Error(`serviceFiles: version must be a simple token, got ${JSON.stringify(v.version)}`);
  }
  const errorRate = v.errorRate ?? 0;
  if (!(errorRate >= 0 && errorRate <= 1)) {
    throw new Error(`serviceFiles: errorRate must be within [0, 1], got ${errorRate}`);
  }
  const config = { version: v.version, health: v.health ?? 'ok', errorRate };
  return {
    'app/server.mjs': readFileSync(templateUrl('./app/server.mjs'), 'utf8'),
    'app/version.json': `${JSON.stringify(config, null, 2)}\n`,
    'deploy.sh': readFileSync(templateUrl('./deploy.sh'), 'utf8'),
  };
}
