// Health-check redirects (issue 12, Medium 4), through dist/ as the runner runs it: a check's
// headers and credentials go only to its own origin, https -> http is never followed, and no
// check reaches a link-local or cloud metadata address unless health-allow-link-local allows it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from '../support/deploy-scenario.ts';
import { githubView } from '../support/github-view.ts';

const API_KEY = 'k3y-9f8e7d6c5b4a';
const PASSWORD = 's3cret-pw-7781';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

/** A server that answers `routes` (path -> [status, location?]) and 200 "ok" otherwise, recording every request. */
function recording(routes: Record<string, [number, string?]>): { seen: Seen[]; handler: Parameters<typeof createServer>[1] } {
  const seen: Seen[] = [];
  return {
    seen,
    handler: (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push({ path, headers: req.headers });
      const route = routes[path];
      if (route) res.writeHead(route[0], route[1] ? { location: route[1] } : {}).end();
      else res.end('ok');
    },
  };
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

let certDir: string;
let cert: string;
let other: ReturnType<typeof recording>;
let otherUrl: string;
let origin: ReturnType<typeof recording>;
let originUrl: string;
let secure: ReturnType<typeof recording>;
let secureUrl: string;
const servers: Server[] = [];

beforeAll(async () => {
  // A self-signed certificate for 127.0.0.1, trusted by the action through NODE_EXTRA_CA_CERTS.
  certDir = await mkdtemp(join(tmpdir(), 'deploy-guard-tls-'));
  cert = join(certDir, 'cert.pem');
  const key = join(certDir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
  ]);

  other = recording({});
  const otherServer = createServer(other.handler);
  otherUrl = `http://127.0.0.1:${await listen(otherServer)}`;
  origin = recording({
    '/to-other': [302, `${otherUrl}/landing`],
    '/to-metadata': [302, 'http://169.254.169.254:1/latest/meta-data/iam/security-credentials/'],
    '/to-metadata-name': [302, 'http://metadata.google.internal:1/computeMetadata/v1/'],
    '/to-link-local': [302, 'http://169.254.0.1:9/'],
  });
  const originServer = createServer(origin.handler);
  originUrl = `http://127.0.0.1:${await listen(originServer)}`;
  secure = recording({ '/health': [302, `${otherUrl}/landing`] });
  const secureServer = createTlsServer({ key: await readFile(key), cert: await readFile(cert) }, secure.handler);
  secureUrl = `https://127.0.0.1:${await listen(secureServer as unknown as Server)}`;
  servers.push(otherServer, originServer, secureServer as unknown as Server);
});
afterAll(async () => {
  for (const server of servers) await new Promise((r) => server.close(r));
  await rm(certDir, { recursive: true, force: true });
});

let s: Scenario;
beforeEach(async () => {
  s = await startScenario();
  await s.commit({ version: 'v1' });
  other.seen.length = 0;
  origin.seen.length = 0;
  secure.seen.length = 0;
});
afterEach(async () => {
  await s?.close();
});

const httpCheck = (url: string, extra: string[] = []): string =>
  [`- type: http`, `  name: api`, `  url: ${url}`, `  redirects: any`, `  headers:`, `    X-Api-Key: { env: HEALTH_KEY }`, ...extra].join('\n');

describe('redirects of an http check', () => {
  it("sends the check's headers and URL credentials to its own origin only, not to another origin it is redirected to", async () => {
    const url = `http://deploy:${PASSWORD}@${originUrl.slice('http://'.length)}/to-other`;
    const { main } = await s.deploy({ inputs: { 'health-url': '', checks: httpCheck(url) }, env: { HEALTH_KEY: API_KEY } });
    expect(main.outputs.result, main.stdout).toBe('deployed');
    expect(origin.seen.length).toBeGreaterThan(0);
    expect(origin.seen.every((r) => r.headers['x-api-key'] === API_KEY && r.headers.authorization?.startsWith('Basic '))).toBe(true);
    expect(other.seen.length, 'the redirect was followed').toBeGreaterThan(0);
    for (const request of other.seen) {
      expect(request.headers['x-api-key'], 'custom header sent to another origin').toBeUndefined();
      expect(request.headers.authorization, 'credentials sent to another origin').toBeUndefined();
    }
  });

  it('refuses a redirect from https to http: the round fails and nothing is sent over http', async () => {
    const { main } = await s.deploy({
      inputs: { 'health-url': '', checks: httpCheck(`${secureUrl}/health`) },
      env: { HEALTH_KEY: API_KEY, NODE_EXTRA_CA_CERTS: cert },
    });
    expect(secure.seen.length, 'the https check ran').toBeGreaterThan(0);
    expect(main.stdout).toMatch(/api: redirected from https to http \(127\.0\.0\.1:\d+\)/);
    expect(other.seen, 'requests sent over http after the downgrade').toEqual([]);
    expect(main.outputs.result).toBe('no-rollback-target');
  });

  it('refuses a redirect to a cloud metadata address or name, naming the input that allows it', async () => {
    const checks = [
      httpCheck(`${originUrl}/to-metadata`),
      [`- type: http`, `  name: by-name`, `  url: ${originUrl}/to-metadata-name`, `  redirects: any`].join('\n'),
    ].join('\n');
    const { main } = await s.deploy({ inputs: { 'health-url': '', checks }, env: { HEALTH_KEY: API_KEY } });
    expect(main.stdout).toContain(
      'api: refused the redirect to 169.254.169.254:1: 169.254.169.254 is in 169.254.0.0/16, IPv4 link-local, where cloud metadata services answer',
    );
    expect(main.stdout).toContain('set health-allow-link-local: true to allow it');
    expect(main.stdout).toContain('by-name: refused the redirect to metadata.google.internal:1: metadata.google.internal is a cloud metadata service');
    expect(main.outputs.result).toBe('no-rollback-target');
  });

  it('follows a redirect to a link-local address when health-allow-link-local is true', async () => {
    const { main } = await s.deploy({
      inputs: { 'health-url': '', checks: httpCheck(`${originUrl}/to-link-local`), 'health-allow-link-local': 'true' },
      env: { HEALTH_KEY: API_KEY },
    });
    expect(main.stdout).toMatch(/round 1 at \+0ms: FAIL/);
    expect(main.stdout).not.toContain('refused the redirect');
  });
});

describe('the target of a check', () => {
  it('a check URL naming a metadata address is an input error, before anything is changed', async () => {
    const { main } = await s.deploy({
      inputs: {
        'health-url': 'http://169.254.169.254/latest/meta-data/',
        checks: `- type: prometheus\n  name: prom\n  url: http://[fd00:ec2::254]/\n  query: up\n  max: 1`,
      },
    });
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toContain('Input "health-url": 169.254.169.254 is in 169.254.0.0/16, IPv4 link-local');
    expect(main.stdout).toContain('Input "checks": check "prom": fd00:ec2::254 is the AWS instance metadata service over IPv6; set health-allow-link-local: true to check it');
    expect(await githubView(s.github).deployments()).toEqual([]);
  });

  it('health-allow-link-local takes true or false only', async () => {
    const { main } = await s.deploy({ inputs: { 'health-allow-link-local': 'yes' } });
    expect(main.outputs.result).toBe('failed');
    expect(main.stdout).toContain('Input "health-allow-link-local": "yes" must be true');
  });
});
