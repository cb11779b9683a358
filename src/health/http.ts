// One HTTP health probe: one request (and its allowed redirects, see redirects.ts), bounded by the
// check's timeout, judged by status, body and latency.
import type { HttpCheck, ProbeResult } from './check-types.ts';
import type { Fetch, HttpAnswer } from '../http/answer.ts';
import { nodeFetch } from '../http/node-fetch.ts';
import type { AddressGuard } from './address-guard.ts';
import { splitCredentials } from '../url-credentials.ts';
import { fetchFollowing, RequestRefused } from './redirects.ts';
import { failureCause, timedOut } from '../fetch-answers.ts';

/** Bodies are read up to this many bytes for body checks; health endpoints are small. */
const MAX_BODY_BYTES = 64 * 1024;
/** A failing answer's body is kept, this long at most, for the incident report. */
const EXCERPT_CHARS = 300;


/**
 * `fetcher`: nodeFetch (node:http), or proxyAwareFetch when health checks use the runner's proxy.
 * `guard`: refuses link-local and metadata addresses (none when health-allow-link-local is true).
 */
export async function probeHttp(check: HttpCheck, fetcher: Fetch = nodeFetch, guard?: AddressGuard): Promise<ProbeResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let body = '';
  /** The other origin that answered, when the check's headers or credentials were held back from it. */
  let withheldFrom: string | undefined;
  const result = (outcome: 'pass' | 'fail', detail: string, status?: number): ProbeResult => ({
    check: check.name,
    outcome,
    latencyMs: latency(),
    ...(status !== undefined ? { value: String(status) } : {}),
    // A failure after a redirect elsewhere may come from the missing headers: say they were not sent.
    detail: outcome === 'fail' && withheldFrom ? `${detail} (answered by ${withheldFrom} after a redirect; the check's headers and credentials go only to its own origin)` : detail,
    ...(outcome === 'fail' && body.trim() ? { excerpt: excerptOf(body) } : {}),
  });
  const signal = AbortSignal.timeout(check.timeoutMs);
  let response: HttpAnswer;
  try {
    const { url, authorization } = splitCredentials(check.url);
    const request = { url, method: check.method, headers: check.headers, redirects: check.redirects, ...(authorization ? { authorization } : {}) };
    const followed = await fetchFollowing(request, { fetcher, signal, guard });
    response = followed.response;
    if (followed.otherOrigin && (authorization || Object.keys(check.headers).length)) withheldFrom = followed.otherOrigin;
    const statusOk = check.statusRanges.some(([low, high]) => response.status >= low && response.status <= high);
    const bodyChecked = check.bodyContains !== undefined || check.bodyMatches !== undefined;
    if (bodyChecked || !statusOk) body = (await response.readUpTo(bodyChecked ? MAX_BODY_BYTES : 4 * EXCERPT_CHARS)).text;
    else await response.discard();
  } catch (error) {
    return result('fail', error instanceof RequestRefused ? error.message : describeFetchError(error, check.timeoutMs));
  }
  const status = response.status;
  const latencyMs = latency();
  if (!check.statusRanges.some(([low, high]) => status >= low && status <= high)) {
    return result('fail', `status ${status} is not in ${formatRanges(check.statusRanges)}`, status);
  }
  if (check.bodyContains !== undefined && !body.includes(check.bodyContains)) {
    return result('fail', `the body does not contain "${check.bodyContains}"`, status);
  }
  if (check.bodyMatches !== undefined && !new RegExp(check.bodyMatches).test(body)) {
    return result('fail', `the body does not match /${check.bodyMatches}/`, status);
  }
  if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
    return result('fail', `answered in ${latencyMs}ms, slower than max-latency ${check.maxLatencyMs}ms`, status);
  }
  return result('pass', `status ${status}`, status);
}

function excerptOf(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  return timedOut(error) ? `no answer within ${timeoutMs}ms` : `request failed: ${failureCause(error)}`;
}

function formatRanges(ranges: Array<[number, number]>): string {
  return ranges.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(', ');
}
