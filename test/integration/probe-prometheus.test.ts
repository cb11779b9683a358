// The Prometheus probe against a real Prometheus scraping the real test service.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrometheusCheck } from '../../src/health/check-types.ts';
import { measureBaseline, probePrometheus, queryPrometheus } from '../../src/health/prometheus.ts';
import { freePort } from '../support/ports.ts';
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { httpGet, serviceControl, type ServiceControl } from '../support/service/control.ts';
import { serviceFiles } from '../support/service/files.ts';

const available = prometheusAvailable();
if (!available) {
  if (process.env.DEPLOY_GUARD_REQUIRE_PROMETHEUS) throw new Error('DEPLOY_GUARD_REQUIRE_PROMETHEUS is set but /usr/bin/prometheus is missing');
  console.warn('probe-prometheus.test.ts SKIPPED: /usr/bin/prometheus is not installed (apt-get install prometheus; CI installs it)');
}

const TOTAL = 'sum(http_requests_total)';
const ERROR_RATIO = 'sum(http_requests_total{code="500"}) / sum(http_requests_total)';
const ERRORS = 'sum(http_requests_total{code="500"})';

describe.skipIf(!available)('prometheus probe (real Prometheus)', () => {
  let dir: string;
  let service: ServiceControl | undefined;
  let prometheus: RunningPrometheus | undefined;
  let promUrl: string;
  /** Baseline of ERRORS measured before any request failed: 0. */
  let zeroErrorsBaseline: { baseline?: number; detail: string };

  const check = (over: Partial<PrometheusCheck>): PrometheusCheck => ({
    type: 'prometheus',
    name: 'metrics',
    url: promUrl,
    query: TOTAL,
    timeoutMs: 2_000,
    onNoData: 'inconclusive',
    ...over,
  });

  /** Sends GET / until the service has served `total` of them (every 10th answers 500). */
  async function trafficUpTo(total: number): Promise<void> {
    const metrics = await httpGet(`${service!.url}/metrics`);
    const served = [...(metrics?.body ?? '').matchAll(/^http_requests_total\{code="\d+"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(served).toBeLessThanOrEqual(total);
    for (let i = served; i < total; i += 1) expect((await httpGet(`${service!.url}/`))?.status).toBeOneOf([200, 500]);
  }

  /** Polls the query until Prometheus has scraped a value that satisfies `ok`. */
  async function scraped(query: string, ok: (value: number) => boolean, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let last = 'nothing yet';
    while (Date.now() < until) {
      const m = await queryPrometheus(promUrl, query, 1_000);
      last = JSON.stringify(m);
      if (m.kind === 'value' && m.values.length === 1 && ok(m.values[0]!)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${query} did not reach the expected value within ${timeoutMs}ms; last: ${last}`);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-guard-probe-prometheus-'));
    const checkout = join(dir, 'checkout');
    for (const [path, text] of Object.entries(serviceFiles({ version: 'v1', errorRate: 0.1 }))) {
      await mkdir(dirname(join(checkout, path)), { recursive: true });
      await writeFile(join(checkout, path), text);
    }
    const port = await freePort();
    const stateDir = join(dir, 'state');
    service = serviceControl(stateDir, port);
    const deployed = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile('bash', ['deploy.sh'], { cwd: checkout, env: { ...process.env, SERVICE_PORT: String(port), SERVICE_STATE_DIR: stateDir }, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? -1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(deployed.code, deployed.output).toBe(0);

    prometheus = await startPrometheus({ targets: [`127.0.0.1:${port}`] });
    promUrl = prometheus.url;
    await prometheus.waitForScrape();
    // deploy.sh's readiness probes were a few GET / (fewer than 10, so none failed yet).
    await scraped(ERRORS, (v) => v === 0);
    zeroErrorsBaseline = await measureBaseline(check({ query: ERRORS }));
    await trafficUpTo(20); // 18 x 200, 2 x 500
    await scraped(TOTAL, (v) => v === 20);
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await service?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes a bound that holds, and reports the value', async () => {
    const result = await probePrometheus(check({ query: ERROR_RATIO, max: 0.2, min: 0 }), undefined);
    expect(result).toMatchObject({ check: 'metrics', outcome: 'pass', value: '0.1', detail: '0.1 within bounds' });
    expect(Number.isInteger(result.latencyMs)).toBe(true);
  });

  it('fails above max and below min', async () => {
    expect(await probePrometheus(check({ query: ERROR_RATIO, max: 0.05 }), undefined)).toMatchObject({
      outcome: 'fail',
      value: '0.1',
      detail: '0.1 > max 0.05',
    });
    expect(await probePrometheus(check({ query: TOTAL, min: 100 }), undefined)).toMatchObject({ outcome: 'fail', value: '20', detail: '20 < min 100' });
  });

  it('judges every series: the worst one decides', async () => {
    // http_requests_total has two series: code 200 (18) and code 500 (2).
    expect(await probePrometheus(check({ query: 'http_requests_total', max: 10 }), undefined)).toMatchObject({
      outcome: 'fail',
      value: '18',
      detail: '18 > max 10 (worst of 2 series)',
    });
    expect(await probePrometheus(check({ query: 'http_requests_total', min: 5 }), undefined)).toMatchObject({
      outcome: 'fail',
      value: '2',
      detail: '2 < min 5 (worst of 2 series)',
    });
    expect(await probePrometheus(check({ query: 'http_requests_total', min: 1, max: 100 }), undefined)).toMatchObject({
      outcome: 'pass',
      value: '18',
      detail: 'all 2 series within bounds, highest 18',
    });
  });

  it('accepts a scalar result', async () => {
    expect(await probePrometheus(check({ query: `scalar(${TOTAL}) / 3`, max: 10 }), undefined)).toMatchObject({
      outcome: 'pass',
      value: '6.667',
      detail: '6.667 within bounds',
    });
  });

  it('is inconclusive for a query Prometheus rejects or cannot run, without throwing', async () => {
    const parse = await probePrometheus(check({ query: 'sum(http_requests_total', max: 1 }), undefined);
    expect(parse.outcome).toBe('inconclusive');
    expect(parse.detail).toMatch(/^query rejected: .*parse error/);
    expect(parse.value).toBeUndefined();

    // Valid PromQL that fails when evaluated (HTTP 422): matching on no labels finds two series a side.
    const execution = await probePrometheus(check({ query: 'http_requests_total * on() http_requests_total', max: 1 }), undefined);
    expect(execution.outcome).toBe('inconclusive');
    expect(execution.detail).toMatch(/^query failed \(execution\): found duplicate series for the match group/);

    const range = await probePrometheus(check({ query: 'http_requests_total[1m]', max: 1 }), undefined);
    expect(range).toMatchObject({ outcome: 'inconclusive' });
    expect(range.detail).toMatch(/range vector/);
  });

  it('follows on-no-data when the query has no series (or only NaN)', async () => {
    const empty = 'http_requests_total{code="418"}';
    expect(await probePrometheus(check({ query: empty, max: 1, onNoData: 'fail' }), undefined)).toMatchObject({ outcome: 'fail', detail: 'no data' });
    expect(await probePrometheus(check({ query: empty, max: 1, onNoData: 'pass' }), undefined)).toMatchObject({ outcome: 'pass', detail: 'no data' });
    expect(await probePrometheus(check({ query: empty, max: 1, onNoData: 'inconclusive' }), undefined)).toMatchObject({
      outcome: 'inconclusive',
      detail: 'no data',
    });
    // An error ratio of a service without traffic is 0/0.
    expect(await probePrometheus(check({ query: 'vector(0) / vector(0)', max: 1, onNoData: 'fail' }), undefined)).toMatchObject({ outcome: 'fail', detail: 'no data' });
    expect(await measureBaseline(check({ query: empty }))).toEqual({ detail: 'no data: the query returned no series' });
  });

  it('compares with a baseline measured before the traffic rose', async () => {
    const before = await measureBaseline(check({ query: TOTAL }));
    expect(before).toEqual({ baseline: 20, detail: 'measured 20' });
    expect(await measureBaseline(check({ query: 'http_requests_total' }))).toEqual({ baseline: 18, detail: 'measured 18 (highest of 2 series)' });

    await trafficUpTo(60);
    await scraped(TOTAL, (v) => v === 60);

    expect(await probePrometheus(check({ maxRatioToBaseline: 2 }), before.baseline)).toMatchObject({
      outcome: 'fail',
      value: '60',
      detail: '60 is 3.0x the baseline 20 (max 2x)',
    });
    expect(await probePrometheus(check({ maxRatioToBaseline: 4 }), before.baseline)).toMatchObject({
      outcome: 'pass',
      value: '60',
      detail: '60 within bounds (3.0x baseline 20)',
    });
    expect(await probePrometheus(check({ minRatioToBaseline: 4 }), before.baseline)).toMatchObject({
      outcome: 'fail',
      detail: '60 is 3.0x the baseline 20 (min 4x)',
    });
    // The error ratio is still 0.1 (6 of 60): the same as before, within 1.5x.
    expect(await probePrometheus(check({ query: ERROR_RATIO, maxRatioToBaseline: 1.5 }), 0.1)).toMatchObject({
      outcome: 'pass',
      detail: '0.1 within bounds (1.0x baseline 0.1)',
    });
    // No baseline at all: a ratio cannot be judged.
    expect(await probePrometheus(check({ maxRatioToBaseline: 2 }), undefined)).toMatchObject({ outcome: 'inconclusive', value: '60' });
    expect((await probePrometheus(check({ maxRatioToBaseline: 2 }), undefined)).detail).toMatch(/^no baseline/);
    // ...but an absolute bound that is broken still fails.
    expect(await probePrometheus(check({ max: 50, maxRatioToBaseline: 2 }), undefined)).toMatchObject({ outcome: 'fail', detail: '60 > max 50' });
  });

  it('keeps a zero baseline from failing a small value with baseline-floor', async () => {
    expect(zeroErrorsBaseline).toEqual({ baseline: 0, detail: 'measured 0' });
    // Since then, 6 of 60 requests failed.
    await scraped(ERRORS, (v) => v === 6);
    expect(await probePrometheus(check({ query: ERRORS, maxRatioToBaseline: 2 }), zeroErrorsBaseline.baseline)).toMatchObject({
      outcome: 'fail',
      value: '6',
      detail: '6 against a zero baseline (max 2x)',
    });
    expect(await probePrometheus(check({ query: ERRORS, maxRatioToBaseline: 2, baselineFloor: 5 }), zeroErrorsBaseline.baseline)).toMatchObject({
      outcome: 'pass',
      value: '6',
      detail: '6 within bounds (1.2x baseline floor 5)',
    });
    expect(await probePrometheus(check({ query: ERRORS, maxRatioToBaseline: 1, baselineFloor: 5 }), zeroErrorsBaseline.baseline)).toMatchObject({
      outcome: 'fail',
      detail: '6 is 1.2x the baseline floor 5 (max 1x)',
    });
    // Zero against zero is no change.
    expect(await probePrometheus(check({ query: 'http_requests_total{code="500"} * 0', maxRatioToBaseline: 2 }), 0)).toMatchObject({
      outcome: 'pass',
      detail: '0 within bounds (0.0x baseline 0)',
    });
  });

  it('sends credentials in the URL as basic auth and never shows them', async () => {
    const withAuth = promUrl.replace('http://', 'http://deployer:s3cret-pw@');
    expect(await probePrometheus(check({ url: withAuth, max: 1000 }), undefined)).toMatchObject({ outcome: 'pass', value: '60' });
    const closed = `http://deployer:s3cret-pw@127.0.0.1:${await freePort()}`;
    const result = await probePrometheus(check({ url: closed, max: 1 }), undefined);
    expect(result.outcome).toBe('inconclusive');
    expect(result.detail).not.toContain('s3cret');
    expect(result.detail).not.toContain('deployer');
  });

  it('is inconclusive when the URL is not a Prometheus', async () => {
    const result = await probePrometheus(check({ url: service!.url, max: 1 }), undefined);
    expect(result).toMatchObject({ outcome: 'inconclusive', detail: 'Prometheus answered HTTP 404' });
  });

  it('is inconclusive, at the timeout, when Prometheus does not answer', async () => {
    const held: Socket[] = [];
    const silent: Server = createServer((socket) => held.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const result = await probePrometheus(check({ url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 500 }), undefined);
      const elapsed = Date.now() - started;
      expect(result).toMatchObject({ outcome: 'inconclusive', detail: 'Prometheus did not answer within 500ms' });
      expect(elapsed).toBeGreaterThanOrEqual(490);
      expect(elapsed).toBeLessThan(500 + 300);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  // Last: stops the shared Prometheus.
  it('is inconclusive with an "unreachable" detail once Prometheus is stopped, within the timeout', async () => {
    await prometheus!.stop();
    const started = Date.now();
    const result = await probePrometheus(check({ max: 1, timeoutMs: 1_000 }), undefined);
    expect(Date.now() - started).toBeLessThan(1_000 + 200);
    expect(result).toMatchObject({ outcome: 'inconclusive', detail: 'Prometheus unreachable: ECONNREFUSED' });
    expect(await measureBaseline(check({ maxRatioToBaseline: 2 }))).toEqual({ detail: 'Prometheus unreachable: ECONNREFUSED' });
  });
});
