// A self-hosted runner behind a proxy, end to end: dist/ run as the runner runs it, with
// GITHUB_API_URL on a host only the proxy can reach (as GHES behind a corporate proxy is), and
// HTTPS_PROXY / HTTP_PROXY in the step's environment. Hosts under `.test` resolve nowhere; the
// forward proxy maps them to 127.0.0.1, so whatever succeeds went through it.
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NODE24, startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.ts';

const UNRESOLVED = /ENOTFOUND|EAI_AGAIN/;

let s: Scenario;
let proxy: ForwardProxy;
beforeEach(async () => {
  s = await startScenario();
  proxy = await startForwardProxy();
});
afterEach(async () => {
  await proxy?.close();
  await s?.close();
});

/** The scenario's service (on 127.0.0.1) under a name only the proxy resolves. */
const serviceVia = (host: string): string => `${s.service.url.replace('127.0.0.1', host)}/health`;
const apiPort = (): string => new URL(s.github.url).port;

describe('behind a proxy', () => {
  for (const [label, nodeBinary] of [['Node 20', process.execPath], ['Node 24', NODE24]] as const) {
    it(`deploys with every API request and health check through the proxy (${label})`, async () => {
      const v1 = await s.commit({ version: 'v1' });
      const before = s.github.requests.length;
      const { main, post } = await s.deploy({
        nodeBinary,
        env: { GITHUB_API_URL: `http://api.github.test:${apiPort()}`, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
        inputs: { 'health-url': serviceVia('service.test') },
      });

      expect(main.exitCode, main.stdout).toBe(0);
      expect(main.outputs).toMatchObject({ result: 'deployed', 'deployed-sha': v1, 'known-good-sha': v1 });
      expect(post.exitCode).toBe(0);
      expect(main.stdout).toContain(`GitHub API requests go through the proxy 127.0.0.1:${proxy.port} (HTTP_PROXY).`);
      const apiCalls = s.github.requests.length - before;
      expect(apiCalls).toBeGreaterThan(3);
      const tunnels = (host: string) => proxy.requests.filter((r) => r.kind === 'connect' && r.target.startsWith(`${host}:`)).length;
      // One tunnel per request (no keep-alive, as @actions/github): every API request went through it.
      expect(tunnels('api.github.test')).toBe(apiCalls);
      // The health rounds (about 9 in the 2 s window) too.
      expect(tunnels('service.test')).toBeGreaterThanOrEqual(9);
      expect(proxy.hosts().filter((h) => h !== 'api.github.test' && h !== 'service.test')).toEqual([]);
    });
  }

  it('with health-checks-use-proxy false, health checks connect directly while the API still goes through the proxy', async () => {
    await s.commit({ version: 'v1' });
    const { main } = await s.deploy({
      env: { GITHUB_API_URL: `http://api.github.test:${apiPort()}`, HTTP_PROXY: proxy.url },
      inputs: { 'health-url': serviceVia('service.test'), 'health-checks-use-proxy': 'false' },
    });

    expect(main.exitCode).toBe(1);
    expect(main.outputs.result).not.toBe('deployed');
    // Reached directly, the name does not resolve: the check never went through the proxy.
    expect(main.stdout).toMatch(new RegExp(`health-url: request failed: (${UNRESOLVED.source})`));
    expect(proxy.hosts()).not.toContain('service.test');
    expect(proxy.hosts()).toContain('api.github.test');
  });

  it('sends a host named in NO_PROXY directly', async () => {
    await s.commit({ version: 'v1' });
    const { main } = await s.deploy({
      env: { GITHUB_API_URL: `http://api.github.test:${apiPort()}`, HTTP_PROXY: proxy.url, NO_PROXY: 'example.com, service.test' },
      inputs: { 'health-url': serviceVia('service.test') },
    });

    expect(main.exitCode).toBe(1);
    expect(main.stdout).toMatch(new RegExp(`health-url: request failed: (${UNRESOLVED.source})`));
    expect(proxy.hosts()).not.toContain('service.test');
    expect(proxy.hosts()).toContain('api.github.test');
  });

  it('never sends loopback addresses through the proxy', async () => {
    const v1 = await s.commit({ version: 'v1' });
    const { main } = await s.deploy({ env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });

    expect(main.exitCode, main.stdout).toBe(0);
    expect(main.outputs).toMatchObject({ result: 'deployed', 'deployed-sha': v1 });
    expect(main.stdout).not.toContain('through the proxy');
    expect(proxy.requests).toEqual([]);
  });
});

/** A TLS front for the double at https://api.github.test:<port>, with a certificate made here. */
async function startTlsFront(target: string, dir: string): Promise<{ server: HttpsServer; port: number; caFile: string }> {
  const key = join(dir, 'api.key');
  const cert = join(dir, 'api.crt');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=api.github.test',
    '-addext', 'subjectAltName=DNS:api.github.test', '-keyout', key, '-out', cert,
  ]);
  const upstream = new URL(target);
  const server = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, caFile: cert };
}

const opensslAvailable = ['/usr/bin/openssl', '/usr/local/bin/openssl', '/opt/homebrew/bin/openssl'].some((path) => existsSync(path));

describe.skipIf(!opensslAvailable)('behind a proxy, over https', () => {
  it('reaches an https:// GITHUB_API_URL through HTTPS_PROXY, TLS to the API host inside the tunnel', async () => {
    const v1 = await s.commit({ version: 'v1' });
    const front = await startTlsFront(s.github.url, s.fixture.root);
    try {
      const before = s.github.requests.length;
      const { main, post } = await s.deploy({
        // HTTP_PROXY names a dead end: for an https:// URL only HTTPS_PROXY counts.
        env: { GITHUB_API_URL: `https://api.github.test:${front.port}`, HTTPS_PROXY: proxy.url, HTTP_PROXY: 'http://127.0.0.1:9', NODE_EXTRA_CA_CERTS: front.caFile },
      });
      expect(main.exitCode, main.stdout).toBe(0);
      expect(main.outputs).toMatchObject({ result: 'deployed', 'deployed-sha': v1 });
      expect(post.exitCode).toBe(0);
      expect(main.stdout).toContain(`GitHub API requests go through the proxy 127.0.0.1:${proxy.port} (HTTPS_PROXY).`);
      expect(proxy.requests.filter((r) => r.target === `api.github.test:${front.port}`)).toHaveLength(s.github.requests.length - before);
    } finally {
      front.server.closeAllConnections();
      await new Promise<void>((resolve) => front.server.close(() => resolve()));
    }
  });
});
