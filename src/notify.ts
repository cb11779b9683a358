// Sends one notice to the notify-webhook: a few bounded attempts, and a warning (never an error,
// never a throw) when it cannot be delivered. Webhook URLs embed their token, so the URL is kept
// out of every log line and every returned message. It goes through the runner's proxy, if any,
// as @actions/* clients' requests do (see proxy.ts).
import type { Clock } from './clock.ts';
import type { Redactor } from './core/redact.ts';
import type { Log } from './log.ts';
import { proxyAwareFetch } from './proxy.ts';
import { safeDecodeURIComponent, splitCredentials } from './url-credentials.ts';
import { failureCause } from './fetch-answers.ts';
import type { HttpAnswer } from './http/answer.ts';
import { notifyPayload, type NotifyEvent, type NotifyFormat } from './report/notify-payload.ts';

export interface NotifyOptions {
  url: string;
  /** Sent as JSON. */
  payload: unknown;
  /** Tries in all; default 3. */
  attempts?: number;
  /** Each try's bound, answer included; default 5000. */
  timeoutMs?: number;
  clock: Clock;
  log: Log;
  /** Applied to every string of the payload before it is sent: no known secret leaves in a notice. */
  redactor?: Redactor;
}

export interface NotifyReport {
  ok: boolean;
  /** Tries made. */
  attempts: number;
  /** The last answer's status, if there was one. */
  status?: number;
  /** Why it was not delivered (without the URL). */
  error?: string;
}

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_TIMEOUT_MS = 5_000;
/** Backoff before the second try; doubles after. */
const FIRST_BACKOFF_MS = 1_000;
/** No wait, whether backoff or Retry-After, holds the run up longer than this. */
const MAX_WAIT_MS = 10_000;
/** Of a refusing answer's body, this much is kept: Slack and Discord say what was wrong in it. */
const BODY_EXCERPT_CHARS = 200;
/** A refusing answer's body is read this far at most. */
const MAX_BODY_CHARS = 16 * 1024;

type Delivery =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status?: number; error: string; retryAfterMs?: number }
  | { kind: 'refused'; status: number; error: string };

export async function sendNotification(options: NotifyOptions): Promise<NotifyReport> {
  const { clock, log } = options;
  const attempts = Math.max(1, Math.floor(options.attempts ?? DEFAULT_ATTEMPTS));
  const timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  // Applied to every text that comes from outside (fetch's errors, the answer's body): they can
  // quote the URL. deploy-guard's own wording never contains it.
  const redact = redactor(options.url);
  const fail = (error: string, made: number, status?: number): NotifyReport => {
    const tries = made === 1 ? '1 attempt' : `${made} attempts`;
    log.warning(`Notification not sent: ${error} (${tries}). The result of the run is unchanged.`, 'Notification not sent');
    return { ok: false, attempts: made, ...(status !== undefined ? { status } : {}), error };
  };
  let request: PreparedRequest;
  try {
    request = buildRequest(options.url, options.redactor ? options.redactor.deep(options.payload) : options.payload);
  } catch (error) {
    return fail(`it could not be sent: ${redact(errorText(error))}`, 0);
  }
  for (let made = 1; ; made += 1) {
    let result: Delivery;
    try {
      result = await attempt(request, timeoutMs, clock, redact);
    } catch (error) {
      // attempt() catches what fetch throws; this is for the unforeseen, as the run must go on.
      result = { kind: 'retry', error: `the request failed: ${redact(errorText(error))}` };
    }
    if (result.kind === 'delivered') {
      log.info(`Notification sent${made > 1 ? ` after ${made} attempts` : ''}.`);
      return { ok: true, attempts: made, status: result.status };
    }
    if (result.kind === 'refused' || made >= attempts) return fail(result.error, made, result.status);
    const backoff = Math.min(FIRST_BACKOFF_MS * 2 ** (made - 1), MAX_WAIT_MS);
    const waitMs = Math.min(result.retryAfterMs ?? backoff, MAX_WAIT_MS);
    log.info(`Notification: ${result.error}; trying again in ${formatSeconds(waitMs)}.`);
    await clock.sleep(waitMs);
  }
}

/** Where notices go (the notify-webhook and notify-format inputs). */
export interface NotifyTarget {
  url: string;
  format: NotifyFormat;
}

