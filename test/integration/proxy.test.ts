// The runner's proxy settings, honoured the way @actions/* clients honour them, against a real
// forward proxy: by the GitHub API client, by the webhook notifier and by the http and prometheus
// probes. Hosts under `.test` resolve nowhere; the proxy maps them to 127.0.0.1 itself, so a request
// to one succeeds only through the proxy, and one that bypasses it fails to resolve.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpCheck } from '../../src/health/check-types.ts';
import { call, createGitHubClient } from '../../src/github/client.ts';
import { nodeFetch } from '../../src/http/node-fetch.ts';
import { probeHttp } from '../../src/health/http.ts';
import { queryPrometheus } from '../../src/health/prometheus.ts';
import type { Log } from '../../src/log.ts';
import { sendNotification } from '../../src/notify.ts';
import { proxyAwareFetch } from '../../src/proxy.ts';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.ts';
import { createGitFixture, type GitFixture } from '../support/git-fixture.ts';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double/index.ts';
import { freePort } from '../support/ports.ts';
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;
type ProxyVar = (typeof PROXY_VARS)[number];
/** A .test host that does not resolve: reached directly, it fails like this. */
const UNRESOLVED = /ENOTFOUND|EAI_AGAIN/;

let proxy: ForwardProxy;
/** A proxy URL nothing listens on. */
let deadProxy: string;
let saved: Partial<Record<ProxyVar, string>>;

// @actions/http-client reads the proxy variables when each request is made, from process.env.
function useProxyEnv(vars: Partial<Record<ProxyVar, string>>): void {
  Object.assign(process.env, vars);
}

