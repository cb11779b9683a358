// Soak: many runs of the bundled action, one after another in one world (git origin, GitHub API
// double, test service), each with 1-3 one-shot API faults injected on routes the action uses.
// Checks after every run that nothing is left half done: every result is a documented one, no
// deployment is left without a terminal status, every pre-deploy tag points at what its run
// deployed, no run made a deployment twice, and there is never more than one open incident.
//
//   npx tsx test/soak/soak.ts [--runs N] [--seed S] [--after-write] [--dist DIR] [--verbose]
//     --after-write  also inject 5xx answers sent after the write was carried out (POST/PATCH)
//     --dist DIR     take index.js and post.js from DIR instead of <repo>/dist
//   npm run soak -- --runs 50            (builds dist/ first)
//
// Not part of `npm test`: 200 runs take a while. Exit code 1 on any violation.
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, startScenario, type DeployRun, type Scenario } from '../support/deploy-scenario.ts';
import { RateLimitWindow } from '../support/github-double/rate-limit.ts';
import type { FaultRule, RequestLogEntry } from '../support/github-double/types.ts';
import { githubView } from '../support/github-view.ts';

// ---------------------------------------------------------------------------------------------
// Settings

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    seed: { type: 'string' },
    'after-write': { type: 'boolean', default: false },
    dist: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const SEED = args.seed !== undefined ? Number(args.seed) : Date.now() % 2 ** 31;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, got ${args.runs}`);
if (!Number.isInteger(SEED)) throw new Error(`--seed must be an integer, got ${args.seed}`);

const ENVIRONMENT = 'production';
const TAG_PREFIX = `deploy-guard/${ENVIRONMENT}`;
const INCIDENT_MARKER = `<!-- deploy-guard:incident environment=${ENVIRONMENT} -->`;
const RESULTS = ['deployed', 'rolled-back', 'rollback-failed', 'no-rollback-target', 'blocked', 'failed', 'refused', 'clear'] as const;
const TERMINAL = new Set(['success', 'failure', 'error', 'inactive']);
const MAINTAINER = 'soak-ops';
const SOAK_HEALTH = {
  'health-window': '500ms',
  'health-interval': '250ms',
  'request-timeout': '200ms',
  'failure-threshold': '2',
} as const;
/** Probability of closing the open incidents before a deploy (otherwise it is blocked). */
const CLOSE_INCIDENT_P = 0.8;

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32)

function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    weighted: <T>(items: ReadonlyArray<readonly [T, number]>): T => {
      let r = next() * items.reduce((sum, [, w]) => sum + w, 0);
      for (const [item, w] of items) if ((r -= w) < 0) return item;
      return items.at(-1)![0];
    },
  };
}
const rand = prng(SEED);

// ---------------------------------------------------------------------------------------------
// Routes the action uses, and the faults injected on them

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: RegExp;
}

const ROUTES: Route[] = [
  { name: 'GET /issues', method: 'GET', path: /^\/repos\/acme\/shop\/issues$/ },
  { name: 'GET /git/ref/{ref}', method: 'GET', path: /^\/repos\/acme\/shop\/git\/ref\// },
  { name: 'POST /git/refs', method: 'POST', path: /^\/repos\/acme\/shop\/git\/refs$/ },
  { name: 'PATCH /git/refs/{ref}', method: 'PATCH', path: /^\/repos\/acme\/shop\/git\/refs\// },
  { name: 'POST /deployments', method: 'POST', path: /^\/repos\/acme\/shop\/deployments$/ },
  { name: 'GET /deployments', method: 'GET', path: /^\/repos\/acme\/shop\/deployments$/ },
  { name: 'POST /deployments/{id}/statuses', method: 'POST', path: /^\/repos\/acme\/shop\/deployments\/\d+\/statuses$/ },
  { name: 'GET /deployments/{id}/statuses', method: 'GET', path: /^\/repos\/acme\/shop\/deployments\/\d+\/statuses$/ },
  { name: 'POST /labels', method: 'POST', path: /^\/repos\/acme\/shop\/labels$/ },
  { name: 'POST /issues', method: 'POST', path: /^\/repos\/acme\/shop\/issues$/ },
  { name: 'POST /issues/{n}/comments', method: 'POST', path: /^\/repos\/acme\/shop\/issues\/\d+\/comments$/ },
  { name: 'GET /issues/{n}/comments', method: 'GET', path: /^\/repos\/acme\/shop\/issues\/\d+\/comments$/ },
  { name: 'GET /collaborators/{user}/permission', method: 'GET', path: /^\/repos\/acme\/shop\/collaborators\/[^/]+\/permission$/ },
  // The gate asks who the token is (a personal token's own incidents count); the double answers 404.
  { name: 'GET /user', method: 'GET', path: /^\/user$/ },
];

function routeOf(entry: Pick<RequestLogEntry, 'method' | 'path'>): string {
  const path = safeDecode(entry.path);
  return ROUTES.find((r) => r.method === entry.method && (r.path.test(entry.path) || r.path.test(path)))?.name ?? `${entry.method} ${entry.path} (other)`;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

type FaultKind = 'http-500' | 'http-502' | 'http-503' | 'secondary-403' | 'secondary-403-no-retry-after' | 'secondary-429' | 'primary-403' | 'latency' | 'after-write-5xx';

interface InjectedFault {
  kind: FaultKind;
  route: Route;
  rule: FaultRule;
  /** Strip retry-after from the answer (the double always sends one for a secondary limit). */
  stripRetryAfter: boolean;
  /** The request it was applied to, worked out from the request log. */
  hit?: RequestLogEntry;
}

const FAULT_KINDS: ReadonlyArray<readonly [FaultKind, number]> = [
  ['http-500', 1],
  ['http-502', 1],
  ['http-503', 1],
  ['secondary-403', 1],
  ['secondary-403-no-retry-after', 1],
  ['secondary-429', 1],
  ['primary-403', 1],
  ['latency', 2],
  ...(args['after-write'] ? ([['after-write-5xx', 2]] as const) : []),
];

/** The routes a kind of run calls when nothing goes wrong (a fault's retry or recovery may call others). */
const ROUTES_OF: Record<RunKind, string[]> = {
  'healthy-deploy': ['GET /issues', 'GET /git/ref/{ref}', 'POST /git/refs', 'POST /deployments', 'POST /deployments/{id}/statuses', 'PATCH /git/refs/{ref}'],
  'bad-deploy': ['GET /issues', 'GET /git/ref/{ref}', 'POST /git/refs', 'POST /deployments', 'POST /deployments/{id}/statuses', 'POST /labels', 'POST /issues', 'POST /issues/{n}/comments'],
  'failing-command': ['GET /issues', 'GET /git/ref/{ref}', 'POST /git/refs', 'POST /deployments', 'POST /deployments/{id}/statuses', 'POST /labels', 'POST /issues'],
  'manual-rollback': ['GET /collaborators/{user}/permission', 'GET /git/ref/{ref}', 'GET /deployments', 'GET /deployments/{id}/statuses', 'POST /deployments', 'POST /deployments/{id}/statuses', 'PATCH /git/refs/{ref}', 'POST /labels', 'GET /issues', 'POST /issues', 'POST /issues/{n}/comments'],
  gate: ['GET /issues'],
};

for (const [kind, names] of Object.entries(ROUTES_OF)) {
  for (const name of names) if (!ROUTES.some((r) => r.name === name)) throw new Error(`soak: ROUTES_OF[${kind}] names an unknown route ${name}`);
}

/** A fault on a route this kind of run calls (4 in 5), or on any route the action uses. */
function makeFault(runKind: RunKind): InjectedFault {
  let kind = rand.weighted(FAULT_KINDS);
  const likely = ROUTES.filter((r) => ROUTES_OF[runKind].includes(r.name));
  const route = rand.pick(rand.next() < 0.8 && likely.length ? likely : ROUTES);
  if (kind === 'after-write-5xx' && route.method === 'GET') kind = 'http-502';
  const base = { method: route.method, path: route.path, times: 1 } as const;
  const rule: FaultRule = (() => {
    switch (kind) {
      case 'http-500':
        return { ...base, status: 500 };
      case 'http-502':
        return { ...base, status: 502 };
      case 'http-503':
        return { ...base, status: 503 };
      case 'secondary-403':
      case 'secondary-403-no-retry-after':
        return { ...base, rateLimit: 'secondary' };
      case 'secondary-429':
        return { ...base, rateLimit: 'secondary', status: 429 };
      case 'primary-403':
        return { ...base, rateLimit: 'primary' };
      case 'latency':
        return { ...base, latencyMs: rand.int(50, 500) };
      case 'after-write-5xx':
        return { ...base, status: rand.pick([500, 502, 503]), afterWrite: true };
    }
  })();
  return { kind, route, rule, stripRetryAfter: kind === 'secondary-403-no-retry-after' };
}

function describeFault(f: InjectedFault): string {
  const detail = f.kind === 'latency' ? ` ${f.rule.latencyMs}ms` : f.kind === 'after-write-5xx' ? ` ${f.rule.status}` : '';
  const hit = f.hit ? `hit ${f.hit.method} ${safeDecode(f.hit.path)} -> ${f.hit.status}` : 'not hit';
  return `${f.kind}${detail} on ${f.route.name} (${hit})`;
}

/** Which request each fault was applied to: the double's FaultBook gives each request to the first matching rule. */
function attributeFaults(faults: InjectedFault[], requests: RequestLogEntry[]): void {
  const active = [...faults];
  for (const entry of requests) {
    const decoded = safeDecode(entry.path);
    const index = active.findIndex((f) => f.rule.method === entry.method && [entry.path, decoded].some((p) => (f.rule.path as RegExp).test(p)));
    if (index < 0) continue;
    active[index]!.hit = entry;
    active.splice(index, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// A proxy between the action and the double: strips retry-after from chosen secondary-limit answers

interface StripRule {
  method: string;
  path: RegExp;
  remaining: number;
}

interface Proxy {
  url: string;
  /** Rules for the answers to strip retry-after from; `stripped` counts those stripped. */
  state: { strip: StripRule[]; stripped: number };
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const upstream = new URL(target);
  const state = { strip: [] as StripRule[], stripped: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          const headers: IncomingHttpHeaders = { ...answer.headers };
          const path = new URL(req.url ?? '/', 'http://x').pathname;
          const isSecondary = (answer.statusCode === 403 || answer.statusCode === 429) && headers['retry-after'] !== undefined;
          if (isSecondary) {
            const rule = state.strip.find((r) => r.remaining > 0 && r.method === req.method && (r.path.test(path) || r.path.test(safeDecode(path))));
            if (rule) {
              rule.remaining -= 1;
              state.stripped += 1;
              delete headers['retry-after'];
            }
          }
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `soak proxy: ${error.message}` }));
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The world

type RunKind = 'healthy-deploy' | 'bad-deploy' | 'failing-command' | 'manual-rollback' | 'gate';
const RUN_KINDS: ReadonlyArray<readonly [RunKind, number]> = [
  ['healthy-deploy', 35],
  ['bad-deploy', 20],
  ['failing-command', 15],
  ['manual-rollback', 15],
  ['gate', 15],
];

interface RunRecord {
  n: number;
  kind: RunKind;
  runId: string;
  sha: string;
  version?: string;
  faults: InjectedFault[];
  result: string | undefined;
  exitCode: number | null;
  expected: string[];
  errors: string[];
  durationMs: number;
  deploymentsMade: number;
  /** Requests by route, main and post step. */
  routes: Map<string, number>;
  requests: number;
}

interface Violation {
  check: string;
  run: RunRecord | undefined;
  detail: string;
}

/**
 * The soak squeezes hours of deploys into minutes, so the double's real-time hourly budget
 * (5000 requests) would run out for a reason no real repository has at this pace. Keep the
 * window rolling over instead; injected primary rate limits still apply.
 */
function lift5000PerHourBudget(): void {
  const consume = RateLimitWindow.prototype.consume;
  RateLimitWindow.prototype.consume = function (this: RateLimitWindow) {
    if (consume.call(this)) return true;
    (this as unknown as { used: number }).used = 0;
    return consume.call(this);
  };
}

async function snapshotDist(from: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'deploy-guard-soak-dist-'));
  // The whole bundle: the entry points and the chunks they load (dist/chunks/).
  await cp(from, join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'dist', 'package.json'), '{ "type": "module" }\n');
  await copyFile(join(REPO_ROOT, 'action.yml'), join(dir, 'action.yml'));
  return join(dir, 'dist');
}

async function main(): Promise<void> {
  lift5000PerHourBudget();
  // dist/ as it is now: a rebuild during the soak must not mix two versions of the action.
  const distDir = await snapshotDist(args.dist ? resolve(args.dist) : join(REPO_ROOT, 'dist'));
  const logDir = await mkdtemp(join(tmpdir(), `deploy-guard-soak-${SEED}-`));
  const s: Scenario = await startScenario({ distDir });
  const versionOf = new Map<string, string>();
  const view = githubView(s.github);
  s.github.setCollaborator(MAINTAINER, 'maintain');
  const proxy = await startProxy(s.github.url);
  // The repository has a commit before the first run (a gate or manual rollback needs a HEAD); it is never deployed.
  versionOf.set(await s.commit({ version: 'v0' }), 'v0');

  const records: RunRecord[] = [];
  const violations: Violation[] = [];
  const deployedBy = new Map<string, string>(); // run id -> sha its deploy was of
  const healthyTags: string[] = [];
  const seenNonTerminal = new Set<number>();
  let versionCounter = 0;
  const started = performance.now();
  console.log(`deploy-guard soak: ${RUNS} runs, seed ${SEED}${args['after-write'] ? ', after-write faults' : ''}; logs of notable runs in ${logDir}`);

  try {
    for (let n = 1; n <= RUNS; n += 1) {
      const kind = rand.weighted(RUN_KINDS);
      const openIncidents = () => s.github.state.issues.filter((i) => i.state === 'open' && (i.body ?? '').includes(INCIDENT_MARKER));
      const isDeploy = kind === 'healthy-deploy' || kind === 'bad-deploy' || kind === 'failing-command';

      // Before a deploy, people usually close the incident (through the API, before any fault is armed).
      if (isDeploy && openIncidents().length > 0 && rand.next() < CLOSE_INCIDENT_P) {
        for (const issue of openIncidents()) await view.closeIssue(issue.number);
      }
      let version: string | undefined;
      if (isDeploy) {
        versionCounter += 1;
        version = `v${versionCounter}`;
        const sha = await s.commit({ version, health: kind === 'bad-deploy' ? 'fail' : kind === 'failing-command' ? 'bootFail' : 'ok' });
        versionOf.set(sha, version);
      }
      const knownGood = await s.tagSha(`${TAG_PREFIX}/known-good`);
      const incidentOpen = openIncidents().length > 0;
      const inputs: Record<string, string> = { ...SOAK_HEALTH };
      const env: Record<string, string> = { GITHUB_API_URL: proxy.url };
      if (kind === 'gate') inputs.mode = 'gate';
      let rollbackTarget: string | undefined;
      if (kind === 'manual-rollback') {
        rollbackTarget = healthyTags.length > 0 && rand.next() < 0.3 ? rand.pick(healthyTags) : '';
        Object.assign(inputs, { mode: 'rollback', 'rollback-to': rollbackTarget, reason: `soak run ${n}` });
        env.GITHUB_ACTOR = MAINTAINER;
      }
      const expected = expectedResults(kind, incidentOpen, knownGood !== undefined);

      // Arm 1-3 one-shot faults for this run only.
      const faults = Array.from({ length: rand.int(1, 3) }, () => makeFault(kind));
      s.github.faults.clear();
      for (const f of faults) s.github.faults.add(f.rule);
      proxy.state.strip = faults.filter((f) => f.stripRetryAfter).map((f) => ({ method: f.route.method, path: f.route.path, remaining: 1 }));
      const requestsBefore = s.github.requests.length;
      const deploymentsBefore = s.github.state.deployments.length;

      let run: DeployRun | undefined;
      let crash: string | undefined;
      const t0 = performance.now();
      try {
        run = await s.deploy({ inputs, env, timeoutMs: 300_000, postTimeoutMs: 300_000 });
      } catch (error) {
        crash = (error as Error).stack ?? String(error);
      }
      const durationMs = Math.round(performance.now() - t0);
      s.github.faults.clear();
      proxy.state.strip = [];
      const requests = s.github.requests.slice(requestsBefore);
      attributeFaults(faults, requests);

      const record: RunRecord = {
        n,
        kind,
        runId: run?.runId ?? '?',
        sha: run?.sha ?? '?',
        ...(version ? { version } : {}),
        faults,
        result: run?.main.outputs.result,
        exitCode: run?.main.exitCode ?? null,
        expected,
        errors: run ? errorLines(run) : [`soak: the run could not be started: ${crash}`],
        durationMs,
        // deploy-guard's own: GitHub's deployment for the job's environment is not the run's to count.
        deploymentsMade: s.github.state.deployments.slice(deploymentsBefore).filter((d) => runKey(d.payload) !== undefined).length,
        requests: requests.length,
        routes: requests.reduce((m, r) => m.set(routeOf(r), (m.get(routeOf(r)) ?? 0) + 1), new Map<string, number>()),
      };
      records.push(record);
      const runViolations: Violation[] = [];
      const flag = (check: string, detail: string) => runViolations.push({ check, run: record, detail });

      // 1. A documented result.
      if (record.result === undefined) flag('result', `no result output (exit ${record.exitCode}${run?.main.timedOut ? ', timed out' : ''})`);
      else if (!(RESULTS as readonly string[]).includes(record.result)) flag('result', `undocumented result "${record.result}"`);
      if (run?.main.timedOut) flag('result', 'the main step timed out (300 s) and was killed');
      if (run && run.post.exitCode !== 0) flag('post', `post step exited ${run.post.exitCode}: ${errorLines({ ...run, main: run.post }).join(' | ')}`);

      // 2. Every deployment has a terminal latest status.
      for (const d of s.github.state.deployments) {
        const latest = latestStatus(s, d.id);
        if (!TERMINAL.has(latest ?? '') && !seenNonTerminal.has(d.id)) {
          seenNonTerminal.add(d.id);
          flag('non-terminal deployment', `deployment ${d.id} (${kindOf(d.payload)} of ${d.sha.slice(0, 7)}) latest status ${latest ?? 'none'}`);
        }
      }

      // 3. The run's pre-deploy tag points at what it deployed.
      if (run && isDeploy) {
        const tag = `${TAG_PREFIX}/deploy-${run.runId}-1`;
        const tagged = await s.tagSha(tag);
        if (tagged !== undefined && tagged !== run.sha) flag('tag', `${tag} points at ${tagged}, the run deployed ${run.sha}`);
        if (tagged !== undefined) deployedBy.set(run.runId, run.sha);
        if (record.result === 'deployed' && tagged === undefined) flag('tag', `result deployed but ${tag} does not exist`);
        if (record.result === 'deployed' && tagged !== undefined) healthyTags.push(tag);
      }

      // 4. No deployment made twice; no more deployments than the run kind makes.
      const limit = isDeploy ? 2 : kind === 'manual-rollback' ? 1 : 0;
      if (record.deploymentsMade > limit) flag('duplicate deployment', `${record.deploymentsMade} deployments made by one ${kind} run (at most ${limit})`);
      const byMarker = new Map<string, number[]>();
      for (const d of s.github.state.deployments.slice(deploymentsBefore)) {
        const key = runKey(d.payload);
        if (key) byMarker.set(key, [...(byMarker.get(key) ?? []), d.id]);
      }
      for (const [key, ids] of byMarker) if (ids.length > 1) flag('duplicate deployment', `run ${key} made deployments ${ids.join(', ')}`);

      // 5. At most one open incident for the environment.
      const open = openIncidents();
      if (open.length > 1) flag('duplicate incident', `open incidents ${open.map((i) => `#${i.number}`).join(', ')} for ${ENVIRONMENT}`);

      // 6. What the result claims is what serves.
      if (run && record.result === 'deployed' && kind !== 'gate') {
        const serving = await s.service.currentVersion();
        if (serving !== versionOf.get(run.sha)) flag('serving', `result deployed ${versionOf.get(run.sha)} but ${serving ?? 'nothing'} serves`);
      }
      if (run && record.result === 'rolled-back') {
        const target = kind === 'manual-rollback' ? run.main.outputs['deployed-sha'] : run.main.outputs['known-good-sha'];
        const serving = await s.service.currentVersion();
        if (target && serving !== versionOf.get(target)) flag('serving', `result rolled-back to ${versionOf.get(target) ?? target} but ${serving ?? 'nothing'} serves`);
      }

      violations.push(...runViolations);
      const unexpected = record.result === undefined || !expected.includes(record.result);
      const line = `#${String(n).padStart(3)} run ${record.runId} ${kind}${version ? ` ${version}` : ''}${rollbackTarget ? ` to ${rollbackTarget}` : ''}: ${record.result ?? '(none)'}${unexpected ? ` [expected ${expected.join('|')}]` : ''} in ${(durationMs / 1000).toFixed(1)}s, ${record.requests} requests; faults: ${faults.map(describeFault).join('; ')}`;
      console.log(line);
      for (const v of runViolations) console.log(`      VIOLATION ${v.check}: ${v.detail}`);
      if (unexpected && record.errors.length) console.log(`      ${record.errors.join(' | ')}`);
      if (run && (runViolations.length > 0 || unexpected || args.verbose)) {
        await writeFile(join(logDir, `run-${n}.log`), `${line}\n\n--- main stdout\n${run.main.stdout}\n--- main stderr\n${run.main.stderr}\n--- post stdout\n${run.post.stdout}\n--- requests\n${requests.map((r) => `${r.method} ${r.path} ${r.status}`).join('\n')}\n`);
      }
    }
  } finally {
    await proxy.close();
    await s.close();
    await rm(join(distDir, '..'), { recursive: true, force: true });
    if ((await readdir(logDir)).length === 0) await rm(logDir, { recursive: true, force: true });
  }

  const wallMs = performance.now() - started;
  report(records, violations, wallMs, proxy.state.stripped, logDir);
  process.exitCode = violations.length > 0 ? 1 : 0;
}

