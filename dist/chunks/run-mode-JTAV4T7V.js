import {
  closerQualifies,
  decideGate,
  incidentMarker
} from "./chunk-DKA5JX2O.js";
import {
  Git,
  NO_RETRY,
  OPEN_DEPLOYMENTS_STATE,
  WORKTREE_STATE,
  apiError,
  call,
  createDeployment,
  createGitHubClient,
  createOnce,
  deploymentHistory,
  earlierDeployments,
  everSucceeded,
  setDeploymentStatus,
  statusOf
} from "./chunk-OTIALTYA.js";
import {
  coreLog,
  saveState,
  systemClock
} from "./chunk-YLRFVINQ.js";
import {
  chartSection,
  checkSections,
  commitsSection,
  cutNote,
  deployEvents,
  failureText,
  incidentHeadline,
  incidentResult,
  linksSection,
  timelineTable
} from "./chunk-L3C7A2JP.js";
import {
  formatDuration
} from "./chunk-UU7LJY5L.js";
import {
  cut,
  escapeCell
} from "./chunk-2OFLRLCE.js";
import {
  describeFailure,
  knownGoodRef,
  preDeployRef,
  shortSha
} from "./chunk-OPWDWCET.js";
import "./chunk-BJIBUVXV.js";

// src/health/command.ts
var COMMAND_OUTPUT_LIMIT = 2048;
var COMMAND_CHECK_KILL_GRACE_MS = 1e3;
var DETAIL_TAIL_CHARS = 200;
async function probeCommand(check, deps) {
  const started = performance.now();
  const output = new OutputTail(COMMAND_OUTPUT_LIMIT);
  const latency = () => Math.round(performance.now() - started);
  let result;
  try {
    result = await deps.runCommand({
      command: check.run,
      cwd: deps.cwd,
      env: deps.env,
      timeoutMs: check.timeoutMs,
      killGraceMs: COMMAND_CHECK_KILL_GRACE_MS,
      onOutput: (chunk) => output.append(chunk)
    });
  } catch (error) {
    return { check: check.name, outcome: "inconclusive", latencyMs: latency(), detail: `could not run the command: ${error.message}` };
  }
  const tail = lastLine(output.text());
  const withTail = (what) => tail ? `${what}: ${tail}` : what;
  const base = { check: check.name, latencyMs: latency() };
  if (result.timedOut) {
    return { ...base, outcome: "fail", detail: withTail(`killed after the ${check.timeoutMs}ms timeout`) };
  }
  if (result.exitCode === 0) return { ...base, outcome: "pass", value: "0", detail: withTail("exit 0") };
  if (result.exitCode !== null) return { ...base, outcome: "fail", value: String(result.exitCode), detail: withTail(`exit ${result.exitCode}`) };
  return { ...base, outcome: "fail", ...result.signal ? { value: result.signal } : {}, detail: withTail(`killed by ${result.signal ?? "a signal"}`) };
}
var OutputTail = class {
  constructor(limit) {
    this.limit = limit;
  }
  limit;
  kept = Buffer.alloc(0);
  dropped = false;
  append(chunk) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (this.kept.length + bytes.length <= this.limit) {
      this.kept = Buffer.concat([this.kept, bytes]);
      return;
    }
    this.dropped = true;
    this.kept = Buffer.from(Buffer.concat([this.kept, bytes]).subarray(-this.limit));
  }
  get truncated() {
    return this.dropped;
  }
  /** The kept output; a leading `…` says that earlier output was dropped. */
  text() {
    let start = 0;
    if (this.dropped) while (start < this.kept.length && (this.kept[start] & 192) === 128) start += 1;
    const text = this.kept.subarray(start).toString("utf8");
    return this.dropped ? `\u2026${text}` : text;
  }
};
function lastLine(output) {
  const lines = output.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "").split("\n").map((line2) => (line2.split("\r").filter((part) => part.trim()).at(-1) ?? "").trim());
  const line = (lines.filter((l) => l).at(-1) ?? "").replace(/[\x00-\x1f\x7f]/g, " ");
  return line.length > DETAIL_TAIL_CHARS ? `\u2026${line.slice(-(DETAIL_TAIL_CHARS - 1))}` : line;
}

// src/health/http.ts
var MAX_BODY_BYTES = 64 * 1024;
var MAX_REDIRECTS = 5;
var EXCERPT_CHARS = 300;
async function probeHttp(check) {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let body = "";
  const result = (outcome, detail, status2) => ({
    check: check.name,
    outcome,
    latencyMs: latency(),
    ...status2 !== void 0 ? { value: String(status2) } : {},
    detail,
    ...outcome === "fail" && body.trim() ? { excerpt: excerptOf(body) } : {}
  });
  const signal = AbortSignal.timeout(check.timeoutMs);
  let response;
  try {
    response = await fetchFollowing(check, signal);
    const statusOk = check.statusRanges.some(([low, high]) => response.status >= low && response.status <= high);
    const bodyChecked = check.bodyContains !== void 0 || check.bodyMatches !== void 0;
    body = bodyChecked || !statusOk ? await readBounded(response, bodyChecked ? MAX_BODY_BYTES : 4 * EXCERPT_CHARS) : "";
    await response.body?.cancel().catch(() => {
    });
  } catch (error) {
    return result("fail", error instanceof RedirectRefused ? error.message : describeFetchError(error, check.timeoutMs));
  }
  const status = response.status;
  const latencyMs = latency();
  if (!check.statusRanges.some(([low, high]) => status >= low && status <= high)) {
    return result("fail", `status ${status} is not in ${formatRanges(check.statusRanges)}`, status);
  }
  if (check.bodyContains !== void 0 && !body.includes(check.bodyContains)) {
    return result("fail", `the body does not contain "${check.bodyContains}"`, status);
  }
  if (check.bodyMatches !== void 0 && !new RegExp(check.bodyMatches).test(body)) {
    return result("fail", `the body does not match /${check.bodyMatches}/`, status);
  }
  if (check.maxLatencyMs !== void 0 && latencyMs > check.maxLatencyMs) {
    return result("fail", `answered in ${latencyMs}ms, slower than max-latency ${check.maxLatencyMs}ms`, status);
  }
  return result("pass", `status ${status}`, status);
}
function excerptOf(body) {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}\u2026` : flat;
}
var RedirectRefused = class extends Error {
};
async function fetchFollowing(check, signal) {
  const { url: first, authorization } = splitCredentials(check.url);
  let url = first;
  for (let hop = 0; ; hop += 1) {
    const headers = { "user-agent": "deploy-guard health check", ...check.headers };
    if (authorization && new URL(url).host === first.host) headers.authorization ??= authorization;
    const response = await fetch(url, { method: check.method, headers, redirect: "manual", signal });
    const location = response.headers.get("location");
    if (check.redirects === "none" || response.status < 300 || response.status > 399 || !location) return response;
    await response.body?.cancel().catch(() => {
    });
    const next = new URL(location, url);
    if (check.redirects === "same-host" && next.host !== first.host) {
      throw new RedirectRefused(`redirected to another host (${next.host}); set redirects: any to follow it`);
    }
    if (hop >= MAX_REDIRECTS) throw new RedirectRefused(`more than ${MAX_REDIRECTS} redirects`);
    url = next;
  }
}
function splitCredentials(text) {
  const url = new URL(text);
  if (!url.username && !url.password) return { url };
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = "";
  url.password = "";
  return { url, authorization: `Basic ${Buffer.from(pair).toString("base64")}` };
}
async function readBounded(response, maxBytes) {
  if (!response.body) return "";
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  const reader = response.body.getReader();
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {
    });
  }
  return text;
}
function describeFetchError(error, timeoutMs) {
  const e = error;
  if (e.name === "TimeoutError" || e.name === "AbortError") return `no answer within ${timeoutMs}ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `request failed: ${cause}` : `request failed: ${e.message ?? String(error)}`;
}
function formatRanges(ranges) {
  return ranges.map(([low, high]) => low === high ? String(low) : `${low}-${high}`).join(", ");
}

