// The workflows: the reusable deploy and rollback workflows (.github/workflows/), the starters users
// copy (workflows/) and CI. Each file must pass GitHub's own workflow parser, with every call to a
// reusable workflow resolved against the local copy, and a set of static rules on the YAML.
// Every rule is also run once on a broken example, to show it can fail.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which Node's
// own ESM loader refuses; tsx's loader (already a dev dependency) accepts them.
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = (await tsImport('@actions/workflow-parser', import.meta.url)) as typeof import('@actions/workflow-parser');
const ACTION = 'deploy-guard/deploy-guard';
const MAJOR = `v${(JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version.split('.')[0]}`;

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asMapping(value: unknown): Mapping {
  return isMapping(value) ? value : {};
}

interface Workflow {
  /** Path from the repository root, e.g. `workflows/deploy-on-push.yml`. */
  file: string;
  text: string;
  doc: Mapping;
}

function loadWorkflow(file: string, text: string): Workflow {
  const doc: unknown = parse(text);
  if (!isMapping(doc)) throw new Error(`${file}: not a YAML mapping`);
  return { file, text, doc };
}

async function readWorkflows(dir: string): Promise<Workflow[]> {
  const names = (await readdir(path.join(ROOT, dir))).filter((name) => /\.ya?ml$/.test(name)).sort();
  return Promise.all(names.map(async (name) => loadWorkflow(`${dir}/${name}`, await readFile(path.join(ROOT, dir, name), 'utf8'))));
}

const reusable = await readWorkflows('.github/workflows');
const starters = await readWorkflows('workflows');
const all = [...reusable, ...starters];
const byFile = new Map(all.map((w) => [w.file, w]));

function workflow(file: string): Workflow {
  const found = byFile.get(file);
  if (!found) throw new Error(`no workflow ${file}`);
  return found;
}