function expectedResults(kind: RunKind, incidentOpen: boolean, hasKnownGood: boolean): string[] {
  // 'failed' is always possible: a fault the action cannot get past makes it fail closed.
  switch (kind) {
    case 'gate':
      return [incidentOpen ? 'blocked' : 'clear', 'failed'];
    case 'manual-rollback':
      return hasKnownGood ? ['rolled-back', 'rollback-failed', 'failed'] : ['refused', 'failed'];
    case 'healthy-deploy':
      return incidentOpen ? ['blocked', 'failed'] : ['deployed', 'failed'];
    case 'bad-deploy':
    case 'failing-command':
      return incidentOpen ? ['blocked', 'failed'] : [hasKnownGood ? 'rolled-back' : 'no-rollback-target', 'failed'];
  }
}

function errorLines(run: DeployRun): string[] {
  return run.main.stdout
    .split('\n')
    .filter((l) => l.startsWith('::error') || l.startsWith('::warning'))
    .map((l) => l.replace(/^::(error|warning)[^:]*::/, '$1: ').replace(/%0A/g, ' / '));
}

function latestStatus(s: Scenario, deploymentId: number): string | undefined {
  let latest: string | undefined;
  for (const st of s.github.state.deploymentStatuses) if (st.deployment_id === deploymentId) latest = st.state;
  return latest;
}

