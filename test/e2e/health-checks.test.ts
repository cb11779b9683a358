// Health checks end to end: TCP, command and Prometheus checks judged by the bundled action
// against real listeners, real processes and a real Prometheus scraping the test service.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';
import { prometheusAvailable, startPrometheus } from '../support/prometheus.ts';
import { httpGet } from '../support/service/control.ts';

const KNOWN_GOOD = 'deploy-guard/production/known-good';

let s: Scenario;
let view: ReturnType<typeof githubView>;
const stops: Array<() => Promise<void> | void> = [];
beforeEach(async () => {
  s = await startScenario();
  view = githubView(s.github);
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await s?.close();
});

/** Steady traffic on GET / so the service's request counters move. */
function generateLoad(url: string, everyMs = 20): void {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      await httpGet(`${url}/`, 500);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  void loop();
  stops.push(() => {
    stopped = true;
  });
}

describe('tcp and command checks', () => {
  it('deploys when a TCP connect and a command check pass every round', async () => {
    await s.commit({ version: 'v1' });
    const port = new URL(s.service.url).port;
    const { main } = await s.deploy({
      inputs: {
        'health-url': '',
        checks: [
          `- type: tcp`,
          `  name: port`,
          `  host: 127.0.0.1`,
          `  port: ${port}`,
          `- type: command`,
          `  name: version`,
          `  run: ${JSON.stringify(`node -e 'fetch(process.argv[1]).then(r => r.json()).then(b => process.exit(b.version === "v1" ? 0 : 1))' ${s.service.url}/`)}`,
          `  timeout: 1s`,
        ].join('\n'),
        'health-interval': '1s',
        'request-timeout': '500ms',
      },
    });
    expect(main.outputs.result, main.stdout).toBe('deployed');
    expect(main.stdout).toMatch(/round 1 at \+0ms: PASS \| port: .*\| version: /);
  });

  it("quotes a failing command check's output in the incident, not only its last line", async () => {
    const inputs = {
      'health-url': '',
      checks: [
        `- type: command`,
        `  name: smoke`,
        `  run: ${JSON.stringify(
          `node -e 'fetch(process.argv[1]).then(r => r.json()).then(b => { if (b.version === "v1") process.exit(0); console.log("smoke report: checkout flow"); console.log("step 3 of 5 failed"); console.log("serving " + b.version); process.exit(1); })' ${s.service.url}/`,
        )}`,
        `  timeout: 1s`,
      ].join('\n'),
      'health-interval': '1s',
      'request-timeout': '1s',
    };
    await s.commit({ version: 'v1' });
    expect((await s.deploy({ inputs })).main.outputs.result).toBe('deployed');
    await s.commit({ version: 'v2' });
    const bad = await s.deploy({ inputs });
    expect(bad.main.outputs.result, bad.main.stdout).toBe('rolled-back');
    const [incident] = s.github.state.issues;
    expect(incident!.body).toContain('smoke report: checkout flow');
    expect(incident!.body).toContain('step 3 of 5 failed');
  });

  it('measures failure onset to rollback against the printed worst case', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2' });
    const flag = join(s.stateDir, 'broken');
    const probes = join(s.stateDir, 'probes.log');
    const rollbackStart = join(s.stateDir, 'rollback-start');
    const run = s.deploy({
      inputs: {
        'health-url': '',
        checks: `- type: command\n  name: flag\n  run: 'if [ -e "$SERVICE_STATE_DIR/broken" ]; then echo "$(date +%s%3N) fail" >> "$SERVICE_STATE_DIR/probes.log"; exit 1; fi'\n`,
        // Rolling back repairs what broke.
        'rollback-command': 'date +%s%3N > "$SERVICE_STATE_DIR/rollback-start"; rm "$SERVICE_STATE_DIR/broken"; bash deploy.sh',
        'health-window': '12s',
        'health-interval': '1s',
        'request-timeout': '1s',
        'failure-threshold': '3',
      },
    });
    // Let the window run healthy for a while, then break the service.
    await new Promise((r) => setTimeout(r, 6_500));
    const onset = Date.now();
    await writeFile(flag, '');
    const { main } = await run;
    expect(main.outputs.result).toBe('rolled-back');
    const printed = /Worst case from a failure to the verdict that starts the rollback: (\d+)s\./.exec(main.stdout);
    expect(printed).not.toBeNull();
    const worstMs = Number(printed![1]) * 1000;
    const failures = (await readFile(probes, 'utf8')).trim().split('\n').map((l) => Number(l.split(' ')[0]));
    const verdictMs = failures.at(-1)! - onset;
    const rollbackMs = Number(await readFile(rollbackStart, 'utf8')) - onset;
    process.stdout.write(`detection: worst case printed ${worstMs}ms; verdict after ${verdictMs}ms; rollback command started after ${rollbackMs}ms\n`);
    expect(failures).toHaveLength(3);
    expect(verdictMs).toBeLessThanOrEqual(worstMs);
    expect(rollbackMs).toBeGreaterThan(verdictMs);
  });
});

