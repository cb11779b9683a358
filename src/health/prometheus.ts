// Prometheus probes: one instant query, judged against absolute bounds and against the value the
// same query had just before the deploy (the baseline). A measurement that cannot be made (the
// server is down, the query is rejected, the answer is garbage) is inconclusive, never a failure
// of the service.
import type { PrometheusCheck } from './check-types.ts';
import type { Fetch, HttpAnswer } from '../http/answer.ts';
import { nodeFetch } from '../http/node-fetch.ts';
import type { AddressGuard } from './address-guard.ts';
import type { ProbeResult } from './check-types.ts';
import { safeDecodeURIComponent, splitCredentials } from '../url-credentials.ts';
import { failureCause, timedOut } from '../fetch-answers.ts';
import { fetchFollowing, RequestRefused } from './redirects.ts';

/** Answers are read up to this size; an instant query for a health check returns a few series. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** Error texts from Prometheus are quoted up to this length. */
const MAX_ERROR_CHARS = 200;

/**
 * What one instant query measured.
 * - `value`: one number per series of the result (a scalar result is one), in the order Prometheus
 *   gave them, NaN series left out; never empty. ±Inf are kept: they are real answers (x / 0).
 *   Bounds apply to every series, so callers judge the highest against upper bounds and the
 *   lowest against lower ones.
 * - `no-data`: an empty vector, or only NaN series (e.g. an error ratio with no traffic).
 * - `error`: no measurement; `detail` names the cause and never contains the URL's credentials.
 */
export type Measurement = { kind: 'value'; values: number[] } | { kind: 'no-data' } | { kind: 'error'; detail: string };

interface ApiAnswer {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

/**
 * `fetcher`: nodeFetch (node:http), or proxyAwareFetch when health checks use the runner's proxy.
 * `guard`: refuses link-local and metadata addresses, for the URL and each redirect.
 */
export async function queryPrometheus(url: string, query: string, timeoutMs: number, fetcher: Fetch = nodeFetch, guard?: AddressGuard): Promise<Measurement> {
  let target: { url: URL; authorization?: string; secrets: string[] };
  try {
    target = queryUrl(url, query);
  } catch {
    return { kind: 'error', detail: 'invalid Prometheus URL' };
  }
  const error = (detail: string): Measurement => ({ kind: 'error', detail: redact(detail, target.secrets) });

  let status: number;
  let text: string;
  try {
    const request = { url: target.url, method: 'GET', headers: { accept: 'application/json' }, redirects: 'any' as const, ...(target.authorization ? { authorization: target.authorization } : {}) };
    const { response } = await fetchFollowing(request, { fetcher, signal: AbortSignal.timeout(timeoutMs), guard });
    status = response.status;
    text = await readBounded(response, MAX_ANSWER_BYTES);
  } catch (caught) {
    return error(describeFetchError(caught, timeoutMs));
  }

  let answer: ApiAnswer;
  try {
    answer = JSON.parse(text) as ApiAnswer;
    if (answer === null || typeof answer !== 'object') throw new Error('not an object');
  } catch {
    if (status < 200 || status > 299) return error(`Prometheus answered HTTP ${status}`);
    return error('Prometheus answered with something that is not a query API answer (is the URL right?)');
  }
  if (answer.status === 'error') {
    const reason = quote(String(answer.error ?? 'no reason given').replace(/^invalid parameter "query": /, ''));
    if (answer.errorType === 'bad_data') return error(`query rejected: ${reason}`);
    return error(`query failed (${String(answer.errorType ?? `HTTP ${status}`)}): ${reason}`);
  }
  if (answer.status !== 'success' || status < 200 || status > 299) {
    return error(`Prometheus answered HTTP ${status} without a query result`);
  }
  const values = resultValues(answer.data);
  if (typeof values === 'string') return error(values);
  const numbers = values.filter((v) => !Number.isNaN(v));
  return numbers.length > 0 ? { kind: 'value', values: numbers } : { kind: 'no-data' };
}

export async function probePrometheus(check: PrometheusCheck, baseline: number | undefined, fetcher: Fetch = nodeFetch, guard?: AddressGuard): Promise<ProbeResult> {
  const started = performance.now();
  const measured = await queryPrometheus(check.url, check.query, check.timeoutMs, fetcher, guard);
  const base = { check: check.name, latencyMs: Math.round(performance.now() - started) };
  if (measured.kind === 'error') return { ...base, outcome: 'inconclusive', detail: measured.detail };
  if (measured.kind === 'no-data') return { ...base, outcome: check.onNoData, detail: 'no data' };

  const { values } = measured;
  const high = Math.max(...values);
  const low = Math.min(...values);
  const across = values.length > 1 ? ` (worst of ${values.length} series)` : '';
  const fail = (value: number, detail: string): ProbeResult => ({ ...base, outcome: 'fail', value: formatValue(value), detail: `${detail}${across}` });

  if (check.max !== undefined && high > check.max) return fail(high, `${formatAgainst(high, check.max)} > max ${check.max}`);
  if (check.min !== undefined && low < check.min) return fail(low, `${formatAgainst(low, check.min)} < min ${check.min}`);

  // The value reported: the highest series, unless only lower bounds apply.
  const upperSide = check.max !== undefined || check.maxRatioToBaseline !== undefined || (check.min === undefined && check.minRatioToBaseline === undefined);
  const shown = upperSide ? high : low;
  let note = '';
  if (check.maxRatioToBaseline !== undefined || check.minRatioToBaseline !== undefined) {
    if (baseline === undefined) {
      return { ...base, outcome: 'inconclusive', value: formatValue(shown), detail: 'no baseline: it could not be measured before the deploy' };
    }
    const floor = check.baselineFloor ?? 0;
    const denominator = Math.max(baseline, floor);
    const against = `the baseline ${floor > baseline ? 'floor ' : ''}${formatValue(denominator)}`;
    const ratio = (value: number): number => (denominator > 0 ? value / denominator : value === 0 ? 0 : Infinity);
    const compare = (value: number): string =>
      Number.isFinite(ratio(value)) ? `${formatValue(value)} is ${formatRatio(ratio(value))}x ${against}` : `${formatValue(value)} against a zero baseline`;
    if (check.maxRatioToBaseline !== undefined && ratio(high) > check.maxRatioToBaseline) {
      return fail(high, `${compare(high)} (max ${check.maxRatioToBaseline}x)`);
    }
    if (check.minRatioToBaseline !== undefined && ratio(low) < check.minRatioToBaseline) {
      return fail(low, `${compare(low)} (min ${check.minRatioToBaseline}x)`);
    }
    note = ` (${formatRatio(ratio(shown))}x ${against.replace(/^the /, '')})`;
  }
  const subject = values.length > 1 ? `all ${values.length} series within bounds, ${upperSide ? 'highest' : 'lowest'}` : 'within bounds';
  return {
    ...base,
    outcome: 'pass',
    value: formatValue(shown),
    detail: values.length > 1 ? `${subject} ${formatValue(shown)}${note}` : `${formatValue(shown)} ${subject}${note}`,
  };
}

/**
 * The check's query once, before the deploy. The baseline is the highest series, like the value
 * an upper ratio bound is judged by. Without a value the baseline is undefined and `detail` says
 * why (the caller logs it and falls back to the floor).
 */
export async function measureBaseline(check: PrometheusCheck, fetcher: Fetch = nodeFetch, guard?: AddressGuard): Promise<{ baseline?: number; detail: string }> {
  const measured = await queryPrometheus(check.url, check.query, check.timeoutMs, fetcher, guard);
  if (measured.kind === 'error') return { detail: measured.detail };
  if (measured.kind === 'no-data') return { detail: 'no data: the query returned no series' };
  const baseline = Math.max(...measured.values);
  const across = measured.values.length > 1 ? ` (highest of ${measured.values.length} series)` : '';
  return { baseline, detail: `measured ${formatValue(baseline)}${across}` };
}

/** A metric value in at most 4 significant digits: 0.3133 -> "0.3133", 1234567 -> "1235000". */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(Number(value.toPrecision(4)));
}

