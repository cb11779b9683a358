import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';

/** The `inputs` of an action.yml, as the runner sees them. */
export interface ActionInputSpec {
  description?: string;
  required?: boolean;
  default?: string;
}

/**
 * action.yml belonging to a bundled entry: `<repo>/dist/x.js` -> `<repo>/action.yml`
 * (or action.yaml). Only entries inside a `dist` directory are matched, so a
 * throwaway script in a temp dir never picks up an unrelated file.
 */
export function findActionYml(entry: string): string | undefined {
  const dir = dirname(entry);
  if (basename(dir) !== 'dist') return undefined;
  for (const name of ['action.yml', 'action.yaml']) {
    const candidate = join(dirname(dir), name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function readActionInputs(actionYml: string): Promise<Record<string, ActionInputSpec>> {
  const doc: unknown = parse(await readFile(actionYml, 'utf8'));
  const inputs = (doc as { inputs?: unknown } | null)?.inputs;
  if (inputs === undefined || inputs === null) return {};
  if (typeof inputs !== 'object' || Array.isArray(inputs)) {
    throw new Error(`${actionYml}: inputs must be a mapping`);
  }
  const result: Record<string, ActionInputSpec> = {};
  for (const [name, raw] of Object.entries(inputs as Record<string, unknown>)) {
    const spec = (raw ?? {}) as Record<string, unknown>;
    const entry: ActionInputSpec = {};
    if (typeof spec.description === 'string') entry.description = spec.description;
    if (typeof spec.required === 'boolean') entry.required = spec.required;
    if (spec.default !== undefined && spec.default !== null) entry.default = String(spec.default);
    result[name] = entry;
  }
  return result;
}

/**
 * Evaluates the `${{ ... }}` expressions the runner would evaluate in an
 * input default. Supported: `github.token` (from `githubToken`), `github.<x>`
 * (from env GITHUB_<X>), `runner.<x>` (from env RUNNER_<X>). Anything else
 * throws, so a test has to pass that input explicitly instead of silently
 * getting a wrong value.
 */
export function evaluateDefault(
  template: string,
  env: Record<string, string>,
  githubToken: string,
): string {
  return template.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_match, expression: string) => {
    if (expression === 'github.token') return githubToken;
    const context = /^(github|runner)\.([a-z_]+)$/.exec(expression);
    if (context) {
      const value = env[`${context[1]!.toUpperCase()}_${context[2]!.toUpperCase()}`];
      if (value !== undefined) return value;
    }
    throw new Error(`cannot evaluate input default "${template}" (expression "${expression}"); pass the input explicitly`);
  });
}