// src/health/prometheus.ts
var MAX_ANSWER_BYTES = 8 * 1024 * 1024;
var MAX_ERROR_CHARS = 200;
async function queryPrometheus(url, query, timeoutMs) {
  let target;
  try {
    target = queryUrl(url, query);
  } catch {
    return { kind: "error", detail: "invalid Prometheus URL" };
  }
  const error = (detail) => ({ kind: "error", detail: redact(detail, target.secrets) });
  let status;
  let text;
  try {
    const headers = { accept: "application/json", "user-agent": "deploy-guard health check" };
    if (target.authorization) headers.authorization = target.authorization;
    const response = await fetch(target.url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
    text = await readBounded2(response, MAX_ANSWER_BYTES);
  } catch (caught) {
    return error(describeFetchError2(caught, timeoutMs));
  }
  let answer;
  try {
    answer = JSON.parse(text);
    if (answer === null || typeof answer !== "object") throw new Error("not an object");
  } catch {
    if (status < 200 || status > 299) return error(`Prometheus answered HTTP ${status}`);
    return error("Prometheus answered with something that is not a query API answer (is the URL right?)");
  }
  if (answer.status === "error") {
    const reason = quote(String(answer.error ?? "no reason given").replace(/^invalid parameter "query": /, ""));
    if (answer.errorType === "bad_data") return error(`query rejected: ${reason}`);
    return error(`query failed (${String(answer.errorType ?? `HTTP ${status}`)}): ${reason}`);
  }
  if (answer.status !== "success" || status < 200 || status > 299) {
    return error(`Prometheus answered HTTP ${status} without a query result`);
  }
  const values = resultValues(answer.data);
  if (typeof values === "string") return error(values);
  const numbers = values.filter((v) => !Number.isNaN(v));
  return numbers.length > 0 ? { kind: "value", values: numbers } : { kind: "no-data" };
}
async function probePrometheus(check, baseline) {
  const started = performance.now();
  const measured = await queryPrometheus(check.url, check.query, check.timeoutMs);
  const base = { check: check.name, latencyMs: Math.round(performance.now() - started) };
  if (measured.kind === "error") return { ...base, outcome: "inconclusive", detail: measured.detail };
  if (measured.kind === "no-data") return { ...base, outcome: check.onNoData, detail: "no data" };
  const { values } = measured;
  const high = Math.max(...values);
  const low = Math.min(...values);
  const across = values.length > 1 ? ` (worst of ${values.length} series)` : "";
  const fail = (value, detail) => ({ ...base, outcome: "fail", value: formatValue(value), detail: `${detail}${across}` });
  if (check.max !== void 0 && high > check.max) return fail(high, `${formatAgainst(high, check.max)} > max ${check.max}`);
  if (check.min !== void 0 && low < check.min) return fail(low, `${formatAgainst(low, check.min)} < min ${check.min}`);
  const upperSide = check.max !== void 0 || check.maxRatioToBaseline !== void 0 || check.min === void 0 && check.minRatioToBaseline === void 0;
  const shown = upperSide ? high : low;
  let note = "";
  if (check.maxRatioToBaseline !== void 0 || check.minRatioToBaseline !== void 0) {
    if (baseline === void 0) {
      return { ...base, outcome: "inconclusive", value: formatValue(shown), detail: "no baseline: it could not be measured before the deploy" };
    }
    const floor = check.baselineFloor ?? 0;
    const denominator = Math.max(baseline, floor);
    const against = `the baseline ${floor > baseline ? "floor " : ""}${formatValue(denominator)}`;
    const ratio = (value) => denominator > 0 ? value / denominator : value === 0 ? 0 : Infinity;
    const compare = (value) => Number.isFinite(ratio(value)) ? `${formatValue(value)} is ${formatRatio(ratio(value))}x ${against}` : `${formatValue(value)} against a zero baseline`;
    if (check.maxRatioToBaseline !== void 0 && ratio(high) > check.maxRatioToBaseline) {
      return fail(high, `${compare(high)} (max ${check.maxRatioToBaseline}x)`);
    }
    if (check.minRatioToBaseline !== void 0 && ratio(low) < check.minRatioToBaseline) {
      return fail(low, `${compare(low)} (min ${check.minRatioToBaseline}x)`);
    }
    note = ` (${formatRatio(ratio(shown))}x ${against.replace(/^the /, "")})`;
  }
  const subject = values.length > 1 ? `all ${values.length} series within bounds, ${upperSide ? "highest" : "lowest"}` : "within bounds";
  return {
    ...base,
    outcome: "pass",
    value: formatValue(shown),
    detail: values.length > 1 ? `${subject} ${formatValue(shown)}${note}` : `${formatValue(shown)} ${subject}${note}`
  };
}
async function measureBaseline(check) {
  const measured = await queryPrometheus(check.url, check.query, check.timeoutMs);
  if (measured.kind === "error") return { detail: measured.detail };
  if (measured.kind === "no-data") return { detail: "no data: the query returned no series" };
  const baseline = Math.max(...measured.values);
  const across = measured.values.length > 1 ? ` (highest of ${measured.values.length} series)` : "";
  return { baseline, detail: `measured ${formatValue(baseline)}${across}` };
}
function formatValue(value) {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  return String(Number(value.toPrecision(4)));
}
function formatAgainst(value, bound) {
  const short = formatValue(value);
  return Number(short) === bound ? String(value) : short;
}
function formatRatio(ratio) {
  if (ratio >= 100) return String(Math.round(ratio));
  if (ratio >= 0.1 || ratio === 0) return ratio.toFixed(1);
  return ratio.toPrecision(2);
}
function queryUrl(base, query) {
  const url = new URL(base);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/v1/query`;
  url.searchParams.set("query", query);
  url.hash = "";
  if (!url.username && !url.password) return { url, secrets: [] };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const secrets = [url.username, url.password, user, password].filter((s) => s.length >= 3);
  url.username = "";
  url.password = "";
  return { url, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`, secrets };
}
function redact(text, secrets) {
  return secrets.reduce((out, secret) => out.split(secret).join("***"), text);
}
function quote(text) {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}\u2026` : line;
}
function resultValues(data) {
  const resultType = data?.resultType;
  const result = data?.result;
  if (resultType === "scalar") {
    const value = sampleValue(result);
    return value ?? "unexpected answer from Prometheus: a scalar without a value";
  }
  if (resultType === "vector" && Array.isArray(result)) {
    const values = [];
    for (const series of result) {
      const value = sampleValue(series?.value);
      values.push(...value ?? [NaN]);
    }
    return values;
  }
  if (resultType === "matrix") return "the query returns a range vector; use an instant vector or a scalar (e.g. wrap it in rate())";
  if (resultType === "string") return "the query returns a string; use an instant vector or a scalar";
  return "unexpected answer from Prometheus: no vector or scalar result";
}
function sampleValue(pair) {
  if (!Array.isArray(pair) || typeof pair[1] !== "string") return void 0;
  const text = pair[1];
  if (text === "+Inf" || text === "Inf") return [Infinity];
  if (text === "-Inf") return [-Infinity];
  if (text === "NaN") return [NaN];
  const value = Number(text);
  return text.trim() === "" ? [NaN] : [value];
}
async function readBounded2(response, maxBytes) {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks = [];
  let bytes = 0;
  try {
    for (; ; ) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) throw new AnswerTooLarge(`the answer is larger than ${maxBytes / 1024 / 1024} MiB; narrow the query`);
      chunks.push(value);
    }
  } finally {
    await reader.cancel().catch(() => {
    });
  }
  return Buffer.concat(chunks).toString("utf8");
}
var AnswerTooLarge = class extends Error {
};
function describeFetchError2(error, timeoutMs) {
  if (error instanceof AnswerTooLarge) return error.message;
  const e = error;
  if (e.name === "TimeoutError" || e.name === "AbortError") return `Prometheus did not answer within ${timeoutMs}ms`;
  const cause = e.cause?.code ?? e.cause?.errors?.find((inner) => inner.code)?.code ?? e.cause?.message;
  return `Prometheus unreachable: ${cause ?? e.message ?? String(error)}`;
}

// src/health/tcp.ts
import { connect } from "node:net";
function probeTcp(check) {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let socket;
    try {
      socket = connect({ host: check.host, port: check.port });
    } catch (error) {
      resolve({ check: check.name, outcome: "inconclusive", latencyMs: 0, detail: `cannot connect: ${error.message}` });
      return;
    }
    const finish = (outcome, detail) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on("error", () => {
      });
      socket.destroy();
      resolve({ check: check.name, outcome, latencyMs: Math.round(performance.now() - started), detail });
    };
    const timer = setTimeout(() => finish("fail", `no connection within ${check.timeoutMs}ms`), check.timeoutMs);
    socket.once("connect", () => finish("pass", `connected to ${check.host}:${check.port}`));
    socket.once("error", (error) => finish("fail", describeConnectError(error, check.host)));
  });
}
function describeConnectError(error, host) {
  switch (error.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "connection reset";
    case "EHOSTUNREACH":
      return "host unreachable";
    case "ENETUNREACH":
      return "network unreachable";
    case "ETIMEDOUT":
      return "connection timed out";
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_FAIL":
      return `cannot resolve ${host} (${error.code})`;
    default:
      return `connection failed: ${error.code ?? error.message}`;
  }
}

// src/health/probe.ts
function createProbe(deps) {
  return (check) => {
    switch (check.type) {
      case "http":
        return probeHttp(check);
      case "tcp":
        return probeTcp(check);
      case "command":
        return probeCommand(check, deps);
      case "prometheus":
        return probePrometheus(check, deps.baselines.get(check.name));
    }
  };
}

// src/core/incident-text.ts
var MAX_BODY_CHARS = 65e3;
var POSTMORTEM_SECTIONS = [
  { name: "Impact", anchor: "#impact", prompt: "What broke, for whom, for how long?" },
  { name: "Root cause", anchor: "#root-cause", prompt: "Why did it break, and why did nothing catch it before the deploy?" },
  { name: "Corrective actions", anchor: "#corrective-actions", prompt: "What will keep it from happening again? Link the issues or pull requests." }
];
var REQUIRED_POSTMORTEM_SECTIONS = ["Root cause", "Corrective actions"];
function postmortemAnchor(section) {
  return POSTMORTEM_SECTIONS.find((s) => s.name === section).anchor;
}
var DETAIL_LEVELS = [
  { charts: true, samplesPerCheck: 5, outputChars: 1500, checksShown: 10, commitsShown: 20 },
  { charts: false, samplesPerCheck: 5, outputChars: 1500, checksShown: 10, commitsShown: 20 },
  { charts: false, samplesPerCheck: 3, outputChars: 500, checksShown: 10, commitsShown: 20 },
  { charts: false, samplesPerCheck: 1, outputChars: 200, checksShown: 5, commitsShown: 10 },
  // No code blocks or tables of samples: small whatever the facts, and safe to cut anywhere.
  { charts: false, samplesPerCheck: 0, outputChars: 0, checksShown: 0, commitsShown: 0 }
];
function incidentText(facts) {
  const env = facts.environment;
  const failed = shortSha(facts.failedSha);
  const title = !facts.rollback ? `Deploy of ${failed} to ${env} failed and there is no known-good version to roll back to` : facts.rollback.failure ? `Deploy of ${failed} to ${env} failed and the rollback to ${shortSha(facts.rollback.sha)} failed too` : `Deploy of ${failed} to ${env} failed; rolled back to ${shortSha(facts.rollback.sha)}`;
  return { title, body: fitted((detail, budgeted) => incidentBody(facts, detail, budgeted), facts.links.runUrl, postmortem(env)) };
}
function incidentBody(facts, detail, budgeted) {
  const env = facts.environment;
  const { repoUrl, runUrl } = facts.links;
  const t = facts.timeline;
  const rollback = facts.rollback;
  const sectionDetail = { ...detail, runUrl, budgeted, headingLevel: 3 };
  const lines = [
    incidentMarker(env),
    ...incidentHeadline({ ...facts, repoUrl }),
    "",
    "## What to do next",
    "",
    ...nextSteps(facts)
  ];
  const timeline = timelineTable(deployEvents(t, { sha: facts.failedSha, failure: facts.failure, ...rollback ? { rollback } : {} }), t.deployStart, "deploy start");
  if (timeline.length) lines.push("", "## Timeline", "", ...timeline);
  lines.push("", "## What failed", "", `Deploying \`${facts.failedSha}\` to **${env}** (deployment ${facts.deploymentId}) failed: ${failureText(facts.failure)}.`);
  lines.push(...failureDetail(facts.failure, "deploy", t.windowStart, sectionDetail));
  const rounds = failureRounds(facts.failure);
  if (rounds.length) {
    lines.push("", "### Health chart", "", ...chartSection(rounds, `Health of ${shortSha(facts.failedSha)} on ${env}`, sectionDetail));
  }
  if (rollback) {
    lines.push("", "## Rollback", "");
    const deployment = rollback.deploymentId ? ` (deployment ${rollback.deploymentId})` : "";
    if (!rollback.failure) {
      lines.push(`Rolled back to the known-good version \`${rollback.sha}\`${deployment}; it deployed and stayed healthy for its health window.`);
    } else {
      lines.push(
        `Tried to roll back to the known-good version \`${rollback.sha}\`${deployment}, but the rollback failed: ${failureText(rollback.failure)}. **${env} needs a person now.**`,
        ...failureDetail(rollback.failure, "rollback", t.rollbackWindowStart, sectionDetail)
      );
    }
    const rollbackRounds = rollback.rounds ?? (rollback.failure ? failureRounds(rollback.failure) : []);
    if (rollbackRounds.length) {
      lines.push("", "### Health chart of the rollback", "", ...chartSection(rollbackRounds, `Health of the rollback to ${shortSha(rollback.sha)}`, sectionDetail));
    }
    lines.push("", "## Commits since the known-good version", "");
    lines.push(...commitsSection({ commits: facts.commits, failedSha: facts.failedSha, knownGoodSha: rollback.sha, repoUrl }, { ...detail, runUrl, budgeted }));
  }
  lines.push("", "## Links", "", ...linksSection(facts));
  return lines.join("\n");
}
function nextSteps(facts) {
  const env = facts.environment;
  const failed = `\`${shortSha(facts.failedSha)}\``;
  const unblock = `Close this issue: deploy-guard refuses deploys to **${env}** while it is open, and closing it unblocks deploys to ${env}.`;
  const postmortem2 = `Write the [postmortem](#postmortem) at the end of this issue (edit the description).`;
  switch (incidentResult(facts)) {
    case "rolled-back":
      return [
        `1. Nothing is urgent: ${env} is serving the known-good version again.`,
        `2. Find why ${failed} failed: the failing checks, the timeline and the commits below, and the run log.`,
        `3. ${postmortem2}`,
        `4. ${unblock}`
      ];
    case "rollback-failed":
      return [
        `1. **Now:** check what ${env} is serving. Put a working version back by hand (deploy-guard's rollback mode, or your runbook).`,
        `2. Find why both the deploy of ${failed} and the rollback failed: see below and the run log.`,
        `3. ${postmortem2}`,
        `4. ${unblock}`
      ];
    case "no-rollback-target":
      return [
        `1. **Now:** check what ${env} is serving; it may be the failed version ${failed}.`,
        `2. To deploy a fix, close this issue first: deploy-guard refuses deploys to **${env}** while it is open, and closing it unblocks deploys to ${env}.`,
        `3. ${postmortem2}`
      ];
  }
}
function failureRounds(failure) {
  return failure.kind === "unhealthy" ? failure.rounds : [];
}
function failureDetail(failure, step, windowStart, d) {
  switch (failure.kind) {
    case "unhealthy":
      return failure.rounds.length ? checkSections(failure.rounds, { ...d, windowStart }) : [];
    case "command-failed": {
      const how = failure.timedOut ? `did not finish within its ${Math.round(failure.timeoutMs / 1e3)}s timeout and was killed` : failure.signal ? `was killed by ${failure.signal}` : `exited with code ${failure.exitCode}`;
      return ["", `The ${step} command ${how}, so no health check ran. Its output is in the run log: ${d.runUrl}`];
    }
    case "error":
      return ["", `deploy-guard could not carry this step out. The run log has the details: ${d.runUrl}`];
  }
}
function postmortem(env) {
  return [
    "## Postmortem",
    ...POSTMORTEM_SECTIONS.flatMap((s) => ["", `### ${s.name}`, "", `<!-- ${s.prompt} -->`]),
    "",
    "---",
    "",
    `Close this issue to unblock deploys to ${env}.`
  ];
}
function postmortemGaps(body) {
  const blocks = sectionsByHeading(body);
  return REQUIRED_POSTMORTEM_SECTIONS.filter((name) => {
    const content = blocks.filter((b) => normalize(b.heading) === normalize(name)).pop()?.content;
    return content === void 0 || !stripComments(content).trim();
  });
}
function normalize(heading) {
  return heading.replace(/[*_`:]/g, "").replace(/\s+/g, " ").trim().toLowerCase();
}
function stripComments(text) {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, "");
}
var ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
var FENCE = /^ {0,3}(`{3,}|~{3,})/;
var SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
var THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
function sectionsByHeading(body) {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const sections = [];
  let current;
  let fence;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      if (line.trim().startsWith(fence)) fence = void 0;
      current?.content.push(line);
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      fence = opening[1];
      current?.content.push(line);
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    const next = lines[i + 1];
    const setext = line.trim() !== "" && next !== void 0 && SETEXT_UNDERLINE.test(next) && !THEMATIC_BREAK.test(line);
    if (atx || setext) {
      current = { heading: atx ? atx[1] ?? "" : line.trim(), content: [] };
      sections.push(current);
      if (setext) i += 1;
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      current = void 0;
      continue;
    }
    current?.content.push(line);
  }
  return sections.map((s) => ({ heading: s.heading, content: s.content.join("\n") }));
}
function fitted(render, runUrl, footer) {
  const end = `

${footer.join("\n")}`;
  let body = "";
  for (const [i, detail] of DETAIL_LEVELS.entries()) {
    body = render(detail, i > 0);
    if (body.length + end.length <= MAX_BODY_CHARS) return body + end;
  }
  const note = `

${cutNote(runUrl)}`;
  return cut(body, MAX_BODY_CHARS - end.length - note.length) + note + end;
}
function manualRollbackText(facts) {
  const env = facts.environment;
  const target = shortSha(facts.sha);
  const title = facts.failure ? `Manual rollback of ${env} to ${target} by @${facts.actor} failed` : `Manual rollback of ${env} to ${target} by @${facts.actor}`;
  return { title, body: fitted((detail, budgeted) => manualRollbackBody(facts, detail, budgeted), facts.runUrl, postmortem(env)) };
}
function manualRollbackBody(facts, detail, budgeted) {
  const env = facts.environment;
  const version = facts.repoUrl ? `[\`${facts.sha}\`](${facts.repoUrl}/commit/${facts.sha})` : `\`${facts.sha}\``;
  const sectionDetail = { ...detail, runUrl: facts.runUrl, budgeted, headingLevel: 3 };
  const t = facts.timeline;
  const lines = [
    incidentMarker(env),
    facts.failure ? `**Manual rollback failed: ${env} needs a person now.**` : `**Manual rollback: healthy.**`,
    "",
    `@${facts.actor} rolled **${env}** back to ${version} (deployment ${facts.deploymentId}).`,
    "",
    // One line of plain text: a reason cannot add headings, hide the postmortem in a comment or notify anyone.
    `Reason: ${escapeCell(facts.reason, 1e3)}`,
    "",
    facts.failure ? `The rollback failed: ${failureText(facts.failure)}. **${env} needs a person now.**` : `It deployed and stayed healthy for its health window; it is now the known-good version.`
  ];
  if (t) {
    const events = [
      { at: t.start, what: `Rollback to \`${shortSha(facts.sha)}\` started` },
      { at: t.commandEnd, what: "Rollback command finished" },
      { at: t.windowStart, what: "Health window started (round 1)" },
      { at: t.firstFailure, what: "First failed health round" },
      { at: t.verdict, what: facts.failure ? `**Failed:** ${failureText(facts.failure)}` : "**Healthy** for its whole health window" }
    ];
    lines.push("", "## Timeline", "", ...timelineTable(events, t.start, "rollback start"));
  }
  if (facts.failure) lines.push("", "## What failed", ...failureDetail(facts.failure, "rollback", t?.windowStart, sectionDetail));
  const rounds = facts.rounds ?? (facts.failure ? failureRounds(facts.failure) : []);
  if (rounds.length) lines.push("", "## Health chart", "", ...chartSection(rounds, `Health of ${shortSha(facts.sha)} on ${env}`, sectionDetail));
  lines.push("", "## Links", "", `- Run log: ${facts.runUrl}`);
  if (facts.repoUrl) lines.push(`- Deployment: ${facts.deploymentId}, in [deployments of ${env}](${facts.repoUrl}/deployments/${encodeURIComponent(env)})`);
  return lines.join("\n");
}

// src/core/detection.ts
function worstCaseDetectionMs(s) {
  const slowest = Math.max(0, ...s.checks.map((c) => c.timeoutMs));
  return Math.max(s.healthIntervalMs, s.healthInitialDelayMs) + (s.failureThreshold - 1) * s.healthIntervalMs + slowest;
}

// src/core/plan-text.ts
function planText(p) {
  const rounds = Math.floor(p.healthWindowMs / p.healthIntervalMs) + 1;
  const schedule = p.healthWindowMs === 0 ? `one round right after the command (health-window 0s), repeated every ${formatDuration(p.healthIntervalMs)} only while it fails; ` : `a round every ${formatDuration(p.healthIntervalMs)} for ${formatDuration(p.healthWindowMs)} (${rounds} rounds); `;
  return [
    `Plan for ${p.environment}: deploy ${p.sha}${p.dryRun ? " (dry run: the verdict is only reported; no known-good move, rollback or incident)" : ""}.`,
    p.knownGoodSha ? `Known-good version: ${p.knownGoodSha} (the rollback target).` : `No known-good version yet: a failure cannot be rolled back.`,
    `Health: ${p.healthInitialDelayMs ? `after a ${formatDuration(p.healthInitialDelayMs)} warm-up, ` : ""}${schedule}${p.failureThreshold} consecutive failed rounds` + (p.maxFailedRounds !== void 0 ? `, or more than ${p.maxFailedRounds} failed rounds in all` : "") + (p.inconclusiveThreshold ? `, or ${p.inconclusiveThreshold} consecutive inconclusive rounds` : "") + ` make it unhealthy.`,
    ...p.checks.map((c) => `  check "${c.name}": ${describeCheck(c)}`),
    `Worst case from a failure to the verdict that starts the rollback: ${formatDuration(worstCaseDetectionMs(p))}.`
  ].join("\n");
}
function describeCheck(c) {
  const timeout = `timeout ${formatDuration(c.timeoutMs)}`;
  switch (c.type) {
    case "http": {
      const expects = [
        `status ${c.statusRanges.map(([a, b]) => a === b ? `${a}` : `${a}-${b}`).join(",")}`,
        ...c.bodyContains ? [`body contains "${c.bodyContains}"`] : [],
        ...c.bodyMatches ? [`body matches /${c.bodyMatches}/`] : [],
        ...c.maxLatencyMs !== void 0 ? [`within ${formatDuration(c.maxLatencyMs)}`] : []
      ];
      return `${c.method} ${displayUrl(c.url)} expects ${expects.join(", ")}; redirects: ${c.redirects}; ${timeout}`;
    }
    case "tcp":
      return `TCP connect to ${c.host}:${c.port}; ${timeout}`;
    case "command":
      return `bash -c ${JSON.stringify(c.run)} exits 0; ${timeout}`;
    case "prometheus": {
      const bounds = [
        ...c.max !== void 0 ? [`<= ${c.max}`] : [],
        ...c.min !== void 0 ? [`>= ${c.min}`] : [],
        ...c.maxRatioToBaseline !== void 0 ? [`<= ${c.maxRatioToBaseline}x baseline`] : [],
        ...c.minRatioToBaseline !== void 0 ? [`>= ${c.minRatioToBaseline}x baseline`] : []
      ];
      const floor = c.baselineFloor !== void 0 ? ` (baseline floor ${c.baselineFloor})` : "";
      return `Prometheus ${displayUrl(c.url)} query ${JSON.stringify(c.query)} ${bounds.join(" and ")}${floor}; no data: ${c.onNoData}; ${timeout}`;
    }
  }
}
function displayUrl(url) {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = "***";
      u.password = "";
    }
    return u.toString();
  } catch {
    return url;
  }
}

