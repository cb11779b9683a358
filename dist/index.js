import { createRequire as __dgCreateRequire } from 'node:module';
const require = __dgCreateRequire(import.meta.url);
import {
  Git,
  NO_RETRY,
  OPEN_DEPLOYMENTS_STATE,
  WORKTREE_STATE,
  apiError,
  call,
  coreLog,
  createDeployment,
  createGitHubClient,
  createOnce,
  deploymentHistory,
  error,
  everSucceeded,
  getInput,
  newestDeployment,
  readRunContext,
  saveState,
  setDeploymentStatus,
  setFailed,
  setOutput,
  setSecret,
  statusOf,
  summary,
  systemClock,
  warning
} from "./chunks/chunk-6Y32SXSR.js";
import {
  formatDuration,
  parseDuration,
  urlError
} from "./chunks/chunk-HNOLRVP5.js";
import "./chunks/chunk-3DHGFX4M.js";

// src/core/outcome.ts
function stepResult(outcome, knownGoodSha) {
  const outputs = { result: resultName(outcome) };
  if (knownGoodSha) outputs["known-good-sha"] = knownGoodSha;
  switch (outcome.kind) {
    case "deployed":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      if (outcome.promoted) outputs["known-good-sha"] = outcome.sha;
      return { outputs, exitCode: 0 };
    case "unhealthy":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      return { outputs, exitCode: 1 };
    case "rolled-back":
    case "rollback-failed":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      outputs["known-good-sha"] = outcome.knownGoodSha;
      setIncident(outputs, outcome.incident);
      return { outputs, exitCode: 1 };
    case "no-rollback-target":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      setIncident(outputs, outcome.incident);
      return { outputs, exitCode: 1 };
    case "manual-rollback":
      outputs["deployment-id"] = String(outcome.deploymentId);
      outputs["deployed-sha"] = outcome.sha;
      setIncident(outputs, outcome.incident);
      return { outputs, exitCode: outcome.failure ? 1 : 0 };
    case "refused":
      return { outputs, exitCode: 1 };
    case "status":
      outputs.status = JSON.stringify(outcome.report);
      return { outputs, exitCode: 0 };
    case "blocked": {
      const first = outcome.incidents[0];
      if (first) setIncident(outputs, first);
      outputs.incidents = JSON.stringify(outcome.incidents);
      return { outputs, exitCode: 1 };
    }
    case "clear":
      outputs.incidents = "[]";
      return { outputs, exitCode: 0 };
    case "failed":
      return { outputs, exitCode: 1 };
  }
}
function resultName(outcome) {
  if (outcome.kind === "manual-rollback") return outcome.failure ? "rollback-failed" : "rolled-back";
  if (outcome.kind === "status") return "reported";
  return outcome.kind;
}
function setIncident(outputs, incident) {
  outputs["incident-number"] = String(incident.number);
  outputs["incident-url"] = incident.url;
}
function describeFailure(failure) {
  if (failure.kind === "unhealthy") return `unhealthy: ${failure.reason}`;
  if (failure.kind === "error") return failure.message;
  if (failure.timedOut) return `the command did not finish within ${Math.round(failure.timeoutMs / 1e3)}s and was killed`;
  if (failure.signal) return `the command was killed by ${failure.signal}`;
  return `the command exited with code ${failure.exitCode}`;
}

// src/core/gate-decision.ts
var ROLES = ["read", "triage", "write", "maintain", "admin"];
function closerQualifies(role, required) {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
function incidentMarker(env) {
  return `<!-- deploy-guard:incident environment=${env} -->`;
}
function decideGate(openLabeledIssues, env, ownLogin2) {
  const marker = incidentMarker(env);
  const marked = openLabeledIssues.filter((issue) => !issue.isPullRequest && issue.body.includes(marker));
  const trusted = (issue) => issue.author.type === "Bot" || ownLogin2 !== void 0 && issue.author.login === ownLogin2;
  const incidents = marked.filter(trusted).sort((a, b) => a.number - b.number);
  const ignored = marked.filter((issue) => !trusted(issue));
  return incidents.length ? { kind: "blocked", incidents, ignored } : { kind: "clear", ignored };
}

// src/core/tag-names.ts
var ENVIRONMENT = /^[A-Za-z0-9._-]+$/;
var SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
function environmentError(env) {
  if (!ENVIRONMENT.test(env)) {
    return `"${env}" may contain only letters, digits, ".", "_" and "-"`;
  }
  return refSegmentError(env);
}
function tagPrefixError(prefix) {
  const segments = prefix.split("/");
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      return `"${prefix}" must be one or more "/"-separated parts of letters, digits, ".", "_" and "-", none empty or starting with "."`;
    }
    const error2 = refSegmentError(segment);
    if (error2) return error2;
  }
  return void 0;
}
function refSegmentError(segment) {
  if (segment.startsWith(".")) return `"${segment}" must not start with "."`;
  if (segment.includes("..")) return `"${segment}" must not contain ".."`;
  if (segment.endsWith(".lock") || segment.endsWith(".")) return `"${segment}" must not end with "." or ".lock"`;
  return void 0;
}
function knownGoodRef(prefix, env) {
  return `tags/${prefix}/${env}/known-good`;
}
function preDeployRef(prefix, env, runId, runAttempt) {
  return `tags/${prefix}/${env}/deploy-${runId}-${runAttempt}`;
}
function shortSha(sha) {
  return sha.slice(0, 7);
}

