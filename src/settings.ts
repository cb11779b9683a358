// Inputs -> one typed Settings. Every input error is reported at once, each naming its input.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDuration } from './core/duration.ts';
import { environmentError, tagPrefixError } from './core/tag-names.ts';

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
  'failure-threshold': '3',
  'request-timeout': '5s',
  'deploy-timeout': '30m',
  'tag-prefix': 'deploy-guard',
  'incident-label': 'deploy-incident',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;
export const INPUT_NAMES = Object.keys(INPUT_DEFAULTS) as InputName[];
export type RawInputs = Record<InputName, string>;

export const MODES = ['deploy', 'gate'] as const;
export type Mode = (typeof MODES)[number];

export interface HttpCheck {
  type: 'http';
  name: string;
  url: string;
  /** Inclusive ranges of accepted status codes. */
  statusRanges: Array<[number, number]>;
  bodyContains?: string;
  timeoutMs: number;
}
export type Check = HttpCheck;

export interface Settings {
  mode: Mode;
  environment: string;
  token: string;
  deployCommand: string;
  rollbackCommand: string;
  checks: Check[];
  healthWindowMs: number;
  healthIntervalMs: number;
  failureThreshold: number;
  requestTimeoutMs: number;
  deployTimeoutMs: number;
  tagPrefix: string;
  incidentLabel: string;
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/** Reads each input through `read` (which returns '' for an unset input) and validates them all. */
export function readSettings(read: (name: InputName) => string): SettingsResult {
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
  }
  const token = raw['github-token'];
  if (!token || token === INPUT_DEFAULTS['github-token']) {
    fail('github-token', 'is empty; pass a token with contents, deployments and issues write access, e.g. ${{ github.token }}');
  }

  const duration = (input: InputName): number => {
    const result = parseDuration(raw[input]);
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
  if (healthIntervalMs > healthWindowMs) {
    fail('health-interval', `${raw['health-interval']} is longer than health-window ${raw['health-window']}; the window would hold a single round`);
  }
  if (requestTimeoutMs > healthIntervalMs) {
    fail('request-timeout', `${raw['request-timeout']} is longer than health-interval ${raw['health-interval']}; a round must be able to finish before the next one is due`);
  }

  const failureThreshold = Number(raw['failure-threshold']);
  if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
    fail('failure-threshold', `"${raw['failure-threshold']}" must be a whole number of rounds, 1 or more`);
  }

  const checks: Check[] = [];
  if (raw['health-url']) {
    const url = urlError(raw['health-url']);
    if (url) fail('health-url', url);
    else checks.push({ type: 'http', name: 'health-url', url: raw['health-url'], statusRanges: [[200, 299]], timeoutMs: requestTimeoutMs });
  }
  if (raw.checks) {
    const parsed = parseChecks(raw.checks, requestTimeoutMs);
    if ('errors' in parsed) parsed.errors.forEach((e) => fail('checks', e));
    else checks.push(...parsed.checks);
  }

  const deployCommand = raw['deploy-command'];
  if (mode === 'deploy') {
    if (!deployCommand) fail('deploy-command', 'is required in deploy mode: the bash command that deploys the checked-out version');
    if (!raw['health-url'] && !raw.checks) {
      fail('health-url', 'deploy mode needs health-url or checks: without a health check nothing can show the deploy is healthy');
    }
  }

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      mode,
      environment: raw.environment,
      token,
      deployCommand,
      rollbackCommand: raw['rollback-command'] || deployCommand,
      checks,
      healthWindowMs,
      healthIntervalMs,
      failureThreshold,
      requestTimeoutMs,
      deployTimeoutMs,
      tagPrefix: raw['tag-prefix'],
      incidentLabel: raw['incident-label'],
    },
  };
}

function urlError(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL; write a full URL such as https://example.com/health`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${text}" must be an http:// or https:// URL`;
  return undefined;
}

const durationText = z.string().refine((t) => parseDuration(t).ok, { message: 'must be a duration such as 500ms, 5s or 1m' });
const statusSpec = z.union([z.number().int(), z.string()]);

const httpCheckSchema = z.strictObject({
  type: z.literal('http'),
  name: z.string().min(1).optional(),
  url: z.string().refine((u) => !urlError(u), { message: 'must be a full http:// or https:// URL' }),
  'expect-status': statusSpec.optional(),
  'body-contains': z.string().min(1).optional(),
  timeout: durationText.optional(),
});
const checkSchema = z.discriminatedUnion('type', [httpCheckSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'type must be one of: http' : undefined),
});

function parseChecks(text: string, defaultTimeoutMs: number): { checks: Check[] } | { errors: string[] } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    return { errors: [`is not valid YAML: ${(error as Error).message.split('\n')[0]}`] };
  }
  if (!Array.isArray(doc)) return { errors: ['must be a YAML list of checks, each starting with "- type: http"'] };
  const errors: string[] = [];
  const checks: Check[] = [];
  doc.forEach((entry, index) => {
    const result = checkSchema.safeParse(entry);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.length ? `.${issue.path.join('.')}` : '';
        errors.push(`checks[${index}]${field}: ${issue.message}`);
      }
      return;
    }
    const c = result.data;
    const ranges = parseStatusRanges(c['expect-status'] ?? '200-299');
    if (typeof ranges === 'string') {
      errors.push(`checks[${index}].expect-status: ${ranges}`);
      return;
    }
    const timeoutMs = c.timeout ? (parseDuration(c.timeout) as { ms: number }).ms : defaultTimeoutMs;
    checks.push({
      type: 'http',
      name: c.name ?? `http ${index + 1}`,
      url: c.url,
      statusRanges: ranges,
      ...(c['body-contains'] ? { bodyContains: c['body-contains'] } : {}),
      timeoutMs,
    });
  });
  const names = checks.map((c) => c.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) errors.push(`two checks are named "${duplicate}"; give each check its own name`);
  return errors.length ? { errors } : { checks };
}

/** "200", "200-299", "200-299,304" or a number -> inclusive ranges; a string on error. */
export function parseStatusRanges(spec: number | string): Array<[number, number]> | string {
  const ranges: Array<[number, number]> = [];
  for (const part of String(spec).split(',')) {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3}))?\s*$/.exec(part);
    if (!match) return `"${spec}" must be status codes or ranges such as 200, 200-299 or 200-299,304`;
    const low = Number(match[1]);
    const high = Number(match[2] ?? match[1]);
    if (low < 100 || high > 599 || low > high) return `"${part.trim()}" is not a range of HTTP status codes (100-599)`;
    ranges.push([low, high]);
  }
  return ranges;
}
