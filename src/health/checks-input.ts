// The `checks` input: a YAML list validated with zod. A bad entry is reported by index and field.
import { parse as parseYaml } from 'yaml';
import en from 'zod/v4/locales/en.js';
import * as z from 'zod/mini';
import type { Check } from './check-types.ts';
import { DURATION_MAX_MS, parseDuration } from '../core/duration.ts';
import { parseStatusRanges, urlCredentialsError, urlError } from '../core/http-spec.ts';
import { urlSecrets } from '../core/redact.ts';

export interface ChecksContext {
  /** Default per-probe timeout (the request-timeout input). */
  defaultTimeoutMs: number;
  /** Where header values written as `{ env: NAME }` are read from. */
  env: NodeJS.ProcessEnv;
}

export type ChecksResult = { ok: true; checks: Check[]; secrets: string[] } | { ok: false; errors: string[] };

// zod/mini (the tree-shakable build of zod) with its English messages: a twentieth of zod's size.
z.config(en());

/** A duration of at most `maxMs` (Node's timers overflow past about 596 hours). */
const durationUpTo = (maxMs: number) =>
  z.string().check(
    z.superRefine((text, ctx) => {
      if (!parseDuration(text, Number.POSITIVE_INFINITY).ok) ctx.addIssue({ code: 'custom', message: 'must be a duration such as 500ms, 5s or 1m' });
      else {
        const bounded = parseDuration(text, maxMs);
        if (!bounded.ok) ctx.addIssue({ code: 'custom', message: bounded.error });
      }
    }),
  );
// Never echoes the URL: it may carry credentials.
const httpUrl = z.string().check(
  z.superRefine((text, ctx) => {
    const problem = urlError(text);
    if (!problem) return;
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    const credentials = url && /^https?:$/.test(url.protocol) ? urlCredentialsError(url) : undefined;
    ctx.addIssue({ code: 'custom', message: credentials ?? 'must be a full http:// or https:// URL' });
  }),
);
const nonEmpty = () => z.string().check(z.minLength(1));
const common = {
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(60))),
  timeout: z.optional(durationUpTo(DURATION_MAX_MS['check-timeout'])),
  'on-failure': z.optional(z.enum(['roll-back', 'warn'])),
};

const httpSchema = z.strictObject({
  type: z.literal('http'),
  ...common,
  url: httpUrl,
  method: z.optional(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'])),
  headers: z.optional(
    z.record(
      nonEmpty(),
      z.union([z.string(), z.strictObject({ env: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')) })]),
    ),
  ),
  'expect-status': z.optional(z.union([z.number().check(z.int()), z.string()])),
  'body-contains': z.optional(nonEmpty()),
  'body-matches': z.optional(z.string().check(z.minLength(1), z.refine(isRegex, { message: 'must be a valid regular expression' }))),
  'max-latency': z.optional(durationUpTo(DURATION_MAX_MS['max-latency'])),
  redirects: z.optional(z.enum(['same-host', 'any', 'none'])),
});
const tcpSchema = z.strictObject({
  type: z.literal('tcp'),
  ...common,
  host: nonEmpty(),
  port: z.number().check(z.int(), z.minimum(1), z.maximum(65535)),
});
const commandSchema = z.strictObject({
  type: z.literal('command'),
  ...common,
  run: nonEmpty(),
});
const positive = () => z.optional(z.number().check(z.positive()));
const prometheusSchema = z
  .strictObject({
    type: z.literal('prometheus'),
    ...common,
    url: httpUrl,
    query: nonEmpty(),
    max: z.optional(z.number()),
    min: z.optional(z.number()),
    'max-ratio-to-baseline': positive(),
    'min-ratio-to-baseline': positive(),
    'baseline-floor': positive(),
    'on-no-data': z.optional(z.enum(['fail', 'pass', 'inconclusive'])),
  })
  .check(
    z.superRefine((c, ctx) => {
      const ratio = c['max-ratio-to-baseline'] !== undefined || c['min-ratio-to-baseline'] !== undefined;
      if (!ratio && c.max === undefined && c.min === undefined) {
        ctx.addIssue({ code: 'custom', message: 'needs a bound: max, min, max-ratio-to-baseline or min-ratio-to-baseline' });
      }
      if (ratio && c['baseline-floor'] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['baseline-floor'],
          message: 'is required with a ratio bound: the smallest baseline that counts (a zero baseline would make any value an infinite ratio), e.g. 0.01 for an error rate',
        });
      }
    }),
  );

const CHECK_TYPES = ['http', 'tcp', 'command', 'prometheus'];
const checkSchema = z.discriminatedUnion('type', [httpSchema, tcpSchema, commandSchema, prometheusSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? `type must be one of: ${CHECK_TYPES.join(', ')}` : undefined),
});
type CheckInput = z.infer<typeof checkSchema>;

export function parseChecks(text: string, context: ChecksContext): ChecksResult {
  const list = readCheckList(text, context.env);
  return list.ok ? { ok: true, checks: list.withDefaultTimeout(context.defaultTimeoutMs), secrets: list.secrets } : list;
}

/** A check as the input gives it, before a check without its own timeout is given the default. */
type UntimedCheck<C = Check> = C extends Check ? Omit<C, 'timeoutMs'> : never;

/**
 * The checks, validated, with their secrets. The default timeout is another input's
 * (request-timeout), so the settings apply it once that input is read.
 */
export type CheckList = { ok: true; secrets: string[]; withDefaultTimeout: (defaultTimeoutMs: number) => Check[] } | { ok: false; errors: string[] };

export function readCheckList(text: string, env: NodeJS.ProcessEnv): CheckList {
  const read = readYaml(text);
  return 'errors' in read ? read : checkListOf(read.doc, env);
}

/** An input's YAML, or the parser's first line of complaint. */
export function readYaml(text: string): { doc: unknown } | { ok: false; errors: string[] } {
  try {
    return { doc: parseYaml(text) };
  } catch (error) {
    return { ok: false, errors: [`is not valid YAML: ${(error as Error).message.split('\n')[0]}`] };
  }
}

/**
 * The checks of a list already read from YAML; `label` names it in errors (`checks`, or a stage's
 * `stages[1].checks`).
 */
export function checkListOf(doc: unknown, env: NodeJS.ProcessEnv, label = 'checks'): CheckList {
  if (!Array.isArray(doc)) return { ok: false, errors: [`${label === 'checks' ? '' : `${label}: `}must be a YAML list of checks, each starting with "- type: http" (or tcp, command, prometheus)`] };
  const errors: string[] = [];
  const checks: Array<{ check: UntimedCheck; timeoutMs: number | undefined }> = [];
  const secrets: string[] = [];
  doc.forEach((entry, index) => {
    const result = checkSchema.safeParse(entry);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.length ? `.${issue.path.join('.')}` : '';
        errors.push(`${label}[${index}]${field}: ${issue.message}`);
      }
      return;
    }
    const built = buildCheck(result.data, index, env, secrets, label);
    const onFailure = result.data['on-failure'] === 'warn' ? { onFailure: 'warn' as const } : {};
    if (typeof built === 'string') errors.push(built);
    else checks.push({ check: { ...built, ...onFailure }, timeoutMs: result.data.timeout ? msOf(result.data.timeout) : undefined });
  });
  const names = checks.map((c) => c.check.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) errors.push(`${label === 'checks' ? '' : `${label}: `}two checks are named "${duplicate}"; give each check its own name`);
  if (errors.length) return { ok: false, errors };
  return { ok: true, secrets, withDefaultTimeout: (defaultTimeoutMs) => checks.map(({ check, timeoutMs }) => ({ ...check, timeoutMs: timeoutMs ?? defaultTimeoutMs })) };
}