// src/core/incident-text.ts
var ROUNDS_SHOWN = 5;
function incidentText(facts) {
  const env = facts.environment;
  const failed = shortSha(facts.failedSha);
  const title = !facts.rollback ? `Deploy of ${failed} to ${env} failed and there is no known-good version to roll back to` : facts.rollback.failure ? `Deploy of ${failed} to ${env} failed and the rollback to ${shortSha(facts.rollback.sha)} failed too` : `Deploy of ${failed} to ${env} failed; rolled back to ${shortSha(facts.rollback.sha)}`;
  const lines = [
    incidentMarker(env),
    `## What failed`,
    ``,
    `Deploying \`${facts.failedSha}\` to **${env}** (deployment ${facts.deploymentId}) failed: ${describeFailure(facts.failure)}.`,
    ...roundsTable(facts.failure),
    ``,
    `## What was done`,
    ``
  ];
  if (!facts.rollback) {
    lines.push(
      `There is no known-good version of ${env} yet (no deploy has stayed healthy for a whole health window), so nothing was rolled back. **${env} may be serving the failed version.**`
    );
  } else if (!facts.rollback.failure) {
    lines.push(
      `Rolled back to the known-good version \`${facts.rollback.sha}\` (deployment ${facts.rollback.deploymentId}); it deployed and stayed healthy for its health window.`
    );
  } else {
    lines.push(
      `Tried to roll back to the known-good version \`${facts.rollback.sha}\`${facts.rollback.deploymentId ? ` (deployment ${facts.rollback.deploymentId})` : ""}, but the rollback failed: ${describeFailure(facts.rollback.failure)}. **${env} needs a person now.**`,
      ...roundsTable(facts.rollback.failure)
    );
  }
  lines.push(
    ``,
    `Run log: ${facts.runUrl}`,
    ``,
    `## How to unblock`,
    ``,
    `deploy-guard refuses further deploys to **${env}** while this issue is open. Find the cause, then close this issue: closing it unblocks deploys to ${env}.`
  );
  return { title, body: lines.join("\n") };
}
function roundsTable(failure) {
  if (failure.kind !== "unhealthy" || failure.rounds.length === 0) return [];
  const shown = failure.rounds.slice(-ROUNDS_SHOWN);
  const rows = shown.flatMap(
    (round) => round.samples.map(
      (s) => `| ${round.index + 1} | +${(round.at / 1e3).toFixed(1)}s | ${s.check} | ${s.outcome} | ${s.value ?? ""} | ${s.latencyMs}ms | ${escapeCell(s.detail)} |`
    )
  );
  return [
    ``,
    `Last ${shown.length} of ${failure.rounds.length} health rounds:`,
    ``,
    `| Round | Time | Check | Outcome | Value | Latency | Detail |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
    ...rows
  ];
}
function escapeCell(text) {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").slice(0, 200);
}
function manualRollbackText(facts) {
  const env = facts.environment;
  const target = shortSha(facts.sha);
  const title = facts.failure ? `Manual rollback of ${env} to ${target} by @${facts.actor} failed` : `Manual rollback of ${env} to ${target} by @${facts.actor}`;
  const lines = [
    incidentMarker(env),
    `## Manual rollback`,
    ``,
    `@${facts.actor} rolled **${env}** back to \`${facts.sha}\` (deployment ${facts.deploymentId}).`,
    ``,
    `Reason: ${facts.reason}`,
    ``,
    facts.failure ? `The rollback failed: ${describeFailure(facts.failure)}. **${env} needs a person now.**` : `It deployed and stayed healthy for its health window; it is now the known-good version.`,
    ...facts.failure ? roundsTable(facts.failure) : [],
    ``,
    `Run log: ${facts.runUrl}`,
    ``,
    `## How to unblock`,
    ``,
    `deploy-guard refuses further deploys to **${env}** while this issue is open. Closing it unblocks deploys to ${env}.`
  ];
  return { title, body: lines.join("\n") };
}

