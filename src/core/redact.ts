// Known secrets kept out of everything deploy-guard writes: issues and comments, deployments and
// their statuses, the job summary, outputs, annotations, the log and webhook notices. The runner
// masks only the log; the rest would publish them. Built once from the settings at the composition
// root and applied at the few doors where text leaves the process.
import { escapeInline } from '../report/markdown.ts';

/** What a secret, or the secret part of a URL, is replaced with (as the runner masks the log). */
export const REDACTED = '***';

/**
 * Known secret values shorter than this are not redacted. The runner's masker hides every
 * non-empty value in the log; in an issue or a summary a value such as `1`, `true` or `eu-west`
 * replaced everywhere would garble the report without protecting anything. The runner's own rule
 * for partial secrets is the same six characters (its PowerShell encoders skip shorter sections).
 * URL credentials and query tokens are redacted by their place in a URL, whatever their length.
 */
export const MIN_SECRET_CHARS = 6;

/**
 * Where a secret was cut by a bound ("…" at either end of an excerpt), its remaining part is
 * redacted as well once it is at least this long.
 */
export const MIN_PARTIAL_CHARS = 3;

/**
 * Query parameters whose value is a credential: names containing token, secret, password (passwd,
 * pwd), signature, auth, credential, session or jwt, and names that are or end in `key` or `sig`
 * (`api_key`, `apiKey`, `x-api-key`, `sig`, `X-Amz-Signature`, `access_token`, `client_secret`).
 */
export const SECRET_PARAM = /token|secret|passw(?:or)?d|pwd|signature|auth|credential|session|jwt|api-?_?key|access-?_?key|(?:^|[-_.])(?:key|sig)$/i;

export interface Redactor {
  /** `text` with every known secret, URL credential and query token replaced by `***`. */
  text(text: string): string;
  /** A copy of `value` in which every string (object keys excepted) is redacted. */
  deep<T>(value: T): T;
}

const ELLIPSIS = '…';

/**
 * A redactor for `secrets` (values shorter than MIN_SECRET_CHARS are ignored). Each is replaced
 * as written and in the forms deploy-guard or a service may have turned it into on the way:
 * URL-encoded, JSON-escaped, HTML- and markdown-escaped, with its whitespace collapsed.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.trim().length < MIN_SECRET_CHARS) continue;
    for (const form of formsOf(secret)) if (form.length >= MIN_SECRET_CHARS) forms.add(form);
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  const text = (input: string): string => {
    if (!input) return input;
    let out = input;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(REDACTED);
    if (out.includes(ELLIPSIS)) out = redactCutEnds(out, ordered);
    return redactUrlSecrets(out);
  };
  const deep = <T>(value: T): T => walk(value, text) as T;
  return { text, deep };
}

function formsOf(secret: string): string[] {
  const forms = [secret, secret.trim()];
  const uri = encodeURIComponent(secret);
  forms.push(uri, uri.replace(/%20/g, '+'), uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.push(JSON.stringify(secret).slice(1, -1));
  forms.push(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
  forms.push(escapeInline(secret));
  // Discord's escape (a backslash before markdown characters) and Slack's (&, <, >).
  forms.push(secret.replace(/[\\*_~`|<>[\]]/g, '\\$&'));
  forms.push(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  const collapsed = secret.replace(/\s+/g, ' ').trim();
  forms.push(collapsed, escapeInline(collapsed));
  return forms;
}

/**
 * A bound cut a secret in two: "…" ends an excerpt with the start of a secret, or starts a tail
 * with its end. The part left on the page is redacted too.
 */
function redactCutEnds(text: string, forms: readonly string[]): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(ELLIPSIS); at >= 0; at = text.indexOf(ELLIPSIS, at + 1)) {
    const before = text.slice(from, at);
    const cutBefore = Math.max(0, ...forms.map((form) => startLeftBefore(before, form)));
    out += cutBefore ? `${before.slice(0, before.length - cutBefore)}${REDACTED}${ELLIPSIS}` : `${before}${ELLIPSIS}`;
    from = at + ELLIPSIS.length;
    const after = text.slice(from, from + Math.max(0, ...forms.map((form) => form.length)));
    const cutAfter = Math.max(0, ...forms.map((form) => endLeftAfter(after, form)));
    if (cutAfter) {
      out += REDACTED;
      from += cutAfter;
    }
    // An ellipsis inside the part just redacted is not looked at again.
    if (from > at + ELLIPSIS.length) at = from - 1;
  }
  return out + text.slice(from);
}

