// What deploy-guard reads of an HTTP answer, whichever client made the request: node:http
// (node-fetch.ts, every request without a proxy) or Node's fetch through a proxy (proxy.ts).
// Octokit reads status, url, the headers (get and iteration), text() and arrayBuffer() of what
// its `fetch` returns, and nothing else (@octokit/request's fetch-wrapper); the checks and the
// webhook read a bounded start of the body or none of it.

export interface AnswerHeaders extends Iterable<[string, string]> {
  get(name: string): string | null;
}

export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  /** The URL that answered (after any redirects followed). */
  readonly url: string;
  readonly headers: AnswerHeaders;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** The body as text, read no further than `maxBytes` (a chunk past it at most); `overLimit` says there was more. */
  readUpTo(maxBytes: number): Promise<{ text: string; overLimit: boolean }>;
  /** The body is not wanted: a short one is read to its end so the connection can be kept, a long one is cut. */
  discard(): Promise<void>;
}

export interface HttpInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** follow (the default, as fetch): redirects are followed, up to 5; manual: the 3xx is the answer. */
  redirect?: 'follow' | 'manual';
  signal?: AbortSignal | null;
}

/** An HTTP request, as fetch makes it but answered with an HttpAnswer. */
export type Fetch = (input: string | URL, init?: HttpInit) => Promise<HttpAnswer>;

/** Header names are case-insensitive: kept in lower case; repeated ones joined as fetch joins them. */
export class AnswerHeaderMap implements AnswerHeaders {
  private readonly map = new Map<string, string>();
  constructor(pairs: Iterable<[string, string]> = []) {
    for (const [name, value] of pairs) this.append(name, value);
  }
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const had = this.map.get(key);
    this.map.set(key, had === undefined ? value : `${had}, ${value}`);
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return [...this.map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[Symbol.iterator]();
  }
}

/** An answer whose body has been read whole. */
export function bufferedAnswer(head: { status: number; statusText: string; url: string; headers: AnswerHeaders }, body: Uint8Array): HttpAnswer {
  const text = () => Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return {
    ...head,
    ok: head.status >= 200 && head.status <= 299,
    text: async () => text(),
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    readUpTo: async (maxBytes) => ({ text: Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, maxBytes)).toString('utf8'), overLimit: body.byteLength > maxBytes }),
    discard: async () => {},
  };
}

/** A fetch Response (the proxy's client) as an HttpAnswer. */
export function answerOf(response: Response): HttpAnswer {
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    url: response.url,
    headers: response.headers,
    text: () => response.text(),
    arrayBuffer: () => response.arrayBuffer(),
    readUpTo: (maxBytes) => readStream(response.body, maxBytes),
    discard: async () => {
      await response.body?.cancel().catch(() => {});
    },
  };
}

async function readStream(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<{ text: string; overLimit: boolean }> {
  if (!body) return { text: '', overLimit: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (bytes <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      chunks.push(value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return { text: Buffer.concat(chunks).toString('utf8'), overLimit: bytes > maxBytes };
}