/** Like formatValue, but with all digits when the short form would look equal to the bound. */
function formatAgainst(value: number, bound: number): string {
  const short = formatValue(value);
  return Number(short) === bound ? String(value) : short;
}

function formatRatio(ratio: number): string {
  if (ratio >= 100) return String(Math.round(ratio));
  if (ratio >= 0.1 || ratio === 0) return ratio.toFixed(1);
  return ratio.toPrecision(2);
}

/** The instant query URL, with credentials moved to a basic auth header (fetch refuses them in URLs). */
function queryUrl(base: string, query: string): { url: URL; authorization?: string; secrets: string[] } {
  const url = new URL(base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query`;
  url.searchParams.set('query', query);
  url.hash = '';
  if (!url.username && !url.password) return { url, secrets: [] };
  const secrets = [url.username, url.password, safeDecodeURIComponent(url.username), safeDecodeURIComponent(url.password)].filter((s) => s.length >= 3);
  return { ...splitCredentials(url), secrets };
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line;
}

/** The series values of a query result, or a sentence saying why there are none to judge. */
function resultValues(data: ApiAnswer['data']): number[] | string {
  const resultType = data?.resultType;
  const result = data?.result;
  if (resultType === 'scalar') {
    const value = sampleValue(result);
    return value ?? 'unexpected answer from Prometheus: a scalar without a value';
  }
  if (resultType === 'vector' && Array.isArray(result)) {
    const values: number[] = [];
    for (const series of result) {
      const value = sampleValue((series as { value?: unknown } | null)?.value);
      // A series without a plain value (a native histogram) has nothing a bound can apply to.
      values.push(...(value ?? [NaN]));
    }
    return values;
  }
  if (resultType === 'matrix') return 'the query returns a range vector; use an instant vector or a scalar (e.g. wrap it in rate())';
  if (resultType === 'string') return 'the query returns a string; use an instant vector or a scalar';
  return 'unexpected answer from Prometheus: no vector or scalar result';
}

/** `[timestamp, "value"]` -> [value]; Prometheus writes infinities as "+Inf" / "-Inf". */
function sampleValue(pair: unknown): number[] | undefined {
  if (!Array.isArray(pair) || typeof pair[1] !== 'string') return undefined;
  const text = pair[1];
  if (text === '+Inf' || text === 'Inf') return [Infinity];
  if (text === '-Inf') return [-Infinity];
  if (text === 'NaN') return [NaN];
  const value = Number(text);
  return text.trim() === '' ? [NaN] : [value];
}

async function readBounded(response: HttpAnswer, maxBytes: number): Promise<string> {
  const { text, overLimit } = await response.readUpTo(maxBytes);
  if (overLimit) throw new AnswerTooLarge(`the answer is larger than ${maxBytes / 1024 / 1024} MiB; narrow the query`);
  return text;
}

class AnswerTooLarge extends Error {}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof AnswerTooLarge || error instanceof RequestRefused) return error.message;
  if (timedOut(error)) return `Prometheus did not answer within ${timeoutMs}ms`;
  return `Prometheus unreachable: ${failureCause(error)}`;
}