// src/github/deployment-ledger.ts
var DeploymentLedger = class {
  constructor(gh, repo, logUrl, saveState2) {
    this.gh = gh;
    this.repo = repo;
    this.logUrl = logUrl;
    this.saveState = saveState2;
  }
  gh;
  repo;
  logUrl;
  saveState;
  open = /* @__PURE__ */ new Set();
  async start(deploymentId, description) {
    this.open.add(deploymentId);
    this.save();
    await this.setStatus(deploymentId, "in_progress", description);
  }
  async finish(deploymentId, state, description) {
    await this.setStatus(deploymentId, state, description);
    this.open.delete(deploymentId);
    this.save();
  }
  isOpen(deploymentId) {
    return this.open.has(deploymentId);
  }
  /** Best effort: closes everything still open as `error`, and never throws. */
  async abandonOpen(description) {
    const problems = [];
    for (const id of [...this.open]) {
      try {
        await this.finish(id, "error", description);
      } catch (error) {
        problems.push(`deployment ${id}: ${error.message}`);
      }
    }
    return problems;
  }
  setStatus(deploymentId, state, description) {
    return setDeploymentStatus(this.gh, this.repo, deploymentId, state, { description, logUrl: this.logUrl });
  }
  save() {
    this.saveState(OPEN_DEPLOYMENTS_STATE, JSON.stringify([...this.open]));
  }
};

