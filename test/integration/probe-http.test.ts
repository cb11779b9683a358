// The HTTP probe against a real local HTTP server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpCheck } from '../../src/health/check-types.ts';
import { probeHttp } from '../../src/health/http.ts';
import { freePort } from '../support/ports.ts';

let server: Server;
let base: string;
let otherBase: string;
const seen: IncomingMessage[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push(req);
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/ok':
      res.end('{"status": "ok"}');
      return;
    case '/slow':
      setTimeout(() => res.end('late'), Number(url.searchParams.get('ms')));
      return;
    case '/status':
      res.statusCode = Number(url.searchParams.get('code'));
      res.end();
      return;
    case '/to-ok':
      res.writeHead(302, { location: '/ok' }).end();
      return;
    case '/to-other':
      res.writeHead(302, { location: `${otherBase}/ok` }).end();
      return;
    case '/auth':
      res.statusCode = req.headers.authorization === `Basic ${Buffer.from('deploy:p@ss').toString('base64')}` ? 200 : 401;
      res.end();
      return;
    case '/echo-header':
      res.end(String(req.headers['x-token'] ?? ''));
      return;
    default:
      res.statusCode = 404;
      res.end();
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  otherBase = `http://localhost:${port}`; // same server, another host name
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const check = (over: Partial<HttpCheck>): HttpCheck => ({
  type: 'http',
  name: 'web',
  url: `${base}/ok`,
  method: 'GET',
  headers: {},
  statusRanges: [[200, 299]],
  redirects: 'same-host',
  timeoutMs: 1_000,
  ...over,
});

describe('http probe', () => {
  it('passes on an expected status and body', async () => {
    expect(await probeHttp(check({ bodyContains: '"ok"', bodyMatches: '"status":\\s*"ok"' }))).toMatchObject({ outcome: 'pass', value: '200' });
  });

  it('fails on an unexpected status, a missing body text, or a body that does not match', async () => {
    expect(await probeHttp(check({ url: `${base}/status?code=503` }))).toMatchObject({ outcome: 'fail', value: '503', detail: 'status 503 is not in 200-299' });
    expect(await probeHttp(check({ bodyContains: 'healthy' }))).toMatchObject({ outcome: 'fail', detail: 'the body does not contain "healthy"' });
    expect(await probeHttp(check({ bodyMatches: '^down' }))).toMatchObject({ outcome: 'fail', detail: 'the body does not match /^down/' });
  });

  it('fails a request that takes longer than its timeout, and returns at the timeout', async () => {
    const started = Date.now();
    const result = await probeHttp(check({ url: `${base}/slow?ms=3000`, timeoutMs: 300 }));
    expect(result).toMatchObject({ outcome: 'fail', detail: 'no answer within 300ms' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('fails an answer slower than max-latency', async () => {
    expect(await probeHttp(check({ url: `${base}/slow?ms=200`, maxLatencyMs: 50 }))).toMatchObject({ outcome: 'fail', detail: expect.stringMatching(/slower than max-latency 50ms/) });
  });

  it('fails when nothing listens', async () => {
    const closed = await freePort();
    expect(await probeHttp(check({ url: `http://127.0.0.1:${closed}/health` }))).toMatchObject({ outcome: 'fail', detail: 'request failed: ECONNREFUSED' });
  });

  it('follows redirects on the same host only, unless told otherwise', async () => {
    expect(await probeHttp(check({ url: `${base}/to-ok` }))).toMatchObject({ outcome: 'pass', value: '200' });
    expect(await probeHttp(check({ url: `${base}/to-other` }))).toMatchObject({ outcome: 'fail', detail: expect.stringMatching(/redirected to another host \(localhost:\d+\)/) });
    expect(await probeHttp(check({ url: `${base}/to-other`, redirects: 'any' }))).toMatchObject({ outcome: 'pass' });
    expect(await probeHttp(check({ url: `${base}/to-ok`, redirects: 'none', statusRanges: [[302, 302]] }))).toMatchObject({ outcome: 'pass', value: '302' });
  });

  it('sends URL credentials as basic auth and never shows them', async () => {
    const result = await probeHttp(check({ url: `http://deploy:p%40ss@127.0.0.1:${new URL(base).port}/auth` }));
    expect(result).toMatchObject({ outcome: 'pass' });
    expect(JSON.stringify(result)).not.toContain('p@ss');
  });

  it('sends configured headers and the method', async () => {
    expect(await probeHttp(check({ url: `${base}/echo-header`, headers: { 'X-Token': 't0k' }, bodyContains: 't0k' }))).toMatchObject({ outcome: 'pass' });
    await probeHttp(check({ method: 'HEAD' }));
    expect(seen.at(-1)!.method).toBe('HEAD');
  });
});
