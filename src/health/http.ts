// One HTTP health probe: one request, bounded by the check's timeout, judged by status and body.
import type { Sample } from '../core/verdict.ts';
import type { HttpCheck } from '../settings.ts';

/** Bodies are read up to this many bytes for body-contains; health endpoints are small. */
const MAX_BODY_BYTES = 64 * 1024;

export type ProbeResult = Omit<Sample, 'at'>;

export async function probeHttp(check: HttpCheck): Promise<ProbeResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const base = { check: check.name };
  let response: Response;
  try {
    response = await fetch(check.url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(check.timeoutMs),
      headers: { 'user-agent': 'deploy-guard health check' },
    });
  } catch (error) {
    return { ...base, outcome: 'fail', latencyMs: latency(), detail: describeFetchError(error, check.timeoutMs) };
  }
  const status = response.status;
  let body = '';
  try {
    body = await readBounded(response, MAX_BODY_BYTES);
  } catch (error) {
    return { ...base, outcome: 'fail', latencyMs: latency(), value: String(status), detail: `the body could not be read: ${describeFetchError(error, check.timeoutMs)}` };
  }
  const latencyMs = latency();
  if (!check.statusRanges.some(([low, high]) => status >= low && status <= high)) {
    return { ...base, outcome: 'fail', latencyMs, value: String(status), detail: `status ${status} is not in ${formatRanges(check.statusRanges)}` };
  }
  if (check.bodyContains !== undefined && !body.includes(check.bodyContains)) {
    return { ...base, outcome: 'fail', latencyMs, value: String(status), detail: `the body does not contain "${check.bodyContains}"` };
  }
  return { ...base, outcome: 'pass', latencyMs, value: String(status), detail: `status ${status}` };
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

/** The URL as it may appear in logs: credentials removed. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString();
  } catch {
    return url;
  }
}