const actionYml = asMapping(parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')));
const actionInputs = asMapping(actionYml.inputs);
const actionOutputs = asMapping(actionYml.outputs);

const jobsOf = (w: Workflow): Array<[string, Mapping]> => Object.entries(asMapping(w.doc.jobs)).map(([id, job]) => [id, asMapping(job)]);
const stepsOf = (job: Mapping): Mapping[] => (Array.isArray(job.steps) ? job.steps.map(asMapping) : []);
const workflowCall = (w: Workflow): Mapping | undefined => {
  const on = w.doc.on;
  if (on === 'workflow_call' || (Array.isArray(on) && on.includes('workflow_call'))) return {};
  return isMapping(on) && 'workflow_call' in on ? asMapping(on.workflow_call) : undefined;
};
const dispatchInputs = (w: Workflow): Mapping => asMapping(asMapping(asMapping(w.doc.on).workflow_dispatch).inputs);

// ---------------------------------------------------------------------------------------------
// GitHub's workflow parser

/** Calls to this repository's reusable workflows at the current major version resolve to the local files. */
const localProvider: Parameters<typeof convertWorkflowTemplate>[2] = {
  async getFileContent(ref) {
    if ('repository' in ref && `${ref.owner}/${ref.repository}` === ACTION && ref.version === MAJOR) {
      return { name: ref.path, content: await readFile(path.join(ROOT, ref.path), 'utf8') };
    }
    throw new Error(`not a workflow of ${ACTION}@${MAJOR}: ${JSON.stringify(ref)}`);
  },
};

/** Every error GitHub's parser reports: YAML, schema, expressions, and the inputs and secrets of called workflows. */
async function parserErrors(file: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  if (parsed.value) {
    await convertWorkflowTemplate(parsed.context, parsed.value, localProvider, { fetchReusableWorkflowDepth: 1 });
  }
  return parsed.context.errors.getErrors().map((e) => e.message);
}

describe('workflows: GitHub workflow parser', () => {
  it('finds the reusable workflows, CI and the starters', () => {
    expect(reusable.map((w) => w.file)).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/deploy.yml', '.github/workflows/rollback.yml']));
    expect(starters.map((w) => w.file)).toEqual(
      expect.arrayContaining(['workflows/deploy-on-push.yml', 'workflows/gate-on-pull-request.yml', 'workflows/manual-rollback.yml', 'workflows/drill.yml']),
    );
  });

  it.each(all.map((w) => [w.file, w.text]))('%s parses with no errors', async (file, text) => {
    expect(await parserErrors(file, text)).toEqual([]);
  });

  it('reports errors for broken workflows (so the check above can fail)', async () => {
    const job = (body: string) => `on: push\njobs:\n  a:\n${body}`;
    const broken: Array<[string, RegExp]> = [
      [job('    steps:\n      - run: echo hi\n'), /Required property is missing: runs-on/],
      [`on: push\npermissions:\n  contents: admin\n${job('    runs-on: x\n    steps:\n      - run: echo hi\n').slice('on: push\n'.length)}`, /Unexpected value 'admin'/],
      [job("    runs-on: x\n    steps:\n      - if: ${{ secrets.X != '' }}\n        run: echo hi\n"), /Unrecognized named-value: 'secrets'/],
      [job(`    uses: ${ACTION}/.github/workflows/deploy.yml@${MAJOR}\n    with:\n      deploy-command: x\n      no-such-input: y\n`), /no-such-input is not defined/],
      [job(`    uses: ${ACTION}/.github/workflows/rollback.yml@${MAJOR}\n    with:\n      environment: x\n`), /Input reason is required/],
      [job(`    uses: ${ACTION}/.github/workflows/deploy.yml@v999\n    with:\n      deploy-command: x\n`), /Unable to find reusable workflow/],
      ['on: push\njobs:\n  a: [\n', /./],
    ];
    for (const [content, error] of broken) {
      const errors = await parserErrors('broken.yml', content);
      expect(errors.join('\n'), content).toMatch(error);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Static rules. Each returns its violations, one line each.

/** No `${{ }}` inside a `run:` script: an expression there is pasted into the script before bash sees it. */
function runExpressionViolations(w: Workflow): string[] {
  return jobsOf(w).flatMap(([id, job]) =>
    stepsOf(job).flatMap((step, i) => (typeof step.run === 'string' && step.run.includes('${{') ? [`${w.file}: job ${id} step ${i + 1} has \${{ in run`] : [])),
  );
}

/** The workflow sets top-level permissions, and they are read-only. */
function topLevelPermissionViolations(w: Workflow): string[] {
  const permissions = w.doc.permissions;
  if (permissions === undefined) return [`${w.file}: no top-level permissions (the default token may be read-write)`];
  if (typeof permissions === 'string') return permissions === 'read-all' ? [] : [`${w.file}: top-level permissions ${permissions}`];
  return Object.entries(asMapping(permissions))
    .filter(([, level]) => level !== 'read' && level !== 'none')
    .map(([scope, level]) => `${w.file}: top-level permissions ${scope}: ${String(level)}`);
}

const LEVELS = ['none', 'read', 'write'];
const level = (value: unknown): number => Math.max(0, LEVELS.indexOf(String(value ?? 'none')));

/** What a job's token may do: its own permissions, else the workflow's. */
function jobPermissions(w: Workflow, job: Mapping): Mapping {
  return asMapping(job.permissions ?? w.doc.permissions);
}

const CALL = new RegExp(`^${ACTION}/(\\.github/workflows/[^@]+)@(.+)$`);

/**
 * A job calling one of this repository's reusable workflows: at the current major version, passing
 * only declared inputs and secrets and every required input, and granting every permission the
 * called jobs ask for (a called workflow can only narrow its caller's token).
 */
function callViolations(w: Workflow): string[] {
  const violations: string[] = [];
  for (const [id, job] of jobsOf(w)) {
    if (typeof job.uses !== 'string' || !job.uses.startsWith(`${ACTION}/`)) continue;
    const where = `${w.file}: job ${id}`;
    const match = CALL.exec(job.uses);
    if (!match) {
      violations.push(`${where}: ${job.uses} is not ${ACTION}/.github/workflows/<file>@<ref>`);
      continue;
    }
    const [, file, ref] = match as unknown as [string, string, string];
    if (ref !== MAJOR) violations.push(`${where}: calls ${file}@${ref}, not @${MAJOR}`);
    const called = byFile.get(file);
    const call = called && workflowCall(called);
    if (!called || !call) {
      violations.push(`${where}: ${file} is not a reusable workflow here`);
      continue;
    }
    const inputs = asMapping(call.inputs);
    const passed = asMapping(job.with);
    for (const name of Object.keys(passed)) if (!(name in inputs)) violations.push(`${where}: passes ${name}, which ${file} does not declare`);
    for (const [name, spec] of Object.entries(inputs)) {
      const s = asMapping(spec);
      if (s.required === true && !('default' in s) && !(name in passed)) violations.push(`${where}: does not pass ${name}, which ${file} requires`);
    }
    if (job.secrets !== 'inherit') {
      const secrets = asMapping(call.secrets);
      for (const name of Object.keys(asMapping(job.secrets))) if (!(name in secrets)) violations.push(`${where}: passes secret ${name}, which ${file} does not declare`);
    }
    const granted = jobPermissions(w, job);
    for (const [calledId, calledJob] of jobsOf(called)) {
      for (const [scope, wanted] of Object.entries(jobPermissions(called, calledJob))) {
        if (level(granted[scope]) < level(wanted)) {
          violations.push(`${where}: grants ${scope}: ${String(granted[scope] ?? 'none')}, but ${file} job ${calledId} needs ${String(wanted)}`);
        }
      }
    }
  }
  return violations;
}

/** Steps using the action: at the current major version, with only inputs action.yml declares. */
function actionStepViolations(w: Workflow): string[] {
  const violations: string[] = [];
  for (const [id, job] of jobsOf(w)) {
    stepsOf(job).forEach((step, i) => {
      if (typeof step.uses !== 'string' || !step.uses.startsWith(`${ACTION}@`)) return;
      const where = `${w.file}: job ${id} step ${i + 1}`;
      if (step.uses !== `${ACTION}@${MAJOR}`) violations.push(`${where}: uses ${step.uses}, not ${ACTION}@${MAJOR}`);
      for (const name of Object.keys(asMapping(step.with))) {
        if (!(name in actionInputs)) violations.push(`${where}: passes ${name}, which action.yml does not declare`);
      }
    });
  }
  return violations;
}

/** `inputs.<name>` as written in expressions (names may hold '-'). */
function inputReferences(text: string): Set<string> {
  return new Set([...text.matchAll(/\binputs\.([A-Za-z_][A-Za-z0-9_-]*)/g)].map((m) => m[1]!));
}

/** A reusable workflow declares every input it reads and reads every input it declares. */
function inputUseViolations(w: Workflow): string[] {
  const call = workflowCall(w);
  if (!call) return [];
  const declared = new Set([...Object.keys(asMapping(call.inputs)), ...Object.keys(dispatchInputs(w))]);
  // Only the jobs read inputs; the `on:` block merely declares them.
  const used = inputReferences(JSON.stringify(w.doc.jobs ?? {}));
  return [
    ...[...used].filter((name) => !declared.has(name)).map((name) => `${w.file}: reads inputs.${name}, which it does not declare`),
    ...[...declared].filter((name) => !used.has(name)).map((name) => `${w.file}: declares input ${name}, which nothing reads`),
  ];
}

/**
 * An input a reusable workflow forwards to the action under the same name defaults to empty (which
 * the action reads as its own default) or to the action's default, so the two cannot drift apart.
 */
function forwardedDefaultViolations(w: Workflow): string[] {
  const inputs = asMapping(workflowCall(w)?.inputs);
  const violations: string[] = [];
  for (const [, job] of jobsOf(w)) {
    for (const step of stepsOf(job)) {
      if (typeof step.uses !== 'string' || !step.uses.startsWith(`${ACTION}@`)) continue;
      for (const [name, value] of Object.entries(asMapping(step.with))) {
        const forwarded = new RegExp(`^\\$\\{\\{\\s*inputs\\.${name}(\\s*\\}\\}|\\s*\\|\\|)`).test(String(value));
        if (!forwarded || !(name in inputs)) continue;
        const ours = asMapping(inputs[name]).default;
        const theirs = asMapping(actionInputs[name]).default;
        if (ours !== undefined && String(ours) !== '' && String(ours) !== String(theirs ?? '')) {
          violations.push(`${w.file}: input ${name} defaults to ${String(ours)}, the action to ${String(theirs)}`);
        }
      }
    }
  }
  return violations;
}

/** Outputs of a reusable workflow come from a job output that comes from a declared output of the action. */
function outputViolations(w: Workflow): string[] {
  const violations: string[] = [];
  const jobs = new Map(jobsOf(w));
  for (const [name, spec] of Object.entries(asMapping(workflowCall(w)?.outputs))) {
    const match = /^\$\{\{\s*jobs\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(String(asMapping(spec).value));
    if (!match) {
      violations.push(`${w.file}: output ${name} is not \${{ jobs.<job>.outputs.<name> }}`);
      continue;
    }
    const job = jobs.get(match[1]!);
    const jobOutput = job && asMapping(job.outputs)[match[2]!];
    const step = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(String(jobOutput));
    if (!job || !step) {
      violations.push(`${w.file}: output ${name} reads ${match[1]}.outputs.${match[2]}, which is not a step output`);
      continue;
    }
    const source = stepsOf(job).find((s) => s.id === step[1]);
    if (!source || typeof source.uses !== 'string' || !source.uses.startsWith(`${ACTION}@`) || !(step[2]! in actionOutputs)) {
      violations.push(`${w.file}: output ${name} reads steps.${step[1]}.outputs.${step[2]}, which the action does not set`);
    }
  }
  return violations;
}

const deployYml = workflow('.github/workflows/deploy.yml');
const rollbackYml = workflow('.github/workflows/rollback.yml');
const onlyJob = (w: Workflow): Mapping => {
  const jobs = jobsOf(w);
  if (jobs.length !== 1) throw new Error(`${w.file}: expected exactly one job, found ${jobs.length}`);
  return jobs[0]![1];
};

/** deploy.yml and rollback.yml take one concurrency group per environment and never cancel a running job. */
function concurrencyViolations(deploy: Workflow, rollback: Workflow): string[] {
  const violations: string[] = [];
  const a = asMapping(onlyJob(deploy).concurrency);
  const b = asMapping(onlyJob(rollback).concurrency);
  if (JSON.stringify(a) !== JSON.stringify(b)) violations.push(`concurrency differs: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  for (const [w, c] of [[deploy, a], [rollback, b]] as const) {
    if (typeof c.group !== 'string' || !/\$\{\{\s*inputs\.environment\s*\}\}/.test(c.group)) violations.push(`${w.file}: concurrency group is not per environment`);
    if (c['cancel-in-progress'] !== false) violations.push(`${w.file}: cancel-in-progress is not false`);
    if (c.queue !== undefined && c.queue !== 'single' && c.queue !== 'max') violations.push(`${w.file}: queue ${String(c.queue)}`);
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Forwarding: every action input a caller would set reaches the action through the reusable
// workflows.

/** Action inputs that hold secrets: a reusable workflow takes them as these secrets, never as inputs (inputs are shown in the log). */
const SECRET_INPUTS: Readonly<Record<string, string>> = { 'github-token': 'DEPLOY_GUARD_TOKEN', 'notify-webhook': 'NOTIFY_WEBHOOK' };

/** Action inputs a reusable workflow does not take from its caller, and why. */
const NOT_FORWARDED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '.github/workflows/deploy.yml': {
    mode: 'fixed: the workflow is deploy mode',
    'rollback-to': 'rollback mode only: the action refuses it in deploy mode (rollback.yml takes it as target)',
    reason: 'rollback mode only (rollback.yml takes it)',
    force: 'rollback mode only: the action refuses it in deploy mode (rollback.yml takes it)',
    'take-over': 'rollback mode only: the action refuses it in deploy mode (rollback.yml takes it)',
    severity: "rollback mode only: a deploy's incident takes its severity from what happened (rollback.yml takes it)",
    sha: 'mark-known-good mode only: the action refuses it in deploy mode, which deploys the checkout (the ref input)',
    period: 'status mode only: the days its delivery figures cover',
    stages: 'replaces deploy-command, which this workflow requires: a staged rollout uses the action in a job of its own',
  },
  '.github/workflows/rollback.yml': {
    mode: 'fixed: the workflow is rollback mode',
    'dry-run': 'read in deploy mode only',
    'deploy-windows': 'a rollback is never refused by a window',
    'deploy-freezes': 'a rollback is never refused by a freeze',
    'time-zone': 'only read with deploy-windows and deploy-freezes',
    'override-reason': 'deploy mode only: it overrides a window or a freeze',
    'require-proven-in': 'deploy mode only: a manual rollback goes to a version proven in its own environment',
    sha: 'mark-known-good mode only: the action refuses it in rollback mode (target names what to roll back to)',
    period: 'status mode only: the days its delivery figures cover',
    stages: 'deploy mode only: a rollback runs rollback-command',
  },
};

/** Workflow inputs whose name differs from the action input they feed. */
const RENAMED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '.github/workflows/rollback.yml': { 'rollback-to': 'target' },
};

/** Inputs of the reusable workflows that belong to the job, not the action. */
const JOB_INPUTS = ['runs-on', 'ref', 'persist-credentials'];

const guardSteps = (w: Workflow): Mapping[] => jobsOf(w).flatMap(([, job]) => stepsOf(job).filter((s) => typeof s.uses === 'string' && s.uses.startsWith(`${ACTION}@`)));
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A reusable workflow forwards every action input (except the justified ones in NOT_FORWARDED):
 * `<name>: ${{ inputs.<name> }}` (optionally `|| vars.<NAME>`), from an input it declares; the
 * secret-holding ones from a declared optional secret; `mode` as a fixed value.
 */
function forwardingViolations(w: Workflow): string[] {
  const call = workflowCall(w);
  if (!call) return [];
  const inputs = asMapping(call.inputs);
  const secrets = asMapping(call.secrets);
  const excluded = NOT_FORWARDED[w.file] ?? {};
  const renamed = RENAMED[w.file] ?? {};
  const violations: string[] = [];
  const steps = guardSteps(w);
  if (steps.length !== 1) return [`${w.file}: ${steps.length} deploy-guard steps, expected 1`];
  const passed = asMapping(steps[0]!.with);
  for (const name of Object.keys(actionInputs)) {
    const value = passed[name];
    const where = `${w.file}: action input ${name}`;
    if (name in excluded) {
      if (name === 'mode') {
        if (typeof value !== 'string' || value.includes('${{')) violations.push(`${where} is not a fixed value`);
      } else if (value !== undefined) {
        violations.push(`${where} is passed, but is excluded (${excluded[name]})`);
      }
      continue;
    }
    if (value === undefined) {
      violations.push(`${where} is not forwarded`);
      continue;
    }
    const secret = SECRET_INPUTS[name];
    if (secret) {
      const fallback = name === 'github-token' ? '(\\s*\\|\\|\\s*github\\.token)?' : '';
      if (!new RegExp(`^\\$\\{\\{\\s*secrets\\.${secret}${fallback}\\s*\\}\\}$`).test(String(value))) violations.push(`${where} is not \${{ secrets.${secret} }}`);
      if (!(secret in secrets)) violations.push(`${where}: secret ${secret} is not declared`);
      else if (asMapping(secrets[secret]).required === true) violations.push(`${where}: secret ${secret} is required`);
      if (name in inputs) violations.push(`${where} is also a workflow input, which would show it in the log`);
      continue;
    }
    const from = renamed[name] ?? name;
    if (!new RegExp(`^\\$\\{\\{\\s*inputs\\.${escape(from)}(\\s*\\|\\|\\s*vars\\.DEPLOY_GUARD_[A-Z_]+)?\\s*\\}\\}$`).test(String(value))) {
      violations.push(`${where} is not \${{ inputs.${from} }}`);
    }
    if (!(from in inputs)) violations.push(`${where}: workflow input ${from} is not declared`);
  }
  for (const name of Object.keys(passed)) if (!(name in actionInputs)) violations.push(`${w.file}: passes ${name}, which action.yml does not declare`);
  for (const name of Object.keys(inputs)) {
    const feeds = Object.entries(passed).some(([, v]) => inputReferences(String(v)).has(name));
    if (!feeds && !JOB_INPUTS.includes(name)) violations.push(`${w.file}: input ${name} neither feeds the action nor is a job input`);
  }
  return violations;
}

/** No workflow declares an input named like a secret-holding action input: its value would be logged. */
function secretInputViolations(w: Workflow): string[] {
  const names = [...Object.keys(asMapping(workflowCall(w)?.inputs)), ...Object.keys(dispatchInputs(w))];
  return names.filter((n) => n in SECRET_INPUTS || /token|webhook|password|secret/i.test(n)).map((n) => `${w.file}: input ${n} holds a secret; make it a secret`);
}

const COMMAND_INPUTS = ['deploy-command', 'rollback-command', 'checks', 'before-rollback-command', 'after-rollback-command'];
/** The whole value is one forwarded input or variable (a reusable workflow passing its caller's command on). */
const WHOLE_FORWARD = /^\$\{\{\s*(inputs|vars)\.[\w-]+(\s*\|\|\s*(inputs|vars)\.[\w-]+)*\s*\}\}$/;

/**
 * deploy-guard runs `deploy-command`, `rollback-command` and command checks with bash, so an
 * expression pasted into them is a script injection like one in `run:`. They may hold an
 * expression only as a whole forwarded input (the caller's own command); anything else goes
 * through the environment (DEPLOY_GUARD_SHA, a step's env:).
 */
function commandExpressionViolations(w: Workflow): string[] {
  const violations: string[] = [];
  for (const [id, job] of jobsOf(w)) {
    const sites: Array<[string, Mapping]> = [];
    if (typeof job.uses === 'string' && job.uses.startsWith(`${ACTION}/`)) sites.push([`job ${id}`, asMapping(job.with)]);
    stepsOf(job).forEach((step, i) => {
      if (typeof step.uses === 'string' && step.uses.startsWith(`${ACTION}@`)) sites.push([`job ${id} step ${i + 1}`, asMapping(step.with)]);
    });
    for (const [where, passed] of sites) {
      for (const name of COMMAND_INPUTS) {
        const value = passed[name];
        if (typeof value === 'string' && value.includes('${{') && !WHOLE_FORWARD.test(value.trim())) {
          violations.push(`${w.file}: ${where} has \${{ in ${name}`);
        }
      }
    }
  }
  return violations;
}

const rules: Array<[string, (w: Workflow) => string[]]> = [
  ['no ${{ }} inside run:', runExpressionViolations],
  ['no ${{ }} inside deploy-guard commands and checks, except a whole forwarded input', commandExpressionViolations],
  ['no secret is a workflow input', secretInputViolations],
  ['read-only top-level permissions', topLevelPermissionViolations],
  ['calls to reusable workflows match their inputs, secrets and permissions', callViolations],
  ['action steps pass only inputs action.yml declares, at the current major', actionStepViolations],
  ['reusable workflows declare what they read and read what they declare', inputUseViolations],
  ['forwarded input defaults agree with action.yml', forwardedDefaultViolations],
  ['reusable workflow outputs come from action outputs', outputViolations],
];

describe('workflows: static rules', () => {
  it.each(rules)('%s: every workflow', (_name, rule) => {
    expect(all.flatMap(rule)).toEqual([]);
  });

  it('each rule reports a broken workflow', () => {
    const bad = loadWorkflow(
      'broken.yml',
      [
        'on:',
        '  workflow_call:',
        '    inputs:',
        '      environment: { type: string, default: staging }',
        '      unused: { type: string }',
        '    outputs:',
        '      result: { value: "${{ jobs.a.outputs.nothing }}" }',
        'permissions: write-all',
        'jobs:',
        '  a:',
        '    runs-on: x',
        '    steps:',
        '      - run: echo ${{ inputs.environment }} ${{ inputs.undeclared }}',
        `      - uses: ${ACTION}@v999`,
        '        with: { environment: "${{ inputs.environment }}", no-such-input: x }',
        '  b:',
        `    uses: ${ACTION}/.github/workflows/rollback.yml@v999`,
        '    permissions: { contents: read }',
        '    with: { no-such-input: x }',
        '    secrets: { NO_SUCH_SECRET: x }',
      ].join('\n'),
    );
    expect(runExpressionViolations(bad)).toHaveLength(1);
    expect(topLevelPermissionViolations(bad)).toEqual(['broken.yml: top-level permissions write-all']);
    expect(topLevelPermissionViolations(loadWorkflow('x.yml', 'permissions: { contents: write }'))).toHaveLength(1);
    expect(topLevelPermissionViolations(loadWorkflow('x.yml', 'on: push'))).toHaveLength(1);
    const calls = callViolations(bad).join('\n');
    for (const expected of [`not @${MAJOR}`, 'passes no-such-input', 'does not pass reason', 'secret NO_SUCH_SECRET', 'grants contents: read', 'grants deployments: none']) {
      expect(calls).toContain(expected);
    }
    const steps = actionStepViolations(bad).join('\n');
    expect(steps).toContain(`not ${ACTION}@${MAJOR}`);
    expect(steps).toContain('no-such-input');
    expect(inputUseViolations(bad).sort()).toEqual(['broken.yml: declares input unused, which nothing reads', 'broken.yml: reads inputs.undeclared, which it does not declare']);
    expect(forwardedDefaultViolations(bad)).toEqual(['broken.yml: input environment defaults to staging, the action to production']);
    expect(outputViolations(bad)).toHaveLength(1);
    const cancelling = loadWorkflow('c.yml', 'jobs:\n  a:\n    concurrency: { group: "deploy-${{ inputs.environment }}", cancel-in-progress: true }');
    const other = loadWorkflow('d.yml', 'jobs:\n  a:\n    concurrency: { group: other, cancel-in-progress: false }');
    expect(concurrencyViolations(cancelling, other).join('\n')).toMatch(/concurrency differs[\s\S]*c\.yml: cancel-in-progress[\s\S]*d\.yml: concurrency group is not per environment/);
    const injected = loadWorkflow(
      'e.yml',
      [
        'on: { workflow_dispatch: { inputs: { api-token: { type: string } } } }',
        'jobs:',
        '  a:',
        '    runs-on: x',
        '    steps:',
        `      - uses: ${ACTION}@${MAJOR}`,
        '        with:',
        '          deploy-command: ./deploy.sh ${{ github.event.inputs.api-token }}',
        '          rollback-command: ${{ inputs.rollback-command }}',
        '          checks: "- type: command\\n  run: echo ${{ github.head_ref }}"',
        '  b:',
        `    uses: ${ACTION}/.github/workflows/deploy.yml@${MAJOR}`,
        '    with: { deploy-command: "deploy ${{ inputs.x }}" }',
      ].join('\n'),
    );
    expect(commandExpressionViolations(injected)).toEqual([
      'e.yml: job a step 1 has ${{ in deploy-command',
      'e.yml: job a step 1 has ${{ in checks',
      'e.yml: job b has ${{ in deploy-command',
    ]);
    expect(secretInputViolations(injected)).toEqual(['e.yml: input api-token holds a secret; make it a secret']);
  });

  it('the forwarding rule reports a workflow that drops, renames, leaks or invents inputs', () => {
    const bad = loadWorkflow(
      '.github/workflows/deploy.yml',
      [
        'on:',
        '  workflow_call:',
        '    inputs:',
        '      environment: { type: string }',
        '      notify-webhook: { type: string }',
        '      health-url: { type: string }',
        '      spare: { type: string }',
        '    secrets:',
        '      DEPLOY_GUARD_TOKEN: { required: true }',
        'jobs:',
        '  a:',
        '    runs-on: x',
        '    steps:',
        `      - uses: ${ACTION}@${MAJOR}`,
        '        with:',
        '          mode: ${{ inputs.environment }}',
        '          environment: ${{ inputs.environment }}',
        '          github-token: ${{ secrets.DEPLOY_GUARD_TOKEN }}',
        '          notify-webhook: ${{ inputs.notify-webhook }}',
        '          health-url: https://fixed.example.com',
        '          reason: ${{ inputs.environment }}',
      ].join('\n'),
    );
    const found = forwardingViolations(bad).join('\n');
    for (const expected of [
      'action input mode is not a fixed value',
      'action input deploy-command is not forwarded',
      'action input checks is not forwarded',
      'action input reason is passed, but is excluded',
      'action input notify-webhook is not ${{ secrets.NOTIFY_WEBHOOK }}',
      'secret NOTIFY_WEBHOOK is not declared',
      'action input notify-webhook is also a workflow input',
      'secret DEPLOY_GUARD_TOKEN is required',
      'action input health-url is not ${{ inputs.health-url }}',
      'input spare neither feeds the action nor is a job input',
    ]) {
      expect(found).toContain(expected);
    }
  });

  it.each([deployYml, rollbackYml].map((w) => [w.file, w] as const))('%s forwards every action input a caller would set', (_file, w) => {
    expect(forwardingViolations(w)).toEqual([]);
    // Exactly the justified exclusions are missing from the action step.
    const passed = Object.keys(asMapping(guardSteps(w)[0]!.with));
    const missing = Object.keys(actionInputs).filter((name) => !passed.includes(name));
    expect(missing.sort()).toEqual(Object.keys(NOT_FORWARDED[w.file]!).filter((name) => name !== 'mode').sort());
  });

  /** Inputs that default to true/false but take more than those (require-postmortem also takes a severity): a boolean input could not pass them. */
  const MORE_THAN_BOOLEAN = ['require-postmortem'];

  it('deploy.yml inputs default to exactly what action.yml does, with boolean inputs for true/false', () => {
    const inputs = asMapping(workflowCall(deployYml)!.inputs);
    for (const [name, spec] of Object.entries(inputs)) {
      if (JOB_INPUTS.includes(name)) continue;
      const s = asMapping(spec);
      const theirs = String(asMapping(actionInputs[name]).default ?? '');
      if (s.required === true) {
        expect(name, 'the only required input').toBe('deploy-command');
        continue;
      }
      expect(String(s.default), `default of ${name}`).toBe(theirs);
      const boolean = (theirs === 'true' || theirs === 'false') && !MORE_THAN_BOOLEAN.includes(name);
      expect(s.type, `type of ${name}`).toBe(boolean ? 'boolean' : 'string');
    }
  });

  it('rollback.yml falls back to DEPLOY_GUARD_<INPUT> variables, each listed in its header and the README', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const header = rollbackYml.text.slice(0, rollbackYml.text.indexOf('\nname:'));
    const job = onlyJob(rollbackYml);
    const used = new Set([...JSON.stringify(job).matchAll(/vars\.(DEPLOY_GUARD_[A-Z_]+)/g)].map((m) => m[1]!));
    for (const [name, value] of Object.entries(asMapping(guardSteps(rollbackYml)[0]!.with))) {
      const fallback = /vars\.(DEPLOY_GUARD_[A-Z_]+)/.exec(String(value));
      if (fallback) expect(fallback[1], `variable of ${name}`).toBe(`DEPLOY_GUARD_${name.toUpperCase().replace(/-/g, '_')}`);
    }
    expect(used.size).toBeGreaterThan(15);
    for (const name of used) {
      expect(header.includes(name), `rollback.yml header lists ${name}`).toBe(true);
      expect(readme.includes(name), `README lists ${name}`).toBe(true);
    }
  });

  it('deploy.yml and rollback.yml share one concurrency group per environment and never cancel a running job', () => {
    expect(concurrencyViolations(deployYml, rollbackYml)).toEqual([]);
    // queue: max is documented: https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency
    expect(onlyJob(deployYml).concurrency).toEqual({ group: 'deploy-guard-${{ inputs.environment }}', 'cancel-in-progress': false, queue: 'max' });
  });

  it.each([deployYml, rollbackYml].map((w) => [w.file, w] as const))('%s: one job in the environment, with just the write access deploy-guard needs', (_file, w) => {
    const job = onlyJob(w);
    expect(workflowCall(w)).toBeDefined();
    expect(job.environment).toBe('${{ inputs.environment }}');
    expect(job.permissions).toEqual({ contents: 'write', deployments: 'write', issues: 'write' });
    const steps = stepsOf(job);
    // Every branch and tag, so the rollback target is in the clone and its worktree needs no
    // (credentialed) fetch; the token is left in .git/config only when the caller asks.
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v5', with: { 'fetch-depth': 0 } });
    expect(asMapping(steps[0]!.with)['persist-credentials']).toBe(
      w === deployYml ? '${{ inputs.persist-credentials }}' : "${{ inputs.persist-credentials || vars.DEPLOY_GUARD_PERSIST_CREDENTIALS == 'true' }}",
    );
    expect(asMapping(workflowCall(w)!.inputs)['persist-credentials']).toEqual(expect.objectContaining({ type: 'boolean', default: false }));
    if (w === deployYml) expect(asMapping(steps[0]!.with).ref).toBe('${{ inputs.ref || github.sha }}');
    const guard = steps.filter((s) => s.uses === `${ACTION}@${MAJOR}`);
    expect(guard).toHaveLength(1);
    expect(asMapping(guard[0]!.with).mode).toBe(w === deployYml ? 'deploy' : 'rollback');
    expect(guard[0]!.id).toBe('guard');
    expect(Object.keys(asMapping(workflowCall(w)!.outputs)).sort()).toEqual(['deployed-sha', 'deployment-id', 'incident-url', 'known-good-sha', 'result']);
  });

  it('the drill starter runs monthly and on demand, in the deploys\' concurrency group, with just the write access a drill needs', () => {
    const drill = workflow('workflows/drill.yml');
    const on = asMapping(drill.doc.on);
    expect(Object.keys(on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const [cron, ...moreCrons] = (on.schedule as Mapping[]).map((entry) => String(entry.cron));
    expect(moreCrons).toEqual([]);
    // Minute, hour and day of month fixed, every month, any weekday: once a month.
    expect(cron).toMatch(/^\d+ \d+ \d+ \* \*$/);
    const job = onlyJob(drill);
    // The group deploy.yml and rollback.yml take for this environment, so a drill never runs beside a deploy.
    expect(job.concurrency).toEqual({ group: `deploy-guard-${job.environment as string}`, 'cancel-in-progress': false });
    expect(String(asMapping(onlyJob(deployYml).concurrency).group).replace('${{ inputs.environment }}', job.environment as string)).toBe(`deploy-guard-${job.environment as string}`);
    expect(job.permissions).toEqual({ contents: 'write', deployments: 'write', issues: 'write' });
    expect(drill.doc.permissions).toEqual({ contents: 'read' });
    const steps = stepsOf(job);
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v5', with: { 'fetch-depth': 0, 'persist-credentials': false } });
    const guard = steps.filter((step) => step.uses === `${ACTION}@${MAJOR}`);
    expect(guard).toHaveLength(1);
    expect(asMapping(guard[0]!.with)).toMatchObject({ mode: 'drill', environment: job.environment });
  });

  it('deploy.yml and rollback.yml export DEPLOY_ENV with the same step, from an env: variable', () => {
    const exportStep = (w: Workflow) => stepsOf(onlyJob(w)).find((s) => s.name === 'Export DEPLOY_ENV');
    expect(exportStep(deployYml)).toBeDefined();
    expect(exportStep(rollbackYml)).toEqual(exportStep(deployYml));
    expect(exportStep(deployYml)!.env).toEqual({ DEPLOY_ENV: '${{ secrets.DEPLOY_ENV }}' });
  });

  it('rollback.yml passes the rollback inputs and can be dispatched with the same form as the starter', () => {
    const guard = asMapping(stepsOf(onlyJob(rollbackYml)).find((s) => s.id === 'guard')!.with);
    expect(guard).toMatchObject({ 'rollback-to': '${{ inputs.target }}', reason: '${{ inputs.reason }}', force: '${{ inputs.force }}', 'take-over': '${{ inputs.take-over }}', severity: '${{ inputs.severity }}' });
    expect(asMapping(asMapping(workflowCall(rollbackYml)!.inputs).reason).required).toBe(true);
    expect(dispatchInputs(rollbackYml)).toEqual(dispatchInputs(workflow('workflows/manual-rollback.yml')));
    expect(Object.keys(dispatchInputs(rollbackYml))).toEqual(['environment', 'target', 'reason', 'force', 'take-over', 'severity']);
  });

  it('the starters call the reusable workflows, and the gate starter only reads', () => {
    expect(asMapping(workflow('workflows/deploy-on-push.yml').doc.jobs).deploy).toMatchObject({ uses: `${ACTION}/.github/workflows/deploy.yml@${MAJOR}` });
    expect(asMapping(workflow('workflows/manual-rollback.yml').doc.jobs).rollback).toMatchObject({ uses: `${ACTION}/.github/workflows/rollback.yml@${MAJOR}` });
    const gate = workflow('workflows/gate-on-pull-request.yml');
    expect(Object.keys(asMapping(gate.doc.on))).toEqual(['pull_request']);
    const [, job] = jobsOf(gate)[0]!;
    expect(job.permissions).toEqual({ contents: 'read', issues: 'read' }); // the incident records are refs
    expect(stepsOf(job).map((s) => asMapping(s.with).mode)).toContain('gate');
    expect(gate.text).not.toMatch(/:\s*write\b/);
  });

  it('manual-rollback.yml passes the same settings and secrets as deploy-on-push.yml', () => {
    const deployCall = asMapping(asMapping(workflow('workflows/deploy-on-push.yml').doc.jobs).deploy);
    const rollbackCall = asMapping(asMapping(workflow('workflows/manual-rollback.yml').doc.jobs).rollback);
    const rollbackInputs = asMapping(workflowCall(rollbackYml)!.inputs);
    const deployWith = asMapping(deployCall.with);
    const rollbackWith = asMapping(rollbackCall.with);
    // environment comes from the form; everything else rollback.yml takes must match.
    const shared = Object.keys(deployWith).filter((name) => name !== 'environment' && name in rollbackInputs);
    expect(shared.length).toBeGreaterThan(2);
    for (const name of shared) expect(rollbackWith[name], name).toEqual(deployWith[name]);
    expect(rollbackCall.secrets).toEqual(deployCall.secrets);
  });

  it('the README shows every starter', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    for (const w of starters) expect(readme.includes(w.file), `README.md mentions ${w.file}`).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The README's hand-written job and the reusable deploy workflow say the same thing.

/** The first ```yaml block after `## Usage`. */
function readmeUsage(readme: string): Workflow {
  const section = readme.slice(readme.indexOf('\n## Usage\n'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README.md: no yaml block under ## Usage');
  return loadWorkflow('README.md (Usage)', block[1]!);
}

const usage = readmeUsage(await readFile(path.join(ROOT, 'README.md'), 'utf8'));

describe('workflows: the README usage', () => {
  const [, job] = jobsOf(usage)[0]!;
  const reusableJob = onlyJob(deployYml);
  const environment = String(job.environment);

  it('parses with no errors and keeps the static rules', async () => {
    expect(await parserErrors(usage.file, usage.text)).toEqual([]);
    expect(rules.flatMap(([, rule]) => rule(usage))).toEqual([]);
  });

  it('takes the concurrency group of deploy.yml and rollback.yml, for its environment', () => {
    const expected = JSON.parse(JSON.stringify(reusableJob.concurrency).replaceAll('${{ inputs.environment }}', environment)) as unknown;
    expect(job.concurrency).toEqual(expected);
    expect(asMapping(guardSteps(usage)[0]!.with).environment).toBe(environment);
  });

  it('checks out and grants what deploy.yml does', () => {
    const checkout = stepsOf(job).find((s) => String(s.uses).startsWith('actions/checkout@'))!;
    const reusableCheckout = stepsOf(reusableJob)[0]!;
    expect(checkout.uses).toBe(reusableCheckout.uses);
    expect(asMapping(checkout.with)['fetch-depth']).toBe(asMapping(reusableCheckout.with)['fetch-depth']);
    expect(asMapping(checkout.with)['persist-credentials']).toBe(asMapping(asMapping(workflowCall(deployYml)!.inputs)['persist-credentials']).default);
    expect(job.permissions).toEqual(reusableJob.permissions);
    expect(usage.doc.concurrency).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// The release workflow.

describe('workflows: release.yml', () => {
  const release = workflow('.github/workflows/release.yml');
  const [, job] = jobsOf(release)[0]!;
  const steps = stepsOf(job);
  const script = steps.map((s) => String(s.run ?? '')).join('\n');

  it('runs by hand with a version, from one job that alone may write contents', () => {
    expect(Object.keys(asMapping(release.doc.on))).toEqual(['workflow_dispatch']);
    expect(asMapping(dispatchInputs(release).version)).toMatchObject({ type: 'string', required: true });
    expect(jobsOf(release)).toHaveLength(1);
    expect(job.permissions).toEqual({ contents: 'write' });
    expect(asMapping(release.doc.concurrency)['cancel-in-progress']).toBe(false);
  });

  it('reads the version only through the environment, and validates it before anything else', () => {
    expect(asMapping(job.env).VERSION).toBe('${{ inputs.version }}');
    expect(JSON.stringify(steps)).not.toMatch(/\$\{\{\s*(inputs|github\.event\.inputs)\.version/);
    expect(String(steps[0]!.run)).toContain('=~ ^v(0|[1-9]');
    expect(String(steps[0]!.run)).toContain('refs/heads/$DEFAULT_BRANCH');
  });

  it('the version check accepts vX.Y.Z and nothing else', () => {
    const pattern = /\[\[ "\$VERSION" =~ (\S+) \]\]/.exec(String(steps[0]!.run))![1]!;
    const re = new RegExp(pattern);
    for (const ok of ['v0.1.0', 'v1.2.3', 'v10.20.30']) expect(re.test(ok), ok).toBe(true);
    for (const bad of ['0.1.0', 'v01.0.0', 'v1.2', 'v1.2.3-rc.1', 'v1.2.3; rm -rf /', 'v1.2.3\nx', '$(id)']) expect(re.test(bad), bad).toBe(false);
  });

  it('builds, checks dist/, tests, then tags vX.Y.Z, moves the major tag and publishes the CHANGELOG section', () => {
    const order = ['npm ci', 'npm run build', 'git status --porcelain --untracked-files=all -- dist/', '.ci/run', 'git push origin "refs/tags/$VERSION"', 'git push --force origin "refs/tags/$MAJOR"', 'gh release create'];
    const at = order.map((needle) => script.indexOf(needle));
    for (const [i, needle] of order.entries()) expect(at[i], needle).toBeGreaterThanOrEqual(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(script).toContain('CHANGELOG.md');
    expect(script).toContain('require("./package.json").version');
  });

  it('CHANGELOG.md keeps an Unreleased section in Keep a Changelog form', async () => {
    const changelog = await readFile(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/^# Changelog\n/);
    expect(changelog).toContain('keepachangelog.com');
    expect(changelog).toMatch(/\n## \[Unreleased\]\n/);
    expect(changelog).toMatch(/\n\[Unreleased\]: https:\/\//);
  });
});
