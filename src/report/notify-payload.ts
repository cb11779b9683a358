// What a webhook is told about a run: one short notice, read on a phone's lock screen, in Slack's,
// Discord's or deploy-guard's own JSON shape. Pure: the body is a function of the event alone.
import { cut, withoutControls } from './markdown.ts';
import { describeFailure, type IncidentRef, type Outcome } from '../core/outcome.ts';
import { shortSha } from '../core/tag-names.ts';

export type NotifyFormat = 'slack' | 'discord' | 'json';

/** Where it happened; every event carries it. */
export interface NotifyPlace {
  /** "owner/repo" */
  repository: string;
  environment: string;
  /** The workflow run. */
  runUrl: string;
}

export type NotifyEvent = NotifyPlace &
  (
    | { kind: 'rolled-back'; failedSha: string; knownGoodSha: string; reason: string; incident: IncidentRef }
    | {
        kind: 'rollback-failed';
        failedSha: string;
        knownGoodSha: string;
        reason: string;
        /** Why the rollback failed, when known. */
        rollbackReason?: string;
        incident: IncidentRef;
      }
    | { kind: 'no-rollback-target'; failedSha: string; reason: string; incident: IncidentRef }
    /** `sha` was not deployed because of the open `incidents`. */
    | { kind: 'blocked'; sha: string; incidents: IncidentRef[] }
    /** `sha` is the first good deploy after the closed `incidents`. */
    | { kind: 'recovered'; sha: string; incidents: IncidentRef[] }
    /** A person rolled the environment back to `sha`; `failure` says why that rollback failed. */
    | { kind: 'manual-rollback'; sha: string; actor: string; reason: string; failure?: string; incident: IncidentRef }
    /**
     * Sent as a rollback starts (before its command runs), beside the notice at the end: to `sha`,
     * after `failedSha` failed (automatic), or asked for by `actor` (manual). No incident yet.
     */
    | { kind: 'rollback-started'; sha: string; failedSha?: string; actor?: string; reason: string }
  );

export type NotifyEventKind = NotifyEvent['kind'];

/** The facts a notice needs beyond the outcome; `sha` is the version this run was asked to deploy. */
export interface NotifyContext extends NotifyPlace {
  sha: string;
}

/**
 * The notice an outcome calls for, or undefined when it calls for none (a quiet deploy, a gate that
 * is clear, a dry run, a refusal, status).
 */
export function notifyEventOf(outcome: Outcome, context: NotifyContext): NotifyEvent | undefined {
  const place: NotifyPlace = { repository: context.repository, environment: context.environment, runUrl: context.runUrl };
  switch (outcome.kind) {
    case 'rolled-back':
      return { ...place, kind: 'rolled-back', failedSha: outcome.sha, knownGoodSha: outcome.knownGoodSha, reason: describeFailure(outcome.failure), incident: outcome.incident };
    case 'rollback-failed':
      return {
        ...place,
        kind: 'rollback-failed',
        failedSha: outcome.sha,
        knownGoodSha: outcome.knownGoodSha,
        reason: describeFailure(outcome.failure),
        ...(outcome.rollbackFailure ? { rollbackReason: describeFailure(outcome.rollbackFailure) } : {}),
        incident: outcome.incident,
      };
    case 'no-rollback-target':
      return { ...place, kind: 'no-rollback-target', failedSha: outcome.sha, reason: describeFailure(outcome.failure), incident: outcome.incident };
    case 'blocked':
      // A closed window, a freeze or an unproven version is the schedule working, not news.
      return outcome.by === 'incident' ? { ...place, kind: 'blocked', sha: context.sha, incidents: outcome.incidents } : undefined;
    case 'manual-rollback':
      return {
        ...place,
        kind: 'manual-rollback',
        sha: outcome.sha,
        actor: outcome.actor,
        reason: outcome.reason,
        ...(outcome.failure ? { failure: describeFailure(outcome.failure) } : {}),
        incident: outcome.incident,
      };
    case 'deployed':
      return outcome.recovered?.length ? { ...place, kind: 'recovered', sha: outcome.sha, incidents: outcome.recovered } : undefined;
    default:
      return undefined;
  }
}

