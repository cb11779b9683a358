// One zod schema per input, keyed by action.yml's input names: each reads the input's text into a
// value, or reports what is wrong with it and how to fix it. Rules between inputs are in cross-input.ts.
import * as z from 'zod/mini';
import { INPUT_DEFAULTS, MODES, NOTIFY_FORMATS, type InputName } from '../action-io.ts';
import type { Check } from '../health/check-types.ts';
import { urlCredentialsError, urlError } from '../core/http-spec.ts';
import { DURATION_MAX_MS, parseDuration } from '../core/duration.ts';
import { urlSecrets } from '../core/redact.ts';
import { environmentError, tagPrefixError } from '../core/tag-names.ts';
import { ROLES } from '../core/gate-decision.ts';
import { isTimeZone, parseFreezes, parseWindows, type Freeze, type WeeklyWindow } from '../core/deploy-window.ts';
import { isSeverity, SEVERITIES, type Severity } from '../core/severity.ts';
import { PERIOD_DAYS, PERIOD_MAX_DAYS } from '../core/status-report.ts';
import type { StageInput } from './stages-input.ts';
import { MAX_ROLLBACK_ATTEMPTS } from '../core/rollback-retry.ts';

/** What health-url and checks give: their checks, once request-timeout (a check's default timeout) is known. */
export interface InputChecks {
  given: boolean;
  secrets: readonly string[];
  withDefaultTimeout: (defaultTimeoutMs: number) => Check[];
}
const NO_CHECKS: InputChecks = { given: false, secrets: [], withDefaultTimeout: () => [] };

type Refuse = (message: string) => void;
/** Reads an input's text; on `refuse` it still returns a stand-in, so the rules between inputs run and every error is reported at once. */
type Reader<T> = (text: string, refuse: Refuse) => T;

// Every input arrives as text (readSettings reads each one), so a field is only its transform: a
// z.string() before it would check nothing and cost memory on every run (bench goal 1b).
function field<T>(read: Reader<T>) {
  return z.transform((text: string, payload) => read(text, (message) => payload.issues.push({ code: 'custom', message, input: text, continue: true })));
}

const verbatim: Reader<string> = (text) => text;

const optional =
  <T>(read: Reader<T>): Reader<T | undefined> =>
  (text, refuse) =>
    text ? read(text, refuse) : undefined;

const checked =
  (errorOf: (text: string) => string | undefined): Reader<string> =>
  (text, refuse) => {
    const error = errorOf(text);
    if (error) refuse(error);
    return text;
  };

const oneOf =
  <T extends string>(values: readonly T[], what: string, orElse = ''): Reader<T> =>
  (text, refuse) => {
    if (!values.includes(text as T)) refuse(`"${text}" is not ${what}; use one of ${values.join(', ')}${orElse}`);
    return text as T;
  };

/** `meaning`: what true and what false do, where the input's name does not say it. */
const flag =
  (meaning?: { true: string; false: string }): Reader<boolean> =>
  (text, refuse) => {
    const choice = meaning ? `true (${meaning.true}) or false (${meaning.false})` : 'true or false';
    if (text !== 'true' && text !== 'false') refuse(`"${text}" must be ${choice}`);
    return text === 'true';
  };

/** A duration, and its text as written (errors about it quote the text). */
export interface Duration {
  ms: number;
  text: string;
}

const duration =
  (input: keyof typeof DURATION_MAX_MS, zeroAllowed = false): Reader<Duration> =>
  (text, refuse) => {
    if (zeroAllowed && /^0+(ms|s|m|h)?$/.test(text)) return { ms: 0, text };
    const result = parseDuration(text, DURATION_MAX_MS[input]);
    if (!result.ok) refuse(result.error);
    return { ms: result.ok ? result.ms : NaN, text };
  };

const count =
  (min: number): Reader<number> =>
  (text, refuse) => {
    if (!/^\d+$/.test(text) || Number(text) < min) refuse(`"${text}" must be a whole number of rounds, ${min} or more`);
    return Number(text);
  };

/** rollback-attempts: how many times the rollback command may be tried, the first included. */
const attemptCount: Reader<number> = (text, refuse) => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_ROLLBACK_ATTEMPTS) {
    refuse(`"${text}" must be a whole number from 1 (one attempt, no retry) to ${MAX_ROLLBACK_ATTEMPTS}`);
  }
  return n;
};

