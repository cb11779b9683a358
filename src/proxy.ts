// Proxies the way @actions/* clients use them. Which requests go through a proxy is decided by
// @actions/http-client's own rules, read when each request is made: HTTPS_PROXY for https:// and
// HTTP_PROXY for http:// URLs (the lower-case names first), NO_PROXY (`*`, host names with their
// subdomains, `.suffix`, `host:port`), and loopback addresses always direct. The proxy is reached
// through undici's ProxyAgent set up as @actions/github sets it up: a CONNECT tunnel for every
// request, basic auth from the proxy URL's user and password.
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import type { ProxyAgent } from 'undici';
import { answerOf, type Fetch } from './http/answer.ts';
import { nodeFetch } from './http/node-fetch.ts';
import { basicAuthorization } from './url-credentials.ts';

export type { Fetch } from './http/answer.ts';

/** One agent per proxy URL, created on the first request that needs it. */
const agents = new Map<string, Promise<ProxyAgent>>();

/** The proxy a request to `url` goes through (its URL, credentials included), or undefined for a direct one. */
export function proxyFor(url: string | URL): URL | undefined {
  const proxy = getProxyUrl(new URL(url));
  return proxy?.hostname ? proxy : undefined;
}

/** Through the proxy the environment names for the URL, if any (Node's fetch); else straight (node-fetch.ts). */
export const proxyAwareFetch: Fetch = async (input, init) => {
  const proxy = proxyFor(input);
  if (!proxy) return nodeFetch(input, init);
  const dispatcher = await agentFor(proxy);
  try {
    return answerOf(await fetch(input, { ...init, dispatcher } as RequestInit));
  } catch (error) {
    // A timeout or a cancel stays what it is; anything else says the proxy was on the way.
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw error;
    throw new TypeError('fetch failed', { cause: new Error(`through the proxy ${proxy.host}: ${reasonOf(error)}`, { cause: error }) });
  }
};

function agentFor(proxy: URL): Promise<ProxyAgent> {
  let agent = agents.get(proxy.href);
  if (!agent) {
    // Loaded only when a proxy is used: undici's HTTP client is as large as the rest of the action.
    agent = import('undici').then(
      ({ ProxyAgent }) =>
        new ProxyAgent({
          uri: proxy.href,
          // As @actions/http-client without keep-alive (what @actions/github uses): no pipelining.
          pipelining: 0,
          ...(proxy.username || proxy.password ? { token: basicAuthorization(proxy.username, proxy.password) } : {}),
        }),
    );
    agents.set(proxy.href, agent);
  }
  return agent;
}

/**
 * The innermost cause of a failed fetch in a few words: its code (ECONNREFUSED) or, for undici's
 * own errors (whose codes say little), its message ("Proxy response (407) !== 200 when HTTP Tunneling").
 */
function reasonOf(error: unknown): string {
  let inner = error as { message?: string; code?: unknown; cause?: unknown };
  while (inner.cause && typeof inner.cause === 'object') inner = inner.cause as typeof inner;
  if (typeof inner.code === 'string' && !inner.code.startsWith('UND_ERR')) return inner.code;
  return inner.message || String(inner);
}