// Bounds, in characters of the final (escaped) text. A notice is read on a phone: short on purpose.
const ENVIRONMENT_CHARS = 60;
const REPOSITORY_CHARS = 100;
const REASON_CHARS = 300;
/** GitHub logins are at most 39 characters. */
const ACTOR_CHARS = 40;
const TITLE_CHARS = 80;
/** Incidents listed by name in a chat message; the rest are counted. */
const LISTED_INCIDENTS = 5;
/** deploy-guard's JSON is for programs: longer bounds, but still bounded. */
const JSON_LIMITS = { actor: 100, environment: 100, repository: 200, sha: 64, reason: 1000, title: 200, url: 2000, incidents: 20 };
// Discord's documented limits.
const DISCORD_TITLE = 256;
const DISCORD_DESCRIPTION = 4096;
const DISCORD_FIELD_VALUE = 1024;
/** Slack's limit for a section's or a context element's text. */
const SLACK_TEXT = 3000;

const COLOURS: Record<NotifyEventKind, number> = {
  'rolled-back': 0xd73a49,
  'rollback-failed': 0x86181d,
  'no-rollback-target': 0xd73a49,
  blocked: 0xe36209,
  recovered: 0x28a745,
  'manual-rollback': 0x6f42c1,
  'rollback-started': 0xe36209,
};

const SLACK_EMOJI: Record<NotifyEventKind, string> = {
  'rolled-back': ':rotating_light:',
  'rollback-failed': ':fire:',
  'no-rollback-target': ':rotating_light:',
  blocked: ':no_entry:',
  recovered: ':white_check_mark:',
  'manual-rollback': ':leftwards_arrow_with_hook:',
  'rollback-started': ':rewind:',
};

export function notifyPayload(event: NotifyEvent, format: NotifyFormat): unknown {
  switch (format) {
    case 'slack':
      return slackPayload(event);
    case 'discord':
      return discordPayload(event);
    case 'json':
      return jsonPayload(event);
  }
}

/** How one format writes user-controlled text and links. */
interface Dialect {
  escape(text: string): string;
  link(url: string | undefined, label: string): string;
}

