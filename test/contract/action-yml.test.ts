import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OUTPUT_NAMES } from '../../src/core/outcome.ts';
import { INPUT_DEFAULTS } from '../../src/settings.ts';

const action = parse(await readFile(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post: string };
  branding: { icon: string; color: string };
};

describe('action.yml', () => {
  it('declares exactly the inputs the settings read, with the same defaults', () => {
    const declared = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, String(input.default ?? '')]));
    expect(declared).toEqual(INPUT_DEFAULTS);
  });

  it('makes no input required, so a missing one gets the settings error that names it', () => {
    for (const input of Object.values(action.inputs)) expect(input.required).toBe(false);
  });

  it('declares exactly the outputs the action sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  });

  it('runs the bundled main and post entry points on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post.js' });
    expect(action.branding.icon).toBeTruthy();
  });
});