// src/github/tags.ts
async function readTag(gh, repo, ref) {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...repo, ref });
    if (data.object.type === "tag") {
      const tag = await call(`GET /git/tags/${data.object.sha}`, () => gh.request("GET /repos/{owner}/{repo}/git/tags/{tag_sha}", { ...repo, tag_sha: data.object.sha }));
      return tag.data.object.sha;
    }
    return data.object.sha;
  } catch (error) {
    if (statusOf(error) === 404) return void 0;
    throw apiError(`GET /git/ref/${ref}`, error);
  }
}
async function createImmutableTag(gh, repo, ref, sha) {
  try {
    await createOnce(
      "POST /git/refs",
      async () => {
        await gh.request("POST /repos/{owner}/{repo}/git/refs", { ...repo, ref: `refs/${ref}`, sha, ...NO_RETRY });
        return true;
      },
      async () => await readTag(gh, repo, ref) === sha ? true : void 0
    );
  } catch (wrapped) {
    const error = wrapped.cause ?? wrapped;
    if (statusOf(error) !== 422) throw apiError("POST /git/refs", error);
    const existing = await readTag(gh, repo, ref);
    if (existing === sha) return;
    if (existing) throw new Error(`Tag ${ref} already exists on ${existing}, not on ${sha}; pre-deploy tags are never moved`);
    throw apiError("POST /git/refs", error);
  }
}
async function moveTag(gh, repo, ref, sha) {
  try {
    await gh.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", { ...repo, ref, sha, force: true });
  } catch (error) {
    if (statusOf(error) !== 422 && statusOf(error) !== 404) throw apiError(`PATCH /git/refs/${ref}`, error);
    await call("POST /git/refs", () => gh.request("POST /repos/{owner}/{repo}/git/refs", { ...repo, ref: `refs/${ref}`, sha }));
  }
}

// src/github/incidents.ts
async function listOpenLabeledIssues(gh, repo, label) {
  const issues = await call(
    "GET /issues",
    () => gh.paginate("GET /repos/{owner}/{repo}/issues", { ...repo, state: "open", labels: label, per_page: 100 })
  );
  return issues.map(toSummary);
}
function toSummary(issue) {
  return {
    number: issue.number,
    title: issue.title,
    htmlUrl: issue.html_url,
    body: issue.body ?? "",
    isPullRequest: Boolean(issue.pull_request),
    author: { login: issue.user?.login ?? "", type: issue.user?.type ?? "" }
  };
}
async function listRecentlyClosedLabeledIssues(gh, repo, label, limit) {
  const { data } = await call(
    "GET /issues",
    () => gh.request("GET /repos/{owner}/{repo}/issues", { ...repo, state: "closed", labels: label, sort: "updated", direction: "desc", per_page: limit })
  );
  return data.map(toSummary);
}
async function closedBy(gh, repo, issueNumber) {
  const { data } = await call(`GET /issues/${issueNumber}`, () => gh.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...repo, issue_number: issueNumber }));
  return data.closed_by?.login;
}
var ownLogins = /* @__PURE__ */ new WeakMap();
function ownLogin(gh) {
  let login = ownLogins.get(gh);
  if (!login) {
    login = gh.request("GET /user").then(
      ({ data }) => data.login,
      (error) => {
        const status = statusOf(error);
        if (status === 401 || status === 403 || status === 404) return void 0;
        ownLogins.delete(gh);
        throw apiError("GET /user", error);
      }
    );
    ownLogins.set(gh, login);
  }
  return login;
}
async function ensureLabel(gh, repo, label) {
  try {
    await gh.request("POST /repos/{owner}/{repo}/labels", {
      ...repo,
      name: label,
      color: "b60205",
      description: "deploy-guard: deploys to an environment are blocked while this is open"
    });
  } catch (error) {
    if (statusOf(error) === 422) return;
    throw apiError("POST /labels", error);
  }
}
async function openIssue(gh, repo, issue, find) {
  return createOnce(
    "POST /issues",
    async () => {
      const { data } = await gh.request("POST /repos/{owner}/{repo}/issues", { ...repo, title: issue.title, body: issue.body, labels: [issue.label], ...NO_RETRY });
      return { number: data.number, url: data.html_url };
    },
    find
  );
}
async function commentOnIssue(gh, repo, issueNumber, body, marker) {
  await createOnce(
    `POST /issues/${issueNumber}/comments`,
    async () => {
      await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber, body, ...NO_RETRY });
      return true;
    },
    async () => {
      const comments = await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber, per_page: 100 });
      return comments.some((c) => c.body?.includes(marker)) ? true : void 0;
    }
  );
}
async function closeAsDuplicate(gh, repo, issueNumber, originalUrl) {
  await call(
    `POST /issues/${issueNumber}/comments`,
    () => gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: issueNumber, body: `Duplicate of ${originalUrl}, opened at the same time by another run; this failure was added there.` })
  );
  await call(`PATCH /issues/${issueNumber}`, () => gh.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { ...repo, issue_number: issueNumber, state: "closed", state_reason: "not_planned" }));
}

// src/github/permissions.ts
async function repositoryRole(gh, repo, username) {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { ...repo, username });
    return data.role_name ?? data.permission;
  } catch (error) {
    if (statusOf(error) === 404) return void 0;
    throw apiError(`GET /collaborators/${username}/permission`, error);
  }
}

