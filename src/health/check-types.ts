// The health checks a user can configure, as the probes receive them (validated, defaults applied),
// and what one probe of one check gives.
import type { Sample } from '../core/verdict.ts';

/** One probe of one check: a sample without its time (the watch loop stamps it). */
export type ProbeResult = Omit<Sample, 'at'>;

/** What a failure of the check does: count toward the verdict (the default), or only warn. */
export type OnFailure = 'roll-back' | 'warn';

export interface CheckBase {
  name: string;
  /** Longest one probe of this check may take; past it the probe fails (or is inconclusive). */
  timeoutMs: number;
  /** Absent: roll-back. `warn`: probed every round, its failures reported, never counted by the verdict. */
  onFailure?: OnFailure;
}

export interface HttpCheck extends CheckBase {
  type: 'http';
  url: string;
  method: string;
  /** Header values, secrets already resolved from the environment (and masked in the log). */
  headers: Record<string, string>;
  /** Inclusive ranges of accepted status codes. */
  statusRanges: Array<[number, number]>;
  bodyContains?: string;
  /** A regular expression source the body must match. */
  bodyMatches?: string;
  /** A slower answer than this fails the probe. */
  maxLatencyMs?: number;
  /** same-host: follow redirects to the same host only; any: follow all; none: judge the 3xx itself. */
  redirects: 'same-host' | 'any' | 'none';
}

export interface TcpCheck extends CheckBase {
  type: 'tcp';
  host: string;
  port: number;
}

export interface CommandCheck extends CheckBase {
  type: 'command';
  /** Bash command; exit 0 passes. Runs in the workspace with the deploy command's environment. */
  run: string;
}

export type NoDataPolicy = 'fail' | 'pass' | 'inconclusive';

export interface PrometheusCheck extends CheckBase {
  type: 'prometheus';
  /** Prometheus server base URL, e.g. http://prometheus:9090 */
  url: string;
  /** PromQL for the instant query API. Every series in the result must be within the bounds. */
  query: string;
  max?: number;
  min?: number;
  maxRatioToBaseline?: number;
  minRatioToBaseline?: number;
  /** A baseline below this counts as this, so a zero baseline does not make every ratio infinite. */
  baselineFloor?: number;
  onNoData: NoDataPolicy;
}

export type Check = HttpCheck | TcpCheck | CommandCheck | PrometheusCheck;

export function usesBaseline(check: Check): check is PrometheusCheck {
  return check.type === 'prometheus' && (check.maxRatioToBaseline !== undefined || check.minRatioToBaseline !== undefined);
}

/** A check whose failures only warn (`on-failure: warn`). */
export function isWarnOnly(check: Pick<CheckBase, 'onFailure'>): boolean {
  return check.onFailure === 'warn';
}

/**
 * Why a list of checks cannot guard a deploy, if it cannot: with every check warn-only nothing
 * could ever fail the verdict, so every version would become known-good unguarded.
 */
export function warnOnlyProblem(checks: readonly Check[]): string | undefined {
  if (!checks.length || !checks.every(isWarnOnly)) return undefined;
  return `every check is on-failure: warn, so no failure could ever roll a deploy back; keep at least one check that rolls back (leave on-failure out, or set it to roll-back, on one of them; or give health-url)`;
}
