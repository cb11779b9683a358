// The examples users copy: every ```yaml block of docs/recipes/*.md and of README.md. Each must
// parse; a workflow must pass GitHub's workflow parser (calls to this repository's reusable
// workflows resolved against the local files) and the same rules as the shipped workflows; every
// deploy-guard step and every call of deploy.yml or rollback.yml must pass only real inputs, and
// its inputs must pass deploy-guard's own validation (src/settings.ts, which parses `checks` with
// src/health/checks-input.ts); a bare list of checks must pass the check parser; ```bash blocks must pass
// `bash -n`.
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseChecks } from '../../src/health/checks-input.ts';
import { INPUT_DEFAULTS, readSettings, type InputName } from '../../src/settings.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// See workflows.test.ts: tsx's loader accepts the parser's JSON imports.
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = (await tsImport('@actions/workflow-parser', import.meta.url)) as typeof import('@actions/workflow-parser');
const ACTION = 'deploy-guard/deploy-guard';
const MAJOR = `v${(JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version.split('.')[0]}`;
const RECIPES_DIR = 'docs/recipes';
const RECIPES = ['helm-kubernetes.md', 'container-behind-load-balancer.md', 'ssh-rsync-vm.md', 'static-site.md'];

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);
const asMapping = (value: unknown): Mapping => (isMapping(value) ? value : {});