beforeAll(async () => {
  proxy = await startForwardProxy();
  deadProxy = `http://127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  await proxy?.close();
});
beforeEach(() => {
  // Whatever this machine's own proxy settings are, each test starts without any.
  saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));
  for (const name of PROXY_VARS) delete process.env[name];
  proxy.requests.length = 0;
});
afterEach(() => {
  for (const name of PROXY_VARS) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function recordingLog(): Log & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warning: (message) => void warnings.push(message), error: () => {}, group: (_title, body) => body() };
}

describe('GitHub API client behind a proxy', () => {
  let fixture: GitFixture;
  let double: GitHubDouble;
  let port: number;
  const repo = { owner: 'acme', repo: 'shop' };
  /** As GITHUB_API_URL would be on GHES behind a proxy: a host only the proxy can reach. */
  let apiUrl: string;
  const client = (baseUrl = apiUrl) => createGitHubClient({ token: 'test-token', baseUrl, log: recordingLog(), userAgent: 'deploy-guard-test' });
  /** One try, no retries: a request that cannot connect fails at once instead of after 14 s of retries. */
  const once = { request: { retries: 0 } };

  beforeAll(async () => {
    fixture = await createGitFixture();
    await fixture.commitVersion({ 'app.txt': 'v1\n' }, 'v1');
    double = await startGitHubDouble({ bareRepoPath: fixture.bare, ...repo });
    port = Number(new URL(double.url).port);
    apiUrl = `http://api.github.test:${port}`;
  });
  afterAll(async () => {
    await double?.close();
    await fixture?.cleanup();
  });

  it('reaches the API through HTTP_PROXY, reads and writes', async () => {
    useProxyEnv({ HTTP_PROXY: proxy.url });
    const gh = client();
    const before = double.requests.length;

    const { data } = await gh.request('GET /repos/{owner}/{repo}', repo);
    const label = await gh.request('POST /repos/{owner}/{repo}/labels', { ...repo, name: 'via-proxy', color: 'ededed' });

    expect(data.full_name).toBe('acme/shop');
    expect(label.status).toBe(201);
    expect(double.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /repos/acme/shop 200',
      'POST /repos/acme/shop/labels 201',
    ]);
    // As @actions/github's ProxyAgent does: a CONNECT tunnel per request (no keep-alive).
    expect(proxy.requests).toEqual([
      { kind: 'connect', target: `api.github.test:${port}` },
      { kind: 'connect', target: `api.github.test:${port}` },
    ]);
  });

  it('takes http_proxy (lower case) before HTTP_PROXY, as @actions/http-client does', async () => {
    useProxyEnv({ http_proxy: proxy.url, HTTP_PROXY: deadProxy });
    const { data } = await client().request('GET /repos/{owner}/{repo}', repo);
    expect(data.full_name).toBe('acme/shop');
    expect(proxy.hosts()).toEqual(['api.github.test']);
  });

  it('uses HTTPS_PROXY only for https:// URLs: an http:// API URL goes direct', async () => {
    useProxyEnv({ HTTPS_PROXY: proxy.url });
    await expect(client().request('GET /repos/{owner}/{repo}', { ...repo, ...once })).rejects.toThrow(UNRESOLVED);
    expect(proxy.requests).toEqual([]);
  });

  for (const noProxy of ['api.github.test', 'github.test', '.github.test', 'API.GITHUB.TEST', 'example.com, api.github.test', '*']) {
    it(`goes direct when NO_PROXY is "${noProxy}"`, async () => {
      useProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: noProxy });
      await expect(client().request('GET /repos/{owner}/{repo}', { ...repo, ...once })).rejects.toThrow(UNRESOLVED);
      expect(proxy.requests).toEqual([]);
    });
  }

  it('goes direct when no_proxy names the host with its port, and through the proxy for another port', async () => {
    useProxyEnv({ HTTP_PROXY: proxy.url, no_proxy: `api.github.test:${port}` });
    await expect(client().request('GET /repos/{owner}/{repo}', { ...repo, ...once })).rejects.toThrow(UNRESOLVED);
    expect(proxy.requests).toEqual([]);

    useProxyEnv({ no_proxy: `api.github.test:${port + 1}` });
    const { data } = await client().request('GET /repos/{owner}/{repo}', repo);
    expect(data.full_name).toBe('acme/shop');
    expect(proxy.hosts()).toEqual(['api.github.test']);
  });

  it('uses the proxy when NO_PROXY names other hosts only', async () => {
    useProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,.internal.example,github.test.example' });
    const { data } = await client().request('GET /repos/{owner}/{repo}', repo);
    expect(data.full_name).toBe('acme/shop');
    expect(proxy.hosts()).toEqual(['api.github.test']);
  });

  it('never sends loopback addresses through the proxy', async () => {
    useProxyEnv({ HTTP_PROXY: deadProxy });
    for (const host of ['127.0.0.1', 'localhost']) {
      const { data } = await client(`http://${host}:${port}`).request('GET /repos/{owner}/{repo}', repo);
      expect(data.full_name).toBe('acme/shop');
    }
  });

  it('sends the credentials of the proxy URL as basic auth, decoded', async () => {
    const guarded = await startForwardProxy({ credentials: 'runner:p@ss word' });
    try {
      useProxyEnv({ HTTP_PROXY: `http://runner:p%40ss%20word@127.0.0.1:${guarded.port}` });
      const { data } = await client().request('GET /repos/{owner}/{repo}', repo);
      expect(data.full_name).toBe('acme/shop');
      expect(guarded.requests).toEqual([
        { kind: 'connect', target: `api.github.test:${port}`, proxyAuthorization: `Basic ${Buffer.from('runner:p@ss word').toString('base64')}` },
      ]);
    } finally {
      await guarded.close();
    }
  });

  it('names the proxy and its answer when the proxy refuses, and never the proxy password', async () => {
    const guarded = await startForwardProxy({ credentials: 'runner:right' });
    try {
      useProxyEnv({ HTTP_PROXY: `http://runner:wrong-secret@127.0.0.1:${guarded.port}` });
      const gh = client();
      const error = await call('GET /repos/{owner}/{repo}', () => gh.request('GET /repos/{owner}/{repo}', { ...repo, ...once })).catch((e: Error) => e);
      expect((error as Error).message).toBe(
        `GitHub API GET /repos/{owner}/{repo} failed (500): through the proxy 127.0.0.1:${guarded.port}: Proxy response (407) !== 200 when HTTP Tunneling`,
      );
      expect((error as Error).message).not.toContain('wrong-secret');
    } finally {
      await guarded.close();
    }
  });

  it('says the proxy could not be reached when nothing listens there', async () => {
    useProxyEnv({ HTTP_PROXY: deadProxy });
    const gh = client();
    const error = await call('GET /repos/{owner}/{repo}', () => gh.request('GET /repos/{owner}/{repo}', { ...repo, ...once })).catch((e: Error) => e);
    expect((error as Error).message).toBe(`GitHub API GET /repos/{owner}/{repo} failed (500): through the proxy ${new URL(deadProxy).host}: ECONNREFUSED`);
  });
});

describe('webhook notifications behind a proxy', () => {
  let hook: Server;
  let hookPort: number;
  const bodies: string[] = [];
  const secretPath = '/hooks/T000/B000/SECRETTOKEN';
  const clock = { now: () => 1_700_000_000_000, sleep: async () => {} };

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.url} ${body}`);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookPort = (hook.address() as AddressInfo).port;
  });
  afterAll(async () => {
    hook.closeAllConnections();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });
  beforeEach(() => {
    bodies.length = 0;
  });

  it('delivers through HTTP_PROXY; the proxy sees the host and port, never the secret path', async () => {
    useProxyEnv({ HTTP_PROXY: proxy.url });
    const log = recordingLog();
    const report = await sendNotification({ url: `http://hooks.test:${hookPort}${secretPath}`, payload: { text: 'rolled back' }, clock, log });

    expect(report).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(bodies).toEqual([`POST ${secretPath} {"text":"rolled back"}`]);
    expect(proxy.requests).toEqual([{ kind: 'connect', target: `hooks.test:${hookPort}` }]);
    expect(log.warnings).toEqual([]);
  });

  it('goes direct for a host in NO_PROXY', async () => {
    useProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'hooks.test' });
    const report = await sendNotification({ url: `http://hooks.test:${hookPort}${secretPath}`, payload: {}, attempts: 1, clock, log: recordingLog() });
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(UNRESOLVED);
    expect(proxy.requests).toEqual([]);
    expect(bodies).toEqual([]);
  });

  it('warns naming the unreachable proxy, without the webhook URL', async () => {
    useProxyEnv({ HTTP_PROXY: deadProxy });
    const log = recordingLog();
    const report = await sendNotification({ url: `http://hooks.test:${hookPort}${secretPath}`, payload: {}, attempts: 1, clock, log });
    expect(report).toMatchObject({ ok: false, attempts: 1, error: `the request failed: fetch failed (through the proxy ${new URL(deadProxy).host}: ECONNREFUSED)` });
    expect(log.warnings.join('\n')).not.toMatch(/SECRETTOKEN|hooks\.test/);
  });
});