/** One event, in the target's format, redacted before the notice cuts and escapes its texts and again as it is sent. */
export function deliverNotice(target: NotifyTarget, event: NotifyEvent, o: Pick<NotifyOptions, 'clock' | 'log'> & { redactor: Redactor }): Promise<NotifyReport> {
  return sendNotification({ url: target.url, payload: notifyPayload(o.redactor.deep(event), target.format), clock: o.clock, log: o.log, redactor: o.redactor });
}

/** Notices sent while the run goes on: each at once, without waiting; `settled` waits for all of them. */
export interface Notices {
  send(event: NotifyEvent): void;
  settled(): Promise<void>;
}

export function noticesTo(target: NotifyTarget, o: Pick<NotifyOptions, 'clock' | 'log'> & { redactor: Redactor }): Notices {
  const pending: Array<Promise<unknown>> = [];
  return {
    // sendNotification never throws: a failed delivery is its warning.
    send: (event) => void pending.push(deliverNotice(target, event, o).catch(() => undefined)),
    settled: async () => {
      await Promise.all(pending);
    },
  };
}

interface PreparedRequest {
  url: URL;
  init: { method: 'POST'; headers: Record<string, string>; body: string };
}

function buildRequest(text: string, payload: unknown): PreparedRequest {
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`the webhook is not an http(s) URL (${url.protocol})`);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'deploy-guard' };
  const { url: bare, authorization } = splitCredentials(url);
  if (authorization) headers.authorization = authorization;
  return { url: bare, init: { method: 'POST', headers, body: JSON.stringify(payload) } };
}

async function attempt(request: PreparedRequest, timeoutMs: number, clock: Clock, redact: (text: string) => string): Promise<Delivery> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: HttpAnswer;
  let body: string;
  try {
    // A redirect is not followed: fetch would turn the POST into a GET and drop the body.
    response = await proxyAwareFetch(request.url, { ...request.init, redirect: 'manual', signal });
    body = await readExcerpt(response, redact);
  } catch (error) {
    const e = error as { name?: string };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { kind: 'retry', error: `the webhook did not answer within ${timeoutMs}ms` };
    return { kind: 'retry', error: `the request failed: ${redact(errorText(error))}` };
  }
  const { status } = response;
  if (status >= 200 && status <= 299) return { kind: 'delivered', status };
  const said = body ? `: ${body}` : '';
  if (status === 429) {
    const retryAfterMs = retryAfter(response.headers.get('retry-after'), clock);
    return { kind: 'retry', status, error: `the webhook answered 429 (rate limited)${said}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status >= 500) return { kind: 'retry', status, error: `the webhook answered ${status}${said}` };
  if (status >= 300 && status <= 399) return { kind: 'refused', status, error: `the webhook answered ${status} (a redirect, not followed)` };
  return { kind: 'refused', status, error: `the webhook refused it with ${status}${said}` };
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfter(header: string | null, clock: Clock): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now());
}

/** Of a refusing answer, the start of its body, redacted before it is cut so no part of a secret survives. */
async function readExcerpt(response: HttpAnswer, redact: (text: string) => string): Promise<string> {
  if (response.ok) {
    await response.discard();
    return '';
  }
  const { text } = await response.readUpTo(MAX_BODY_CHARS);
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > BODY_EXCERPT_CHARS ? `${flat.slice(0, BODY_EXCERPT_CHARS - 1)}…` : flat;
}

/**
 * Removes the URL and the parts of it that may be its token (path segments, query values, user
 * info) from a message. fetch's own errors can quote the URL it was given.
 */
function redactor(text: string): (message: string) => string {
  const secrets = new Set<string>([text]);
  try {
    const url = new URL(text);
    secrets.add(url.href);
    secrets.add(`${url.pathname}${url.search}`);
    for (const part of [...url.pathname.split('/'), ...url.searchParams.values(), url.username, url.password, url.hash.slice(1)]) {
      if (part.length >= 6) {
        secrets.add(part);
        secrets.add(safeDecodeURIComponent(part));
      }
    }
  } catch {
    // Not a URL: only the text as given is known.
  }
  const ordered = [...secrets].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  return (message) => ordered.reduce((out, secret) => out.split(secret).join('***'), message);
}

function errorText(error: unknown): string {
  const message = (error as { message?: string }).message ?? String(error);
  const cause = failureCause(error);
  return cause !== message && !message.includes(cause) ? `${message} (${cause})` : message;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
