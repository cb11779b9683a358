// Pure checks of the HTTP parts of inputs: URLs and expected status codes.
import { shownUrl } from './redact.ts';

/** What is wrong with a URL input, if anything; the URL is echoed without its credentials or query tokens. */
export function urlError(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${shownUrl(text)}" is not a URL; write a full URL such as https://example.com/health`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${shownUrl(text)}" must be an http:// or https:// URL`;
  return urlCredentialsError(url);
}

/**
 * A user name or password in a URL is percent-decoded before it is sent; a "%" not followed by two
 * hex digits cannot be, so it is an input error rather than a crash when the request is made.
 */
export function urlCredentialsError(url: URL): string | undefined {
  for (const [part, value] of [['user name', url.username], ['password', url.password]] as const) {
    try {
      decodeURIComponent(value);
    } catch {
      return `the ${part} in the URL is not valid percent-encoding: a "%" must be followed by two hex digits (write a literal % as %25)`;
    }
  }
  return undefined;
}

/** "200", "200-299", "200-299,304" or a number -> inclusive ranges; a string on error. */
export function parseStatusRanges(spec: number | string): Array<[number, number]> | string {
  const ranges: Array<[number, number]> = [];
  for (const part of String(spec).split(',')) {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3}))?\s*$/.exec(part);
    if (!match) return `"${spec}" must be status codes or ranges such as 200, 200-299 or 200-299,304`;
    const low = Number(match[1]);
    const high = Number(match[2] ?? match[1]);
    if (low < 100 || high > 599 || low > high) return `"${part.trim()}" is not a range of HTTP status codes (100-599)`;
    ranges.push([low, high]);
  }
  return ranges;
}