/** How many characters at the end of `text` are the start of `secret` (a proper part of it, at least MIN_PARTIAL_CHARS). */
function startLeftBefore(text: string, secret: string): number {
  const window = text.slice(-(secret.length - 1));
  const head = secret.slice(0, MIN_PARTIAL_CHARS);
  for (let i = window.indexOf(head); i >= 0; i = window.indexOf(head, i + 1)) {
    if (secret.startsWith(window.slice(i))) return window.length - i;
  }
  return 0;
}

/** How many characters at the start of `text` are the end of `secret` (a proper part of it, at least MIN_PARTIAL_CHARS). */
function endLeftAfter(text: string, secret: string): number {
  const head = text.slice(0, MIN_PARTIAL_CHARS);
  if (head.length < MIN_PARTIAL_CHARS) return 0;
  for (let i = secret.indexOf(head, 1); i >= 0; i = secret.indexOf(head, i + 1)) {
    if (text.startsWith(secret.slice(i))) return secret.length - i;
  }
  return 0;
}

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>\\`|]+@/gi;
const QUERY_PARAM = /([?&](?:amp;)?)([A-Za-z0-9_.\-[\]]+)=([^&#\s"'<>\\`|)\]]+)/g;

/** The credentials of any URL in `text` (`user:password@`, or a lone token as user) and its query tokens. */
export function redactUrlSecrets(text: string): string {
  return text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(QUERY_PARAM, (match, lead: string, name: string, value: string) => (SECRET_PARAM.test(name) && value !== REDACTED ? `${lead}${name}=${REDACTED}` : match));
}

/**
 * A URL (or what was meant as one) as it may be shown: its credentials and query tokens replaced
 * by `***`, whether it parses or not.
 */
export function shownUrl(text: string): string {
  return redactUrlSecrets(text.replace(/^(\s*(?:[a-z][a-z0-9+.-]*:)?\/\/)?[^/?#]*@/i, `$1${REDACTED}@`));
}

/**
 * The secret values in a URL: its password (or its user name when there is no password: a token
 * written as `https://TOKEN@host`), as written and decoded as it is sent; the `Basic` credentials
 * sent for them (an echoing service returns the header); and the values of its credential query
 * parameters. An unparsable URL yields none: it is an input error, never used.
 */
export function urlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const secrets: string[] = [];
  const credential = url.password || url.username;
  if (credential) {
    secrets.push(credential, decodeOrKeep(credential));
    secrets.push(base64(`${decodeOrKeep(url.username)}:${decodeOrKeep(url.password)}`));
  }
  for (const [name, value] of url.searchParams) if (value && SECRET_PARAM.test(name)) secrets.push(value, encodeURIComponent(value));
  return [...new Set(secrets)];
}

/** Path segments at least this long of a secret URL are secrets themselves (Slack's and Discord's webhook tokens are 24 and 68). */
const URL_TOKEN_SEGMENT_CHARS = 16;

/**
 * The parts of a URL that is itself a secret (a webhook URL carries its token): the URL as written
 * and normalised, without its scheme, its path and query, its long path segments, and what
 * urlSecrets finds in it.
 */
export function secretUrlParts(text: string): string[] {
  const parts = [text];
  try {
    const url = new URL(text);
    parts.push(url.href, url.href.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''), `${url.pathname}${url.search}`);
    for (const segment of url.pathname.split('/')) if (segment.length >= URL_TOKEN_SEGMENT_CHARS) parts.push(segment, decodeOrKeep(segment));
    parts.push(...urlSecrets(text));
  } catch {
    // Not a URL: only the text as given is known.
  }
  return [...new Set(parts)].filter((part) => part.length >= MIN_SECRET_CHARS && part !== '/');
}

/**
 * The values of DEPLOY_ENV (lines of NAME=value; blank lines and # comments skipped), which the
 * deploy command gets as variables: all secrets. A line that is not NAME=value is kept whole.
 */
export function deployEnvSecrets(text: string | undefined): string[] {
  const secrets: string[] = [];
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    secrets.push(equals > 0 ? line.slice(equals + 1) : line);
  }
  return secrets.filter((s) => s !== '');
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function walk(value: unknown, text: (s: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, text));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, text)]));
  }
  return value;
}

/** The secrets known from the raw inputs alone, for a step whose settings are not valid (or not read). */
export function rawInputSecrets(input: { token: string; webhook: string; deployEnv: string | undefined }): string[] {
  return [input.token, ...secretUrlParts(input.webhook), ...deployEnvSecrets(input.deployEnv)];
}
