import {
  cut,
  withoutControls
} from "./chunk-2OFLRLCE.js";
import {
  describeFailure,
  shortSha
} from "./chunk-OPWDWCET.js";
import "./chunk-BJIBUVXV.js";

// src/core/notify-payload.ts
function notifyEventOf(outcome, context) {
  const place = { repository: context.repository, environment: context.environment, runUrl: context.runUrl };
  switch (outcome.kind) {
    case "rolled-back":
      return { ...place, kind: "rolled-back", failedSha: outcome.sha, knownGoodSha: outcome.knownGoodSha, reason: describeFailure(outcome.failure), incident: outcome.incident };
    case "rollback-failed":
      return {
        ...place,
        kind: "rollback-failed",
        failedSha: outcome.sha,
        knownGoodSha: outcome.knownGoodSha,
        reason: describeFailure(outcome.failure),
        ...outcome.rollbackFailure ? { rollbackReason: describeFailure(outcome.rollbackFailure) } : {},
        incident: outcome.incident
      };
    case "no-rollback-target":
      return { ...place, kind: "no-rollback-target", failedSha: outcome.sha, reason: describeFailure(outcome.failure), incident: outcome.incident };
    case "blocked":
      return { ...place, kind: "blocked", sha: context.sha, incidents: outcome.incidents };
    case "manual-rollback":
      return {
        ...place,
        kind: "manual-rollback",
        sha: outcome.sha,
        actor: outcome.actor,
        reason: outcome.reason,
        ...outcome.failure ? { failure: describeFailure(outcome.failure) } : {},
        incident: outcome.incident
      };
    case "deployed":
      return outcome.recovered?.length ? { ...place, kind: "recovered", sha: outcome.sha, incidents: outcome.recovered } : void 0;
    default:
      return void 0;
  }
}
var ENVIRONMENT_CHARS = 60;
var REPOSITORY_CHARS = 100;
var REASON_CHARS = 300;
var ACTOR_CHARS = 40;
var TITLE_CHARS = 80;
var LISTED_INCIDENTS = 5;
var JSON_LIMITS = { actor: 100, environment: 100, repository: 200, sha: 64, reason: 1e3, title: 200, url: 2e3, incidents: 20 };
var DISCORD_TITLE = 256;
var DISCORD_DESCRIPTION = 4096;
var DISCORD_FIELD_VALUE = 1024;
var SLACK_TEXT = 3e3;
var COLOURS = {
  "rolled-back": 14105161,
  "rollback-failed": 8787997,
  "no-rollback-target": 14105161,
  blocked: 14901769,
  recovered: 2664261,
  "manual-rollback": 7291585
};
var SLACK_EMOJI = {
  "rolled-back": ":rotating_light:",
  "rollback-failed": ":fire:",
  "no-rollback-target": ":rotating_light:",
  blocked: ":no_entry:",
  recovered: ":white_check_mark:",
  "manual-rollback": ":leftwards_arrow_with_hook:"
};
function notifyPayload(event, format) {
  switch (format) {
    case "slack":
      return slackPayload(event);
    case "discord":
      return discordPayload(event);
    case "json":
      return jsonPayload(event);
  }
}
var slack = {
  // Slack reads only these three as control characters; escaped, "<!here>" or "<@U1>" cannot ping.
  escape: (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
  link: (url, label) => url ? `<${url}|${label}>` : label
};
var discord = {
  // A backslash makes Discord show the next character as it is: no formatting, no masked link,
  // no <@id> mention (and allowed_mentions stops pings besides).
  escape: (text) => text.replace(/[\\*_~`|<>[\]]/g, "\\$&"),
  link: (url, label) => url ? `[${label}](${url})` : label
};
function headline(event, d) {
  const env = fit(event.environment, ENVIRONMENT_CHARS, d.escape);
  switch (event.kind) {
    case "rolled-back":
      return `${env}: ${sha7(event.failedSha)} failed, rolled back to ${sha7(event.knownGoodSha)}`;
    case "rollback-failed":
      return `${env}: ${sha7(event.failedSha)} failed, and the rollback to ${sha7(event.knownGoodSha)} failed too`;
    case "no-rollback-target":
      return `${env}: ${sha7(event.failedSha)} failed, and there is no known-good version to roll back to`;
    case "blocked":
      return `${env}: ${sha7(event.sha)} not deployed, blocked by ${incidentNumbers(event.incidents, "open incident")}`;
    case "recovered":
      return `${env}: ${sha7(event.sha)} deployed, the first deploy since ${incidentNumbers(event.incidents, "incident")} was closed`;
    case "manual-rollback": {
      const who = fit(`@${event.actor}`, ACTOR_CHARS, d.escape);
      return event.failure ? `${env}: the manual rollback to ${sha7(event.sha)} by ${who} failed` : `${env}: rolled back to ${sha7(event.sha)} by ${who}`;
    }
  }
}
function detailLines(event, d, bullet) {
  switch (event.kind) {
    case "rolled-back":
    case "no-rollback-target":
      return [`Reason: ${fit(event.reason, REASON_CHARS, d.escape)}`];
    case "rollback-failed":
      return [
        `Reason: ${fit(event.reason, REASON_CHARS, d.escape)}`,
        ...event.rollbackReason ? [`Rollback: ${fit(event.rollbackReason, REASON_CHARS, d.escape)}`] : []
      ];
    case "manual-rollback":
      return [`Reason: ${fit(event.reason, REASON_CHARS, d.escape)}`, ...event.failure ? [`Rollback: ${fit(event.failure, REASON_CHARS, d.escape)}`] : []];
    case "blocked":
    case "recovered": {
      const shown = event.incidents.slice(0, LISTED_INCIDENTS).map((incident) => {
        const title = incident.title ? ` ${fit(incident.title, TITLE_CHARS, d.escape)}` : "";
        return `${bullet}${d.link(safeUrl(incident.url), `#${incident.number}`)}${title}`;
      });
      const more = event.incidents.length - shown.length;
      return more > 0 ? [...shown, `${bullet}and ${more} more`] : shown;
    }
  }
}
function incidentOf(event) {
  return event.kind === "blocked" || event.kind === "recovered" ? void 0 : event.incident;
}
function slackPayload(event) {
  const title = headline(event, slack);
  const incident = incidentOf(event);
  const links = [
    fit(event.repository, REPOSITORY_CHARS, slack.escape),
    ...incident ? [slack.link(safeUrl(incident.url), `incident #${incident.number}`)] : [],
    slack.link(safeUrl(event.runUrl), "workflow run")
  ];
  return {
    text: title,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: cut([`${SLACK_EMOJI[event.kind]} ${title}`, ...detailLines(event, slack, "\u2022 ")].join("\n"), SLACK_TEXT) } },
      { type: "context", elements: [{ type: "mrkdwn", text: cut(links.join(" \xB7 "), SLACK_TEXT) }] }
    ]
  };
}
function discordPayload(event) {
  const incident = incidentOf(event);
  const runUrl = safeUrl(event.runUrl);
  const field = (name, value, inline = true) => ({ name, value: cut(value, DISCORD_FIELD_VALUE), inline });
  const shas = (() => {
    switch (event.kind) {
      case "blocked":
        return [field("Not deployed", code(event.sha))];
      case "recovered":
        return [field("Deployed", code(event.sha))];
      case "manual-rollback":
        return [field("Rolled back to", code(event.sha))];
      default:
        return [field("Failed", code(event.failedSha)), ..."knownGoodSha" in event ? [field("Known-good", code(event.knownGoodSha))] : []];
    }
  })();
  const description = cut(detailLines(event, discord, "\u2022 ").join("\n"), DISCORD_DESCRIPTION);
  return {
    embeds: [
      {
        title: cut(headline(event, discord), DISCORD_TITLE),
        ...description ? { description } : {},
        ...runUrl ? { url: runUrl } : {},
        color: event.kind === "manual-rollback" && event.failure ? COLOURS["rollback-failed"] : COLOURS[event.kind],
        fields: [
          ...shas,
          ...incident ? [field("Incident", discord.link(safeUrl(incident.url), `#${incident.number}`))] : [],
          field("Repository", fit(event.repository, REPOSITORY_CHARS, discord.escape), false),
          field("Run", discord.link(runUrl, "workflow run"), false)
        ]
      }
    ],
    // Nothing in a notice may ping anyone, whatever the text says.
    allowed_mentions: { parse: [] }
  };
}
function jsonPayload(event) {
  const text = (value, max) => cut(oneLine(value), max);
  const sha = (value) => text(value, JSON_LIMITS.sha);
  const ref = (incident) => ({
    number: incident.number,
    url: text(incident.url, JSON_LIMITS.url),
    ...incident.title !== void 0 ? { title: text(incident.title, JSON_LIMITS.title) } : {}
  });
  const facts = (() => {
    switch (event.kind) {
      case "rolled-back":
        return { failedSha: sha(event.failedSha), knownGoodSha: sha(event.knownGoodSha), reason: text(event.reason, JSON_LIMITS.reason), incident: ref(event.incident) };
      case "rollback-failed":
        return {
          failedSha: sha(event.failedSha),
          knownGoodSha: sha(event.knownGoodSha),
          reason: text(event.reason, JSON_LIMITS.reason),
          ...event.rollbackReason !== void 0 ? { rollbackReason: text(event.rollbackReason, JSON_LIMITS.reason) } : {},
          incident: ref(event.incident)
        };
      case "no-rollback-target":
        return { failedSha: sha(event.failedSha), reason: text(event.reason, JSON_LIMITS.reason), incident: ref(event.incident) };
      case "blocked":
      case "recovered":
        return { sha: sha(event.sha), incidents: event.incidents.slice(0, JSON_LIMITS.incidents).map(ref) };
      case "manual-rollback":
        return {
          sha: sha(event.sha),
          actor: text(event.actor, JSON_LIMITS.actor),
          reason: text(event.reason, JSON_LIMITS.reason),
          ...event.failure !== void 0 ? { failure: text(event.failure, JSON_LIMITS.reason) } : {},
          incident: ref(event.incident)
        };
    }
  })();
  return {
    version: 1,
    event: event.kind,
    repository: text(event.repository, JSON_LIMITS.repository),
    environment: text(event.environment, JSON_LIMITS.environment),
    ...facts,
    summary: headline(event, { escape: (t) => t, link: (_url, label) => label }),
    runUrl: text(event.runUrl, JSON_LIMITS.url)
  };
}
function incidentNumbers(incidents, noun) {
  const numbers = incidents.map((i) => `#${i.number}`);
  if (numbers.length === 0) return `an ${noun}`;
  if (numbers.length === 1) return `${noun} ${numbers[0]}`;
  const listed = numbers.length > 3 ? [...numbers.slice(0, 3), "\u2026"] : numbers;
  return `${numbers.length} ${noun}s (${listed.join(", ")})`;
}
function sha7(sha) {
  return shortSha(sha.replace(/[^0-9A-Za-z]/g, ""));
}
function code(sha) {
  const short = sha7(sha);
  return short ? `\`${short}\`` : "(unknown)";
}
function safeUrl(url) {
  const flat = oneLine(url).trim();
  if (!/^https?:\/\/\S+$/i.test(flat) || flat.length > JSON_LIMITS.url) return void 0;
  return flat.replace(/[()<>|[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
function fit(text, max, escape) {
  const flat = oneLine(text);
  let keep = max;
  for (; ; ) {
    const out = escape(cut(flat, keep));
    if (out.length <= max || keep <= 1) return out;
    keep = Math.max(1, keep - (out.length - max));
  }
}
function oneLine(text) {
  return withoutControls(text).replace(/\s+/g, " ").trim();
}
export {
  notifyEventOf,
  notifyPayload
};