describe('health probes behind a proxy', () => {
  let service: Server;
  let servicePort: number;
  const check = (url: string): HttpCheck => ({
    type: 'http',
    name: 'web',
    url,
    method: 'GET',
    headers: {},
    statusRanges: [[200, 299]],
    bodyContains: 'ok',
    redirects: 'same-host',
    timeoutMs: 2_000,
  });

  beforeAll(async () => {
    service = createServer((req, res) => {
      if (req.url === '/to-health') res.writeHead(302, { location: '/health' }).end();
      else res.end(req.url === '/health' ? '{"status":"ok"}' : 'nope');
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    servicePort = (service.address() as AddressInfo).port;
  });
  afterAll(async () => {
    service.closeAllConnections();
    await new Promise<void>((resolve) => service.close(() => resolve()));
  });

  it('an http check with the proxy (health-checks-use-proxy: true) reaches a host only the proxy resolves, redirects included', async () => {
    useProxyEnv({ HTTP_PROXY: proxy.url });
    const result = await probeHttp(check(`http://service.test:${servicePort}/to-health`), proxyAwareFetch);
    expect(result).toMatchObject({ outcome: 'pass', value: '200', detail: 'status 200' });
    expect(proxy.requests).toEqual([
      { kind: 'connect', target: `service.test:${servicePort}` },
      { kind: 'connect', target: `service.test:${servicePort}` },
    ]);
  });

  it('an http check without the proxy (health-checks-use-proxy: false) ignores HTTP_PROXY and connects directly', async () => {
    useProxyEnv({ HTTP_PROXY: proxy.url });
    const unreachable = await probeHttp(check(`http://service.test:${servicePort}/health`), nodeFetch);
    expect(unreachable).toMatchObject({ outcome: 'fail' });
    expect(unreachable.detail).toMatch(new RegExp(`^request failed: (${UNRESOLVED.source})$`));
    expect(proxy.requests).toEqual([]);
  });

  it('an http check through a dead proxy fails naming the proxy', async () => {
    useProxyEnv({ HTTP_PROXY: deadProxy });
    expect(await probeHttp(check(`http://service.test:${servicePort}/health`), proxyAwareFetch)).toMatchObject({
      outcome: 'fail',
      detail: `request failed: through the proxy ${new URL(deadProxy).host}: ECONNREFUSED`,
    });
  });

  describe.skipIf(!prometheusAvailable())('prometheus (real Prometheus)', () => {
    let prometheus: RunningPrometheus;
    beforeAll(async () => {
      prometheus = await startPrometheus({ targets: [] });
    });
    afterAll(async () => {
      await prometheus?.stop();
    });

    it('queries Prometheus through the proxy, or directly when told not to use it', async () => {
      useProxyEnv({ HTTP_PROXY: proxy.url });
      const url = prometheus.url.replace('127.0.0.1', 'prometheus.test');
      expect(await queryPrometheus(url, 'vector(42)', 2_000, proxyAwareFetch)).toEqual({ kind: 'value', values: [42] });
      expect(proxy.hosts()).toEqual(['prometheus.test']);
      const direct = await queryPrometheus(url, 'vector(42)', 2_000, nodeFetch);
      expect(direct).toMatchObject({ kind: 'error' });
      expect(direct.kind === 'error' && direct.detail).toMatch(UNRESOLVED);
      expect(proxy.requests).toHaveLength(1);
    });
  });
});

describe('the forward proxy of these tests', () => {
  it('forwards absolute-URI requests (as curl sends http:// URLs) and records them', async () => {
    const target = createServer((req, res) => res.end(`${req.method} ${req.url} for ${req.headers.host}`));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const port = (target.address() as AddressInfo).port;
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: proxy.port, method: 'GET', path: `http://svc.test:${port}/x?y=1`, headers: { host: `svc.test:${port}` } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          res.on('end', () => resolve(`${res.statusCode} ${body}`));
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer).toBe(`200 GET /x?y=1 for svc.test:${port}`);
      expect(proxy.requests).toEqual([{ kind: 'absolute', target: `svc.test:${port}`, method: 'GET', path: '/x?y=1' }]);
    } finally {
      target.closeAllConnections();
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });
});
