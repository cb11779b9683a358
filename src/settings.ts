// Inputs -> one typed Settings. Every input error is reported at once, each naming its input.
import type { Check } from './health/check-types.ts';
import { urlCredentialsError, urlError } from './core/http-spec.ts';
import { deployEnvSecrets, secretUrlParts, urlSecrets } from './core/redact.ts';
import { DURATION_MAX_MS, parseDuration } from './core/duration.ts';
import { environmentError, tagPrefixError } from './core/tag-names.ts';
import { refusedHost } from './core/address-policy.ts';
import { ROLES, type Role } from './core/gate-decision.ts';
import type { NotifyFormat } from './report/notify-payload.ts';

export type { Check } from './health/check-types.ts';

/** Every input in action.yml with the default it declares there (a contract test keeps them equal). */
export const INPUT_DEFAULTS = {
  mode: 'deploy',
  environment: 'production',
  'github-token': '${{ github.token }}',
  'deploy-command': '',
  'rollback-command': '',
  'health-url': '',
  checks: '',
  'health-window': '5m',
  'health-interval': '10s',
  'health-initial-delay': '0s',
  'failure-threshold': '3',
  'max-failed-rounds': '',
  'inconclusive-threshold': '0',
  'request-timeout': '5s',
  'health-checks-use-proxy': 'true',
  'health-allow-link-local': 'false',
  'deploy-timeout': '30m',
  'tag-prefix': 'deploy-guard',
  'incident-label': 'deploy-incident',
  'incident-closer-role': '',
  'require-postmortem': 'false',
  'notify-webhook': '',
  'notify-format': 'json',
  'dry-run': 'false',
  'rollback-to': '',
  reason: '',
  force: 'false',
  'take-over': 'false',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;
export const INPUT_NAMES = Object.keys(INPUT_DEFAULTS) as InputName[];
export type RawInputs = Record<InputName, string>;

export const MODES = ['deploy', 'rollback', 'gate', 'status'] as const;
export type Mode = (typeof MODES)[number];


export interface Settings {
  mode: Mode;
  environment: string;
  token: string;
  deployCommand: string;
  rollbackCommand: string;
  checks: Check[];
  healthWindowMs: number;
  healthIntervalMs: number;
  healthInitialDelayMs: number;
  failureThreshold: number;
  /** More failed rounds than this in the window make the deploy unhealthy; undefined: no budget. */
  maxFailedRounds: number | undefined;
  /** This many consecutive inconclusive rounds make the deploy unhealthy; 0: never. */
  inconclusiveThreshold: number;
  dryRun: boolean;
  /**
   * Known secrets, masked in the log and redacted from issues, deployments, the summary, outputs
   * and notices: the token, check header values from the environment, URL credentials and query
   * tokens, the webhook URL and DEPLOY_ENV's values.
   */
  secrets: string[];
  /** rollback mode: the raw `rollback-to` ('' = known-good), why, and whether unproven targets are allowed. */
  rollbackTo: string;
  reason: string;
  force: boolean;
  /** rollback mode: end the deploy-guard deployments that hold the environment (a lost runner's) and go on. */
  takeOver: boolean;
  /** A closed incident unblocks only if its closer has at least this role; undefined: anyone. */
  incidentCloserRole: Role | undefined;
  requestTimeoutMs: number;
  /** http and prometheus checks go through the proxy the environment names (HTTPS_PROXY, NO_PROXY). */
  healthChecksUseProxy: boolean;
  /** http and prometheus checks may reach link-local and cloud metadata addresses (core/address-policy.ts). */
  healthAllowLinkLocal: boolean;
  deployTimeoutMs: number;
  tagPrefix: string;
  incidentLabel: string;
  /** A closed incident unblocks only once its root cause and corrective actions are written. */
  requirePostmortem: boolean;
  /** Where rollbacks, blocked deploys and recoveries are announced (a secret URL), and how. */
  notify: { url: string; format: NotifyFormat } | undefined;
}

export const NOTIFY_FORMATS: readonly NotifyFormat[] = ['slack', 'discord', 'json'];

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/**
 * Reads each input through `read` (which returns '' for an unset input) and validates them all.
 * `env` is where check headers written as `{ env: NAME }` come from.
 */
export async function readSettings(read: (name: InputName) => string, env: NodeJS.ProcessEnv = {}): Promise<SettingsResult> {
  const raw = Object.fromEntries(
    INPUT_NAMES.map((name) => {
      const value = read(name).trim();
      return [name, value === '' ? INPUT_DEFAULTS[name] : value];
    }),
  ) as RawInputs;
  const errors: string[] = [];
  const fail = (input: InputName, message: string) => errors.push(`Input "${input}": ${message}`);

  const mode = raw.mode as Mode;
  if (!MODES.includes(mode)) fail('mode', `"${raw.mode}" is not a mode; use one of ${MODES.join(', ')}`);

  const envError = environmentError(raw.environment);
  if (envError) fail('environment', envError);
  const prefixError = tagPrefixError(raw['tag-prefix']);
  if (prefixError) fail('tag-prefix', prefixError);
  if (!raw['incident-label'] || raw['incident-label'].length > 50) {
    fail('incident-label', 'must be 1 to 50 characters (GitHub label names are at most 50)');
  } else if (raw['incident-label'].includes(',')) {
    // GitHub's issue listing reads `labels` as a comma-separated list: "a,b" would ask for two labels.
    fail('incident-label', `"${raw['incident-label']}" contains a comma, which GitHub's issue search reads as two labels; use a label name without commas`);
  } else if (raw['incident-label'].trim() !== raw['incident-label']) {
    fail('incident-label', `"${raw['incident-label']}" starts or ends with a space, which GitHub drops from label names; remove it`);
  }
  const token = raw['github-token'];
  if (!token || token === INPUT_DEFAULTS['github-token']) {
    fail('github-token', 'is empty; pass a token with contents, deployments and issues write access, e.g. ${{ github.token }}');
  }

  const duration = (input: InputName & keyof typeof DURATION_MAX_MS): number => {
    // A zero window is one round of checks right after the deploy command (no watching).
    if ((input === 'health-initial-delay' || input === 'health-window') && /^0+(ms|s|m|h)?$/.test(raw[input])) return 0;
    const result = parseDuration(raw[input], DURATION_MAX_MS[input]);
    if (!result.ok) {
      fail(input, result.error);
      return NaN;
    }
    return result.ms;
  };
  const healthWindowMs = duration('health-window');
  const healthIntervalMs = duration('health-interval');
  const requestTimeoutMs = duration('request-timeout');
  const deployTimeoutMs = duration('deploy-timeout');
  const healthInitialDelayMs = duration('health-initial-delay');
  if (healthWindowMs > 0 && healthIntervalMs > healthWindowMs) {
    fail('health-interval', `${raw['health-interval']} is longer than health-window ${raw['health-window']}; the window would hold a single round`);
  }
  if (requestTimeoutMs > healthIntervalMs) {
    fail('request-timeout', `${raw['request-timeout']} is longer than health-interval ${raw['health-interval']}; a round must be able to finish before the next one is due`);
  }

  const count = (input: InputName, min: number): number => {
    const n = Number(raw[input]);
    if (!/^\d+$/.test(raw[input]) || n < min) fail(input, `"${raw[input]}" must be a whole number of rounds, ${min} or more`);
    return n;
  };
  const failureThreshold = count('failure-threshold', 1);
  const maxFailedRounds = raw['max-failed-rounds'] ? count('max-failed-rounds', 0) : undefined;
  const inconclusiveThreshold = count('inconclusive-threshold', 0);
  const dryRun = raw['dry-run'] === 'true';
  if (!dryRun && raw['dry-run'] !== 'false') fail('dry-run', `"${raw['dry-run']}" must be true or false`);
  const healthChecksUseProxy = raw['health-checks-use-proxy'] === 'true';
  if (!healthChecksUseProxy && raw['health-checks-use-proxy'] !== 'false') {
    fail('health-checks-use-proxy', `"${raw['health-checks-use-proxy']}" must be true (checks go through HTTPS_PROXY/HTTP_PROXY) or false (checks connect directly)`);
  }
  const healthAllowLinkLocal = raw['health-allow-link-local'] === 'true';
  if (!healthAllowLinkLocal && raw['health-allow-link-local'] !== 'false') {
    fail('health-allow-link-local', `"${raw['health-allow-link-local']}" must be true (checks may reach link-local and cloud metadata addresses) or false (they may not)`);
  }

  const checks: Check[] = [];
  // Known secrets: masked in the log, and redacted from everything deploy-guard writes (core/redact.ts).
  const secrets: string[] = [];
  if (token && token !== INPUT_DEFAULTS['github-token']) secrets.push(token);
  secrets.push(...deployEnvSecrets(env.DEPLOY_ENV));
  if (raw['health-url']) {
    const url = urlError(raw['health-url']);
    if (url) fail('health-url', url);
    else {
      checks.push({
        type: 'http',
        name: 'health-url',
        url: raw['health-url'],
        method: 'GET',
        headers: {},
        statusRanges: [[200, 299]],
        redirects: 'same-host',
        timeoutMs: requestTimeoutMs,
      });
      secrets.push(...urlSecrets(raw['health-url']));
    }
  }
  if (raw.checks) {
    // Loaded only when used: the YAML parser and zod are most of the bundle's weight.
    const { parseChecks } = await import('./health/checks-input.ts');
    const parsed = parseChecks(raw.checks, { defaultTimeoutMs: requestTimeoutMs, env });
    if (!parsed.ok) parsed.errors.forEach((e) => fail('checks', e));
    else {
      checks.push(...parsed.checks);
      secrets.push(...parsed.secrets);
    }
  }
  const slowest = checks.find((c) => c.timeoutMs > healthIntervalMs);
  if (slowest && raw.checks) {
    fail('checks', `check "${slowest.name}" has a timeout longer than health-interval ${raw['health-interval']}; a round must be able to finish before the next one is due`);
  }
  if (!healthAllowLinkLocal) {
    // What the URL itself names; a host name that resolves to such an address is refused when probed.
    checks.forEach((check, index) => {
      if (check.type !== 'http' && check.type !== 'prometheus') return;
      const refused = refusedHost(new URL(check.url).hostname);
      const fromHealthUrl = index === 0 && raw['health-url'] !== '' && !urlError(raw['health-url']);
      if (refused) fail(fromHealthUrl ? 'health-url' : 'checks', `${fromHealthUrl ? '' : `check "${check.name}": `}${refused}; set health-allow-link-local: true to check it`);
    });
  }

  const deployCommand = raw['deploy-command'];
  if (mode === 'deploy' && !deployCommand) {
    fail('deploy-command', 'is required in deploy mode: the bash command that deploys the checked-out version');
  }
  if (mode === 'rollback' && !deployCommand && !raw['rollback-command']) {
    fail('rollback-command', 'is required in rollback mode (or deploy-command): the bash command run in a checkout of the target');
  }
  if ((mode === 'deploy' || mode === 'rollback') && !raw['health-url'] && !raw.checks) {
    fail('health-url', `${mode} mode needs health-url or checks: without a health check nothing can show the ${mode} is healthy`);
  }
  const closerRole = raw['incident-closer-role'] || undefined;
  if (closerRole && !ROLES.includes(closerRole as Role)) {
    fail('incident-closer-role', `"${closerRole}" is not a repository role; use one of ${ROLES.join(', ')}, or leave it empty`);
  }
  const requirePostmortem = raw['require-postmortem'] === 'true';
  if (!requirePostmortem && raw['require-postmortem'] !== 'false') fail('require-postmortem', `"${raw['require-postmortem']}" must be true or false`);
  const format = raw['notify-format'] as NotifyFormat;
  if (!NOTIFY_FORMATS.includes(format)) fail('notify-format', `"${raw['notify-format']}" is not a format; use one of ${NOTIFY_FORMATS.join(', ')}`);
  const webhook = raw['notify-webhook'];
  if (webhook) {
    // The URL is a secret (it carries the webhook's token): never echo it back.
    let parsed: URL | undefined;
    try {
      parsed = new URL(webhook);
    } catch {
      parsed = undefined;
    }
    const credentials = parsed && urlCredentialsError(parsed);
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      fail('notify-webhook', 'is not an http(s) URL; pass the webhook URL from a secret, e.g. ${{ secrets.DEPLOY_WEBHOOK }}');
    } else if (credentials) fail('notify-webhook', credentials);
    else secrets.push(...secretUrlParts(webhook));
  }
  const force = raw.force === 'true';
  if (!force && raw.force !== 'false') fail('force', `"${raw.force}" must be true or false`);
  const takeOver = raw['take-over'] === 'true';
  if (!takeOver && raw['take-over'] !== 'false') fail('take-over', `"${raw['take-over']}" must be true or false`);
  if (mode !== 'rollback' && takeOver) fail('take-over', `is only used in rollback mode (mode is ${raw.mode})`);
  if (mode === 'rollback' && !raw.reason) fail('reason', 'is required in rollback mode: say why, it goes on the deployment and the incident');
  if (mode !== 'rollback' && (raw['rollback-to'] || force)) {
    fail(raw['rollback-to'] ? 'rollback-to' : 'force', `is only used in rollback mode (mode is ${raw.mode})`);
  }

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      mode,
      // GitHub treats environment names case-insensitively: Production and production are one
      // environment, so deploy-guard's tags, records, markers and deployments use one spelling.
      environment: raw.environment.toLowerCase(),
      token,
      deployCommand,
      rollbackCommand: raw['rollback-command'] || deployCommand,
      checks,
      healthWindowMs,
      healthIntervalMs,
      healthInitialDelayMs,
      failureThreshold,
      maxFailedRounds,
      inconclusiveThreshold,
      dryRun,
      secrets,
      rollbackTo: raw['rollback-to'],
      reason: raw.reason,
      force,
      takeOver,
      incidentCloserRole: closerRole as Role | undefined,
      requestTimeoutMs,
      healthChecksUseProxy,
      healthAllowLinkLocal,
      deployTimeoutMs,
      tagPrefix: raw['tag-prefix'],
      incidentLabel: raw['incident-label'],
      requirePostmortem,
      notify: webhook ? { url: webhook, format } : undefined,
    },
  };
}
