// The `stages` input: a YAML list of the stages a deploy goes out in, validated with zod like the
// `checks` input; a bad entry is reported by index and field (`stages[1].window: ...`).
import * as z from 'zod/mini';
import { checkListOf, readYaml } from '../health/checks-input.ts';
import type { Check } from '../health/check-types.ts';
import { DURATION_MAX_MS, parseDuration } from '../core/duration.ts';
import { MAX_STAGES, STAGE_NAME, STAGE_NAME_MAX } from '../core/stages.ts';

/** A stage as the input gives it; `checks` undefined: the top-level checks. */
export interface StageInput {
  name: string;
  command: string;
  window: { ms: number; text: string };
  checks: Check[] | undefined;
}

/** The stages, validated, with their checks' secrets; their checks' default timeout is request-timeout's. */
export type StageList = { ok: true; secrets: string[]; withDefaultTimeout: (defaultTimeoutMs: number) => StageInput[] } | { ok: false; errors: string[] };

const EXAMPLE = '"- name: canary", "command: ./deploy.sh canary", "window: 5m"';

const stageSchema = z.strictObject({
  name: z.string({ error: `must be the stage's name, e.g. canary` }).check(
    z.maxLength(STAGE_NAME_MAX, `must be at most ${STAGE_NAME_MAX} characters`),
    z.regex(STAGE_NAME, 'must be letters, digits and . _ % + -, words apart by single spaces (e.g. canary, 10%, all hosts)'),
  ),
  command: z.string({ error: 'must be the bash command that deploys this stage, e.g. ./deploy.sh canary' }).check(z.minLength(1, 'must not be empty')),
  window: z.string({ error: 'must be a duration such as 30s, 5m or 1h (quote it if YAML reads it as a number)' }).check(
    z.superRefine((text, ctx) => {
      if (windowMs(text) === undefined) {
        const read = parseDuration(text, DURATION_MAX_MS['health-window']);
        ctx.addIssue({ code: 'custom', message: read.ok ? 'is not a duration' : read.error });
      }
    }),
  ),
  checks: z.optional(z.unknown()),
});

/** Like health-window: 0 is one round of checks right after the stage's command. */
function windowMs(text: string): number | undefined {
  if (/^0+(ms|s|m|h)?$/.test(text)) return 0;
  const read = parseDuration(text, DURATION_MAX_MS['health-window']);
  return read.ok ? read.ms : undefined;
}

export function readStageList(text: string, env: NodeJS.ProcessEnv): StageList {
  const read = readYaml(text);
  if ('errors' in read) return read;
  const doc = read.doc;
  if (!Array.isArray(doc) || doc.length === 0) return { ok: false, errors: [`must be a YAML list of stages, each with a name, a command and a window: ${EXAMPLE}`] };
  if (doc.length > MAX_STAGES) return { ok: false, errors: [`lists ${doc.length} stages; at most ${MAX_STAGES} are allowed (each one is a window to wait out)`] };
  const errors: string[] = [];
  const secrets: string[] = [];
  const stages: Array<Omit<StageInput, 'checks'> & { checks: ((ms: number) => Check[]) | undefined }> = [];
  doc.forEach((entry, index) => {
    const read = stageSchema.safeParse(entry);
    if (!read.success) {
      for (const issue of read.error.issues) errors.push(`stages[${index}]${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
      return;
    }
    const { name, command, window, checks } = read.data;
    const own = checks === undefined ? undefined : checkListOf(checks, env, `stages[${index}].checks`);
    if (own && !own.ok) return void errors.push(...own.errors);
    if (own && Array.isArray(checks) && checks.length === 0) return void errors.push(`stages[${index}].checks: is empty; leave it out to watch this stage with the top-level checks`);
    if (own?.ok) secrets.push(...own.secrets);
    stages.push({ name, command, window: { ms: windowMs(window)!, text: window }, checks: own?.ok ? own.withDefaultTimeout : undefined });
  });
  // Read from every entry, so a duplicate is named even beside an entry with other errors.
  const names = doc.map((entry: unknown) => (entry as { name?: unknown } | null)?.name).filter((name) => typeof name === 'string');
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) errors.push(`two stages are named "${duplicate}"; give each stage its own name`);
  if (errors.length) return { ok: false, errors };
  return { ok: true, secrets, withDefaultTimeout: (ms) => stages.map((s) => ({ ...s, checks: s.checks?.(ms) })) };
}
