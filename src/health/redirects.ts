// One HTTP request of a check and the redirects it may follow, by hand (redirect: 'manual'):
// custom headers and credentials go only to the check's own origin (scheme, host and port), a
// redirect from https to http is refused, and so is any hop the address guard refuses.
import type { Fetch, HttpAnswer } from '../http/answer.ts';
import type { AddressGuard } from './address-guard.ts';

const MAX_REDIRECTS = 5;

/** The request was not sent, or its redirect not followed; `message` says why, for the probe's detail. */
export class RequestRefused extends Error {}

export interface CheckRequest {
  /** Without credentials (see url-credentials.ts). */
  url: URL;
  method: string;
  /** The check's own headers: sent to the check URL's origin only. */
  headers: Record<string, string>;
  /** From the URL's credentials: sent to the check URL's origin only. */
  authorization?: string;
  /** same-host: follow redirects to the same host only; any: follow all; none: answer with the 3xx itself. */
  redirects: 'same-host' | 'any' | 'none';
}

export interface Followed {
  response: HttpAnswer;
  /** The origin answered from, when it is not the check URL's (its headers and credentials were not sent there). */
  otherOrigin?: string;
}

export async function fetchFollowing(
  request: CheckRequest,
  options: { fetcher: Fetch; signal: AbortSignal; guard?: AddressGuard | undefined },
): Promise<Followed> {
  const first = request.url;
  let url = first;
  for (let hop = 0; ; hop += 1) {
    if (options.guard) {
      const refused = await abortable(options.guard(url), options.signal);
      if (refused) {
        throw new RequestRefused(`${hop === 0 ? 'refused' : `refused the redirect to ${url.host}`}: ${refused}; set health-allow-link-local: true to allow it`);
      }
    }
    const own = url.origin === first.origin;
    const headers: Record<string, string> = { 'user-agent': 'deploy-guard health check', ...(own ? request.headers : {}) };
    if (own && request.authorization && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.authorization = request.authorization;
    }
    const response = await options.fetcher(url, { method: request.method, headers, redirect: 'manual', signal: options.signal });
    const location = response.headers.get('location');
    if (request.redirects === 'none' || response.status < 300 || response.status > 399 || !location) {
      return { response, ...(own ? {} : { otherOrigin: url.origin }) };
    }
    await response.discard();
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new RequestRefused(`redirected to something that is not a URL`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new RequestRefused(`redirected to a ${next.protocol} URL`);
    if (url.protocol === 'https:' && next.protocol === 'http:') {
      throw new RequestRefused(`redirected from https to http (${next.host}); deploy-guard does not follow a downgrade, point the check at the URL to use`);
    }
    if (next.username || next.password) throw new RequestRefused(`redirected to a URL with credentials (${next.host})`);
    if (request.redirects === 'same-host' && next.host !== first.host) {
      throw new RequestRefused(`redirected to another host (${next.host}); set redirects: any to follow it`);
    }
    if (hop >= MAX_REDIRECTS) throw new RequestRefused(`more than ${MAX_REDIRECTS} redirects`);
    url = next;
  }
}

/** `work`, or the signal's reason once it aborts (a name lookup can outlast the check's timeout). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