function ownPayload(payload: unknown): { run?: { id?: string; attempt?: string; kind?: string }; rollback?: boolean } | undefined {
  const parsed = typeof payload === 'string' ? (JSON.parse(payload || '{}') as unknown) : payload;
  return (parsed as Record<string, never> | null)?.['deploy-guard'];
}

function runKey(payload: unknown): string | undefined {
  const run = ownPayload(payload)?.run;
  return run ? `${run.id}/${run.attempt}/${run.kind}` : undefined;
}

function kindOf(payload: unknown): string {
  const own = ownPayload(payload);
  return own?.run?.kind ?? (own?.rollback ? 'rollback' : 'deploy');
}

function report(records: RunRecord[], violations: Violation[], wallMs: number, stripped: number, logDir: string): void {
  const count = <K extends string>(keys: K[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());
  console.log('\n=== deploy-guard soak ===');
  console.log(`seed ${SEED}, ${records.length} runs, wall time ${(wallMs / 1000).toFixed(1)} s, ${(records.length / (wallMs / 60_000)).toFixed(1)} runs/minute`);

  console.log('\nruns per result:');
  for (const [result, n] of [...count(records.map((r) => r.result ?? '(missing)'))].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${result.padEnd(20)} ${n}${(RESULTS as readonly string[]).includes(result) ? '' : '   <- not a documented result'}`);
  }

  console.log('\nrun kind -> result:');
  for (const kind of RUN_KINDS.map(([k]) => k)) {
    const mine = records.filter((r) => r.kind === kind);
    if (!mine.length) continue;
    const results = [...count(mine.map((r) => r.result ?? '(missing)'))].map(([k, n]) => `${k} ${n}`).join(', ');
    const avg = mine.reduce((sum, r) => sum + r.durationMs, 0) / mine.length / 1000;
    console.log(`  ${kind.padEnd(16)} ${String(mine.length).padStart(4)} runs, avg ${avg.toFixed(1)} s: ${results}`);
  }

  const unexpected = records.filter((r) => r.result === undefined || !r.expected.includes(r.result));
  const failed = records.filter((r) => r.result === 'failed');
  console.log(`\nunexpected results: ${unexpected.length}; failed (fail closed under a fault): ${failed.length}`);
  for (const r of failed) {
    console.log(`  #${r.n} ${r.kind}: ${r.errors.filter((e) => e.startsWith('error')).join(' | ')}`);
    console.log(`      faults: ${r.faults.map(describeFault).join('; ')}`);
  }

  const all = records.flatMap((r) => r.faults);
  const hit = all.filter((f) => f.hit);
  console.log(`\nfaults: ${all.length} injected, ${hit.length} hit (retry-after stripped from ${stripped} secondary limits)`);
  for (const [kind, n] of count(hit.map((f) => f.kind))) console.log(`  ${kind.padEnd(30)} ${n} hit`);
  const routesHit = count(hit.map((f) => f.route.name));
  const routeRequests = new Map<string, number>();
  for (const r of records) for (const [route, n] of r.routes) routeRequests.set(route, (routeRequests.get(route) ?? 0) + n);
  const total = [...routeRequests.values()].reduce((a, b) => a + b, 0);
  console.log(`
requests: ${total} (${(total / records.length).toFixed(1)} a run); by route (faults hit):`);
  for (const name of new Set([...ROUTES.map((r) => r.name), ...routeRequests.keys()])) {
    console.log(`  ${name.padEnd(38)} ${String(routeRequests.get(name) ?? 0).padStart(6)} (${routesHit.get(name) ?? 0})`);
  }

  const checks = ['result', 'post', 'non-terminal deployment', 'tag', 'duplicate deployment', 'duplicate incident', 'serving'];
  console.log('\nviolations:');
  for (const check of checks) console.log(`  ${check.padEnd(24)} ${violations.filter((v) => v.check === check).length}`);
  for (const v of violations) {
    console.log(`  - [${v.check}] run #${v.run?.n} (${v.run?.kind}, run id ${v.run?.runId}, result ${v.run?.result ?? 'none'}): ${v.detail}`);
    if (v.run) console.log(`      faults: ${v.run.faults.map(describeFault).join('; ')}`);
  }
  const logs = existsSync(logDir) ? `; logs of notable runs: ${logDir}` : '';
  console.log(`\n${violations.length === 0 ? 'OK: no violations' : `FAIL: ${violations.length} violation(s)`}${logs}`);
}

await main();