function buildCheck(c: CheckInput, index: number, env: NodeJS.ProcessEnv, secrets: string[], label: string): UntimedCheck | string {
  const name = c.name ?? `${c.type} ${index + 1}`;
  switch (c.type) {
    case 'http': {
      const ranges = parseStatusRanges(c['expect-status'] ?? '200-299');
      if (typeof ranges === 'string') return `${label}[${index}].expect-status: ${ranges}`;
      const headers: Record<string, string> = {};
      for (const [header, value] of Object.entries(c.headers ?? {})) {
        if (typeof value === 'string') {
          headers[header] = value;
          continue;
        }
        const secret = env[value.env];
        if (!secret) return `${label}[${index}].headers.${header}: environment variable ${value.env} is not set; pass it with env: on the step`;
        headers[header] = secret;
        secrets.push(secret);
        // "Bearer <token>": the token alone is a secret too, wherever it shows up without its scheme.
        const credentials = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(secret.trim())?.[1];
        if (credentials) secrets.push(credentials);
      }
      secrets.push(...urlSecrets(c.url));
      return {
        type: 'http',
        name,
        url: c.url,
        method: c.method ?? 'GET',
        headers,
        statusRanges: ranges,
        redirects: c.redirects ?? 'same-host',
        ...(c['body-contains'] ? { bodyContains: c['body-contains'] } : {}),
        ...(c['body-matches'] ? { bodyMatches: c['body-matches'] } : {}),
        ...(c['max-latency'] ? { maxLatencyMs: msOf(c['max-latency']) } : {}),
      };
    }
    case 'tcp':
      return { type: 'tcp', name, host: c.host, port: c.port };
    case 'command':
      return { type: 'command', name, run: c.run };
    case 'prometheus': {
      secrets.push(...urlSecrets(c.url));
      return {
        type: 'prometheus',
        name,
        url: c.url,
        query: c.query,
        onNoData: c['on-no-data'] ?? 'inconclusive',
        ...(c.max !== undefined ? { max: c.max } : {}),
        ...(c.min !== undefined ? { min: c.min } : {}),
        ...(c['max-ratio-to-baseline'] !== undefined ? { maxRatioToBaseline: c['max-ratio-to-baseline'] } : {}),
        ...(c['min-ratio-to-baseline'] !== undefined ? { minRatioToBaseline: c['min-ratio-to-baseline'] } : {}),
        ...(c['baseline-floor'] !== undefined ? { baselineFloor: c['baseline-floor'] } : {}),
      };
    }
  }
}

function msOf(text: string): number {
  const result = parseDuration(text);
  return result.ok ? result.ms : NaN;
}

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