const slack: Dialect = {
  // Slack reads only these three as control characters; escaped, "<!here>" or "<@U1>" cannot ping.
  escape: (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  link: (url, label) => (url ? `<${url}|${label}>` : label),
};

const discord: Dialect = {
  // A backslash makes Discord show the next character as it is: no formatting, no masked link,
  // no <@id> mention (and allowed_mentions stops pings besides).
  escape: (text) => text.replace(/[\\*_~`|<>[\]]/g, '\\$&'),
  link: (url, label) => (url ? `[${label}](${url})` : label),
};

/** The headline, without emoji: "production: abc1234 failed, rolled back to def5678". */
function headline(event: NotifyEvent, d: Dialect): string {
  const env = fit(event.environment, ENVIRONMENT_CHARS, d.escape);
  switch (event.kind) {
    case 'rolled-back':
      return `${env}: ${sha7(event.failedSha)} failed, rolled back to ${sha7(event.knownGoodSha)}`;
    case 'rollback-failed':
      return `${env}: ${sha7(event.failedSha)} failed, and the rollback to ${sha7(event.knownGoodSha)} failed too`;
    case 'no-rollback-target':
      return `${env}: ${sha7(event.failedSha)} failed, and there is no known-good version to roll back to`;
    case 'blocked':
      return `${env}: ${sha7(event.sha)} not deployed, blocked by ${incidentNumbers(event.incidents, 'open incident')}`;
    case 'recovered':
      return `${env}: ${sha7(event.sha)} deployed, the first deploy since ${incidentNumbers(event.incidents, 'incident')} was closed`;
    case 'manual-rollback': {
      const who = fit(`@${event.actor}`, ACTOR_CHARS, d.escape);
      return event.failure ? `${env}: the manual rollback to ${sha7(event.sha)} by ${who} failed` : `${env}: rolled back to ${sha7(event.sha)} by ${who}`;
    }
    case 'rollback-started': {
      const after = event.failedSha ? ` after ${sha7(event.failedSha)} failed` : event.actor ? `, asked by ${fit(`@${event.actor}`, ACTOR_CHARS, d.escape)}` : '';
      return `${env}: rolling back to ${sha7(event.sha)}${after}`;
    }
  }
}

/** The lines under the headline: why, or which incidents. */
function detailLines(event: NotifyEvent, d: Dialect, bullet: string): string[] {
  switch (event.kind) {
    case 'rolled-back':
    case 'no-rollback-target':
      return [`Reason: ${fit(event.reason, REASON_CHARS, d.escape)}`];
    case 'rollback-failed':
      return [
        `Reason: ${fit(event.reason, REASON_CHARS, d.escape)}`,
        ...(event.rollbackReason ? [`Rollback: ${fit(event.rollbackReason, REASON_CHARS, d.escape)}`] : []),
      ];
    case 'manual-rollback':
      return [`Reason: ${fit(event.reason, REASON_CHARS, d.escape)}`, ...(event.failure ? [`Rollback: ${fit(event.failure, REASON_CHARS, d.escape)}`] : [])];
    case 'rollback-started':
      return [`Reason: ${fit(event.reason, REASON_CHARS, d.escape)}`];
    case 'blocked':
    case 'recovered': {
      const shown = event.incidents.slice(0, LISTED_INCIDENTS).map((incident) => {
        const title = incident.title ? ` ${fit(incident.title, TITLE_CHARS, d.escape)}` : '';
        return `${bullet}${d.link(safeUrl(incident.url), `#${incident.number}`)}${title}`;
      });
      const more = event.incidents.length - shown.length;
      return more > 0 ? [...shown, `${bullet}and ${more} more`] : shown;
    }
  }
}

function incidentOf(event: NotifyEvent): IncidentRef | undefined {
  return event.kind === 'blocked' || event.kind === 'recovered' || event.kind === 'rollback-started' ? undefined : event.incident;
}

function slackPayload(event: NotifyEvent): unknown {
  const title = headline(event, slack);
  const incident = incidentOf(event);
  const links = [
    fit(event.repository, REPOSITORY_CHARS, slack.escape),
    ...(incident ? [slack.link(safeUrl(incident.url), `incident #${incident.number}`)] : []),
    slack.link(safeUrl(event.runUrl), 'workflow run'),
  ];
  return {
    text: title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: cut([`${SLACK_EMOJI[event.kind]} ${title}`, ...detailLines(event, slack, '• ')].join('\n'), SLACK_TEXT) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: cut(links.join(' · '), SLACK_TEXT) }] },
    ],
  };
}

function discordPayload(event: NotifyEvent): unknown {
  const incident = incidentOf(event);
  const runUrl = safeUrl(event.runUrl);
  const field = (name: string, value: string, inline = true) => ({ name, value: cut(value, DISCORD_FIELD_VALUE), inline });
  const shas = (() => {
    switch (event.kind) {
      case 'blocked':
        return [field('Not deployed', code(event.sha))];
      case 'recovered':
        return [field('Deployed', code(event.sha))];
      case 'manual-rollback':
        return [field('Rolled back to', code(event.sha))];
      case 'rollback-started':
        return [field('Rolling back to', code(event.sha)), ...(event.failedSha ? [field('Failed', code(event.failedSha))] : [])];
      default:
        return [field('Failed', code(event.failedSha)), ...('knownGoodSha' in event ? [field('Known-good', code(event.knownGoodSha))] : [])];
    }
  })();
  // Discord refuses an empty description (a blocked event with no incident listed).
  const description = cut(detailLines(event, discord, '• ').join('\n'), DISCORD_DESCRIPTION);
  return {
    embeds: [
      {
        title: cut(headline(event, discord), DISCORD_TITLE),
        ...(description ? { description } : {}),
        ...(runUrl ? { url: runUrl } : {}),
        color: event.kind === 'manual-rollback' && event.failure ? COLOURS['rollback-failed'] : COLOURS[event.kind],
        fields: [
          ...shas,
          ...(incident ? [field('Incident', discord.link(safeUrl(incident.url), `#${incident.number}`))] : []),
          field('Repository', fit(event.repository, REPOSITORY_CHARS, discord.escape), false),
          field('Run', discord.link(runUrl, 'workflow run'), false),
        ],
      },
    ],
    // Nothing in a notice may ping anyone, whatever the text says.
    allowed_mentions: { parse: [] },
  };
}