// src/core/summary-text.ts
function summaryMarkdown(outcome, environment) {
  const lines = [`## deploy-guard: ${outcome.kind}`, "", sentence(outcome, environment)];
  if (outcome.kind === "status") lines.push("", ...statusLines(outcome.report));
  if ("incident" in outcome) lines.push("", `Incident: [#${outcome.incident.number}](${outcome.incident.url})`);
  if (outcome.kind === "blocked") {
    lines.push("", ...outcome.incidents.map((i) => `- Blocked by [#${i.number}](${i.url}): close it to unblock deploys to ${environment}.`));
  }
  const failure = "failure" in outcome ? outcome.failure : void 0;
  const rounds = outcome.kind === "deployed" ? outcome.rounds : failure?.kind === "unhealthy" ? failure.rounds : [];
  if (rounds.length) lines.push("", ...roundTable(rounds));
  return lines.join("\n") + "\n";
}
function sentence(outcome, env) {
  switch (outcome.kind) {
    case "deployed":
      return outcome.promoted ? `Deployed \`${shortSha(outcome.sha)}\` to **${env}**; it stayed healthy for the whole window and is now known-good.` : `Dry run: deployed \`${shortSha(outcome.sha)}\` to **${env}**; it stayed healthy for the whole window. Known-good was not moved.`;
    case "unhealthy":
      return `Dry run: \`${shortSha(outcome.sha)}\` on **${env}** was unhealthy (${describeFailure(outcome.failure)}). As asked, nothing was rolled back and no incident was opened.`;
    case "rolled-back":
      return `Deploy of \`${shortSha(outcome.sha)}\` to **${env}** failed (${describeFailure(outcome.failure)}); rolled back to \`${shortSha(outcome.knownGoodSha)}\`.`;
    case "rollback-failed":
      return `Deploy of \`${shortSha(outcome.sha)}\` to **${env}** failed (${describeFailure(outcome.failure)}), and the rollback to \`${shortSha(outcome.knownGoodSha)}\` failed too (${outcome.rollbackFailure ? describeFailure(outcome.rollbackFailure) : "unknown"}).`;
    case "no-rollback-target":
      return `Deploy of \`${shortSha(outcome.sha)}\` to **${env}** failed (${describeFailure(outcome.failure)}), and there is no known-good version to roll back to.`;
    case "blocked":
      return `Deploys to **${env}** are blocked by an open incident; nothing was deployed.`;
    case "manual-rollback":
      return outcome.failure ? `Manual rollback of **${env}** to \`${shortSha(outcome.sha)}\` failed: ${describeFailure(outcome.failure)}.` : `Rolled **${env}** back to \`${shortSha(outcome.sha)}\`; it stayed healthy for the whole window and is now known-good.`;
    case "refused":
      return `Rollback refused before anything was changed: ${outcome.reason}`;
    case "status":
      return `Status of **${env}**.`;
    case "clear":
      return `No open incident blocks deploys to **${env}**.`;
    case "failed":
      return `deploy-guard could not finish: ${outcome.message}`;
  }
}
function roundTable(rounds) {
  return [
    "| Round | Time | Outcome | Checks |",
    "| --- | --- | --- | --- |",
    ...rounds.map(
      (r) => `| ${r.index + 1} | +${(r.at / 1e3).toFixed(1)}s | ${r.outcome} | ${escapeCell(r.samples.map((s) => `${s.check}: ${s.detail} (${s.latencyMs}ms)`).join("; "))} |`
    )
  ];
}
function statusLines(r) {
  const m = r.last30Days;
  const percent = m.rollbackRate === null ? "n/a" : `${(m.rollbackRate * 100).toFixed(0)}%`;
  const mttr = m.meanTimeToRecoveryMs === null ? "n/a" : formatDuration(m.meanTimeToRecoveryMs);
  return [
    r.knownGood ? `Known-good: \`${shortSha(r.knownGood.sha)}\` since ${r.knownGood.since ?? "unknown"}` : "Known-good: none yet",
    "",
    `Open incidents: ${r.openIncidents.length ? r.openIncidents.map((i) => `[#${i.number}](${i.url})`).join(", ") : "none"}`,
    "",
    `Last 30 days: ${m.deploys} deploys, ${m.rollbacks} rollbacks (rollback rate ${percent}), mean time from a bad deploy to a healthy rollback ${mttr}.`,
    "",
    "| Deployment | Version | Kind | State | Created |",
    "| --- | --- | --- | --- | --- |",
    ...r.recentDeployments.map((d) => `| ${d.id} | \`${shortSha(d.sha)}\` | ${d.rollback ? "rollback" : "deploy"} | ${d.state} | ${d.createdAt} |`)
  ];
}

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
  } catch (error2) {
    return { check: check.name, outcome: "inconclusive", latencyMs: latency(), detail: `could not run the command: ${error2.message}` };
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
async function probeHttp(check) {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const result = (outcome, detail, status2) => ({
    check: check.name,
    outcome,
    latencyMs: latency(),
    ...status2 !== void 0 ? { value: String(status2) } : {},
    detail
  });
  const signal = AbortSignal.timeout(check.timeoutMs);
  let response;
  let body = "";
  try {
    response = await fetchFollowing(check, signal);
    body = check.bodyContains !== void 0 || check.bodyMatches !== void 0 ? await readBounded(response, MAX_BODY_BYTES) : "";
    await response.body?.cancel().catch(() => {
    });
  } catch (error2) {
    return result("fail", error2 instanceof RedirectRefused ? error2.message : describeFetchError(error2, check.timeoutMs));
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
function describeFetchError(error2, timeoutMs) {
  const e = error2;
  if (e.name === "TimeoutError" || e.name === "AbortError") return `no answer within ${timeoutMs}ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `request failed: ${cause}` : `request failed: ${e.message ?? String(error2)}`;
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
  const error2 = (detail) => ({ kind: "error", detail: redact(detail, target.secrets) });
  let status;
  let text;
  try {
    const headers = { accept: "application/json", "user-agent": "deploy-guard health check" };
    if (target.authorization) headers.authorization = target.authorization;
    const response = await fetch(target.url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
    text = await readBounded2(response, MAX_ANSWER_BYTES);
  } catch (caught) {
    return error2(describeFetchError2(caught, timeoutMs));
  }
  let answer;
  try {
    answer = JSON.parse(text);
    if (answer === null || typeof answer !== "object") throw new Error("not an object");
  } catch {
    if (status < 200 || status > 299) return error2(`Prometheus answered HTTP ${status}`);
    return error2("Prometheus answered with something that is not a query API answer (is the URL right?)");
  }
  if (answer.status === "error") {
    const reason = quote(String(answer.error ?? "no reason given").replace(/^invalid parameter "query": /, ""));
    if (answer.errorType === "bad_data") return error2(`query rejected: ${reason}`);
    return error2(`query failed (${String(answer.errorType ?? `HTTP ${status}`)}): ${reason}`);
  }
  if (answer.status !== "success" || status < 200 || status > 299) {
    return error2(`Prometheus answered HTTP ${status} without a query result`);
  }
  const values = resultValues(answer.data);
  if (typeof values === "string") return error2(values);
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
function describeFetchError2(error2, timeoutMs) {
  if (error2 instanceof AnswerTooLarge) return error2.message;
  const e = error2;
  if (e.name === "TimeoutError" || e.name === "AbortError") return `Prometheus did not answer within ${timeoutMs}ms`;
  const cause = e.cause?.code ?? e.cause?.errors?.find((inner) => inner.code)?.code ?? e.cause?.message;
  return `Prometheus unreachable: ${cause ?? e.message ?? String(error2)}`;
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
    } catch (error2) {
      resolve({ check: check.name, outcome: "inconclusive", latencyMs: 0, detail: `cannot connect: ${error2.message}` });
      return;
    }
    const finish2 = (outcome, detail) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on("error", () => {
      });
      socket.destroy();
      resolve({ check: check.name, outcome, latencyMs: Math.round(performance.now() - started), detail });
    };
    const timer = setTimeout(() => finish2("fail", `no connection within ${check.timeoutMs}ms`), check.timeoutMs);
    socket.once("connect", () => finish2("pass", `connected to ${check.host}:${check.port}`));
    socket.once("error", (error2) => finish2("fail", describeConnectError(error2, check.host)));
  });
}
function describeConnectError(error2, host) {
  switch (error2.code) {
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
      return `cannot resolve ${host} (${error2.code})`;
    default:
      return `connection failed: ${error2.code ?? error2.message}`;
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
  /** Best effort: closes everything still open as `error`, and never throws. */
  async abandonOpen(description) {
    const problems = [];
    for (const id of [...this.open]) {
      try {
        await this.finish(id, "error", description);
      } catch (error2) {
        problems.push(`deployment ${id}: ${error2.message}`);
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
  } catch (error2) {
    if (statusOf(error2) === 404) return void 0;
    throw apiError(`GET /git/ref/${ref}`, error2);
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
    const error2 = wrapped.cause ?? wrapped;
    if (statusOf(error2) !== 422) throw apiError("POST /git/refs", error2);
    const existing = await readTag(gh, repo, ref);
    if (existing === sha) return;
    if (existing) throw new Error(`Tag ${ref} already exists on ${existing}, not on ${sha}; pre-deploy tags are never moved`);
    throw apiError("POST /git/refs", error2);
  }
}
async function moveTag(gh, repo, ref, sha) {
  try {
    await gh.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", { ...repo, ref, sha, force: true });
  } catch (error2) {
    if (statusOf(error2) !== 422 && statusOf(error2) !== 404) throw apiError(`PATCH /git/refs/${ref}`, error2);
    await call("POST /git/refs", () => gh.request("POST /repos/{owner}/{repo}/git/refs", { ...repo, ref: `refs/${ref}`, sha }));
  }
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
      (error2) => {
        const status = statusOf(error2);
        if (status === 401 || status === 403 || status === 404) return void 0;
        ownLogins.delete(gh);
        throw apiError("GET /user", error2);
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
  } catch (error2) {
    if (statusOf(error2) === 422) return;
    throw apiError("POST /labels", error2);
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
  } catch (error2) {
    if (statusOf(error2) === 404) return void 0;
    throw apiError(`GET /collaborators/${username}/permission`, error2);
  }
}

// src/modes/gate.ts
var CLOSED_CHECKED = 10;
async function checkGate(gh, repo, label, environment, closerRole) {
  try {
    const open = await listOpenLabeledIssues(gh, repo, label);
    const login = open.length || closerRole ? await ownLogin(gh) : void 0;
    const decision = decideGate(open, environment, login);
    if (!closerRole) return decision;
    const closed = decideGate(await listRecentlyClosedLabeledIssues(gh, repo, label, CLOSED_CHECKED), environment, login);
    const weak = [];
    for (const incident of closed.kind === "blocked" ? closed.incidents : []) {
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
  } catch (error2) {
    throw new Error(`cannot verify incident state for ${environment}, so nothing is deployed: ${error2.message}`, { cause: error2 });
  }
}
function gateOutcome(decision, environment, log) {
  for (const issue of decision.ignored) {
    log.warning(
      `Issue #${issue.number} (${issue.htmlUrl}) looks like a deploy-guard incident for ${environment} but was opened by @${issue.author.login}, not by deploy-guard; it does not block deploys.`
    );
  }
  if (decision.kind === "clear") {
    log.info(`Gate: no open incident blocks deploys to ${environment}.`);
    return { kind: "clear" };
  }
  for (const incident of decision.incidents) {
    log.error(
      incident.stillBlocking ? `Deploys to ${environment} are blocked by incident #${incident.number} (${incident.htmlUrl}): ${incident.stillBlocking}.` : `Deploys to ${environment} are blocked by open incident #${incident.number} (${incident.htmlUrl}). Close it once the cause is fixed to unblock deploys.`
    );
  }
  return { kind: "blocked", incidents: decision.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) };
}
async function runGateMode(gh, repo, label, environment, log, closerRole) {
  return gateOutcome(await checkGate(gh, repo, label, environment, closerRole), environment, log);
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
    if (verdict.kind !== "watching") return { verdict, rounds: [...tracker.rounds] };
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
  child.on("error", (error2) => {
    clearTimeout(timeout);
    running.delete(child);
    reject(new Error(`could not start bash for the command: ${error2.message}`));
  });
  child.on("exit", (exitCode, signal) => {
    clearTimeout(timeout);
    if (killTimer) clearTimeout(killTimer);
    running.delete(child);
    if (timedOut || cancelledBy) killGroup(child, "SIGKILL");
    const finish2 = () => resolve({ exitCode, signal, timedOut, durationMs: Date.now() - started });
    const drained = setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
      finish2();
    }, DRAIN_MS);
    let open = 2;
    const closed = () => {
      open -= 1;
      if (open === 0) {
        clearTimeout(drained);
        finish2();
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
async function deployAndWatch(d, ledger, probe, spec) {
  const { settings: s, context: ctx, log } = d;
  const what = spec.rollback ? "Rollback" : "Deploy";
  const record = async () => {
    const id = await createDeployment(d.gh, { owner: ctx.owner, repo: ctx.repo }, {
      sha: spec.sha,
      environment: s.environment,
      description: spec.description ?? (spec.rollback ? `deploy-guard rollback to ${shortSha(spec.sha)}` : `deploy-guard deploy of ${shortSha(spec.sha)}`),
      rollback: spec.rollback,
      ...spec.payload ? { payload: spec.payload } : {},
      run: { id: ctx.runId, attempt: ctx.runAttempt, kind: spec.kind ?? (spec.rollback ? "rollback" : "deploy") }
    });
    await ledger.start(id, `${what} of ${shortSha(spec.sha)} in progress`);
    return id;
  };
  const concurrent = spec.recordWhileRunning;
  const recording = concurrent ? concurrent.before().then(record) : void 0;
  recording?.catch(() => {
  });
  const knownId = recording ? void 0 : await record();
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
  const deploymentId = knownId ?? await recording.catch((error2) => {
    throw new Error(`the ${what.toLowerCase()} command ran (exit ${result.exitCode ?? result.signal}), but its deployment could not be recorded: ${error2.message}`, { cause: error2 });
  });
  throwIfCancelled();
  if (result.exitCode !== 0 || result.timedOut) {
    return {
      deploymentId,
      rounds: [],
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
  if (watched.verdict.kind === "unhealthy") {
    return { deploymentId, rounds: watched.rounds, failure: { kind: "unhealthy", reason: watched.verdict.reason, rounds: watched.rounds } };
  }
  return { deploymentId, rounds: watched.rounds };
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

// src/modes/deploy.ts
async function runDeployMode(d) {
  const { settings: s, context: ctx, log } = d;
  const repo = { owner: ctx.owner, repo: ctx.repo };
  const ledger = new DeploymentLedger(d.gh, repo, ctx.runUrl, d.saveState);
  let knownGoodSha;
  try {
    const gate = await log.group("Gate", () => checkGate(d.gh, repo, s.incidentLabel, s.environment, s.incidentCloserRole));
    const gated = gateOutcome(gate, s.environment, log);
    if (gated.kind === "blocked") return { outcome: gated, knownGoodSha };
    const newest = await newestDeployment(d.gh, repo, s.environment);
    const flight = inFlight(newest, s, d.clock.now());
    if (flight.kind === "running") {
      throw new Error(
        `another deploy of ${s.environment} is in progress (deployment ${newest.id} of ${shortSha(newest.sha)}, ${formatDuration(flight.ageMs)} ago); not deploying on top of it. If its runner was lost, it counts as abandoned after ${formatDuration(flight.abandonAfterMs)}.`
      );
    }
    if (flight.kind === "abandoned") {
      await setDeploymentStatus(d.gh, repo, newest.id, "error", {
        description: `Abandoned: still unfinished after ${formatDuration(flight.ageMs)} (its runner was lost)`,
        logUrl: ctx.runUrl
      });
      log.warning(`Deployment ${newest.id} of ${shortSha(newest.sha)} was left unfinished ${formatDuration(flight.ageMs)} ago; marked it error (abandoned).`);
    }
    const goodRef = knownGoodRef(s.tagPrefix, s.environment);
    knownGoodSha = await readTag(d.gh, repo, goodRef);
    const sha = await d.git.headSha();
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
      sha,
      cwd: ctx.workspace,
      command: s.deployCommand,
      rollback: false,
      ...target && !s.dryRun ? { onFailedRound: () => void prepareRollback() } : {}
    });
    if (s.dryRun) return { outcome: await finishDryRun(d, ledger, attempt, sha), knownGoodSha };
    if (!attempt.failure) {
      await moveTag(d.gh, repo, goodRef, sha);
      await ledger.finish(attempt.deploymentId, "success", `Healthy for ${formatDuration(s.healthWindowMs)}; now known-good`);
      log.info(`Deployed ${shortSha(sha)} to ${s.environment}: healthy for the whole window; ${goodRef} now points at it.`);
      return { outcome: { kind: "deployed", sha, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: true }, knownGoodSha: sha };
    }
    log.error(`Deploy of ${shortSha(sha)} to ${s.environment} failed: ${describeFailure(attempt.failure)}.`);
    const markFailed = () => ledger.finish(attempt.deploymentId, "failure", describeFailure(attempt.failure));
    if (!knownGoodSha) {
      await markFailed();
      const incident2 = await openIncident(d.gh, repo, s.incidentLabel, s.environment, incidentText({
        environment: s.environment,
        failedSha: sha,
        deploymentId: attempt.deploymentId,
        failure: attempt.failure,
        runUrl: ctx.runUrl
      }), log, ctx);
      log.error(`There is no known-good version of ${s.environment} to roll back to.`);
      return { outcome: { kind: "no-rollback-target", sha, deploymentId: attempt.deploymentId, failure: attempt.failure, incident: incident2 }, knownGoodSha };
    }
    const rollback = await rollBack(d, ledger, probe, { sha: knownGoodSha, checkout: prepareRollback(), failedDeploymentId: attempt.deploymentId, markFailed }).catch(
      (error2) => {
        log.error(`Rollback to ${shortSha(knownGoodSha)} did not complete: ${error2.message}`);
        return { failure: { kind: "error", message: `the rollback did not complete: ${error2.message}` } };
      }
    );
    const incident = await openIncident(d.gh, repo, s.incidentLabel, s.environment, incidentText({
      environment: s.environment,
      failedSha: sha,
      deploymentId: attempt.deploymentId,
      failure: attempt.failure,
      runUrl: ctx.runUrl,
      rollback: {
        sha: knownGoodSha,
        ...rollback.deploymentId ? { deploymentId: rollback.deploymentId } : {},
        ...rollback.failure ? { failure: rollback.failure } : {}
      }
    }), log, ctx);
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
      knownGoodSha
    };
  } finally {
    const problems = await ledger.abandonOpen("deploy-guard stopped before this deployment finished; see the run log");
    problems.forEach((p) => log.warning(`Could not close ${p}`));
  }
}
async function rollBack(d, ledger, probe, r) {
  const { log } = d;
  const knownGoodSha = r.sha;
  const dir = await r.checkout.catch(async (error2) => {
    await r.markFailed();
    throw new Error(`could not check out ${shortSha(knownGoodSha)}: ${error2.message}`, { cause: error2 });
  });
  const attempt = await deployAndWatch(d, ledger, probe, {
    sha: knownGoodSha,
    cwd: dir,
    command: d.settings.rollbackCommand,
    rollback: true,
    payload: { rollback: true, "rollback-of": r.failedDeploymentId },
    recordWhileRunning: { before: r.markFailed, env: { DEPLOY_GUARD_ROLLBACK_OF: String(r.failedDeploymentId) } }
  });
  if (attempt.failure) {
    await ledger.finish(attempt.deploymentId, "failure", `Rollback failed: ${describeFailure(attempt.failure)}`);
    log.error(`Rollback to ${shortSha(knownGoodSha)} failed: ${describeFailure(attempt.failure)}. Not rolling back a rollback.`);
  } else {
    await ledger.finish(attempt.deploymentId, "success", `Rolled back to known-good ${shortSha(knownGoodSha)}; healthy`);
    log.info(`Rolled back ${d.settings.environment} to ${shortSha(knownGoodSha)}; it stayed healthy for the whole window.`);
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
  const sha = spec.kind === "sha" ? spec.sha : await readTag(d.gh, repo, spec.ref);
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
  log.info(`Manual rollback of ${s.environment} to ${sha} by @${d.actor} (${role}). Reason: ${s.reason}`);
  const ledger = new DeploymentLedger(d.gh, repo, ctx.runUrl, d.saveState);
  try {
    const dir = await checkOutVersion(d, sha, spec.kind === "tag" ? spec.ref : goodRef);
    const probe = d.createProbe(await measureBaselines(d));
    const description = `Manual rollback to ${shortSha(sha)} by @${d.actor}: ${s.reason}`;
    const attempt = await deployAndWatch(d, ledger, probe, {
      sha,
      cwd: dir,
      command: s.rollbackCommand,
      rollback: true,
      kind: "manual-rollback",
      description,
      payload: { manual: true, actor: d.actor, reason: s.reason }
    });
    if (attempt.failure) {
      await ledger.finish(attempt.deploymentId, "failure", `Manual rollback failed: ${describeFailure(attempt.failure)}`);
    } else {
      await moveTag(d.gh, repo, goodRef, sha);
      knownGoodSha = sha;
      await ledger.finish(attempt.deploymentId, "success", `Manual rollback healthy for ${formatDuration(s.healthWindowMs)}; now known-good`);
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
        ...attempt.failure ? { failure: attempt.failure } : {}
      }),
      log,
      ctx
    );
    return {
      outcome: { kind: "manual-rollback", sha, deploymentId: attempt.deploymentId, incident, ...attempt.failure ? { failure: attempt.failure } : {} },
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
    checkGate(gh, repo, s.incidentLabel, s.environment, s.incidentCloserRole)
  ]);
  const openIncidents = gate.kind === "blocked" ? gate.incidents.map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) : [];
  const report = statusReport({ environment: s.environment, knownGoodSha, deployments, openIncidents, now });
  return { outcome: { kind: "status", report }, knownGoodSha };
}

// src/settings.ts
var INPUT_DEFAULTS = {
  mode: "deploy",
  environment: "production",
  "github-token": "${{ github.token }}",
  "deploy-command": "",
  "rollback-command": "",
  "health-url": "",
  checks: "",
  "health-window": "5m",
  "health-interval": "10s",
  "health-initial-delay": "0s",
  "failure-threshold": "3",
  "max-failed-rounds": "",
  "inconclusive-threshold": "0",
  "request-timeout": "5s",
  "deploy-timeout": "30m",
  "tag-prefix": "deploy-guard",
  "incident-label": "deploy-incident",
  "incident-closer-role": "",
  "dry-run": "false",
  "rollback-to": "",
  reason: "",
  force: "false"
};
var INPUT_NAMES = Object.keys(INPUT_DEFAULTS);
var MODES = ["deploy", "rollback", "gate", "status"];
async function readSettings(read, env = {}) {
  const raw = Object.fromEntries(
    INPUT_NAMES.map((name) => {
      const value = read(name).trim();
      return [name, value === "" ? INPUT_DEFAULTS[name] : value];
    })
  );
  const errors = [];
  const fail = (input, message) => errors.push(`Input "${input}": ${message}`);
  const mode = raw.mode;
  if (!MODES.includes(mode)) fail("mode", `"${raw.mode}" is not a mode; use one of ${MODES.join(", ")}`);
  const envError = environmentError(raw.environment);
  if (envError) fail("environment", envError);
  const prefixError = tagPrefixError(raw["tag-prefix"]);
  if (prefixError) fail("tag-prefix", prefixError);
  if (!raw["incident-label"] || raw["incident-label"].length > 50) {
    fail("incident-label", "must be 1 to 50 characters (GitHub label names are at most 50)");
  }
  const token = raw["github-token"];
  if (!token || token === INPUT_DEFAULTS["github-token"]) {
    fail("github-token", "is empty; pass a token with contents, deployments and issues write access, e.g. ${{ github.token }}");
  }
  const duration = (input) => {
    if ((input === "health-initial-delay" || input === "health-window") && /^0+(ms|s|m|h)?$/.test(raw[input])) return 0;
    const result = parseDuration(raw[input]);
    if (!result.ok) {
      fail(input, result.error);
      return NaN;
    }
    return result.ms;
  };
  const healthWindowMs = duration("health-window");
  const healthIntervalMs = duration("health-interval");
  const requestTimeoutMs = duration("request-timeout");
  const deployTimeoutMs = duration("deploy-timeout");
  const healthInitialDelayMs = duration("health-initial-delay");
  if (healthWindowMs > 0 && healthIntervalMs > healthWindowMs) {
    fail("health-interval", `${raw["health-interval"]} is longer than health-window ${raw["health-window"]}; the window would hold a single round`);
  }
  if (requestTimeoutMs > healthIntervalMs) {
    fail("request-timeout", `${raw["request-timeout"]} is longer than health-interval ${raw["health-interval"]}; a round must be able to finish before the next one is due`);
  }
  const count = (input, min) => {
    const n = Number(raw[input]);
    if (!/^\d+$/.test(raw[input]) || n < min) fail(input, `"${raw[input]}" must be a whole number of rounds, ${min} or more`);
    return n;
  };
  const failureThreshold = count("failure-threshold", 1);
  const maxFailedRounds = raw["max-failed-rounds"] ? count("max-failed-rounds", 0) : void 0;
  const inconclusiveThreshold = count("inconclusive-threshold", 0);
  const dryRun = raw["dry-run"] === "true";
  if (!dryRun && raw["dry-run"] !== "false") fail("dry-run", `"${raw["dry-run"]}" must be true or false`);
  const checks = [];
  const secrets = [];
  if (raw["health-url"]) {
    const url = urlError(raw["health-url"]);
    if (url) fail("health-url", url);
    else {
      checks.push({
        type: "http",
        name: "health-url",
        url: raw["health-url"],
        method: "GET",
        headers: {},
        statusRanges: [[200, 299]],
        redirects: "same-host",
        timeoutMs: requestTimeoutMs
      });
      const password = new URL(raw["health-url"]).password;
      if (password) secrets.push(decodeURIComponent(password));
    }
  }
  if (raw.checks) {
    const { parseChecks } = await import("./chunks/checks-input-3APCAZMX.js");
    const parsed = parseChecks(raw.checks, { defaultTimeoutMs: requestTimeoutMs, env });
    if (!parsed.ok) parsed.errors.forEach((e) => fail("checks", e));
    else {
      checks.push(...parsed.checks);
      secrets.push(...parsed.secrets);
    }
  }
  const slowest = checks.find((c) => c.timeoutMs > healthIntervalMs);
  if (slowest && raw.checks) {
    fail("checks", `check "${slowest.name}" has a timeout longer than health-interval ${raw["health-interval"]}; a round must be able to finish before the next one is due`);
  }
  const deployCommand = raw["deploy-command"];
  if (mode === "deploy" && !deployCommand) {
    fail("deploy-command", "is required in deploy mode: the bash command that deploys the checked-out version");
  }
  if (mode === "rollback" && !deployCommand && !raw["rollback-command"]) {
    fail("rollback-command", "is required in rollback mode (or deploy-command): the bash command run in a checkout of the target");
  }
  if ((mode === "deploy" || mode === "rollback") && !raw["health-url"] && !raw.checks) {
    fail("health-url", `${mode} mode needs health-url or checks: without a health check nothing can show the ${mode} is healthy`);
  }
  const closerRole = raw["incident-closer-role"] || void 0;
  if (closerRole && !ROLES.includes(closerRole)) {
    fail("incident-closer-role", `"${closerRole}" is not a repository role; use one of ${ROLES.join(", ")}, or leave it empty`);
  }
  const force = raw.force === "true";
  if (!force && raw.force !== "false") fail("force", `"${raw.force}" must be true or false`);
  if (mode === "rollback" && !raw.reason) fail("reason", "is required in rollback mode: say why, it goes on the deployment and the incident");
  if (mode !== "rollback" && (raw["rollback-to"] || force)) {
    fail(raw["rollback-to"] ? "rollback-to" : "force", `is only used in rollback mode (mode is ${raw.mode})`);
  }
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      mode,
      environment: raw.environment,
      token,
      deployCommand,
      rollbackCommand: raw["rollback-command"] || deployCommand,
      checks,
      healthWindowMs,
      healthIntervalMs,
      healthInitialDelayMs,
      failureThreshold,
      maxFailedRounds,
      inconclusiveThreshold,
      dryRun,
      secrets,
      rollbackTo: raw["rollback-to"],
      reason: raw.reason,
      force,
      incidentCloserRole: closerRole,
      requestTimeoutMs,
      deployTimeoutMs,
      tagPrefix: raw["tag-prefix"],
      incidentLabel: raw["incident-label"]
    }
  };
}