// src/modes/gate.ts
var CLOSED_CHECKED = 10;
async function checkGate(gh, repo, label, environment, rules = {}) {
  const { closerRole, requirePostmortem } = rules;
  try {
    const open = await listOpenLabeledIssues(gh, repo, label);
    const login = open.length || closerRole || requirePostmortem ? await ownLogin(gh) : void 0;
    const decision = decideGate(open, environment, login);
    if (!closerRole && !requirePostmortem) return decision;
    const closed = decideGate(await listRecentlyClosedLabeledIssues(gh, repo, label, CLOSED_CHECKED), environment, login);
    const weak = [];
    for (const incident of closed.kind === "blocked" ? closed.incidents : []) {
      const gaps = requirePostmortem ? postmortemGaps(incident.body) : [];
      if (gaps.length) {
        weak.push({ ...incident, stillBlocking: postmortemMissing(incident.htmlUrl, gaps) });
        continue;
      }
      if (!closerRole) continue;
      const closer = await closedBy(gh, repo, incident.number);
      const role = closer ? await repositoryRole(gh, repo, closer) : void 0;
      if (!closerQualifies(role, closerRole)) {
        weak.push({
          ...incident,
          stillBlocking: `it was closed by @${closer ?? "unknown"} (${role ?? "no role"}), and incident-closer-role needs ${closerRole} or above to unblock; someone with that role should reopen and close it`
        });
      }
    }
    const incidents = [...decision.kind === "blocked" ? decision.incidents : [], ...weak];
    return incidents.length ? { kind: "blocked", incidents, ignored: decision.ignored } : decision;
  } catch (error) {
    throw new Error(`cannot verify incident state for ${environment}, so nothing is deployed: ${error.message}`, { cause: error });
  }
}
async function lastClosedIncidents(gh, repo, label, environment) {
  const closed = decideGate(await listRecentlyClosedLabeledIssues(gh, repo, label, 5), environment, await ownLogin(gh));
  return closed.kind === "blocked" ? closed.incidents.slice(0, 1).map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) : [];
}
function postmortemMissing(url, gaps) {
  const sections = gaps.map((gap) => `"${gap}" (${url}${postmortemAnchor(gap)})`);
  return `it is closed, but require-postmortem is on and its postmortem section${gaps.length > 1 ? "s" : ""} ${sections.join(" and ")} ${gaps.length > 1 ? "are" : "is"} empty; fill ${gaps.length > 1 ? "them" : "it"} in the issue's description to unblock`;
}
function gateOutcome(decision, environment, log) {
  for (const issue of decision.ignored) {
    log.warning(
      `Issue #${issue.number} (${issue.htmlUrl}) looks like a deploy-guard incident for ${environment} but was opened by @${issue.author.login}, not by deploy-guard; it does not block deploys.`,
      `Ignored look-alike incident #${issue.number}`
    );
  }
  if (decision.kind === "clear") {
    log.info(`Gate: no open incident blocks deploys to ${environment}.`);
    return { kind: "clear" };
  }
  for (const incident of decision.incidents) {
    log.error(
      incident.stillBlocking ? `Deploys to ${environment} are blocked by incident #${incident.number} (${incident.htmlUrl}): ${incident.stillBlocking}.` : `Deploys to ${environment} are blocked by open incident #${incident.number} (${incident.htmlUrl}). Close it once the cause is fixed to unblock deploys.`,
      `${environment}: deploys blocked by #${incident.number}`
    );
  }
  return { kind: "blocked", incidents: decision.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) };
}
async function runGateMode(gh, repo, label, environment, log, rules = {}) {
  return gateOutcome(await checkGate(gh, repo, label, environment, rules), environment, log);
}

// src/modes/open-incident.ts
function runMarker(ctx) {
  return `<!-- deploy-guard:run=${ctx.runId}-${ctx.runAttempt} -->`;
}
async function openIncident(gh, repo, label, environment, text, log, ctx) {
  const marker = runMarker(ctx);
  await ensureLabel(gh, repo, label);
  const gate = await checkGate(gh, repo, label, environment);
  if (gate.kind === "blocked") {
    const mine = gate.incidents.find((i) => i.body.includes(marker));
    if (mine) return { number: mine.number, url: mine.htmlUrl };
    const existing = gate.incidents[0];
    await commentOnIssue(gh, repo, existing.number, `## ${text.title}

${text.body}
${marker}`, marker);
    log.warning(`Incident #${existing.number} was already open for ${environment}; added this to it: ${existing.htmlUrl}`);
    return { number: existing.number, url: existing.htmlUrl };
  }
  const incident = await openIssue(gh, repo, { title: text.title, body: `${text.body}
${marker}`, label }, async () => {
    const again = await checkGate(gh, repo, label, environment);
    const mine = again.kind === "blocked" ? again.incidents.find((i) => i.body.includes(marker)) : void 0;
    return mine ? { number: mine.number, url: mine.htmlUrl } : void 0;
  });
  const after = await checkGate(gh, repo, label, environment);
  const oldest = after.kind === "blocked" ? after.incidents[0] : void 0;
  if (oldest && oldest.number < incident.number) {
    await commentOnIssue(gh, repo, oldest.number, `## ${text.title}

${text.body}
${marker}`, marker);
    await closeAsDuplicate(gh, repo, incident.number, oldest.htmlUrl);
    log.warning(`Another run opened incident #${oldest.number} at the same time; added this to it: ${oldest.htmlUrl}`);
    return { number: oldest.number, url: oldest.htmlUrl };
  }
  log.error(`Opened incident #${incident.number}: ${incident.url}
${text.title}`);
  return incident;
}

// src/core/in-flight.ts
var UNFINISHED = /* @__PURE__ */ new Set(["in_progress", "queued", "pending"]);
var GRACE_MS = 5 * 6e4;
function inFlight(newest, limits, now) {
  if (!newest || !UNFINISHED.has(newest.state ?? "pending")) return { kind: "none" };
  const abandonAfterMs = 2 * (limits.deployTimeoutMs + limits.healthInitialDelayMs + limits.healthWindowMs) + GRACE_MS;
  const ageMs = now - Date.parse(newest.since);
  return ageMs > abandonAfterMs ? { kind: "abandoned", ageMs } : { kind: "running", ageMs, abandonAfterMs };
}

// src/core/deploy-lock.ts
function judgeEarlier(earlier, limits, now) {
  const flight = inFlight(earlier, limits, now);
  if (flight.kind === "running") return { kind: "held", ageMs: flight.ageMs, abandonAfterMs: flight.abandonAfterMs };
  if (flight.kind === "abandoned") return { kind: "abandoned", ageMs: flight.ageMs };
  return earlier.state === "error" ? { kind: "passed-over" } : { kind: "settled" };
}
function gateMayHaveChanged(previous, passedOver) {
  if (passedOver > 0) return true;
  if (!previous) return false;
  return previous.rollback || previous.state !== "success";
}
var EARLIER_LOOKED_AT = 10;

// src/modes/claim.ts
async function claimEnvironment(d, repo, ownDeploymentId) {
  const { settings: s, log } = d;
  let passedOver = 0;
  for await (const earlier of earlierDeployments(d.gh, repo, s.environment, ownDeploymentId, EARLIER_LOOKED_AT)) {
    const verdict = judgeEarlier(earlier, s, d.clock.now());
    if (verdict.kind === "held") return { kind: "held", holder: earlier, ageMs: verdict.ageMs, abandonAfterMs: verdict.abandonAfterMs };
    if (verdict.kind === "settled") return { kind: "claimed", previous: earlier, afterTrouble: gateMayHaveChanged(earlier, passedOver) };
    if (verdict.kind === "abandoned") {
      await setDeploymentStatus(d.gh, repo, earlier.id, "error", {
        description: `Abandoned: still unfinished after ${formatDuration(verdict.ageMs)} (its runner was lost)`,
        logUrl: d.context.runUrl
      });
      log.warning(`Deployment ${earlier.id} of ${shortSha(earlier.sha)} was left unfinished ${formatDuration(verdict.ageMs)} ago; marked it error (abandoned).`);
    }
    passedOver += 1;
  }
  return { kind: "claimed", previous: void 0, afterTrouble: gateMayHaveChanged(void 0, passedOver) };
}
function heldMessage(environment, claim) {
  const { holder } = claim;
  return `another deploy of ${environment} is in progress (deployment ${holder.id} of ${shortSha(holder.sha)}, ${formatDuration(claim.ageMs)} ago${holder.logUrl ? `, ${holder.logUrl}` : ""}); not deploying on top of it. If its runner was lost, it counts as abandoned after ${formatDuration(claim.abandonAfterMs)}.`;
}

// src/modes/phases.ts
import { randomUUID } from "node:crypto";
import path from "node:path";

// src/check-types.ts
function usesBaseline(check) {
  return check.type === "prometheus" && (check.maxRatioToBaseline !== void 0 || check.minRatioToBaseline !== void 0);
}

// src/core/verdict.ts
function roundOutcome(samples) {
  if (samples.some((s) => s.outcome === "fail")) return "fail";
  if (samples.some((s) => s.outcome === "inconclusive")) return "inconclusive";
  return "pass";
}
function createVerdictTracker(policy) {
  const rounds = [];
  let consecutiveFailures = 0;
  let consecutiveInconclusive = 0;
  let failedRounds = 0;
  let inconclusiveRounds = 0;
  let anyCheckPassed = false;
  const unhealthy = (reason) => ({ kind: "unhealthy", reason, failedRounds });
  return {
    get rounds() {
      return rounds;
    },
    get consecutiveFailures() {
      return consecutiveFailures;
    },
    record(round) {
      rounds.push(round);
      anyCheckPassed ||= round.samples.some((s) => s.outcome === "pass");
      if (round.outcome === "fail") {
        consecutiveFailures += 1;
        consecutiveInconclusive = 0;
        failedRounds += 1;
      } else if (round.outcome === "pass") {
        consecutiveFailures = 0;
        consecutiveInconclusive = 0;
      } else {
        consecutiveInconclusive += 1;
        inconclusiveRounds += 1;
      }
      if (consecutiveFailures >= policy.failureThreshold) {
        return unhealthy(`${consecutiveFailures} consecutive health rounds failed (failure-threshold is ${policy.failureThreshold})`);
      }
      if (policy.maxFailedRounds !== void 0 && failedRounds > policy.maxFailedRounds) {
        return unhealthy(`${failedRounds} health rounds failed in the window (max-failed-rounds is ${policy.maxFailedRounds})`);
      }
      if (policy.inconclusiveThreshold && consecutiveInconclusive >= policy.inconclusiveThreshold) {
        return unhealthy(
          `${consecutiveInconclusive} consecutive health rounds could not be measured (inconclusive-threshold is ${policy.inconclusiveThreshold})`
        );
      }
      if (round.at >= policy.windowMs && consecutiveFailures === 0) {
        if (!anyCheckPassed) return unhealthy("no health check passed during the whole window: every measurement was inconclusive");
        return { kind: "healthy", rounds: rounds.length, inconclusiveRounds };
      }
      return { kind: "watching" };
    }
  };
}

