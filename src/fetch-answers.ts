// What the three fetch callers (http checks, Prometheus checks, webhooks) share about answers and
// failures: reading a body no further than a bound, and the cause of a failed fetch in a few words.

/**
 * The body as text, read no further than `maxBytes` (a chunk past it at most); `overLimit` says
 * there was more. The rest is never downloaded: the stream is cancelled.
 */
export async function readBody(response: Response, maxBytes: number): Promise<{ text: string; overLimit: boolean }> {
  if (!response.body) return { text: '', overLimit: false };
  const reader = response.body.getReader();
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

/** A fetch that ran out of time or was cancelled. */
export function timedOut(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/**
 * Why a fetch failed, as its innermost cause says it (ECONNREFUSED, a certificate error), else its
 * own message. fetch itself only says "fetch failed".
 */
export function failureCause(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } };
  return e.cause?.code ?? e.cause?.errors?.find((inner) => inner.code)?.code ?? e.cause?.message ?? e.message ?? String(error);
}
