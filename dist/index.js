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
} from "./chunks/chunk-H6LHWNLA.js";
import {
  formatDuration,
  parseDuration,
  urlError
} from "./chunks/chunk-HNOLRVP5.js";
import {
  codeBlock,
  codeSpan,
  cut,
  describeFailure,
  environmentError,
  escapeCell,
  knownGoodRef,
  preDeployRef,
  shortSha,
  stepResult,
  tagPrefixError,
  tail
} from "./chunks/chunk-ILBYO4VV.js";
import "./chunks/chunk-3DHGFX4M.js";

// src/core/health-chart.ts
var CHART_ROUNDS = 60;
var CHART_SERIES = 8;
function healthChart(rounds, maxRounds = CHART_ROUNDS, maxSeries = CHART_SERIES) {
  const charted = rounds.slice(-maxRounds);
  const checks = [];
  const failing = /* @__PURE__ */ new Set();
  for (const round of charted) {
    for (const sample of round.samples) {
      if (!checks.includes(sample.check)) checks.push(sample.check);
      if (sample.outcome === "fail") failing.add(sample.check);
    }
  }
  const ranked = [...checks.filter((c) => failing.has(c)), ...checks.filter((c) => !failing.has(c))];
  const kept = new Set(ranked.slice(0, maxSeries));
  return {
    xLabels: uniqueLabels(charted.map((r) => r.at)),
    series: checks.filter((check) => kept.has(check)).map((check) => ({ check, values: charted.map((r) => r.samples.find((s) => s.check === check)?.latencyMs ?? null) })),
    failed: charted.map((r) => r.outcome === "fail"),
    totalRounds: rounds.length,
    omittedChecks: checks.filter((check) => !kept.has(check))
  };
}
function chartYMax(chart) {
  const highest = Math.max(0, ...chart.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  if (highest <= 0) return 10;
  const magnitude = 10 ** Math.floor(Math.log10(highest));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= highest);
  return Number((step * magnitude).toPrecision(6));
}
var BAR_COLOUR = { name: "light red", hex: "#f4a3a3" };
var LINE_COLOURS = [
  { name: "blue", hex: "#1f6feb" },
  { name: "purple", hex: "#8250df" },
  { name: "orange", hex: "#d4750b" },
  { name: "green", hex: "#1a7f37" },
  { name: "grey", hex: "#6e7781" },
  { name: "teal", hex: "#0f8a8a" },
  { name: "brown", hex: "#8a5a2b" },
  { name: "pink", hex: "#d6409f" }
];
function renderHealthChart(chart, title) {
  if (chart.xLabels.length === 0) return [];
  const yMax = chartYMax(chart);
  const palette = [BAR_COLOUR, ...chart.series.map((_, i) => LINE_COLOURS[i % LINE_COLOURS.length])];
  const numbers = (values) => `[${values.map((v) => v ?? 0).join(", ")}]`;
  const block = [
    "```mermaid",
    // The init directive goes first, where Mermaid documents it; the colours name the lines (no legend).
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette.map((c) => c.hex).join(", ")}"}}}}%%`,
    "xychart-beta",
    `  title "${mermaidText(title)}"`,
    `  x-axis "Time since the health window started" [${chart.xLabels.map((l) => `"${l}"`).join(", ")}]`,
    `  y-axis "Latency (ms)" 0 --> ${yMax}`,
    `  bar "failed round" ${numbers(chart.failed.map((f) => f ? yMax : 0))}`,
    ...chart.series.map((s) => `  line "${mermaidText(s.check)}" ${numbers(s.values)}`),
    "```"
  ];
  const lines = chart.series.map((s, i) => `${codeSpan(s.check, 100)} ${palette[i + 1].name}`).join(", ");
  const notes = [
    `Each line is one check's latency in each health round (${lines}). A ${BAR_COLOUR.name} bar as tall as the chart marks a round that failed; no bar: the round passed or could not be measured.`
  ];
  if (chart.series.some((s) => s.values.includes(null))) notes.push("A check with no sample in a round is drawn at 0.");
  if (chart.totalRounds > chart.xLabels.length) notes.push(`Only the last ${chart.xLabels.length} of the ${chart.totalRounds} rounds are charted.`);
  if (chart.omittedChecks.length) notes.push(`Not charted: ${chart.omittedChecks.slice(0, 20).map((c) => codeSpan(c, 100)).join(", ")}${chart.omittedChecks.length > 20 ? ", \u2026" : ""}.`);
  return [...block, "", notes.join(" ")];
}
function uniqueLabels(times) {
  const seen = /* @__PURE__ */ new Set();
  return times.map((at, i) => {
    let label = `+${Number((at / 1e3).toFixed(at % 1e3 === 0 ? 0 : 1))}s`;
    if (seen.has(label)) label = `${label} (${i + 1})`;
    seen.add(label);
    return label;
  });
}
function mermaidText(text) {
  return text.replace(/["\r\n]+/g, "'").replace(/%%+/g, "%").slice(0, 100);
}

// src/core/report-sections.ts
var REASON_CHARS = 500;
var DETAIL_CHARS = 300;
var EXCERPT_CHARS = 300;
var NAME_CHARS = 100;
var TITLE_CHARS = 120;
var AUTHOR_CHARS = 60;
var NAMES_LISTED = 20;
function formatUtc(ms) {
  if (!Number.isFinite(ms)) return "unknown time";
  return new Date(ms).toISOString().replace("T", " ").replace("Z", " UTC");
}
function formatSince(ms, origin) {
  const delta = ms - origin;
  if (delta === 0) return "+0s";
  return delta > 0 ? `+${formatDuration(delta)}` : `-${formatDuration(-delta)}`;
}
function formatOffset(ms) {
  return `+${(ms / 1e3).toFixed(1)}s`;
}
function cutNote(runUrl) {
  return runUrl ? `\u2026 cut; see the run log: ${runUrl}` : "\u2026 cut; see the run log";
}
function failureText(failure) {
  return escapeCell(describeFailure(failure), REASON_CHARS);
}
function commitLink(sha2, repoUrl) {
  return repoUrl ? `[\`${shortSha(sha2)}\`](${repoUrl}/commit/${sha2})` : `\`${shortSha(sha2)}\``;
}
function incidentResult(h) {
  if (!h.rollback) return "no-rollback-target";
  return h.rollback.failure ? "rollback-failed" : "rolled-back";
}
function incidentHeadline(h) {
  const env = h.environment;
  const failed = commitLink(h.failedSha, h.repoUrl);
  const deployment = (id) => id ? ` (deployment ${id})` : "";
  const target = h.rollback ? commitLink(h.rollback.sha, h.repoUrl) : "";
  let lead2;
  let rolledBackTo;
  switch (incidentResult(h)) {
    case "rolled-back":
      lead2 = `**Rolled back and healthy.** ${env} is serving the known-good version ${target} again.`;
      rolledBackTo = `${target}${deployment(h.rollback.deploymentId)} \u2014 it deployed and stayed healthy for its health window`;
      break;
    case "rollback-failed":
      lead2 = `**Rollback failed: ${env} needs a person now.** ${env} may be down or serving the failed version ${failed}.`;
      rolledBackTo = `${target}${deployment(h.rollback.deploymentId)} \u2014 but the rollback failed: ${failureText(h.rollback.failure)}`;
      break;
    case "no-rollback-target":
      lead2 = `**Nothing to roll back to: ${env} may be serving the failed version** ${failed}.`;
      rolledBackTo = `nothing: there is no known-good version of ${env} yet (no deploy has stayed healthy for a whole health window)`;
      break;
  }
  return [
    lead2,
    "",
    `- **Environment:** ${env}`,
    `- **Failed version:** ${failed}${deployment(h.deploymentId)} \u2014 ${failureText(h.failure)}`,
    `- **Rolled back to:** ${rolledBackTo}`
  ];
}
function timelineTable(events, origin, originName) {
  const present = events.filter((e) => e.at !== void 0 && Number.isFinite(e.at));
  if (!present.length) return [];
  return [
    `| Time (UTC) | Since ${originName} | Event |`,
    "| --- | --- | --- |",
    ...present.map((e) => `| ${formatUtc(e.at)} | ${formatSince(e.at, origin)} | ${e.what} |`)
  ];
}
function deployEvents(t, d) {
  const commandFailed = d.failure?.kind === "command-failed";
  const rollbackCommandFailed = d.rollback?.failure?.kind === "command-failed";
  const verdict = d.failure ? `Verdict: ${failureText(d.failure)}` : "Verdict: healthy for the whole health window";
  return [
    { at: t.deployStart, what: `Deploy of \`${shortSha(d.sha)}\` started` },
    { at: t.commandEnd, what: commandFailed ? `Deploy command failed: ${failureText(d.failure)}` : "Deploy command finished" },
    { at: t.windowStart, what: "Health window started (round 1)" },
    { at: t.firstFailure, what: "First failed health round" },
    // A failed command is its own verdict: one line for both.
    { at: commandFailed && t.verdict === t.commandEnd ? void 0 : t.verdict, what: verdict },
    { at: t.rollbackStart, what: d.rollback ? `Rollback to \`${shortSha(d.rollback.sha)}\` started` : "Rollback started" },
    { at: t.rollbackCommandEnd, what: rollbackCommandFailed ? `Rollback command failed: ${failureText(d.rollback.failure)}` : "Rollback command finished" },
    { at: t.rollbackWindowStart, what: "Rollback health window started" },
    {
      at: rollbackCommandFailed && t.rollbackEnd === t.rollbackCommandEnd ? void 0 : t.rollbackEnd,
      what: d.rollback?.failure ? `**Rollback failed:** ${failureText(d.rollback.failure)}` : "**Rollback healthy:** it stayed healthy for its health window"
    }
  ];
}
function checkHistories(rounds) {
  const byCheck = /* @__PURE__ */ new Map();
  for (const round of rounds) {
    for (const sample of round.samples) {
      let history = byCheck.get(sample.check);
      if (!history) byCheck.set(sample.check, history = { check: sample.check, entries: [], failed: 0, inconclusive: 0 });
      history.entries.push({ round, sample });
      if (sample.outcome === "fail") {
        history.failed += 1;
        history.firstFailed ??= round;
      }
      if (sample.outcome === "inconclusive") history.inconclusive += 1;
    }
  }
  return [...byCheck.values()];
}
function checkSections(rounds, d) {
  const histories = checkHistories(rounds);
  const troubled = [...histories.filter((h) => h.failed > 0), ...histories.filter((h) => h.failed === 0 && h.inconclusive > 0)];
  const passing = histories.filter((h) => h.failed === 0 && h.inconclusive === 0);
  const lines = [];
  const detailed = d.samplesPerCheck > 0 ? troubled.slice(0, d.checksShown) : [];
  for (const history of detailed) lines.push("", ...checkSection(history, rounds.length, d));
  const named = troubled.slice(detailed.length);
  if (named.length) {
    lines.push("", detailed.length ? "Also did not pass every round:" : "Checks that did not pass every round:", "");
    lines.push(...named.slice(0, NAMES_LISTED).map((h) => `- ${codeSpan(h.check, NAME_CHARS)}: ${countText(h, rounds.length)}; last: ${escapeCell(lastProblem(h).detail, 150)}`));
    if (named.length > NAMES_LISTED) lines.push(`- and ${named.length - NAMES_LISTED} more`);
    if (d.budgeted) lines.push("", `Their samples ${cutNote(d.runUrl)}`);
  }
  if (passing.length) {
    const names = passing.slice(0, NAMES_LISTED).map((h) => codeSpan(h.check, NAME_CHARS));
    lines.push("", `Passed in every round: ${names.join(", ")}${passing.length > NAMES_LISTED ? ` and ${passing.length - NAMES_LISTED} more` : ""}.`);
  }
  return lines;
}
function countText(h, roundCount) {
  const parts = [];
  if (h.failed) parts.push(`failed in ${h.failed} of ${roundCount} rounds`);
  if (h.inconclusive) parts.push(`could not be measured in ${h.inconclusive}${h.failed ? "" : ` of ${roundCount} rounds`}`);
  return parts.join(", ");
}
function lastProblem(h) {
  return [...h.entries].reverse().find((e) => e.sample.outcome !== "pass").sample;
}
function checkSection(h, roundCount, d) {
  const time = (sample) => d.windowStart !== void 0 ? formatUtc(d.windowStart + sample.at) : formatOffset(sample.at);
  const shown = h.entries.slice(-d.samplesPerCheck);
  const first = h.firstFailed ? `; first failed in round ${h.firstFailed.index + 1}` : "";
  const lines = [
    `${"#".repeat(d.headingLevel)} Check ${codeSpan(h.check, NAME_CHARS)}`,
    "",
    `${capitalize(countText(h, roundCount))}${first}. Its last ${shown.length === 1 ? "sample" : `${shown.length} samples`} of ${h.entries.length}:`,
    ""
  ];
  const hasExcerpt = shown.some((e) => e.sample.excerpt);
  const hasOutput = shown.some((e) => e.sample.output);
  const evidenceHeader = hasExcerpt && hasOutput ? "Body / output" : hasExcerpt ? "Response body" : hasOutput ? "Output" : void 0;
  lines.push(
    `| Round | Time${d.windowStart !== void 0 ? " (UTC)" : ""} | Outcome | Value | Latency | Detail |${evidenceHeader ? ` ${evidenceHeader} |` : ""}`,
    `| --- | --- | --- | --- | --- | --- |${evidenceHeader ? " --- |" : ""}`,
    ...shown.map(({ round, sample }, i) => {
      const outcome = sample.outcome === "fail" ? "**fail**" : sample.outcome;
      const cells = [
        String(round.index + 1),
        time(sample),
        outcome,
        escapeCell(sample.value ?? "", 40),
        `${sample.latencyMs}ms`,
        escapeCell(sample.detail, DETAIL_CHARS),
        ...evidenceHeader ? [evidence(sample, shown[i - 1]?.sample)] : []
      ];
      return `| ${cells.join(" | ")} |`;
    })
  );
  if (d.budgeted && h.entries.length > shown.length) lines.push("", `Earlier samples ${cutNote(d.runUrl)}`);
  const withOutput = [...h.entries].reverse().find((e) => e.sample.outcome !== "pass" && e.sample.output?.trim());
  if (withOutput && d.outputChars > 0) {
    const output = withOutput.sample.output.replace(/\s+$/, "");
    lines.push("", `Output of round ${withOutput.round.index + 1}${output.length > d.outputChars ? ` (its end)` : ""}:`, "", ...codeBlock(tail(output, d.outputChars)));
    if (output.length > d.outputChars) lines.push("", `Output ${cutNote(d.runUrl)}`);
  } else if (withOutput && d.budgeted) {
    lines.push("", `Output ${cutNote(d.runUrl)}`);
  }
  return lines;
}
function evidence(sample, previous) {
  if (sample.excerpt) return sample.excerpt === previous?.excerpt ? "same as above" : codeSpan(sample.excerpt, EXCERPT_CHARS);
  const last = lastLine(sample.output);
  if (!last) return "";
  return last === lastLine(previous?.output) ? "same as above" : codeSpan(tail(last, NAME_CHARS), NAME_CHARS);
}
function lastLine(output) {
  return output?.trim().split("\n").pop()?.trim() || void 0;
}
function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
function chartSection(rounds, title, d) {
  if (!rounds.length) return [];
  if (!d.charts) return [`The health chart ${cutNote(d.runUrl)}`];
  return renderHealthChart(healthChart(rounds), title);
}
function commitsSection(c, d) {
  const from = commitLink(c.knownGoodSha, c.repoUrl);
  const to = commitLink(c.failedSha, c.repoUrl);
  if (!c.commits) {
    return [
      `The list of commits from ${from} to ${to} could not be read. Compare them on GitHub: ${c.repoUrl}/compare/${c.knownGoodSha}...${c.failedSha}`
    ];
  }
  const { total, compareUrl } = c.commits;
  if (total === 0) return [`There are no commits from ${from} to ${to}.`];
  const shown = c.commits.shown.slice(0, d.commitsShown);
  const lines = [
    `${total} commit${total === 1 ? "" : "s"} from the known-good ${from} to the failed ${to}${shown.length < total ? `, the first ${shown.length} shown` : ""}:`,
    "",
    ...shown.map((commit) => `- ${commitLink(commit.sha, c.repoUrl)} ${escapeCell(commit.title, TITLE_CHARS)} (${escapeCell(commit.author, AUTHOR_CHARS)})`)
  ];
  if (shown.length < total) lines.push("", `[All ${total} commits](${compareUrl})${d.budgeted && shown.length < c.commits.shown.length ? ` (the list here ${cutNote(d.runUrl)})` : ""}`);
  return lines;
}
function linksSection(l) {
  const { repoUrl, runUrl } = l.links;
  const deployments = `[deployments of ${l.environment}](${repoUrl}/deployments/${encodeURIComponent(l.environment)})`;
  const lines = [
    `- Run log: ${runUrl}`,
    `- Failed deployment: ${l.deploymentId}, in ${deployments}`,
    `- Failed version: ${commitLink(l.failedSha, repoUrl)} (${l.failedSha})`
  ];
  if (l.rollback) {
    lines.push(
      `- Rollback deployment: ${l.rollback.deploymentId ?? "none was created"}`,
      `- Known-good version: ${commitLink(l.rollback.sha, repoUrl)} (${l.rollback.sha})`
    );
  }
  return lines;
}

// src/core/summary-text.ts
var ROUNDS_SHOWN = 10;
var CHECK_COLUMNS = 6;
function summaryMarkdown(outcome, environment, facts) {
  const lines = [`## deploy-guard: ${outcome.kind}`, "", ...lead(outcome, environment, facts)];
  if (outcome.kind === "status") lines.push("", ...statusLines(outcome.report));
  if ("incident" in outcome) lines.push("", `Incident: [#${outcome.incident.number}](${outcome.incident.url})`);
  if (outcome.kind === "blocked") {
    lines.push("", ...outcome.incidents.map((i) => `- Blocked by [#${i.number}](${i.url}): close it to unblock deploys to ${environment}.`));
  }
  const timeline = facts?.timeline;
  if (timeline && isDeploy(outcome)) {
    const rollback = "knownGoodSha" in outcome ? { sha: outcome.knownGoodSha, ...outcome.rollbackFailure ? { failure: outcome.rollbackFailure } : {} } : void 0;
    const failure2 = "failure" in outcome ? outcome.failure : void 0;
    const table = timelineTable(deployEvents(timeline, { sha: outcome.sha, ...failure2 ? { failure: failure2 } : {}, ...rollback ? { rollback } : {} }), timeline.deployStart, "deploy start");
    if (table.length) lines.push("", "### Timeline", "", ...table);
  }
  const failure = "failure" in outcome ? outcome.failure : void 0;
  const rounds = outcome.kind === "deployed" ? outcome.rounds : failure?.kind === "unhealthy" ? failure.rounds : [];
  const windowStart = timeline?.windowStart;
  const runUrl = facts?.links?.runUrl ?? "";
  if (rounds.length) {
    lines.push("", "### Last health rounds", "", ...lastRoundsTable(rounds, windowStart));
    if (failure) {
      lines.push(...checkSections(rounds, { windowStart, samplesPerCheck: 5, outputChars: 1500, checksShown: 10, headingLevel: 4, runUrl, budgeted: false }));
    }
    lines.push("", "### Health chart", "", ...chartSection(rounds, `Health of ${shortSha(sha(outcome))} on ${environment}`, { charts: true, runUrl }));
  }
  const rollbackRounds = facts?.rollback?.rounds ?? [];
  if (rollbackRounds.length && "knownGoodSha" in outcome) {
    lines.push("", "### Health chart of the rollback", "", ...chartSection(rollbackRounds, `Health of the rollback to ${shortSha(outcome.knownGoodSha)}`, { charts: true, runUrl }));
  }
  return lines.join("\n") + "\n";
}
function isDeploy(outcome) {
  return ["deployed", "unhealthy", "rolled-back", "rollback-failed", "no-rollback-target"].includes(outcome.kind);
}
function sha(outcome) {
  return "sha" in outcome ? outcome.sha : "";
}
function lead(outcome, env, facts) {
  const repoUrl = facts?.links?.repoUrl;
  switch (outcome.kind) {
    case "rolled-back":
    case "rollback-failed": {
      const rollbackFailure = outcome.kind === "rollback-failed" ? outcome.rollbackFailure ?? { kind: "error", message: "the rollback failed for an unknown reason" } : void 0;
      return incidentHeadline({
        environment: env,
        failedSha: outcome.sha,
        deploymentId: outcome.deploymentId,
        failure: outcome.failure,
        rollback: { sha: outcome.knownGoodSha, ...outcome.rollbackDeploymentId ? { deploymentId: outcome.rollbackDeploymentId } : {}, ...rollbackFailure ? { failure: rollbackFailure } : {} },
        ...repoUrl ? { repoUrl } : {}
      });
    }
    case "no-rollback-target":
      return incidentHeadline({ environment: env, failedSha: outcome.sha, deploymentId: outcome.deploymentId, failure: outcome.failure, ...repoUrl ? { repoUrl } : {} });
    default:
      return [sentence(outcome, env)];
  }
}
function lastRoundsTable(rounds, windowStart) {
  const shown = rounds.slice(-ROUNDS_SHOWN);
  const checks = [...new Set(shown.flatMap((r) => r.samples.map((s) => s.check)))];
  const columns = checks.slice(0, CHECK_COLUMNS);
  const time = (r) => windowStart !== void 0 ? formatUtc(windowStart + r.at) : formatOffset(r.at);
  const cell = (r, check) => {
    const s = r.samples.find((x) => x.check === check);
    if (!s) return "";
    const outcome = s.outcome === "fail" ? "**fail**" : s.outcome;
    return `${outcome}${s.value ? ` ${escapeCell(s.value, 40)}` : ""}, ${s.latencyMs}ms`;
  };
  const header = ["Round", `Time${windowStart !== void 0 ? " (UTC)" : ""}`, "Outcome", ...columns.map((c) => codeSpan(c, 60))];
  const row = (r) => [String(r.index + 1), time(r), r.outcome === "fail" ? "**fail**" : r.outcome, ...columns.map((c) => cell(r, c))];
  const lines = [
    `${shown.length < rounds.length ? `The last ${shown.length} of ${rounds.length} rounds` : `All ${rounds.length} rounds`}:`,
    "",
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...shown.map((r) => `| ${row(r).join(" | ")} |`)
  ];
  if (checks.length > columns.length) lines.push("", `Not in the table: ${checks.slice(columns.length).map((c) => codeSpan(c, 60)).join(", ")}.`);
  return lines;
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
  const tail2 = lastLine2(output.text());
  const withTail = (what) => tail2 ? `${what}: ${tail2}` : what;
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
function lastLine2(output) {
  const lines = output.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "").split("\n").map((line2) => (line2.split("\r").filter((part) => part.trim()).at(-1) ?? "").trim());
  const line = (lines.filter((l) => l).at(-1) ?? "").replace(/[\x00-\x1f\x7f]/g, " ");
  return line.length > DETAIL_TAIL_CHARS ? `\u2026${line.slice(-(DETAIL_TAIL_CHARS - 1))}` : line;
}

// src/health/http.ts
var MAX_BODY_BYTES = 64 * 1024;
var MAX_REDIRECTS = 5;
var EXCERPT_CHARS2 = 300;
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
    body = bodyChecked || !statusOk ? await readBounded(response, bodyChecked ? MAX_BODY_BYTES : 4 * EXCERPT_CHARS2) : "";
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
function excerptOf(body) {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_CHARS2 ? `${flat.slice(0, EXCERPT_CHARS2 - 1)}\u2026` : flat;
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

// src/core/incident-text.ts
var MAX_BODY_CHARS = 65e3;
var POSTMORTEM_SECTIONS = [
  { name: "Impact", anchor: "#impact", prompt: "What broke, for whom, for how long?" },
  { name: "Root cause", anchor: "#root-cause", prompt: "Why did it break, and why did nothing catch it before the deploy?" },
  { name: "Corrective actions", anchor: "#corrective-actions", prompt: "What will keep it from happening again? Link the issues or pull requests." }
];
var REQUIRED_POSTMORTEM_SECTIONS = ["Root cause", "Corrective actions"];
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
      { at: t.end, what: facts.failure ? `**Failed:** ${failureText(facts.failure)}` : "**Healthy** for its whole health window" }
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
async function createImmutableTag(gh, repo, ref, sha2) {
  try {
    await createOnce(
      "POST /git/refs",
      async () => {
        await gh.request("POST /repos/{owner}/{repo}/git/refs", { ...repo, ref: `refs/${ref}`, sha: sha2, ...NO_RETRY });
        return true;
      },
      async () => await readTag(gh, repo, ref) === sha2 ? true : void 0
    );
  } catch (wrapped) {
    const error2 = wrapped.cause ?? wrapped;
    if (statusOf(error2) !== 422) throw apiError("POST /git/refs", error2);
    const existing = await readTag(gh, repo, ref);
    if (existing === sha2) return;
    if (existing) throw new Error(`Tag ${ref} already exists on ${existing}, not on ${sha2}; pre-deploy tags are never moved`);
    throw apiError("POST /git/refs", error2);
  }
}
async function moveTag(gh, repo, ref, sha2) {
  try {
    await gh.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", { ...repo, ref, sha: sha2, force: true });
  } catch (error2) {
    if (statusOf(error2) !== 422 && statusOf(error2) !== 404) throw apiError(`PATCH /git/refs/${ref}`, error2);
    await call("POST /git/refs", () => gh.request("POST /repos/{owner}/{repo}/git/refs", { ...repo, ref: `refs/${ref}`, sha: sha2 }));
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
  } catch (error2) {
    throw new Error(`cannot verify incident state for ${environment}, so nothing is deployed: ${error2.message}`, { cause: error2 });
  }
}
async function lastClosedIncidents(gh, repo, label, environment) {
  const closed = decideGate(await listRecentlyClosedLabeledIssues(gh, repo, label, 5), environment, await ownLogin(gh));
  return closed.kind === "blocked" ? closed.incidents.slice(0, 1).map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title })) : [];
}
function postmortemMissing(url, gaps) {
  const sections = gaps.map((gap) => `"${gap}" (${url}#${gap.toLowerCase().replace(/[^a-z0-9]+/g, "-")})`);
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
  const times = { start: d.clock.now() };
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
  times.commandEnd = d.clock.now();
  const deploymentId = knownId ?? await recording.catch((error2) => {
    throw new Error(`the ${what.toLowerCase()} command ran (exit ${result.exitCode ?? result.signal}), but its deployment could not be recorded: ${error2.message}`, { cause: error2 });
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
async function checkOutVersion(d, sha2, tagRef) {
  const { context: ctx, log } = d;
  const dir = path.join(ctx.runnerTemp, `deploy-guard-rollback-${ctx.runId}-${ctx.runAttempt}-${d.clock.now()}`);
  log.info(`Checking out ${shortSha(sha2)} for a rollback, in case one is needed.`);
  await d.git.fetchCommit(sha2, tagRef);
  await d.git.addWorktree(dir, sha2);
  d.saveState(WORKTREE_STATE, dir);
  log.info(`Checked out ${sha2} in ${dir}.`);
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
    const gate = await log.group("Gate", () => checkGate(d.gh, repo, s.incidentLabel, s.environment, { closerRole: s.incidentCloserRole, requirePostmortem: s.requirePostmortem }));
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
    const sha2 = await d.git.headSha();
    log.info(planText({ ...s, environment: s.environment, sha: sha2, knownGoodSha }));
    const tag = preDeployRef(s.tagPrefix, s.environment, ctx.runId, ctx.runAttempt);
    await createImmutableTag(d.gh, repo, tag, sha2);
    log.info(`Tagged ${shortSha(sha2)} as ${tag}.`);
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
      sha: sha2,
      cwd: ctx.workspace,
      command: s.deployCommand,
      rollback: false,
      ...target && !s.dryRun ? { onFailedRound: () => void prepareRollback() } : {}
    });
    if (s.dryRun) return { outcome: await finishDryRun(d, ledger, attempt, sha2), knownGoodSha };
    if (!attempt.failure) {
      await moveTag(d.gh, repo, goodRef, sha2);
      await ledger.finish(attempt.deploymentId, "success", `Healthy for ${formatDuration(s.healthWindowMs)}; now known-good`);
      log.info(`Deployed ${shortSha(sha2)} to ${s.environment}: healthy for the whole window; ${goodRef} now points at it.`);
      const afterIncident = newest && (newest.rollback || newest.state === "failure" || newest.state === "error");
      const recovered = afterIncident && s.notify ? await lastClosedIncidents(d.gh, repo, s.incidentLabel, s.environment).catch(() => []) : void 0;
      return {
        outcome: { kind: "deployed", sha: sha2, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: true, ...recovered ? { recovered } : {} },
        knownGoodSha: sha2
      };
    }
    log.error(`Deploy of ${shortSha(sha2)} to ${s.environment} failed: ${describeFailure(attempt.failure)}.`, `${s.environment}: ${shortSha(sha2)} failed`);
    const markFailed = () => ledger.finish(attempt.deploymentId, "failure", describeFailure(attempt.failure));
    const facts = {
      environment: s.environment,
      failedSha: sha2,
      deploymentId: attempt.deploymentId,
      failure: attempt.failure,
      links: { repoUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`, runUrl: ctx.runUrl },
      timeline: timelineOf(attempt.times)
    };
    if (!knownGoodSha) {
      await markFailed();
      const incident2 = await openIncident(d.gh, repo, s.incidentLabel, s.environment, incidentText(facts), log, ctx);
      log.error(`There is no known-good version of ${s.environment} to roll back to.`, `${s.environment}: nothing to roll back to`);
      return { outcome: { kind: "no-rollback-target", sha: sha2, deploymentId: attempt.deploymentId, failure: attempt.failure, incident: incident2 }, knownGoodSha, report: facts };
    }
    const rollback = await rollBack(d, ledger, probe, { sha: knownGoodSha, checkout: prepareRollback(), failedDeploymentId: attempt.deploymentId, markFailed }).catch(
      (error2) => {
        log.error(`Rollback to ${shortSha(knownGoodSha)} did not complete: ${error2.message}`, `${s.environment}: rollback did not complete`);
        return { failure: { kind: "error", message: `the rollback did not complete: ${error2.message}` } };
      }
    );
    const commits = await commitRange(d.gh, repo, knownGoodSha, sha2).catch((error2) => {
      log.warning(`Could not list the commits from ${shortSha(knownGoodSha)} to ${shortSha(sha2)}: ${error2.message}`);
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
    const incident = await openIncident(d.gh, repo, s.incidentLabel, s.environment, incidentText(facts), log, ctx);
    return {
      outcome: {
        kind: rollback.failure ? "rollback-failed" : "rolled-back",
        sha: sha2,
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
    log.error(`Rollback to ${shortSha(knownGoodSha)} failed: ${describeFailure(attempt.failure)}. Not rolling back a rollback.`, `${d.settings.environment}: rollback failed`);
  } else {
    await ledger.finish(attempt.deploymentId, "success", `Rolled back to known-good ${shortSha(knownGoodSha)}; healthy`);
    log.warning(`Rolled back ${d.settings.environment} to ${shortSha(knownGoodSha)}; it stayed healthy for the whole window.`, `${d.settings.environment}: rolled back to ${shortSha(knownGoodSha)}`);
  }
  return attempt;
}
async function finishDryRun(d, ledger, attempt, sha2) {
  if (!attempt.failure) {
    await ledger.finish(attempt.deploymentId, "success", "Dry run: healthy for the whole window (known-good not moved)");
    d.log.info(`Dry run: ${shortSha(sha2)} was healthy for the whole window. Known-good was not moved.`);
    return { kind: "deployed", sha: sha2, deploymentId: attempt.deploymentId, rounds: attempt.rounds, promoted: false };
  }
  await ledger.finish(attempt.deploymentId, "failure", `Dry run: ${describeFailure(attempt.failure)}`);
  d.log.error(`Dry run: ${shortSha(sha2)} failed (${describeFailure(attempt.failure)}). No rollback and no incident, as asked.`);
  return { kind: "unhealthy", sha: sha2, deploymentId: attempt.deploymentId, failure: attempt.failure };
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
  const sha2 = spec.kind === "sha" ? spec.sha : await readTag(d.gh, repo, spec.ref);
  if (!sha2) {
    return refuse(spec.kind === "tag" && spec.knownGood ? `${s.environment} has no known-good version yet.` : `there is no tag ${s.rollbackTo}.`);
  }
  if (!(spec.kind === "tag" && spec.knownGood)) {
    const passed = await everSucceeded(d.gh, repo, s.environment, sha2);
    if (!passed && !s.force) {
      return refuse(`${shortSha(sha2)} never passed a health window in ${s.environment}; pass force: true to roll back to it anyway.`);
    }
    if (!passed) log.warning(`${shortSha(sha2)} never passed a health window in ${s.environment}; rolling back to it because force is true.`);
  }
  log.info(`Manual rollback of ${s.environment} to ${sha2} by @${d.actor} (${role}). Reason: ${s.reason}`);
  const ledger = new DeploymentLedger(d.gh, repo, ctx.runUrl, d.saveState);
  try {
    const dir = await checkOutVersion(d, sha2, spec.kind === "tag" ? spec.ref : goodRef);
    const probe = d.createProbe(await measureBaselines(d));
    const description = `Manual rollback to ${shortSha(sha2)} by @${d.actor}: ${s.reason}`;
    const attempt = await deployAndWatch(d, ledger, probe, {
      sha: sha2,
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
      await moveTag(d.gh, repo, goodRef, sha2);
      knownGoodSha = sha2;
      await ledger.finish(attempt.deploymentId, "success", `Manual rollback healthy for ${formatDuration(s.healthWindowMs)}; now known-good`);
    }
    const incident = await openIncident(
      d.gh,
      repo,
      s.incidentLabel,
      s.environment,
      manualRollbackText({
        environment: s.environment,
        sha: sha2,
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
      outcome: { kind: "manual-rollback", sha: sha2, deploymentId: attempt.deploymentId, incident, ...attempt.failure ? { failure: attempt.failure } : {} },
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
function knownGoodSince(sha2, deployments) {
  const times = deployments.filter((d) => d.sha === sha2).flatMap((d) => d.statuses.filter((s) => s.state === "success").map((s) => s.createdAt)).sort();
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
  } catch (error2) {
    outcome = { kind: "failed", message: error2.message };
  }
  if (settings.notify) await notify(settings.notify, outcome, context, settings.environment, modeDeps.git);
  await finish(outcome, knownGoodSha, settings.environment, report);
}
async function notify(target, outcome, context, environment, git) {
  const { notifyEventOf, notifyPayload } = await import("./chunks/notify-payload-RNCZ4SXT.js");
  const sha2 = await git.headSha().catch(() => process.env.GITHUB_SHA ?? "");
  const event = notifyEventOf(outcome, { repository: `${context.owner}/${context.repo}`, environment, runUrl: context.runUrl, sha: sha2 });
  if (!event) return;
  const { sendNotification } = await import("./chunks/notify-VWU32QFB.js");
  await sendNotification({ url: target.url, payload: notifyPayload(event, target.format), clock: systemClock, log: coreLog });
}
async function finish(outcome, knownGoodSha, environment, report) {
  const result = stepResult(outcome, knownGoodSha);
  for (const [name, value] of Object.entries(result.outputs)) setOutput(name, value);
  if (outcome.kind === "failed") error(outcome.message);
  if (process.env.GITHUB_STEP_SUMMARY) {
    await summary.addRaw(summaryMarkdown(outcome, environment, report)).write().catch((e) => warning(`Could not write the step summary: ${e.message}`));
  }
  if (result.exitCode !== 0) setFailed(`deploy-guard: ${outcome.kind}`);
}
await main();
