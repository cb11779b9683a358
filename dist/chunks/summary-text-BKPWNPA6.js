import {
  chartSection,
  checkSections,
  deployEvents,
  formatOffset,
  formatUtc,
  incidentHeadline,
  timelineTable
} from "./chunk-L3C7A2JP.js";
import {
  formatDuration
} from "./chunk-UU7LJY5L.js";
import {
  codeSpan,
  escapeCell
} from "./chunk-2OFLRLCE.js";
import {
  describeFailure,
  shortSha
} from "./chunk-OPWDWCET.js";
import "./chunk-BJIBUVXV.js";

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
export {
  summaryMarkdown
};
