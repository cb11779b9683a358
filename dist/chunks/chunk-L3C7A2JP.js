import {
  formatDuration
} from "./chunk-UU7LJY5L.js";
import {
  codeBlock,
  codeSpan,
  escapeCell,
  tail
} from "./chunk-2OFLRLCE.js";
import {
  describeFailure,
  shortSha
} from "./chunk-OPWDWCET.js";

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
function commitLink(sha, repoUrl) {
  return repoUrl ? `[\`${shortSha(sha)}\`](${repoUrl}/commit/${sha})` : `\`${shortSha(sha)}\``;
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
  let lead;
  let rolledBackTo;
  switch (incidentResult(h)) {
    case "rolled-back":
      lead = `**Rolled back and healthy.** ${env} is serving the known-good version ${target} again.`;
      rolledBackTo = `${target}${deployment(h.rollback.deploymentId)} \u2014 it deployed and stayed healthy for its health window`;
      break;
    case "rollback-failed":
      lead = `**Rollback failed: ${env} needs a person now.** ${env} may be down or serving the failed version ${failed}.`;
      rolledBackTo = `${target}${deployment(h.rollback.deploymentId)} \u2014 but the rollback failed: ${failureText(h.rollback.failure)}`;
      break;
    case "no-rollback-target":
      lead = `**Nothing to roll back to: ${env} may be serving the failed version** ${failed}.`;
      rolledBackTo = `nothing: there is no known-good version of ${env} yet (no deploy has stayed healthy for a whole health window)`;
      break;
  }
  return [
    lead,
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

export {
  formatUtc,
  formatOffset,
  cutNote,
  failureText,
  incidentResult,
  incidentHeadline,
  timelineTable,
  deployEvents,
  checkSections,
  chartSection,
  commitsSection,
  linksSection
};
