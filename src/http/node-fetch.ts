// Requests without a proxy, made with node:http and node:https over kept-alive connections: every
// GitHub API request (through Octokit) and every http and Prometheus check. Node's own fetch
// (undici) costs about 14 MiB once loaded and keeps allocating native memory as it runs: with the
// flags of runtime-tuning.ts, 1,000 requests one every 5 ms grew the process by about 30 MiB
// through fetch and under 1 MiB this way (bench goals 2b and 6b). Requests through a proxy still use fetch (proxy.ts), which loads it only then.
import http from 'node:http';
import https from 'node:https';
import { AnswerHeaderMap, type Fetch, type HttpAnswer } from './answer.ts';

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** An idle kept-alive connection is closed after this long: before servers close theirs (Node's 5 s). */
const IDLE_MS = 4_000;
/** Past this many bytes, an unwanted body is not read to its end: its connection is closed instead. */
const DRAIN_BYTES = 64 * 1024;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

let agents: { http: http.Agent; https: https.Agent } | undefined;

export const nodeFetch: Fetch = async (input, init = {}) => {
  let url = new URL(input);
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  let headers = { ...init.headers };
  const signal = init.signal ?? undefined;
  for (let hop = 0; ; hop += 1) {
    const answer = await send({ url, method, headers, body, signal });
    const location = answer.headers.get('location');
    if (init.redirect === 'manual' || !REDIRECTS.has(answer.status) || !location) return answer;
    await answer.discard();
    const next = new URL(location, url);
    if (hop >= MAX_REDIRECTS) throw failed(new Error(`more than ${MAX_REDIRECTS} redirects`));
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw failed(new Error(`redirected to a ${next.protocol} URL`));
    // As fetch: credentials go to the origin they were given for only; a 303 (and a POST's 301 or 302) becomes a GET.
    if (next.origin !== url.origin) headers = without(headers, ['authorization', 'cookie']);
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
      headers = without(headers, ['content-type', 'content-length']);
    }
    url = next;
  }
};

interface Sent {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal | undefined;
}

/** One exchange. A kept-alive connection the server had closed meanwhile is retried once, on a new one. */
function send(r: Sent, retried = false): Promise<HttpAnswer> {
  if (r.signal?.aborted) return Promise.reject(r.signal.reason);
  if (r.url.protocol !== 'http:' && r.url.protocol !== 'https:') return Promise.reject(failed(new Error(`unsupported protocol ${r.url.protocol}`)));
  agents ??= { http: new http.Agent({ keepAlive: true, timeout: IDLE_MS }), https: new https.Agent({ keepAlive: true, timeout: IDLE_MS }) };
  const secure = r.url.protocol === 'https:';
  const payload = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  const headers = payload ? { ...r.headers, 'content-length': String(payload.byteLength) } : r.headers;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const request = (secure ? https : http).request(r.url, { method: r.method, headers, agent: secure ? agents!.https : agents!.http, ...(r.signal ? { signal: r.signal } : {}) }, (message) => {
      resolve(answerFrom(message, r));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!retried && request.reusedSocket && error.code === 'ECONNRESET' && IDEMPOTENT.has(r.method)) {
        send(r, true).then(resolve, reject);
        return;
      }
      reject(error.name === 'AbortError' ? (r.signal?.reason ?? error) : failed(error));
    });
    request.end(payload);
  });
}

function answerFrom(message: http.IncomingMessage, r: Sent): HttpAnswer {
  const status = message.statusCode ?? 0;
  const headers = new AnswerHeaderMap();
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
  let taken = false;
  const take = () => {
    if (taken) throw new TypeError('the body was already read');
    taken = true;
  };
  const whole = async () => {
    take();
    return (await collect(message, Number.POSITIVE_INFINITY, r.signal)).bytes;
  };
  return {
    status,
    statusText: message.statusMessage ?? '',
    ok: status >= 200 && status <= 299,
    url: r.url.href,
    headers,
    text: async () => (await whole()).toString('utf8'),
    arrayBuffer: async () => {
      const bytes = await whole();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
    readUpTo: async (maxBytes) => {
      take();
      const read = await collect(message, maxBytes, r.signal);
      return { text: read.bytes.toString('utf8'), overLimit: read.overLimit };
    },
    discard: () => {
      if (taken) return Promise.resolve();
      taken = true;
      return drain(message);
    },
  };
}

/** The body up to `maxBytes` (a chunk past it at most); past that the rest is not downloaded. */
function collect(message: http.IncomingMessage, maxBytes: number, signal: AbortSignal | undefined): Promise<{ bytes: Buffer; overLimit: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (error?: unknown) => {
      message.off('data', onData).off('end', onEnd).off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else resolve({ bytes: Buffer.concat(chunks), overLimit: bytes > maxBytes });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        message.destroy();
        done();
      }
    };
    const onEnd = () => done();
    const onError = (error: Error) => done(error.name === 'AbortError' ? (signal?.reason ?? error) : error);
    const onAbort = () => {
      message.destroy();
      done(signal!.reason);
    };
    if (signal?.aborted) return onAbort();
    message.on('data', onData).once('end', onEnd).once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads a short body to its end, so its connection is kept for the next request; cuts a long one. */
function drain(message: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let bytes = 0;
    message.on('error', () => resolve());
    message.once('end', () => resolve());
    message.once('close', () => resolve());
    message.on('data', (chunk: Buffer) => {
      bytes += chunk.byteLength;
      if (bytes > DRAIN_BYTES) message.destroy();
    });
    message.resume();
  });
}

function without(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

/** As fetch fails: "fetch failed", with what went wrong as its cause (failureCause reads it). */
function failed(cause: Error): TypeError {
  return new TypeError('fetch failed', { cause });
}
