// Goal 1a: how long a deploy takes from the start of its process to its first GitHub API request,
// against the smallest action that does the same with the packages deploy-guard was specified with.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startScenario, TOKEN, type Scenario } from '../test/support/deploy-scenario.ts';
import { runAction, type ActionRun } from '../test/support/runner.ts';
import { ms, spread, summarize } from './stats.ts';
import { judged, type Measurement } from './types.ts';
import { actionError, startHealthServer } from './world.ts';

const TARGET = 1.15;
const START_UP = {
  id: '1a',
  goal: 'Start-up: process start to the first API request of a deploy, vs a bare @actions/core + @actions/github action',
  target: `<= ${TARGET}x the baseline (medians)`,
  unit: 'x',
};

/**
 * The baseline: an action made of @actions/core and @actions/github as they come, which reads its
 * token input, builds a client with getOctokit and makes one request.
 */
const BASELINE_SOURCE = `
import * as core from '@actions/core';
import { context, getOctokit } from '@actions/github';
const gh = getOctokit(core.getInput('github-token', { required: true }), { baseUrl: process.env.GITHUB_API_URL });
await gh.request('GET /repos/{owner}/{repo}', context.repo);
`;
const REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** Bundled as deploy-guard is (esbuild, minified, ESM for node20), from this checkout's node_modules. */
async function buildBaseline(repoRoot: string, dir: string): Promise<{ entry: string; bytes: number }> {
  const entry = join(dir, 'dist', 'index.js');
  await build({
    stdin: { contents: BASELINE_SOURCE, resolveDir: repoRoot, loader: 'js' },
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    banner: { js: REQUIRE_BANNER },
    logLevel: 'error',
  });
  return { entry, bytes: (await readFile(entry)).byteLength };
}

/**
 * `commandPrefix` for runAction: bash notes the time (its own clock, no fork) into `file` and then
 * becomes node, so the time is the node process's start.
 */
function startNoted(file: string): string[] {
  return ['bash', '-c', 'printf "%s" "$EPOCHREALTIME" > "$0" && exec "$@"', file];
}

async function notedStartMs(file: string): Promise<number> {
  const text = (await readFile(file, 'utf8')).trim().replace(',', '.');
  const value = Number(text) * 1000;
  if (!text || !Number.isFinite(value)) throw new Error(`bash noted no start time (EPOCHREALTIME needs bash 5): ${JSON.stringify(text)}`);
  return value;
}

interface Sample {
  ms: number;
  route: string;
}

/** From the noted start to the first request the double received after it. */
async function firstRequestAfter(s: Scenario, from: number, file: string, run: ActionRun, what: string): Promise<Sample> {
  const start = await notedStartMs(file);
  const first = s.github.requests.slice(from).find((r) => r.at >= Math.floor(start));
  if (!first) throw new Error(`${what} made no API request: ${actionError(run)}`);
  return { ms: first.at - start, route: `${first.method} ${first.path}` };
}

export const startUp: Measurement = {
  name: 'start-up',
  title: 'Start-up to the first API request',
  goals: [START_UP],
  method:
    "Runs a healthy deploy (deploy-scenario's `deploy()`: `deploy-command: true`, `health-window: 0s`, the runner's INPUT_* and " +
    'GITHUB_* environment) against the GitHub API double, and a baseline action with the same environment: a bundle the bench ' +
    'builds with esbuild from node_modules (minified ESM, as dist/ is) that imports only @actions/core and @actions/github, ' +
    "builds the client with getOctokit (its default fetch, undici's) and makes one request (`GET /repos/{owner}/{repo}`). " +
    'Each process is started by `bash -c` that notes `$EPOCHREALTIME` and then execs node, so the start is the node ' +
    "process's; the end is the double's arrival time (`Date.now()`) of the first request. Both run with the node action.yml " +
    'names, alternating, after two warm-ups each; the goal compares the medians.',
  async run(ctx) {
    const server = await startHealthServer();
    const s = await startScenario({ distDir: ctx.distDir });
    const dir = await mkdtemp(join(tmpdir(), 'deploy-guard-bench-start-up-'));
    try {
      const baseline = await buildBaseline(ctx.repoRoot, dir);
      await s.commit({ version: 'v1' });
      const inputs = { 'deploy-command': 'true', 'health-url': `${server.url}/health`, 'health-window': '0s' };
      const noted = join(dir, 'started');

      const deploy = async (): Promise<Sample> => {
        const from = s.github.requests.length;
        const run = await s.deploy({ inputs, nodeBinary: ctx.node, mainStep: { commandPrefix: startNoted(noted) } });
        if (run.main.outputs.result !== 'deployed') throw new Error(`the deploy did not succeed: ${actionError(run.main)}`);
        return firstRequestAfter(s, from, noted, run.main, 'the deploy');
      };
      const bare = async (): Promise<Sample> => {
        const from = s.github.requests.length;
        const run = await runAction({
          entry: baseline.entry,
          inputs: { 'github-token': TOKEN },
          actionYml: false,
          env: { GITHUB_API_URL: s.github.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_WORKSPACE: s.fixture.work },
          nodeBinary: ctx.node,
          commandPrefix: startNoted(noted),
          timeoutMs: 30_000,
        });
        if (run.exitCode !== 0) throw new Error(`the baseline action failed: ${actionError(run)}`);
        return firstRequestAfter(s, from, noted, run, 'the baseline action');
      };

      for (let i = 0; i < 2; i += 1) {
        await deploy();
        await bare();
      }
      const runs = ctx.quick ? 4 : 21;
      const ours: Sample[] = [];
      const theirs: Sample[] = [];
      for (let i = 0; i < runs; i += 1) {
        ours.push(await deploy());
        theirs.push(await bare());
      }
      const d = summarize(ours.map((x) => x.ms));
      const b = summarize(theirs.map((x) => x.ms));
      const ratio = d.median / b.median;
      const goal = judged(START_UP, Number(ratio.toFixed(3)), ratio <= TARGET, `${ratio.toFixed(2)}x (${ms(d.median)} vs ${ms(b.median)}, medians of ${runs})`);
      const routes = (samples: Sample[]): string => [...new Set(samples.map((x) => `\`${x.route}\``))].join(', ');
      const details = [
        `| process | start to first API request | first request |`,
        `| --- | --- | --- |`,
        `| \`node dist/index.js\` (a deploy) | ${spread(d)} | ${routes(ours)} |`,
        `| baseline (@actions/core + @actions/github, getOctokit, one request) | ${spread(b)} | ${routes(theirs)} |`,
        '',
        `The baseline bundle is ${baseline.bytes.toLocaleString('en-US')} bytes (all of undici included, as getOctokit's default fetch brings it).`,
      ].join('\n');
      return { goals: [goal], details, data: { oursMs: ours.map((x) => x.ms), baselineMs: theirs.map((x) => x.ms), ratio, baselineBytes: baseline.bytes } };
    } finally {
      await s.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
