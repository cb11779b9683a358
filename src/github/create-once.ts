// Creates on GitHub at most once. A POST that times out or answers 5xx may still have been
// carried out, so it is never simply sent again: first look for what it would have made (by a
// marker or a deterministic name through a list endpoint), and only if that is absent send it
// once more.
import { apiError, statusOf } from './client.ts';

/** No automatic retry for a create: plugin-retry would re-POST blindly. */
export const NO_RETRY = { request: { retries: 0 } } as const;

function mayHaveBeenWritten(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}

/** Sends of one create, at most; between them the find runs and the wait grows. */
const ATTEMPTS = 3;
const BACKOFF_MS = 500;

export async function createOnce<T>(route: string, create: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await create();
    } catch (error) {
      if (!mayHaveBeenWritten(error) || attempt >= ATTEMPTS) throw apiError(route, error);
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * attempt));
      const found = await find().catch(() => undefined);
      if (found !== undefined) return found;
    }
  }
}