/** health-url: shorthand for one http check. */
const healthUrl: Reader<InputChecks> = (url, refuse) => {
  if (!url) return NO_CHECKS;
  const error = urlError(url);
  if (error) {
    refuse(error);
    return { ...NO_CHECKS, given: true };
  }
  return {
    given: true,
    secrets: urlSecrets(url),
    withDefaultTimeout: (timeoutMs) => [{ type: 'http', name: 'health-url', url, method: 'GET', headers: {}, statusRanges: [[200, 299]], redirects: 'same-host', timeoutMs }],
  };
};

/** What a YAML list input gives once read (checks-input.ts, stages-input.ts). */
type ListRead<T> = ({ ok: true } & Omit<T, 'given'>) | { ok: false; errors: string[] };

/** A YAML list input, its module loaded only when it is given: the YAML parser is most of its weight. */
const yamlList =
  <T extends { given: boolean }>(none: T, load: () => Promise<(text: string) => ListRead<T>>): Reader<Promise<T>> =>
  async (text, refuse) => {
    if (!text) return none;
    const list = (await load())(text);
    if (list.ok) return { ...none, ...list, given: true };
    list.errors.forEach(refuse);
    return { ...none, given: true };
  };

const checkList = (env: NodeJS.ProcessEnv) =>
  yamlList(NO_CHECKS, async () => {
    const { readCheckList } = await import('./yaml-inputs.ts');
    return (text) => readCheckList(text, env);
  });

/** What stages gives: its stages, once request-timeout (their checks' default timeout) is known. */
export interface InputStages {
  given: boolean;
  secrets: readonly string[];
  withDefaultTimeout: (defaultTimeoutMs: number) => StageInput[];
}
const NO_STAGES: InputStages = { given: false, secrets: [], withDefaultTimeout: () => [] };

const stageList = (env: NodeJS.ProcessEnv) =>
  yamlList(NO_STAGES, async () => {
    const { readStageList } = await import('./yaml-inputs.ts');
    return (text) => readStageList(text, env);
  });

const windowList: Reader<WeeklyWindow[]> = (text, refuse) => {
  const read = parseWindows(text);
  if ('error' in read) refuse(read.error);
  return 'windows' in read ? read.windows : [];
};

const freezeList: Reader<Freeze[]> = (text, refuse) => {
  const read = parseFreezes(text);
  if ('error' in read) refuse(read.error);
  return 'freezes' in read ? read.freezes : [];
};

/** require-postmortem: true (every severity), false (none), or the least severity whose incidents need one. */
const postmortemFrom: Reader<Severity | undefined> = (text, refuse) => {
  if (text === 'true') return SEVERITIES[0];
  if (text === 'false') return undefined;
  if (isSeverity(text)) return text;
  refuse(`"${text}" must be true, false or a severity (${SEVERITIES.join(', ')}): a closed incident of that severity or above then needs its postmortem`);
  return undefined;
};

// GitHub's account names: letters, digits and single inner hyphens, at most 39; repository names:
// letters, digits, '.', '_' and '-', at most 100, never '.' or '..'.
const ACCOUNT = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPOSITORY_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

/** incident-repository: `owner/name`. */
const repository: Reader<{ owner: string; repo: string }> = (text, refuse) => {
  const [owner = '', repo = '', ...rest] = text.split('/');
  if (rest.length || !ACCOUNT.test(owner) || !REPOSITORY_NAME.test(repo)) {
    refuse(`"${text}" is not a repository; write owner/name, e.g. acme/ops, or leave it empty to keep incidents in this repository`);
  }
  return { owner, repo };
};