// src/health/watch.ts
async function watchHealth(options) {
  const { clock, policy, log } = options;
  const tracker = createVerdictTracker(policy);
  if (policy.initialDelayMs) {
    log.info(`Warming up for ${formatDuration(policy.initialDelayMs)} before the first round.`);
    await clock.sleep(policy.initialDelayMs);
  }
  const start = clock.now();
  let slot = 0;
  for (; ; ) {
    await clock.sleep(start + slot * policy.intervalMs - clock.now());
    const at = slot * policy.intervalMs;
    const samples = await Promise.all(
      options.checks.map(async (check) => ({ ...await options.probe(check), at: clock.now() - start }))
    );
    const round = { index: tracker.rounds.length, at, outcome: roundOutcome(samples), samples };
    const verdict = tracker.record(round);
    log.info(
      `round ${round.index + 1} at +${formatDuration(at)}: ${round.outcome.toUpperCase()}` + (tracker.consecutiveFailures ? ` (${tracker.consecutiveFailures}/${policy.failureThreshold} consecutive failures)` : "") + ` | ${samples.map((s) => `${s.check}: ${s.detail}, ${s.latencyMs}ms`).join(" | ")}`
    );
    if (verdict.kind !== "watching") return { verdict, rounds: [...tracker.rounds], startedAt: start };
    if (round.outcome === "fail") options.onFailedRound?.(round);
    slot = Math.max(slot + 1, Math.ceil((clock.now() - start) / policy.intervalMs));
  }
}

// src/process.ts
import { spawn } from "node:child_process";
var KILL_GRACE_MS = 5e3;
var DRAIN_MS = 1e3;
var running = /* @__PURE__ */ new Set();
var runCommand = (spec) => new Promise((resolve, reject) => {
  const started = Date.now();
  const child = spawn("bash", ["-c", spec.command], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"]
  });
  running.add(child);
  let timedOut = false;
  let killTimer;
  const timeout = setTimeout(() => {
    timedOut = true;
    killGroup(child, "SIGTERM");
    killTimer = setTimeout(() => killGroup(child, "SIGKILL"), spec.killGraceMs ?? KILL_GRACE_MS);
  }, spec.timeoutMs);
  child.stdout.setEncoding("utf8").on("data", spec.onOutput);
  child.stderr.setEncoding("utf8").on("data", spec.onOutput);
  child.on("error", (error) => {
    clearTimeout(timeout);
    running.delete(child);
    reject(new Error(`could not start bash for the command: ${error.message}`));
  });
  child.on("exit", (exitCode, signal) => {
    clearTimeout(timeout);
    if (killTimer) clearTimeout(killTimer);
    running.delete(child);
    if (timedOut || cancelledBy) killGroup(child, "SIGKILL");
    const finish = () => resolve({ exitCode, signal, timedOut, durationMs: Date.now() - started });
    const drained = setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
      finish();
    }, DRAIN_MS);
    let open = 2;
    const closed = () => {
      open -= 1;
      if (open === 0) {
        clearTimeout(drained);
        finish();
      }
    };
    child.stdout.once("close", closed);
    child.stderr.once("close", closed);
    if (child.stdout.closed) closed();
    if (child.stderr.closed) closed();
  });
});
var cancelledBy;
function cancel(signal) {
  cancelledBy ??= signal;
  for (const child of running) {
    killGroup(child, signal);
    setTimeout(() => killGroup(child, "SIGKILL"), CANCEL_GRACE_MS).unref();
  }
}
var CANCEL_GRACE_MS = 3e3;
function throwIfCancelled() {
  if (cancelledBy) throw new Error(`the run was cancelled (${cancelledBy})`);
}
function killGroup(child, signal) {
  if (child.pid === void 0) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
  }
}
function commandEnvironment(base, extra) {
  const env = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith("INPUT_") || key === "GITHUB_TOKEN" || key === "ACTIONS_RUNTIME_TOKEN" || key.startsWith("STATE_")) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

// src/modes/phases.ts
async function recordDeployment(d, ledger, spec) {
  const { settings: s, context: ctx } = d;
  const id = await createDeployment(d.gh, { owner: ctx.owner, repo: ctx.repo }, {
    sha: spec.sha,
    environment: s.environment,
    description: spec.description ?? (spec.rollback ? `deploy-guard rollback to ${shortSha(spec.sha)}` : `deploy-guard deploy of ${shortSha(spec.sha)}`),
    rollback: spec.rollback,
    ...spec.payload ? { payload: spec.payload } : {},
    run: { id: ctx.runId, attempt: ctx.runAttempt, kind: spec.kind ?? (spec.rollback ? "rollback" : "deploy") }
  });
  await ledger.start(id, `${spec.rollback ? "Rollback" : "Deploy"} of ${shortSha(spec.sha)} in progress`);
  return id;
}
async function deployAndWatch(d, ledger, probe, spec) {
  const { settings: s, log } = d;
  const what = spec.rollback ? "Rollback" : "Deploy";
  const times = { start: d.clock.now() };
  const concurrent = spec.recordWhileRunning;
  const recording = concurrent ? recordDeployment(d, ledger, spec).then(async (id) => {
    await concurrent.after().catch((error) => log.warning(`Could not finish the deployment this ${what.toLowerCase()} replaces: ${error.message}`));
    return id;
  }) : void 0;
  recording?.catch(() => {
  });
  const knownId = recording ? void 0 : spec.deploymentId ?? await recordDeployment(d, ledger, spec);
  const title = `${what}: ${shortSha(spec.sha)} to ${s.environment} (${knownId ? `deployment ${knownId}` : "recorded on GitHub meanwhile"})`;
  const result = await log.group(title, async () => {
    const token = randomUUID();
    d.write(`::stop-commands::${token}
`);
    try {
      return await d.runCommand({
        command: spec.command,
        cwd: spec.cwd,
        timeoutMs: s.deployTimeoutMs,
        onOutput: d.write,
        env: commandEnvironment(d.env, {
          DEPLOY_GUARD_SHA: spec.sha,
          DEPLOY_GUARD_ENVIRONMENT: s.environment,
          DEPLOY_GUARD_ROLLBACK: String(spec.rollback),
          ...knownId ? { DEPLOY_GUARD_DEPLOYMENT_ID: String(knownId) } : {},
          ...concurrent?.env
        })
      });
    } finally {
      d.write(`
::${token}::
`);
    }
  });
  times.commandEnd = d.clock.now();
  const deploymentId = knownId ?? await recording.catch((error) => {
    throw new Error(`the ${what.toLowerCase()} command ran (exit ${result.exitCode ?? result.signal}), but its deployment could not be recorded: ${error.message}`, { cause: error });
  });
  throwIfCancelled();
  if (result.exitCode !== 0 || result.timedOut) {
    return {
      deploymentId,
      rounds: [],
      times: { ...times, firstFailure: times.commandEnd, verdict: times.commandEnd },
      failure: { kind: "command-failed", exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, timeoutMs: s.deployTimeoutMs }
    };
  }
  log.info(`${what} command finished in ${formatDuration(result.durationMs)}.`);
  const watched = await log.group(
    `Health window: ${formatDuration(s.healthWindowMs)} of ${shortSha(spec.sha)}`,
    () => watchHealth({
      checks: s.checks,
      policy: {
        windowMs: s.healthWindowMs,
        intervalMs: s.healthIntervalMs,
        initialDelayMs: s.healthInitialDelayMs,
        failureThreshold: s.failureThreshold,
        maxFailedRounds: s.maxFailedRounds,
        inconclusiveThreshold: s.inconclusiveThreshold
      },
      clock: d.clock,
      log,
      probe,
      ...spec.onFailedRound ? { onFailedRound: spec.onFailedRound } : {}
    })
  );
  throwIfCancelled();
  times.windowStart = watched.startedAt;
  times.verdict = d.clock.now();
  const firstFailed = watched.rounds.find((r) => r.outcome === "fail");
  if (firstFailed) times.firstFailure = watched.startedAt + Math.min(...firstFailed.samples.filter((x) => x.outcome === "fail").map((x) => x.at));
  if (watched.verdict.kind === "unhealthy") {
    return { deploymentId, rounds: watched.rounds, times, failure: { kind: "unhealthy", reason: watched.verdict.reason, rounds: watched.rounds } };
  }
  return { deploymentId, rounds: watched.rounds, times };
}
async function checkOutVersion(d, sha, tagRef) {
  const { context: ctx, log } = d;
  const dir = path.join(ctx.runnerTemp, `deploy-guard-rollback-${ctx.runId}-${ctx.runAttempt}-${d.clock.now()}`);
  log.info(`Checking out ${shortSha(sha)} for a rollback, in case one is needed.`);
  await d.git.fetchCommit(sha, tagRef);
  await d.git.addWorktree(dir, sha);
  d.saveState(WORKTREE_STATE, dir);
  log.info(`Checked out ${sha} in ${dir}.`);
  return dir;
}
async function measureBaselines(d) {
  const baselines = /* @__PURE__ */ new Map();
  for (const check of d.settings.checks.filter(usesBaseline)) {
    const floor = check.baselineFloor ?? 0;
    const measured = await d.measureBaseline(check);
    const baseline = Math.max(measured.baseline ?? floor, floor);
    baselines.set(check.name, baseline);
    const note = measured.baseline === void 0 ? `could not be measured (${measured.detail}); using the floor` : measured.baseline < floor ? `is below the floor; using the floor` : "";
    d.log.info(`Baseline of "${check.name}": ${measured.baseline ?? "none"}${note ? ` ${note}` : ""} -> ${baseline}.`);
  }
  return baselines;
}

