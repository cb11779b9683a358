import {
  readRunContext
} from "./chunks/chunk-URYDINTG.js";
import {
  urlError
} from "./chunks/chunk-4H3SRQID.js";
import {
  ROLES
} from "./chunks/chunk-DKA5JX2O.js";
import {
  coreLog,
  error,
  getInput,
  setFailed,
  setOutput,
  setSecret,
  summary,
  systemClock,
  warning
} from "./chunks/chunk-YLRFVINQ.js";
import {
  parseDuration
} from "./chunks/chunk-UU7LJY5L.js";
import {
  environmentError,
  stepResult,
  tagPrefixError
} from "./chunks/chunk-OPWDWCET.js";
import "./chunks/chunk-BJIBUVXV.js";

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
  "require-postmortem": "false",
  "notify-webhook": "",
  "notify-format": "json",
  "dry-run": "false",
  "rollback-to": "",
  reason: "",
  force: "false"
};
var INPUT_NAMES = Object.keys(INPUT_DEFAULTS);
var MODES = ["deploy", "rollback", "gate", "status"];
var NOTIFY_FORMATS = ["slack", "discord", "json"];
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
    const { parseChecks } = await import("./chunks/checks-input-4O4KZR5H.js");
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
  const requirePostmortem = raw["require-postmortem"] === "true";
  if (!requirePostmortem && raw["require-postmortem"] !== "false") fail("require-postmortem", `"${raw["require-postmortem"]}" must be true or false`);
  const format = raw["notify-format"];
  if (!NOTIFY_FORMATS.includes(format)) fail("notify-format", `"${raw["notify-format"]}" is not a format; use one of ${NOTIFY_FORMATS.join(", ")}`);
  const webhook = raw["notify-webhook"];
  if (webhook) {
    let parsed;
    try {
      parsed = new URL(webhook);
    } catch {
      parsed = void 0;
    }
    if (!parsed || parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      fail("notify-webhook", "is not an http(s) URL; pass the webhook URL from a secret, e.g. ${{ secrets.DEPLOY_WEBHOOK }}");
    } else secrets.push(webhook);
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
      incidentLabel: raw["incident-label"],
      requirePostmortem,
      notify: webhook ? { url: webhook, format } : void 0
    }
  };
}

// src/index.ts
async function main() {
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
  const { runMode } = await import("./chunks/run-mode-JTAV4T7V.js");
  const { outcome, knownGoodSha, report, git } = await runMode(settings, context);
  if (settings.notify) await notify(settings.notify, outcome, context, settings.environment, git);
  await finish(outcome, knownGoodSha, settings.environment, report);
}
async function notify(target, outcome, context, environment, git) {
  const { notifyEventOf, notifyPayload } = await import("./chunks/notify-payload-JG6QMKRL.js");
  const sha = await git.headSha().catch(() => process.env.GITHUB_SHA ?? "");
  const event = notifyEventOf(outcome, { repository: `${context.owner}/${context.repo}`, environment, runUrl: context.runUrl, sha });
  if (!event) return;
  const { sendNotification } = await import("./chunks/notify-WU6ZDNWO.js");
  await sendNotification({ url: target.url, payload: notifyPayload(event, target.format), clock: systemClock, log: coreLog });
}
async function finish(outcome, knownGoodSha, environment, report) {
  const result = stepResult(outcome, knownGoodSha);
  for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
  if (outcome.kind === "failed") error(outcome.message);
  if (process.env.GITHUB_STEP_SUMMARY) {
    const { summaryMarkdown } = await import("./chunks/summary-text-BKPWNPA6.js");
    await summary.addRaw(summaryMarkdown(outcome, environment, report)).write().catch((e) => warning(`Could not write the step summary: ${e.message}`));
  }
  if (result.exitCode !== 0) setFailed(`deploy-guard: ${outcome.kind}`);
}
await main();