/** Every input, in action.yml's order; `env` is where check headers written as `{ env: NAME }` come from. */
export const inputFields = (env: NodeJS.ProcessEnv) =>
  ({
    mode: field(oneOf(MODES, 'a mode')),
    environment: field(checked(environmentError)),
    'github-token': field(checked(tokenError)),
    'deploy-command': field(verbatim),
    'rollback-command': field(verbatim),
    'health-url': field(healthUrl),
    checks: field(checkList(env)),
    // A zero window is one round of checks right after the deploy command (no watching).
    'health-window': field(duration('health-window', true)),
    'health-interval': field(duration('health-interval')),
    'health-initial-delay': field(duration('health-initial-delay', true)),
    'failure-threshold': field(count(1)),
    'max-failed-rounds': field(optional(count(0))),
    'inconclusive-threshold': field(count(0)),
    'request-timeout': field(duration('request-timeout')),
    'health-checks-use-proxy': field(flag({ true: 'checks go through HTTPS_PROXY/HTTP_PROXY', false: 'checks connect directly' })),
    'health-allow-link-local': field(flag({ true: 'checks may reach link-local and cloud metadata addresses', false: 'they may not' })),
    'deploy-timeout': field(duration('deploy-timeout')),
    'tag-prefix': field(checked(tagPrefixError)),
    'incident-label': field(checked(incidentLabelError)),
    'incident-closer-role': field(optional(oneOf(ROLES, 'a repository role', ', or leave it empty'))),
    'require-postmortem': field(postmortemFrom),
    'incident-repository': field(optional(repository)),
    'notify-webhook': field(optional(checked(webhookError))),
    'notify-format': field(oneOf(NOTIFY_FORMATS, 'a format')),
    'dry-run': field(flag()),
    'rollback-to': field(verbatim),
    reason: field(verbatim),
    force: field(flag()),
    'take-over': field(flag()),
    severity: field(oneOf(SEVERITIES, 'a severity')),
    'deploy-windows': field(windowList),
    'deploy-freezes': field(freezeList),
    'time-zone': field(checked((zone) => (isTimeZone(zone) ? undefined : `"${zone}" is not a time zone; use an IANA name such as Europe/Berlin, America/New_York or UTC`))),
    'override-reason': field(verbatim),
    'require-proven-in': field(optional(checked(environmentError))),
    sha: field(optional(checked(commitShaError))),
    period: field(periodDays),
    stages: field(stageList(env)),
    'before-rollback-command': field(verbatim),
    'after-rollback-command': field(verbatim),
    'rollback-attempts': field(attemptCount),
    'rollback-backoff': field(duration('rollback-backoff', true)),
  }) satisfies Record<InputName, z.ZodMiniType<unknown, string>>;

export type InputValues = { [K in InputName]: z.output<ReturnType<typeof inputFields>[K]> };

/** period (status mode): a number of days, 1d to 365d. */
const periodDays: Reader<number> = (text, refuse) => {
  const days = /^\d+d$/.test(text) ? Number(text.slice(0, -1)) : NaN;
  if (days >= 1 && days <= PERIOD_MAX_DAYS) return days;
  refuse(`"${text}" is not a period; write a number of days from 1d to ${PERIOD_MAX_DAYS}d, e.g. 30d or 90d`);
  return PERIOD_DAYS;
};

/** A commit names itself only by its full SHA: a short one may be ambiguous, a branch may move. */
function commitShaError(sha: string): string | undefined {
  if (/^[0-9a-f]{40}$/i.test(sha)) return undefined;
  if (/^[0-9a-f]{4,39}$/i.test(sha)) return `"${sha}" looks like a short SHA; give the full 40-character commit SHA (git rev-parse ${sha})`;
  return `"${sha}" is not a commit SHA; give the full 40-character SHA of the commit that runs now, or leave it empty for the checked-out commit`;
}

function tokenError(token: string): string | undefined {
  if (token && token !== INPUT_DEFAULTS['github-token']) return undefined;
  return 'is empty; pass a token with contents, deployments and issues write access, e.g. ${{ github.token }}';
}

function incidentLabelError(label: string): string | undefined {
  if (!label || label.length > 50) return 'must be 1 to 50 characters (GitHub label names are at most 50)';
  // GitHub's issue listing reads `labels` as a comma-separated list: "a,b" would ask for two labels.
  if (label.includes(',')) return `"${label}" contains a comma, which GitHub's issue search reads as two labels; use a label name without commas`;
  if (label.trim() !== label) return `"${label}" starts or ends with a space, which GitHub drops from label names; remove it`;
  return undefined;
}

/** The URL is a secret (it carries the webhook's token): never echo it back. */
function webhookError(webhook: string): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(webhook);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return 'is not an http(s) URL; pass the webhook URL from a secret, e.g. ${{ secrets.DEPLOY_WEBHOOK }}';
  }
  return urlCredentialsError(url);
}