// src/github/commits.ts
var MAX_PER_PAGE = 100;
async function commitRange(gh, repo, base, head, shown = 20) {
  const basehead = `${base}...${head}`;
  const { data } = await call(
    `GET /compare/${basehead}`,
    () => gh.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      ...repo,
      basehead,
      per_page: Math.min(Math.max(shown, 1), MAX_PER_PAGE),
      page: 1
    })
  );
  return {
    total: data.total_commits,
    shown: data.commits.slice(0, Math.max(shown, 0)).map(
      (c) => ({
        sha: c.sha,
        title: c.commit.message.split("\n", 1)[0] ?? "",
        // The login when GitHub links the commit to an account; otherwise the git author's name.
        author: c.author?.login ?? c.commit.author?.name ?? "unknown"
      })
    ),
    compareUrl: data.html_url || `https://github.com/${repo.owner}/${repo.repo}/compare/${basehead}`
  };
}

// src/modes/deploy.ts
async function runDeployMode(d) {
  const { settings: s, context: ctx, log } = d;
  const repo = { owner: ctx.owner, repo: ctx.repo };
  const ledger = new DeploymentLedger(d.gh, repo, ctx.runUrl, d.saveState);
  let knownGoodSha;
  try {
    const rules = { closerRole: s.incidentCloserRole, requirePostmortem: s.requirePostmortem };
    const gate = await log.group("Gate", () => checkGate(d.gh, repo, s.incidentLabel, s.environment, rules));
    const gated = gateOutcome(gate, s.environment, log);
    if (gated.kind === "blocked") return { outcome: gated, knownGoodSha };
    const sha = await d.git.headSha();
    const spec = { sha, cwd: ctx.workspace, command: s.deployCommand, rollback: false };
    const deploymentId = await recordDeployment(d, ledger, spec);
    const claim = await claimEnvironment(d, repo, deploymentId);
    if (claim.kind === "held") {
      await ledger.finish(deploymentId, "error", `Not deployed: deployment ${claim.holder.id} of ${shortSha(claim.holder.sha)} was in progress`);
      throw new Error(heldMessage(s.environment, claim));
    }
    if (claim.afterTrouble) {
      const again = gateOutcome(await checkGate(d.gh, repo, s.incidentLabel, s.environment, rules), s.environment, log);
      if (again.kind === "blocked") {
        await ledger.finish(deploymentId, "error", "Not deployed: an incident was opened while this run started");
        return { outcome: again, knownGoodSha };
      }
    }
    const goodRef = knownGoodRef(s.tagPrefix, s.environment);
    knownGoodSha = await readTag(d.gh, repo, goodRef);
    log.info(planText({ ...s, environment: s.environment, sha, knownGoodSha }));
    const tag = preDeployRef(s.tagPrefix, s.environment, ctx.runId, ctx.runAttempt);
    await createImmutableTag(d.gh, repo, tag, sha);
    log.info(`Tagged ${shortSha(sha)} as ${tag}.`);
    const probe = d.createProbe(await measureBaselines(d));
    const target = knownGoodSha;
    let checkout;
    const prepareRollback = () => {
      if (!checkout) {
        checkout = checkOutVersion(d, target, goodRef);
        checkout.catch(() => {
        });
      }
      return checkout;
    };
    const attempt = await deployAndWatch(d, ledger, probe, {
      ...spec,
      deploymentId,
      ...target && !s.dryRun ? { onFailedRound: () => void prepareRollback() } : {}
    });
    if (s.dryRun) return { outcome: await finishDryRun(d, ledger, attempt, sha), knownGoodSha };
    if (!attempt.failure) {
      await moveTag(d.gh, repo, goodRef, sha);
      await ledger.finish(attempt.deploymentId, "success", `Healthy for ${formatDuration(s.healthWindowMs)}; now known-good`);
      log.info(`Deployed ${shortSha(sha)} to ${s.environment}: healthy for the whole window; ${goodRef} now points at it.`);
      const recovered = claim.afterTrouble && s.notify ? await lastClosedIncidents(d.gh, repo, s.incidentLabel, s.environment).catch(() => []) : void 0;
      return {
        outcome: { kind: "deployed", sha, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: true, ...recovered ? { recovered } : {} },
        knownGoodSha: sha
      };
    }
    log.error(`Deploy of ${shortSha(sha)} to ${s.environment} failed: ${describeFailure(attempt.failure)}.`, `${s.environment}: ${shortSha(sha)} failed`);
    const markFailed = () => ledger.finish(attempt.deploymentId, "failure", describeFailure(attempt.failure));
    const facts = {
      environment: s.environment,
      failedSha: sha,
      deploymentId: attempt.deploymentId,
      failure: attempt.failure,
      links: { repoUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`, runUrl: ctx.runUrl },
      timeline: timelineOf(attempt.times)
    };
    if (!knownGoodSha) {
      const incident2 = await openIncident(d.gh, repo, s.incidentLabel, s.environment, incidentText(facts), log, ctx).finally(markFailed);
      log.error(`There is no known-good version of ${s.environment} to roll back to.`, `${s.environment}: nothing to roll back to`);
      return { outcome: { kind: "no-rollback-target", sha, deploymentId: attempt.deploymentId, failure: attempt.failure, incident: incident2 }, knownGoodSha, report: facts };
    }
    const rollback = await rollBack(d, ledger, probe, { sha: knownGoodSha, checkout: prepareRollback(), failedDeploymentId: attempt.deploymentId, markFailed }).catch(
      (error) => {
        log.error(`Rollback to ${shortSha(knownGoodSha)} did not complete: ${error.message}`, `${s.environment}: rollback did not complete`);
        return { failure: { kind: "error", message: `the rollback did not complete: ${error.message}` } };
      }
    );
    const commits = await commitRange(d.gh, repo, knownGoodSha, sha).catch((error) => {
      log.warning(`Could not list the commits from ${shortSha(knownGoodSha)} to ${shortSha(sha)}: ${error.message}`);
      return void 0;
    });
    const rt = rollback.times;
    facts.timeline = {
      ...facts.timeline,
      ...rt ? { rollbackStart: rt.start, rollbackCommandEnd: rt.commandEnd, rollbackWindowStart: rt.windowStart, rollbackEnd: rt.verdict } : {}
    };
    if (commits) facts.commits = commits;
    facts.rollback = {
      sha: knownGoodSha,
      ...rollback.deploymentId ? { deploymentId: rollback.deploymentId } : {},
      ...rollback.failure ? { failure: rollback.failure } : {},
      ...rollback.rounds?.length ? { rounds: rollback.rounds } : {}
    };
    const incident = await openIncident(d.gh, repo, s.incidentLabel, s.environment, incidentText(facts), log, ctx).finally(async () => {
      if (ledger.isOpen(attempt.deploymentId)) await markFailed();
      if (rollback.deploymentId === void 0) return;
      await ledger.finish(
        rollback.deploymentId,
        rollback.failure ? "failure" : "success",
        rollback.failure ? `Rollback failed: ${describeFailure(rollback.failure)}` : `Rolled back to known-good ${shortSha(knownGoodSha)}; healthy`
      );
    });
    return {
      outcome: {
        kind: rollback.failure ? "rollback-failed" : "rolled-back",
        sha,
        deploymentId: attempt.deploymentId,
        failure: attempt.failure,
        knownGoodSha,
        ...rollback.deploymentId ? { rollbackDeploymentId: rollback.deploymentId } : {},
        ...rollback.failure ? { rollbackFailure: rollback.failure } : {},
        incident
      },
      knownGoodSha,
      report: facts
    };
  } finally {
    const problems = await ledger.abandonOpen("deploy-guard stopped before this deployment finished; see the run log");
    problems.forEach((p) => log.warning(`Could not close ${p}`));
  }
}
function timelineOf(t) {
  const optional = (key, value) => value === void 0 ? {} : { [key]: value };
  return {
    deployStart: t.start,
    ...optional("commandEnd", t.commandEnd),
    ...optional("windowStart", t.windowStart),
    ...optional("firstFailure", t.firstFailure),
    ...optional("verdict", t.verdict)
  };
}
async function rollBack(d, ledger, probe, r) {
  const { log } = d;
  const knownGoodSha = r.sha;
  const dir = await r.checkout.catch((error) => {
    throw new Error(`could not check out ${shortSha(knownGoodSha)}: ${error.message}`, { cause: error });
  });
  const attempt = await deployAndWatch(d, ledger, probe, {
    sha: knownGoodSha,
    cwd: dir,
    command: d.settings.rollbackCommand,
    rollback: true,
    payload: { rollback: true, "rollback-of": r.failedDeploymentId },
    recordWhileRunning: { after: r.markFailed, env: { DEPLOY_GUARD_ROLLBACK_OF: String(r.failedDeploymentId) } }
  });
  if (attempt.failure) {
    log.error(`Rollback to ${shortSha(knownGoodSha)} failed: ${describeFailure(attempt.failure)}. Not rolling back a rollback.`, `${d.settings.environment}: rollback failed`);
  } else {
    log.warning(`Rolled back ${d.settings.environment} to ${shortSha(knownGoodSha)}; it stayed healthy for the whole window.`, `${d.settings.environment}: rolled back to ${shortSha(knownGoodSha)}`);
  }
  return attempt;
}
async function finishDryRun(d, ledger, attempt, sha) {
  if (!attempt.failure) {
    await ledger.finish(attempt.deploymentId, "success", "Dry run: healthy for the whole window (known-good not moved)");
    d.log.info(`Dry run: ${shortSha(sha)} was healthy for the whole window. Known-good was not moved.`);
    return { kind: "deployed", sha, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: false };
  }
  await ledger.finish(attempt.deploymentId, "failure", `Dry run: ${describeFailure(attempt.failure)}`);
  d.log.error(`Dry run: ${shortSha(sha)} failed (${describeFailure(attempt.failure)}). No rollback and no incident, as asked.`);
  return { kind: "unhealthy", sha, deploymentId: attempt.deploymentId, failure: attempt.failure };
}

// src/core/rollback-target.ts
function parseRollbackTarget(text, prefix, env) {
  const goodRef = knownGoodRef(prefix, env);
  const value = text.trim().replace(/^refs\//, "").replace(/^tags\//, "");
  if (!value) return { kind: "tag", ref: goodRef, knownGood: true };
  if (/^[0-9a-f]{40}$/i.test(value)) return { kind: "sha", sha: value.toLowerCase() };
  if (/^[0-9a-f]{4,39}$/i.test(value)) {
    return { kind: "invalid", reason: `"${text}" looks like a short SHA; give the full 40-character commit SHA` };
  }
  if (!value.startsWith(`${prefix}/`)) {
    return { kind: "invalid", reason: `"${text}" is neither a full commit SHA nor a tag under ${prefix}/${env}/` };
  }
  const rest = value.slice(prefix.length + 1);
  const [tagEnv, ...name] = rest.split("/");
  if (tagEnv !== env) return { kind: "invalid", reason: `"${text}" is a tag of environment "${tagEnv}", not of ${env}` };
  if (name.length !== 1 || !/^(known-good|deploy-\d+-\d+)$/.test(name[0])) {
    return { kind: "invalid", reason: `"${text}" is not a deploy-guard tag; use ${prefix}/${env}/known-good or ${prefix}/${env}/deploy-<run>-<attempt>` };
  }
  const ref = `tags/${value}`;
  return { kind: "tag", ref, knownGood: ref === goodRef };
}
function mayRollBack(roleName) {
  return roleName === "admin" || roleName === "maintain" || roleName === "write";
}

// src/modes/rollback.ts
async function runRollbackMode(d) {
  const { settings: s, context: ctx, log } = d;
  const repo = { owner: ctx.owner, repo: ctx.repo };
  const goodRef = knownGoodRef(s.tagPrefix, s.environment);
  let knownGoodSha = await readTag(d.gh, repo, goodRef);
  const refuse = (reason) => {
    log.error(`Rollback refused: ${reason}`);
    return { outcome: { kind: "refused", reason }, knownGoodSha };
  };
  const role = d.actor ? await repositoryRole(d.gh, repo, d.actor) : void 0;
  if (!mayRollBack(role)) {
    return refuse(`@${d.actor || "unknown"} has ${role ? `the ${role} role` : "no role"} on ${ctx.owner}/${ctx.repo}; a manual rollback needs write access or more.`);
  }
  const spec = parseRollbackTarget(s.rollbackTo, s.tagPrefix, s.environment);
  if (spec.kind === "invalid") return refuse(`rollback-to ${spec.reason}.`);
  const sha = spec.kind === "sha" ? spec.sha : spec.knownGood ? knownGoodSha : await readTag(d.gh, repo, spec.ref);
  if (!sha) {
    return refuse(spec.kind === "tag" && spec.knownGood ? `${s.environment} has no known-good version yet.` : `there is no tag ${s.rollbackTo}.`);
  }
  if (!(spec.kind === "tag" && spec.knownGood)) {
    const passed = await everSucceeded(d.gh, repo, s.environment, sha);
    if (!passed && !s.force) {
      return refuse(`${shortSha(sha)} never passed a health window in ${s.environment}; pass force: true to roll back to it anyway.`);
    }
    if (!passed) log.warning(`${shortSha(sha)} never passed a health window in ${s.environment}; rolling back to it because force is true.`);
  }
  const targetRef = spec.kind === "tag" ? spec.ref : goodRef;
  log.info(`Manual rollback of ${s.environment} to ${sha} by @${d.actor} (${role}). Reason: ${s.reason}`);
  const ledger = new DeploymentLedger(d.gh, repo, ctx.runUrl, d.saveState);
  try {
    const description = `Manual rollback to ${shortSha(sha)} by @${d.actor}: ${s.reason}`;
    const deploySpec = { sha, rollback: true, kind: "manual-rollback", description, payload: { manual: true, actor: d.actor, reason: s.reason } };
    const deploymentId = await recordDeployment(d, ledger, deploySpec);
    const claim = await claimEnvironment(d, repo, deploymentId);
    if (claim.kind === "held") {
      await ledger.finish(deploymentId, "error", `Not rolled back: deployment ${claim.holder.id} of ${shortSha(claim.holder.sha)} was in progress`);
      return refuse(`${heldMessage(s.environment, claim)} Cancel that run first, or wait for it to end.`);
    }
    const dir = await checkOutVersion(d, sha, targetRef);
    const probe = d.createProbe(await measureBaselines(d));
    const attempt = await deployAndWatch(d, ledger, probe, { ...deploySpec, cwd: dir, command: s.rollbackCommand, deploymentId });
    if (!attempt.failure) {
      await moveTag(d.gh, repo, goodRef, sha);
      knownGoodSha = sha;
    }
    const incident = await openIncident(
      d.gh,
      repo,
      s.incidentLabel,
      s.environment,
      manualRollbackText({
        environment: s.environment,
        sha,
        deploymentId: attempt.deploymentId,
        actor: d.actor,
        reason: s.reason,
        runUrl: ctx.runUrl,
        repoUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`,
        timeline: attempt.times,
        rounds: attempt.rounds,
        ...attempt.failure ? { failure: attempt.failure } : {}
      }),
      log,
      ctx
    ).finally(
      () => attempt.failure ? ledger.finish(attempt.deploymentId, "failure", `Manual rollback failed: ${describeFailure(attempt.failure)}`) : ledger.finish(attempt.deploymentId, "success", `Manual rollback healthy for ${formatDuration(s.healthWindowMs)}; now known-good`)
    );
    return {
      outcome: { kind: "manual-rollback", sha, deploymentId: attempt.deploymentId, incident, actor: d.actor, reason: s.reason, ...attempt.failure ? { failure: attempt.failure } : {} },
      knownGoodSha
    };
  } finally {
    const problems = await ledger.abandonOpen("deploy-guard stopped before this rollback finished; see the run log");
    problems.forEach((p) => log.warning(`Could not close ${p}`));
  }
}

