import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as actionIo from '../../src/action-io.ts';
import { INPUT_DEFAULTS, OUTPUT_NAMES, STATE_NAMES } from '../../src/action-io.ts';
import { runAction } from '../support/runner.ts';

const REPO_ROOT = new URL('../../', import.meta.url);
const action = parse(await readFile(new URL('action.yml', REPO_ROOT), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post: string };
  branding: { icon: string; color: string };
};

describe('action.yml', () => {
  it('declares exactly the inputs of the registry, with the same defaults', () => {
    const declared = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, String(input.default ?? '')]));
    expect(declared).toEqual(INPUT_DEFAULTS);
  });

  it('makes no input required, so a missing one gets the settings error that names it', () => {
    for (const input of Object.values(action.inputs)) expect(input.required).toBe(false);
  });

  it('declares exactly the outputs of the registry', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  });

  it('runs the bundled main and post entry points on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post.js' });
    expect(action.branding.icon).toBeTruthy();
  });
});

describe('the state the main step leaves for the post step', () => {
  it('is saved and read only under the names of the registry, spelled nowhere else', async () => {
    const constants = Object.entries(actionIo).filter(([, value]) => (STATE_NAMES as readonly unknown[]).includes(value));
    expect(constants.map(([, value]) => value).sort()).toEqual([...STATE_NAMES].sort());
    const calls: string[] = [];
    for (const file of await sourceFiles()) {
      const text = await readFile(new URL(`src/${file}`, REPO_ROOT), 'utf8');
      for (const call of text.matchAll(/\b(?:saveState|getState)\(\s*([^,)]*)/g)) calls.push(`${file}: ${call[1]}`);
      if (file === 'action-io.ts') continue;
      for (const name of STATE_NAMES) expect(text, `${file} spells the state name ${name}`).not.toMatch(new RegExp(`['"\`]${name}['"\`]`));
    }
    expect(calls.length).toBeGreaterThanOrEqual(STATE_NAMES.length * 2);
    const names = constants.map(([constant]) => constant);
    for (const call of calls) expect(names, call).toContain(call.split(': ')[1]);
  });

  it('is read by the bundled post step under exactly the declared names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deploy-guard-state-reads-'));
    try {
      const reads = join(dir, 'reads');
      // Loaded before dist/post.js: records each STATE_* variable the step reads, and changes nothing.
      const recorder = join(dir, 'record-state-reads.mjs');
      await writeFile(reads, '');
      await writeFile(
        recorder,
        `import { appendFileSync } from 'node:fs';
const env = process.env;
process.env = new Proxy(env, {
  get(target, key) {
    if (typeof key === 'string' && key.startsWith('STATE_')) appendFileSync(${JSON.stringify(reads)}, key.slice(6) + '\\n');
    return Reflect.get(target, key);
  },
});
`,
      );
      const post = await runAction({
        // DEPLOY_GUARD_TEST_DIST: another build, as in the e2e suites.
        entry: join(process.env.DEPLOY_GUARD_TEST_DIST ?? new URL('dist', REPO_ROOT).pathname, 'post.js'),
        inputs: {},
        cwd: dir,
        env: { NODE_OPTIONS: `--import=${pathToFileURL(recorder).href}` },
      });
      expect(post.exitCode, post.stdout + post.stderr).toBe(0);
      const read = new Set((await readFile(reads, 'utf8')).split('\n').filter(Boolean));
      expect([...read].sort()).toEqual([...STATE_NAMES].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function sourceFiles(): Promise<string[]> {
  const files = await readdir(new URL('src/', REPO_ROOT), { recursive: true });
  return files.filter((file) => file.endsWith('.ts'));
}
