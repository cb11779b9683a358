// The benchmark of issues 6 and 13: measures the bundled action (dist/) against the GitHub API double and
// real processes, prints PASS/MISS per goal, and writes bench/RESULTS.md and bench/results.json.
//
//   npx tsx bench/run.ts [--only <name>[,<name>...]] [--quick]
//   npm run bench                 (builds dist/ first)
//
// Names: start-up, cold-start, overhead, api-requests, status-history, detection, rollback-latency, memory, stage-cost.
// Exit code: 0 when every goal is met, 1 when one is missed, 2 when the bench itself failed.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apiRequests } from './api-requests.ts';
import { coldStart } from './cold-start.ts';
import { detection } from './detection.ts';
import { snapshotDist } from './dist.ts';
import { codeInfo, machineInfo } from './machine.ts';
import { memory } from './memory.ts';
import { overhead } from './overhead.ts';
import { renderJson, renderMarkdown, type MeasurementRecord } from './report.ts';
import { rollbackLatency } from './rollback-latency.ts';
import { stageCost } from './stage-cost.ts';
import { startUp } from './start-up.ts';
import { statusHistory } from './status-history.ts';
import { missed, type GoalResult, type Measurement } from './types.ts';

const MEASUREMENTS: Measurement[] = [startUp, coldStart, overhead, apiRequests, statusHistory, detection, rollbackLatency, memory, stageCost];

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(BENCH_DIR, '..');

const log = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

function commandLine(): string {
  const args = process.argv.slice(2);
  const rest = args.length ? ` ${args.join(' ')}` : '';
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args.length ? ` --${rest}` : ''}`;
  return `npx tsx bench/run.ts${rest}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: 'string', multiple: true }, quick: { type: 'boolean', default: false } }, strict: true });
  const only = values.only?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !MEASUREMENTS.some((m) => m.name === name)) ?? [];
  if (unknown.length) {
    log(`unknown measurement ${unknown.join(', ')}; choose from ${MEASUREMENTS.map((m) => m.name).join(', ')}`);
    return 2;
  }
  const quick = values.quick ?? false;
  const selected = MEASUREMENTS.filter((m) => !only || only.includes(m.name));
  const started = performance.now();

  // action.yml runs the bundle on node24: the repository's node devDependency, else this node.
  const node24 = join(REPO_ROOT, 'node_modules/node/bin/node');
  const node = existsSync(node24) ? node24 : process.execPath;
  const dist = await snapshotDist(REPO_ROOT, log);
  const cleanup = (): void => {
    void dist.cleanup();
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  const machine = await machineInfo(node, REPO_ROOT);
  const code = await codeInfo(REPO_ROOT, dist.hash);
  log(`measuring dist/ snapshot ${dist.hash} at ${code.commit.slice(0, 12)}${code.uncommitted.length ? ` + ${code.uncommitted.length} uncommitted files` : ''} with node ${machine.actionNode}${quick ? ' (quick)' : ''}`);

  const goals: GoalResult[] = [];
  const records: MeasurementRecord[] = [];
  try {
    for (const m of selected) {
      log(`${m.name}: ${m.title}`);
      const t0 = performance.now();
      const record: MeasurementRecord = { name: m.name, title: m.title, method: m.method, durationMs: 0 };
      let results: GoalResult[];
      try {
        const output = await m.run({ quick, repoRoot: REPO_ROOT, distDir: dist.dir, distFiles: dist.files, node, log });
        results = m.goals.map((spec) => output.goals.find((g) => g.id === spec.id) ?? missed(spec, 'the measurement did not report this goal'));
        if (output.details) record.details = output.details;
        if (output.data !== undefined) record.data = output.data;
      } catch (error) {
        const message = (error as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(error);
        record.error = message;
        results = m.goals.map((spec) => missed(spec, `the measurement failed: ${(error as Error).message}`));
      }
      record.durationMs = performance.now() - t0;
      records.push(record);
      for (const g of results) {
        goals.push(g);
        process.stdout.write(`${g.status}  ${g.id.padEnd(3)} ${g.goal}: ${g.measured} (target ${g.target})${g.note ? ` -- ${g.note}` : ''}\n`);
      }
    }
  } finally {
    cleanup();
  }

  const report = {
    command: commandLine(),
    quick,
    only: only ?? null,
    machine,
    code,
    distFiles: dist.files,
    goals,
    measurements: records,
    durationMs: performance.now() - started,
  };
  await writeFile(join(BENCH_DIR, 'RESULTS.md'), renderMarkdown(report));
  await writeFile(join(BENCH_DIR, 'results.json'), renderJson(report));
  const passed = goals.filter((g) => g.status === 'PASS').length;
  process.stdout.write(`\n${passed} of ${goals.length} goals met. Wrote bench/RESULTS.md and bench/results.json.\n`);
  return passed === goals.length ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`the bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 2;
  },
);
