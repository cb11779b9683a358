// The health checks a user can configure, as the probes receive them (validated, defaults applied),
// and what one probe of one check gives.
import type { Sample } from '../core/verdict.ts';

/** One probe of one check: a sample without its time (the watch loop stamps it). */
export type ProbeResult = Omit<Sample, 'at'>;

export interface CheckBase {
  name: string;
  /** Longest one probe of this check may take; past it the probe fails (or is inconclusive). */
  timeoutMs: number;
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
