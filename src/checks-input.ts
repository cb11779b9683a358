// The `checks` input: a YAML list validated with zod. A bad entry is reported by index and field.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Check } from './check-types.ts';
import { parseDuration } from './core/duration.ts';

export interface ChecksContext {
  /** Default per-probe timeout (the request-timeout input). */
  defaultTimeoutMs: number;
  /** Where header values written as `{ env: NAME }` are read from. */
  env: NodeJS.ProcessEnv;
}

export type ChecksResult = { ok: true; checks: Check[]; secrets: string[] } | { ok: false; errors: string[] };

const duration = z.string().refine((t) => parseDuration(t).ok, { message: 'must be a duration such as 500ms, 5s or 1m' });
const httpUrl = z.string().refine((u) => !urlError(u), { message: 'must be a full http:// or https:// URL' });
const common = { name: z.string().min(1).max(60).optional(), timeout: duration.optional() };

const httpSchema = z.strictObject({
  type: z.literal('http'),
  ...common,
  url: httpUrl,
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS']).optional(),
  headers: z.record(z.string().min(1), z.union([z.string(), z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') })])).optional(),
  'expect-status': z.union([z.number().int(), z.string()]).optional(),
  'body-contains': z.string().min(1).optional(),
  'body-matches': z.string().min(1).refine(isRegex, { message: 'must be a valid regular expression' }).optional(),
  'max-latency': duration.optional(),
  redirects: z.enum(['same-host', 'any', 'none']).optional(),
});
const tcpSchema = z.strictObject({
  type: z.literal('tcp'),
  ...common,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});
const commandSchema = z.strictObject({
  type: z.literal('command'),
  ...common,
  run: z.string().min(1),
});
const prometheusSchema = z
  .strictObject({
    type: z.literal('prometheus'),
    ...common,
    url: httpUrl,
    query: z.string().min(1),
    max: z.number().optional(),
    min: z.number().optional(),
    'max-ratio-to-baseline': z.number().positive().optional(),
    'min-ratio-to-baseline': z.number().positive().optional(),
    'baseline-floor': z.number().positive().optional(),
    'on-no-data': z.enum(['fail', 'pass', 'inconclusive']).optional(),
  })
  .superRefine((c, ctx) => {
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
  });

const CHECK_TYPES = ['http', 'tcp', 'command', 'prometheus'];
const checkSchema = z.discriminatedUnion('type', [httpSchema, tcpSchema, commandSchema, prometheusSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? `type must be one of: ${CHECK_TYPES.join(', ')}` : undefined),
});
type CheckInput = z.infer<typeof checkSchema>;

export function parseChecks(text: string, context: ChecksContext): ChecksResult {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    return { ok: false, errors: [`is not valid YAML: ${(error as Error).message.split('\n')[0]}`] };
  }
  if (!Array.isArray(doc)) return { ok: false, errors: ['must be a YAML list of checks, each starting with "- type: http" (or tcp, command, prometheus)'] };
  const errors: string[] = [];
  const checks: Check[] = [];
  const secrets: string[] = [];
  doc.forEach((entry, index) => {
    const result = checkSchema.safeParse(entry);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.length ? `.${issue.path.join('.')}` : '';
        errors.push(`checks[${index}]${field}: ${issue.message}`);
      }
      return;
    }
    const built = buildCheck(result.data, index, context, secrets);
    if (typeof built === 'string') errors.push(built);
    else checks.push(built);
  });
  const names = checks.map((c) => c.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) errors.push(`two checks are named "${duplicate}"; give each check its own name`);
  return errors.length ? { ok: false, errors } : { ok: true, checks, secrets };
}

function buildCheck(c: CheckInput, index: number, context: ChecksContext, secrets: string[]): Check | string {
  const name = c.name ?? `${c.type} ${index + 1}`;
  const timeoutMs = c.timeout ? msOf(c.timeout) : context.defaultTimeoutMs;
  switch (c.type) {
    case 'http': {
      const ranges = parseStatusRanges(c['expect-status'] ?? '200-299');
      if (typeof ranges === 'string') return `checks[${index}].expect-status: ${ranges}`;
      const headers: Record<string, string> = {};
      for (const [header, value] of Object.entries(c.headers ?? {})) {
        if (typeof value === 'string') {
          headers[header] = value;
          continue;
        }
        const secret = context.env[value.env];
        if (!secret) return `checks[${index}].headers.${header}: environment variable ${value.env} is not set; pass it with env: on the step`;
        headers[header] = secret;
        secrets.push(secret);
      }
      const credentials = urlCredentials(c.url);
      if (credentials) secrets.push(credentials);
      return {
        type: 'http',
        name,
        timeoutMs,
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
      return { type: 'tcp', name, timeoutMs, host: c.host, port: c.port };
    case 'command':
      return { type: 'command', name, timeoutMs, run: c.run };
    case 'prometheus': {
      const credentials = urlCredentials(c.url);
      if (credentials) secrets.push(credentials);
      return {
        type: 'prometheus',
        name,
        timeoutMs,
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

/** The password (or lone username token) of a URL, to be masked in the log. */
function urlCredentials(text: string): string | undefined {
  try {
    const url = new URL(text);
    return decodeURIComponent(url.password || url.username) || undefined;
  } catch {
    return undefined;
  }
}

export function urlError(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL; write a full URL such as https://example.com/health`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${text}" must be an http:// or https:// URL`;
  return undefined;
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