// Skipped only where Prometheus is not installed and not required; .ci/run requires it.
describe.skipIf(!prometheusAvailable() && !process.env.DEPLOY_GUARD_REQUIRE_PROMETHEUS)('prometheus checks (real Prometheus)', () => {
  const errorRatio = 'sum(rate(http_requests_total{code="500"}[4s])) / sum(rate(http_requests_total[4s]))';

  async function withPrometheus() {
    const prometheus = await startPrometheus({ targets: [new URL(s.service.url).host] });
    stops.push(() => prometheus.stop());
    return prometheus;
  }

  it('a bad version raises the 5xx rate above 2x the baseline and is rolled back', async () => {
    const v1 = await s.commit({ version: 'v1' });
    const checks = [
      `- type: prometheus`,
      `  name: error-rate`,
      `  url: PROM`,
      `  query: '${errorRatio}'`,
      `  max-ratio-to-baseline: 2`,
      `  baseline-floor: 0.05`,
      `  on-no-data: pass`,
    ].join('\n');
    const prometheus = await withPrometheus();
    // The warm-up outlasts the query's 4s rate window, so a rollback is not judged on the bad version's traffic.
    const inputs = {
      'health-url': '',
      checks: checks.replace('PROM', prometheus.url),
      'health-initial-delay': '5s',
      'health-window': '8s',
      'health-interval': '1s',
      'request-timeout': '1s',
    };
    const first = await s.deploy({ inputs });
    expect(first.main.outputs.result, first.main.stdout).toBe('deployed');
    generateLoad(s.service.url);
    await prometheus.waitForScrape();

    await s.commit({ version: 'v2', errorRate: 0.5 });
    const { main } = await s.deploy({ inputs });
    expect(main.outputs, main.stdout).toMatchObject({ result: 'rolled-back', 'known-good-sha': v1 });
    expect(main.stdout).toMatch(/Baseline of "error-rate": .* -> 0\.05\./);
    expect(main.stdout).toMatch(/error-rate: .*x the baseline 0\.05 \(max 2x\)/);
    expect(await s.service.currentVersion()).toBe('v1');
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v1);
    const [incident] = await view.issues('open');
    expect(incident!.body).toContain('error-rate');
  });

  it('Prometheus stopped mid-window makes rounds inconclusive, not a crash; by default they do not roll back', async () => {
    await s.commit({ version: 'v1' });
    await s.deploy();
    const prometheus = await withPrometheus();
    await prometheus.waitForScrape();
    const checks = [
      `- type: http`,
      `  name: web`,
      `  url: ${s.service.url}/health`,
      `- type: prometheus`,
      `  name: up`,
      `  url: ${prometheus.url}`,
      `  query: 'min(up)'`,
      `  min: 1`,
    ].join('\n');
    const v2 = await s.commit({ version: 'v2' });
    const run = s.deploy({ inputs: { 'health-url': '', checks, 'health-window': '6s', 'health-interval': '500ms', 'request-timeout': '400ms' } });
    await new Promise((r) => setTimeout(r, 5_000));
    await prometheus.stop();
    const { main } = await run;
    expect(main.outputs.result, main.stdout).toBe('deployed');
    expect(main.exitCode).toBe(0);
    expect(main.stdout).toMatch(/: PASS \| web: status 200, \d+ms \| up: 1 within bounds/);
    expect(main.stdout).toMatch(/: INCONCLUSIVE \| web: status 200, \d+ms \| up: Prometheus unreachable: ECONNREFUSED/);

    // With inconclusive-threshold set, the same outage counts as unhealthy.
    await s.commit({ version: 'v3' });
    const strict = await s.deploy({
      inputs: { 'health-url': '', checks, 'health-window': '3s', 'health-interval': '500ms', 'request-timeout': '400ms', 'inconclusive-threshold': '3' },
    });
    expect(strict.main.outputs).toMatchObject({ result: 'rollback-failed', 'known-good-sha': v2 });
    expect(strict.main.stdout).toContain('3 consecutive health rounds could not be measured (inconclusive-threshold is 3)');
  });
});

describe('dry run', () => {
  it('reports the verdict only: no known-good move, no rollback, no incident', async () => {
    const v1 = await s.commit({ version: 'v1' });
    await s.deploy();
    await s.commit({ version: 'v2', health: 'fail' });
    const bad = await s.deploy({ inputs: { 'dry-run': 'true' } });
    expect(bad.main.exitCode).toBe(1);
    expect(bad.main.outputs).toMatchObject({ result: 'unhealthy', 'known-good-sha': v1 });
    expect(await s.service.currentVersion()).toBe('v2');
    expect(await view.issues()).toEqual([]);
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v1);
    expect((await view.deployments()).map((d) => d.rollback)).toEqual([false, false]);

    const v3 = await s.commit({ version: 'v3' });
    const good = await s.deploy({ inputs: { 'dry-run': 'true' } });
    expect(good.main.outputs).toMatchObject({ result: 'deployed', 'deployed-sha': v3, 'known-good-sha': v1 });
    expect(await s.tagSha(KNOWN_GOOD)).toBe(v1);
  });
});
