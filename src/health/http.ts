// One HTTP health probe: one request (and its allowed redirects), bounded by the check's timeout,
// judged by status, body and latency.
import type { HttpCheck } from '../check-types.ts';
import type { Sample } from '../core/verdict.ts';
import type { Fetch } from '../proxy.ts';

/** Bodies are read up to this many bytes for body checks; health endpoints are small. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_REDIRECTS = 5;
/** A failing answer's body is kept, this long at most, for the incident report. */
const EXCERPT_CHARS = 300;

export type ProbeResult = Omit<Sample, 'at'>;

/** `fetcher`: the global fetch, or proxyAwareFetch when health checks use the runner's proxy. */
export async function probeHttp(check: HttpCheck, fetcher: Fetch = fetch): Promise<ProbeResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let body = '';
  const result = (outcome: 'pass' | 'fail', detail: string, status?: number): ProbeResult => ({
    check: check.name,
    outcome,
    latencyMs: latency(),
    ...(status !== undefined ? { value: String(status) } : {}),
    detail,
    ...(outcome === 'fail' && body.trim() ? { excerpt: excerptOf(body) } : {}),
  });
  const signal = AbortSignal.timeout(check.timeoutMs);
  let response: Response;
  try {
    response = await fetchFollowing(check, signal, fetcher);
    const statusOk = check.statusRanges.some(([low, high]) => response.status >= low && response.status <= high);
    const bodyChecked = check.bodyContains !== undefined || check.bodyMatches !== undefined;
    body = bodyChecked || !statusOk ? await readBounded(response, bodyChecked ? MAX_BODY_BYTES : 4 * EXCERPT_CHARS) : '';
    await response.body?.cancel().catch(() => {});
  } catch (error) {
    return result('fail', error instanceof RedirectRefused ? error.message : describeFetchError(error, check.timeoutMs));
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

class RedirectRefused extends Error {}

/** fetch with redirects followed by hand, so a redirect to another host is not followed silently. */
async function fetchFollowing(check: HttpCheck, signal: AbortSignal, fetcher: Fetch): Promise<Response> {
  const { url: first, authorization } = splitCredentials(check.url);
  let url = first;
  for (let hop = 0; ; hop += 1) {
    const headers: Record<string, string> = { 'user-agent': 'deploy-guard health check', ...check.headers };
    // Credentials go only to the host they were written for.
    if (authorization && new URL(url).host === first.host) headers.authorization ??= authorization;
    const response = await fetcher(url, { method: check.method, headers, redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (check.redirects === 'none' || response.status < 300 || response.status > 399 || !location) return response;
    await response.body?.cancel().catch(() => {});
    const next = new URL(location, url);
    if (check.redirects === 'same-host' && next.host !== first.host) {
      throw new RedirectRefused(`redirected to another host (${next.host}); set redirects: any to follow it`);
    }
    if (hop >= MAX_REDIRECTS) throw new RedirectRefused(`more than ${MAX_REDIRECTS} redirects`);
    url = next;
  }
}

/** fetch refuses URLs with credentials: send them as basic auth instead. */
function splitCredentials(text: string): { url: URL; authorization?: string } {
  const url = new URL(text);
  if (!url.username && !url.password) return { url };
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url, authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  const reader = response.body.getReader();
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs}ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `request failed: ${cause}` : `request failed: ${e.message ?? String(error)}`;
}

function formatRanges(ranges: Array<[number, number]>): string {
  return ranges.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(', ');
}