const actionInputs = asMapping(asMapping(parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8'))).inputs);

/** The reusable workflows' `on.workflow_call`, by path. */
const reusable = new Map<string, Mapping>();
for (const file of ['deploy.yml', 'rollback.yml']) {
  const doc = asMapping(parse(await readFile(path.join(ROOT, '.github/workflows', file), 'utf8')));
  reusable.set(`.github/workflows/${file}`, asMapping(asMapping(doc.on).workflow_call));
}

interface Block {
  /** `<file>:<line>` of the opening fence. */
  where: string;
  file: string;
  lang: string;
  text: string;
}

async function readBlocks(file: string): Promise<Block[]> {
  const text = await readFile(path.join(ROOT, file), 'utf8');
  const found: Block[] = [];
  for (const m of text.matchAll(/^```([\w-]*)\n([\s\S]*?)^```/gm)) {
    const line = text.slice(0, m.index).split('\n').length;
    found.push({ where: `${file}:${line}`, file, lang: m[1]!, text: m[2]! });
  }
  return found;
}

const recipeFiles = (await readdir(path.join(ROOT, RECIPES_DIR))).filter((f) => f.endsWith('.md')).sort();
const files = [...recipeFiles.map((f) => `${RECIPES_DIR}/${f}`), 'README.md'];
const blocks = (await Promise.all(files.map(readBlocks))).flat();
const yamlBlocks = blocks.filter((b) => b.lang === 'yaml' || b.lang === 'yml');
const shellBlocks = blocks.filter((b) => b.lang === 'bash' || b.lang === 'sh');

// ---------------------------------------------------------------------------------------------
// GitHub's workflow parser, with this repository's reusable workflows at the current major.

const localProvider: Parameters<typeof convertWorkflowTemplate>[2] = {
  async getFileContent(ref) {
    if ('repository' in ref && `${ref.owner}/${ref.repository}` === ACTION && ref.version === MAJOR) {
      return { name: ref.path, content: await readFile(path.join(ROOT, ref.path), 'utf8') };
    }
    throw new Error(`not a workflow of ${ACTION}@${MAJOR}: ${JSON.stringify(ref)}`);
  },
};

async function parserErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  if (parsed.value) await convertWorkflowTemplate(parsed.context, parsed.value, localProvider, { fetchReusableWorkflowDepth: 1 });
  return parsed.context.errors.getErrors().map((e) => e.message);
}

// ---------------------------------------------------------------------------------------------
// What a block is.

type Shape = { kind: 'workflow'; doc: Mapping; text: string; fragment: boolean } | { kind: 'checks'; text: string } | { kind: 'unknown' };

function shapeOf(text: string): Shape {
  const doc: unknown = parse(text);
  if (isMapping(doc) && isMapping(doc.jobs)) return { kind: 'workflow', doc, text, fragment: false };
  if (Array.isArray(doc) && doc.length > 0 && doc.every((item) => isMapping(item) && typeof item.type === 'string')) return { kind: 'checks', text };
  if (Array.isArray(doc) && doc.length > 0 && doc.every((item) => isMapping(item) && ('uses' in item || 'run' in item))) {
    // Steps shown on their own: checked inside a minimal job.
    const job = { 'runs-on': 'ubuntu-latest', permissions: { contents: 'write', deployments: 'write', issues: 'write' }, steps: doc };
    const wrapped = { on: 'push', permissions: { contents: 'read' }, jobs: { example: job } };
    return { kind: 'workflow', doc: wrapped, text: stringify(wrapped), fragment: true };
  }
  return { kind: 'unknown' };
}

// ---------------------------------------------------------------------------------------------
// Rules for a workflow block.

const jobsOf = (doc: Mapping): Array<[string, Mapping]> => Object.entries(asMapping(doc.jobs)).map(([id, job]) => [id, asMapping(job)]);
const stepsOf = (job: Mapping): Mapping[] => (Array.isArray(job.steps) ? job.steps.map(asMapping) : []);
const isGuardStep = (step: Mapping): boolean => typeof step.uses === 'string' && step.uses.startsWith(`${ACTION}@`);
const CALL = new RegExp(`^${ACTION}/(\\.github/workflows/[^@]+)@(.+)$`);
const LEVELS = ['none', 'read', 'write'];
const level = (value: unknown): number => Math.max(0, LEVELS.indexOf(String(value ?? 'none')));
const WRITES = ['contents', 'deployments', 'issues'];
const COMMAND_INPUTS = ['deploy-command', 'rollback-command', 'checks'];
const WHOLE_FORWARD = /^\$\{\{\s*(inputs|vars)\.[\w-]+(\s*\|\|\s*(inputs|vars)\.[\w-]+)*\s*\}\}$/;

/** What stands in for an expression when deploy-guard's validation reads a value it cannot evaluate. */
const EXPRESSION_STANDS_IN: Partial<Record<InputName, string>> = {
  environment: 'production',
  'github-token': 'token',
  'notify-webhook': 'https://hooks.example.com/notify',
  reason: 'a reason',
  force: 'false',
  'dry-run': 'false',
  'require-postmortem': 'false',
  'health-checks-use-proxy': 'true',
};
/** `{ env: NAME }` check headers: any name is set. */
const ANY_ENV = new Proxy({}, { get: (_target, key) => (typeof key === 'string' ? 'placeholder' : undefined) }) as NodeJS.ProcessEnv;

/** deploy-guard's own validation of the inputs a step (or a call of a reusable workflow) passes. */
async function settingsErrors(passed: Mapping): Promise<string[]> {
  const read = (name: InputName): string => {
    const value = passed[name];
    if (value === undefined) return name === 'github-token' ? 'token' : '';
    const text = String(value);
    return text.includes('${{') ? (EXPRESSION_STANDS_IN[name] ?? '') : text;
  };
  const result = await readSettings(read, ANY_ENV);
  return result.ok ? [] : result.errors;
}

/** The action inputs a call of deploy.yml or rollback.yml amounts to. */
function actionInputsOfCall(file: string, passed: Mapping): Mapping {
  const inputs: Mapping = { mode: file.endsWith('rollback.yml') ? 'rollback' : 'deploy' };
  for (const [name, value] of Object.entries(passed)) {
    if (name === 'target') inputs['rollback-to'] = value;
    else if (name in INPUT_DEFAULTS) inputs[name] = value;
  }
  return inputs;
}

async function workflowViolations(where: string, doc: Mapping, fragment: boolean): Promise<string[]> {
  const v: string[] = [];
  if (!fragment) {
    const top = doc.permissions;
    const readOnly = top === 'read-all' || (isMapping(top) && Object.values(top).every((l) => l === 'read' || l === 'none'));
    if (!readOnly) v.push(`${where}: top-level permissions are missing or not read-only`);
  }
  for (const [id, job] of jobsOf(doc)) {
    const granted = asMapping(job.permissions ?? doc.permissions);
    stepsOf(job).forEach((step, i) => {
      if (typeof step.run === 'string' && step.run.includes('${{')) v.push(`${where}: job ${id} step ${i + 1} has \${{ in run`);
    });
    const sites: Array<[string, Mapping, Mapping]> = []; // [where, what is passed, the action inputs it amounts to]

    if (typeof job.uses === 'string' && job.uses.startsWith(`${ACTION}/`)) {
      const match = CALL.exec(job.uses);
      const call = match && match[2] === MAJOR ? reusable.get(match[1]!) : undefined;
      if (!call) {
        v.push(`${where}: job ${id} calls ${job.uses}, not a reusable workflow of ${ACTION}@${MAJOR}`);
        continue;
      }
      const passed = asMapping(job.with);
      const declared = asMapping(call.inputs);
      for (const name of Object.keys(passed)) if (!(name in declared)) v.push(`${where}: job ${id} passes ${name}, which ${match![1]} does not declare`);
      for (const [name, spec] of Object.entries(declared)) {
        if (asMapping(spec).required === true && !(name in passed)) v.push(`${where}: job ${id} does not pass ${name}, which ${match![1]} requires`);
      }
      if (job.secrets === 'inherit') v.push(`${where}: job ${id} uses secrets: inherit, which does not reach ${ACTION} from another organization`);
      for (const name of Object.keys(asMapping(job.secrets))) if (!(name in asMapping(call.secrets))) v.push(`${where}: job ${id} passes secret ${name}, which ${match![1]} does not declare`);
      for (const scope of WRITES) if (level(granted[scope]) < 2) v.push(`${where}: job ${id} does not grant ${scope}: write`);
      sites.push([`job ${id}`, passed, actionInputsOfCall(match![1]!, passed)]);
    }

    const steps = stepsOf(job);
    for (const [i, step] of steps.entries()) {
      if (!isGuardStep(step)) continue;
      const stepWhere = `job ${id} step ${i + 1}`;
      if (step.uses !== `${ACTION}@${MAJOR}`) v.push(`${where}: ${stepWhere} uses ${String(step.uses)}, not ${ACTION}@${MAJOR}`);
      const passed = asMapping(step.with);
      for (const name of Object.keys(passed)) if (!(name in actionInputs)) v.push(`${where}: ${stepWhere} passes ${name}, which action.yml does not declare`);
      sites.push([stepWhere, passed, passed]);
      const mode = String(passed.mode ?? 'deploy');
      if (mode !== 'deploy' && mode !== 'rollback') continue;
      // A job that deploys or rolls back: what the reusable workflows do, written by hand.
      for (const scope of WRITES) if (level(granted[scope]) < 2) v.push(`${where}: job ${id} does not grant ${scope}: write`);
      if (fragment) continue;
      const checkout = steps.slice(0, i).find((s) => String(s.uses).startsWith('actions/checkout@'));
      if (!checkout) v.push(`${where}: job ${id} runs deploy-guard without checking out first`);
      else {
        const w = asMapping(checkout.with);
        if (w['fetch-depth'] !== 0) v.push(`${where}: job ${id} checks out without fetch-depth: 0`);
        if (w['persist-credentials'] !== false) v.push(`${where}: job ${id} checks out without persist-credentials: false`);
      }
      const concurrency = asMapping(job.concurrency);
      const env = String(passed.environment ?? 'production');
      if (concurrency.group !== `deploy-guard-${env}` || concurrency['cancel-in-progress'] !== false) {
        v.push(`${where}: job ${id} is not in concurrency group deploy-guard-${env} with cancel-in-progress: false`);
      }
    }

    for (const [siteWhere, passed, inputs] of sites) {
      for (const name of COMMAND_INPUTS) {
        const value = passed[name];
        if (typeof value === 'string' && value.includes('${{') && !WHOLE_FORWARD.test(value.trim())) v.push(`${where}: ${siteWhere} has \${{ in ${name}`);
      }
      for (const error of await settingsErrors(inputs)) v.push(`${where}: ${siteWhere}: ${error}`);
    }
  }
  return v;
}

// ---------------------------------------------------------------------------------------------

describe('recipes: the pages', () => {
  it('docs/recipes holds the README and the four recipes', () => {
    expect(recipeFiles).toEqual(['README.md', ...RECIPES].sort());
  });

  it.each(RECIPES)('%s has a workflow, a script, its rollback story and its health checks', async (file) => {
    const text = await readFile(path.join(ROOT, RECIPES_DIR, file), 'utf8');
    const own = yamlBlocks.filter((b) => b.file === `${RECIPES_DIR}/${file}`).map((b) => shapeOf(b.text));
    const workflows = own.filter((s): s is Extract<Shape, { kind: 'workflow' }> => s.kind === 'workflow' && !s.fragment);
    expect(workflows.length, 'a workflow to copy').toBeGreaterThan(0);
    const runsGuard = workflows.some((w) => jobsOf(w.doc).some(([, job]) => String(job.uses ?? '').startsWith(`${ACTION}/`) || stepsOf(job).some(isGuardStep)));
    expect(runsGuard, 'the workflow runs deploy-guard').toBe(true);
    expect(JSON.stringify(workflows.map((w) => w.doc)), 'health checks in the workflow').toContain('"checks"');
    expect(shellBlocks.some((b) => b.file === `${RECIPES_DIR}/${file}`), 'a deploy script').toBe(true);
    expect(text).toContain('DEPLOY_GUARD_SHA');
    expect(text).toMatch(/^## Rollback$/m);
    expect(text).toMatch(/^## Health checks$/m);
  });

  it('the recipes README says what a rollback command gets and how to adopt a running service', async () => {
    const text = await readFile(path.join(ROOT, RECIPES_DIR, 'README.md'), 'utf8');
    for (const name of ['DEPLOY_GUARD_SHA', 'DEPLOY_GUARD_ENVIRONMENT', 'DEPLOY_GUARD_ROLLBACK', 'DEPLOY_GUARD_DEPLOYMENT_ID', 'DEPLOY_GUARD_ROLLBACK_OF']) {
      expect(text).toContain(name);
    }
    // The hand-made tag is the one deploy-guard reads: refs/tags/<tag-prefix>/<environment>/known-good.
    const { knownGoodRef } = await import('../../src/core/tag-names.ts');
    const tag = knownGoodRef(INPUT_DEFAULTS['tag-prefix'], 'production').replace(/^tags\//, '');
    expect(text).toContain(`git tag ${tag} `);
    expect(text).toContain(`git push origin refs/tags/${tag}`);
  });
});

describe('recipes: every yaml block', () => {
  it('there are blocks to check', () => {
    expect(yamlBlocks.length).toBeGreaterThan(10);
  });

  it.each(yamlBlocks.map((b) => [b.where, b] as const))('%s', async (_where, block) => {
    const shape = shapeOf(block.text);
    if (shape.kind === 'unknown') throw new Error(`${block.where}: neither a workflow, a list of steps nor a list of checks`);
    if (shape.kind === 'checks') {
      const result = parseChecks(shape.text, { defaultTimeoutMs: 5_000, env: ANY_ENV });
      expect(result.ok ? [] : result.errors).toEqual([]);
      return;
    }
    expect(await parserErrors(block.where, shape.text)).toEqual([]);
    expect(await workflowViolations(block.where, shape.doc, shape.fragment)).toEqual([]);
  });
});

describe('recipes: every bash block', () => {
  it.each(shellBlocks.map((b) => [b.where, b] as const))('%s passes bash -n', (_where, block) => {
    expect(() => execFileSync('bash', ['-n'], { input: block.text, stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();
  });
});

describe('recipes: the rules can fail', () => {
  it('reports a workflow that breaks them', async () => {
    const bad = parse(
      [
        'on: push',
        'permissions: write-all',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    permissions: { contents: read }',
        '    steps:',
        '      - uses: actions/checkout@v5',
        '      - run: echo ${{ github.event.head_commit.message }}',
        `      - uses: ${ACTION}@v999`,
        '        with:',
        '          deploy-command: ./deploy.sh ${{ github.head_ref }}',
        '          no-such-input: x',
        '          health-window: 5 minutes',
        '          checks: |',
        '            - type: tcp',
        '              host: db',
        '              port: 99999',
        '  b:',
        `    uses: ${ACTION}/.github/workflows/deploy.yml@${MAJOR}`,
        '    with: { no-such-input: x }',
        '    secrets: inherit',
      ].join('\n'),
    ) as Mapping;
    const found = (await workflowViolations('bad', bad, false)).join('\n');
    for (const expected of [
      'top-level permissions',
      'has ${{ in run',
      `not ${ACTION}@${MAJOR}`,
      'passes no-such-input, which action.yml',
      'has ${{ in deploy-command',
      'Input "health-window"',
      'checks[0].port',
      'does not grant contents: write',
      'without fetch-depth: 0',
      'without persist-credentials: false',
      'not in concurrency group deploy-guard-production',
      'passes no-such-input, which .github/workflows/deploy.yml does not declare',
      'does not pass deploy-command',
      'secrets: inherit',
    ]) {
      expect(found).toContain(expected);
    }
    expect(shapeOf('just: a mapping').kind).toBe('unknown');
    expect(parseChecks('- type: http\n  url: nope', { defaultTimeoutMs: 5_000, env: ANY_ENV }).ok).toBe(false);
    expect(() => execFileSync('bash', ['-n'], { input: 'if then fi', stdio: ['pipe', 'pipe', 'pipe'] })).toThrow();
  });
});
