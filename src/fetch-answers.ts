// What the three HTTP callers (http checks, Prometheus checks, webhooks) share about failures: a
// request that ran out of time, and the cause of a failed one in a few words.

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