// src/core/status-report.ts
var DAY_MS = 864e5;
var RECENT = 10;
function statusReport(input) {
  const { deployments, now } = input;
  const since = now - 30 * DAY_MS;
  const inWindow = deployments.filter((d) => Date.parse(d.createdAt) >= since);
  const deploys = inWindow.filter((d) => !d.rollback).length;
  const rollbacks = inWindow.filter((d) => d.rollback);
  const byId = new Map(deployments.map((d) => [d.id, d]));
  const recoveries = rollbacks.flatMap((r) => {
    const healthy = r.statuses.find((s) => s.state === "success");
    const bad = r.rollbackOf !== void 0 ? byId.get(r.rollbackOf) : void 0;
    return healthy && bad ? [Date.parse(healthy.createdAt) - Date.parse(bad.createdAt)] : [];
  });
  return {
    environment: input.environment,
    knownGood: input.knownGoodSha ? { sha: input.knownGoodSha, since: knownGoodSince(input.knownGoodSha, deployments) } : null,
    recentDeployments: deployments.slice(0, RECENT).map((d) => ({
      id: d.id,
      sha: d.sha,
      rollback: d.rollback,
      state: d.statuses[0]?.state ?? "pending",
      createdAt: d.createdAt
    })),
    openIncidents: input.openIncidents,
    last30Days: {
      deploys,
      rollbacks: rollbacks.length,
      rollbackRate: deploys ? rollbacks.length / deploys : null,
      meanTimeToRecoveryMs: recoveries.length ? Math.round(recoveries.reduce((a, b) => a + b, 0) / recoveries.length) : null
    }
  };
}
function knownGoodSince(sha, deployments) {
  const times = deployments.filter((d) => d.sha === sha).flatMap((d) => d.statuses.filter((s) => s.state === "success").map((s) => s.createdAt)).sort();
  return times.at(-1) ?? null;
}

// src/modes/status.ts
async function runStatusMode(gh, repo, s, now) {
  const [knownGoodSha, deployments, gate] = await Promise.all([
    readTag(gh, repo, knownGoodRef(s.tagPrefix, s.environment)),
    deploymentHistory(gh, repo, { environment: s.environment }),
    checkGate(gh, repo, s.incidentLabel, s.environment, { closerRole: s.incidentCloserRole, requirePostmortem: s.requirePostmortem })
  ]);
  const openIncidents = gate.kind === "blocked" ? gate.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) : [];
  const report = statusReport({ environment: s.environment, knownGoodSha, deployments, openIncidents, now });
  return { outcome: { kind: "status", report }, knownGoodSha };
}

// src/run-mode.ts
var USER_AGENT = "deploy-guard/0.1.0";
async function runMode(settings, context) {
  const log = coreLog;
  const gh = createGitHubClient({ token: settings.token, baseUrl: context.apiUrl, log, userAgent: USER_AGENT });
  const repo = { owner: context.owner, repo: context.repo };
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      log.warning(`Received ${signal}; stopping the running command. No rollback is started after a cancel.`);
      cancel(signal);
    });
  }
  const modeDeps = {
    settings,
    context,
    gh,
    git: new Git(context.workspace),
    runCommand,
    createProbe: (baselines) => createProbe({
      runCommand,
      cwd: context.workspace,
      env: commandEnvironment(process.env, { DEPLOY_GUARD_ENVIRONMENT: settings.environment }),
      baselines
    }),
    measureBaseline,
    clock: systemClock,
    log,
    env: process.env,
    saveState,
    write: (chunk) => process.stdout.write(chunk)
  };
  let outcome;
  let knownGoodSha;
  let report;
  try {
    switch (settings.mode) {
      case "gate":
        outcome = await runGateMode(gh, repo, settings.incidentLabel, settings.environment, log, { closerRole: settings.incidentCloserRole, requirePostmortem: settings.requirePostmortem });
        break;
      case "status":
        ({ outcome, knownGoodSha } = await runStatusMode(gh, repo, settings, Date.now()));
        break;
      case "rollback":
        ({ outcome, knownGoodSha } = await runRollbackMode({ ...modeDeps, actor: process.env.GITHUB_TRIGGERING_ACTOR || process.env.GITHUB_ACTOR || "" }));
        break;
      case "deploy":
        ({ outcome, knownGoodSha, report } = await runDeployMode(modeDeps));
        break;
    }
  } catch (error) {
    outcome = { kind: "failed", message: error.message };
  }
  return { outcome, knownGoodSha, report, git: modeDeps.git };
}
export {
  runMode
};