/**
 * deploy-guard's own format (version 1). Keys and their meaning stay stable within a version;
 * new keys may be added.
 */
function jsonPayload(event: NotifyEvent): unknown {
  const text = (value: string, max: number) => cut(oneLine(value), max);
  const sha = (value: string) => text(value, JSON_LIMITS.sha);
  const ref = (incident: IncidentRef) => ({
    number: incident.number,
    url: text(incident.url, JSON_LIMITS.url),
    ...(incident.title !== undefined ? { title: text(incident.title, JSON_LIMITS.title) } : {}),
  });
  const facts = (() => {
    switch (event.kind) {
      case 'rolled-back':
        return { failedSha: sha(event.failedSha), knownGoodSha: sha(event.knownGoodSha), reason: text(event.reason, JSON_LIMITS.reason), incident: ref(event.incident) };
      case 'rollback-failed':
        return {
          failedSha: sha(event.failedSha),
          knownGoodSha: sha(event.knownGoodSha),
          reason: text(event.reason, JSON_LIMITS.reason),
          ...(event.rollbackReason !== undefined ? { rollbackReason: text(event.rollbackReason, JSON_LIMITS.reason) } : {}),
          incident: ref(event.incident),
        };
      case 'no-rollback-target':
        return { failedSha: sha(event.failedSha), reason: text(event.reason, JSON_LIMITS.reason), incident: ref(event.incident) };
      case 'blocked':
      case 'recovered':
        return { sha: sha(event.sha), incidents: event.incidents.slice(0, JSON_LIMITS.incidents).map(ref) };
      case 'manual-rollback':
        return {
          sha: sha(event.sha),
          actor: text(event.actor, JSON_LIMITS.actor),
          reason: text(event.reason, JSON_LIMITS.reason),
          ...(event.failure !== undefined ? { failure: text(event.failure, JSON_LIMITS.reason) } : {}),
          incident: ref(event.incident),
        };
      case 'rollback-started':
        return {
          sha: sha(event.sha),
          ...(event.failedSha !== undefined ? { failedSha: sha(event.failedSha) } : {}),
          ...(event.actor !== undefined ? { actor: text(event.actor, JSON_LIMITS.actor) } : {}),
          reason: text(event.reason, JSON_LIMITS.reason),
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
    runUrl: text(event.runUrl, JSON_LIMITS.url),
  };
}

/** "#12", "#12 and #14", or "3 open incidents (#12, #14, #15, …)". */
function incidentNumbers(incidents: IncidentRef[], noun: string): string {
  const numbers = incidents.map((i) => `#${i.number}`);
  if (numbers.length === 0) return `an ${noun}`;
  if (numbers.length === 1) return `${noun} ${numbers[0]}`;
  const listed = numbers.length > 3 ? [...numbers.slice(0, 3), '…'] : numbers;
  return `${numbers.length} ${noun}s (${listed.join(', ')})`;
}

/** The short sha: letters and digits only, so it is safe as is in every format. */
function sha7(sha: string): string {
  return shortSha(sha.replace(/[^0-9A-Za-z]/g, ''));
}

function code(sha: string): string {
  const short = sha7(sha);
  return short ? `\`${short}\`` : '(unknown)';
}

/** An http(s) URL with the characters that would end a Slack or Discord link encoded; else undefined. */
function safeUrl(url: string): string | undefined {
  const flat = oneLine(url).trim();
  if (!/^https?:\/\/\S+$/i.test(flat) || flat.length > JSON_LIMITS.url) return undefined;
  return flat.replace(/[()<>|[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * User text on one line, escaped, and at most `max` characters once escaped (escaping can make
 * text longer, so the raw text is cut shorter until it fits).
 */
function fit(text: string, max: number, escape: (text: string) => string): string {
  const flat = oneLine(text);
  let keep = max;
  for (;;) {
    const out = escape(cut(flat, keep));
    if (out.length <= max || keep <= 1) return out;
    keep = Math.max(1, keep - (out.length - max));
  }
}

function oneLine(text: string): string {
  return withoutControls(text).replace(/\s+/g, ' ').trim();
}