// src/index.ts
var USER_AGENT = "deploy-guard/0.1.0";
async function main() {
  const log = coreLog;
  const settingsResult = await readSettings((name) => getInput(name), process.env);
  const contextResult = readRunContext(process.env);
  const errors = [...settingsResult.ok ? [] : settingsResult.errors, ...contextResult.ok ? [] : contextResult.errors];
  if (!settingsResult.ok || !contextResult.ok) {
    await finish({ kind: "failed", message: `invalid configuration:
- ${errors.join("\n- ")}` }, void 0, "unknown");
    return;
  }
  const settings = settingsResult.settings;
  const context = contextResult.context;
  settings.secrets.forEach((secret) => setSecret(secret));
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
  try {
    switch (settings.mode) {
      case "gate":
        outcome = await runGateMode(gh, repo, settings.incidentLabel, settings.environment, log, settings.incidentCloserRole);
        break;
      case "status":
        ({ outcome, knownGoodSha } = await runStatusMode(gh, repo, settings, Date.now()));
        break;
      case "rollback":
        ({ outcome, knownGoodSha } = await runRollbackMode({ ...modeDeps, actor: process.env.GITHUB_TRIGGERING_ACTOR || process.env.GITHUB_ACTOR || "" }));
        break;
      case "deploy":
        ({ outcome, knownGoodSha } = await runDeployMode(modeDeps));
        break;
    }
  } catch (error2) {
    outcome = { kind: "failed", message: error2.message };
  }
  await finish(outcome, knownGoodSha, settings.environment);
}
async function finish(outcome, knownGoodSha, environment) {
  const result = stepResult(outcome, knownGoodSha);
  for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
  if (outcome.kind === "failed") error(outcome.message);
  if (process.env.GITHUB_STEP_SUMMARY) {
    await summary.addRaw(summaryMarkdown(outcome, environment)).write().catch((e) => warning(`Could not write the step summary: ${e.message}`));
  }
  if (result.exitCode !== 0) setFailed(`deploy-guard: ${outcome.kind}`);
}
await main();
