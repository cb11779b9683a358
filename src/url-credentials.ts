// Credentials written in a URL (https://user:password@host). fetch refuses URLs that carry them, so
// they travel as a Basic authorization header instead: one place for health checks, Prometheus,
// webhooks and the proxy.

/** `Basic base64(user:password)`, as RFC 7617 writes it. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** The URL without its credentials, and the header that carries them (none without credentials). */
export function splitCredentials(input: string | URL): { url: URL; authorization?: string } {
  const url = new URL(input);
  if (!url.username && !url.password) return { url };
  const authorization = basicAuthorization(safeDecodeURIComponent(url.username), safeDecodeURIComponent(url.password));
  url.username = '';
  url.password = '';
  return { url, authorization };
}

/** Percent-decoded; a bad escape (rejected as an input error before this) is kept as written. */
export function safeDecodeURIComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
