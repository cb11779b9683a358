import "./chunk-BJIBUVXV.js";

// src/notify.ts
var DEFAULT_ATTEMPTS = 3;
var DEFAULT_TIMEOUT_MS = 5e3;
var FIRST_BACKOFF_MS = 1e3;
var MAX_WAIT_MS = 1e4;
var BODY_EXCERPT_CHARS = 200;
var MAX_BODY_CHARS = 16 * 1024;
async function sendNotification(options) {
  const { clock, log } = options;
  const attempts = Math.max(1, Math.floor(options.attempts ?? DEFAULT_ATTEMPTS));
  const timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const redact = redactor(options.url);
  const fail = (error, made, status) => {
    const tries = made === 1 ? "1 attempt" : `${made} attempts`;
    log.warning(`Notification not sent: ${error} (${tries}). The result of the run is unchanged.`, "Notification not sent");
    return { ok: false, attempts: made, ...status !== void 0 ? { status } : {}, error };
  };
  let request;
  try {
    request = buildRequest(options.url, options.payload);
  } catch (error) {
    return fail(`it could not be sent: ${redact(errorText(error))}`, 0);
  }
  for (let made = 1; ; made += 1) {
    let result;
    try {
      result = await attempt(request, timeoutMs, clock, redact);
    } catch (error) {
      result = { kind: "retry", error: `the request failed: ${redact(errorText(error))}` };
    }
    if (result.kind === "delivered") {
      log.info(`Notification sent${made > 1 ? ` after ${made} attempts` : ""}.`);
      return { ok: true, attempts: made, status: result.status };
    }
    if (result.kind === "refused" || made >= attempts) return fail(result.error, made, result.status);
    const backoff = Math.min(FIRST_BACKOFF_MS * 2 ** (made - 1), MAX_WAIT_MS);
    const waitMs = Math.min(result.retryAfterMs ?? backoff, MAX_WAIT_MS);
    log.info(`Notification: ${result.error}; trying again in ${formatSeconds(waitMs)}.`);
    await clock.sleep(waitMs);
  }
}
function buildRequest(text, payload) {
  const url = new URL(text);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`the webhook is not an http(s) URL (${url.protocol})`);
  const headers = { "content-type": "application/json", "user-agent": "deploy-guard" };
  if (url.username || url.password) {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  return { url, init: { method: "POST", headers, body: JSON.stringify(payload) } };
}
async function attempt(request, timeoutMs, clock, redact) {
  const signal = AbortSignal.timeout(timeoutMs);
  let response;
  let body;
  try {
    response = await fetch(request.url, { ...request.init, redirect: "manual", signal });
    body = await readExcerpt(response, redact);
  } catch (error) {
    const e = error;
    if (e.name === "TimeoutError" || e.name === "AbortError") return { kind: "retry", error: `the webhook did not answer within ${timeoutMs}ms` };
    return { kind: "retry", error: `the request failed: ${redact(errorText(error))}` };
  }
  const { status } = response;
  if (status >= 200 && status <= 299) return { kind: "delivered", status };
  const said = body ? `: ${body}` : "";
  if (status === 429) {
    const retryAfterMs = retryAfter(response.headers.get("retry-after"), clock);
    return { kind: "retry", status, error: `the webhook answered 429 (rate limited)${said}`, ...retryAfterMs !== void 0 ? { retryAfterMs } : {} };
  }
  if (status >= 500) return { kind: "retry", status, error: `the webhook answered ${status}${said}` };
  if (status >= 300 && status <= 399) return { kind: "refused", status, error: `the webhook answered ${status} (a redirect, not followed)` };
  return { kind: "refused", status, error: `the webhook refused it with ${status}${said}` };
}
function retryAfter(header, clock) {
  if (!header) return void 0;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1e3);
  const at = Date.parse(value);
  return Number.isNaN(at) ? void 0 : Math.max(0, at - clock.now());
}
async function readExcerpt(response, redact) {
  if (response.ok || !response.body) {
    await response.body?.cancel().catch(() => {
    });
    return "";
  }
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let text = "";
  try {
    while (text.length < MAX_BODY_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {
    });
  }
  const flat = redact(text).replace(/\s+/g, " ").trim();
  return flat.length > BODY_EXCERPT_CHARS ? `${flat.slice(0, BODY_EXCERPT_CHARS - 1)}\u2026` : flat;
}
function redactor(text) {
  const secrets = /* @__PURE__ */ new Set([text]);
  try {
    const url = new URL(text);
    secrets.add(url.href);
    secrets.add(`${url.pathname}${url.search}`);
    for (const part of [...url.pathname.split("/"), ...url.searchParams.values(), url.username, url.password, url.hash.slice(1)]) {
      if (part.length >= 6) {
        secrets.add(part);
        secrets.add(safeDecode(part));
      }
    }
  } catch {
  }
  const ordered = [...secrets].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  return (message) => ordered.reduce((out, secret) => out.split(secret).join("***"), message);
}
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
function errorText(error) {
  const e = error;
  const cause = e.cause?.code ?? e.cause?.message;
  const message = e.message ?? String(error);
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}
function formatSeconds(ms) {
  return ms % 1e3 === 0 ? `${ms / 1e3}s` : `${(ms / 1e3).toFixed(1)}s`;
}
export {
  sendNotification
};
