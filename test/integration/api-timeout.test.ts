// Every GitHub API request has a deadline, for its headers and its body; a request that misses it
// is retried, and the error names the route and says it timed out. Against a real local server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, createGitHubClient } from '../../src/github/client.ts';
import type { Log } from '../../src/log.ts';

let server: Server;
let apiUrl: string;
const hits: Record<string, number> = {};
/** Path -> how many of its first requests hang: 'headers' (no answer at all) or 'body' (headers, then nothing). */
const hangs: Record<string, { count: number; how: 'headers' | 'body' }> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits[path] = (hits[path] ?? 0) + 1;
    const hang = hangs[path];
    if (hang && hits[path]! <= hang.count) {
      if (hang.how === 'body') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"id":');
      }
      return; // never finished; closed by server.closeAllConnections()
    }
    if (req.method === 'DELETE') res.writeHead(204).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  for (const key of Object.keys(hits)) delete hits[key];
  for (const key of Object.keys(hangs)) delete hangs[key];
});

const log: Log = { info: () => {}, warning: () => {}, error: () => {}, group: (_t, body) => body() };
const client = () => createGitHubClient({ token: 't', baseUrl: apiUrl, log, userAgent: 'deploy-guard-test', requestTimeoutMs: 300 });

describe('GitHub API requests', () => {
  it('retry a request that got no answer within the deadline', async () => {
    hangs['/repos/acme/shop/deployments/1'] = { count: 1, how: 'headers' };
    const started = Date.now();
    const { data } = await client().request('GET /repos/{owner}/{repo}/deployments/{deployment_id}', { owner: 'acme', repo: 'shop', deployment_id: 1 });
    expect(data).toEqual({ id: 1 });
    expect(hits['/repos/acme/shop/deployments/1']).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000); // 300 ms, then plugin-retry's first wait of 1 s
  });

  it('retry a request whose body stops arriving', async () => {
    hangs['/repos/acme/shop/deployments/2'] = { count: 1, how: 'body' };
    const { data } = await client().request('GET /repos/{owner}/{repo}/deployments/{deployment_id}', { owner: 'acme', repo: 'shop', deployment_id: 2 });
    expect(data).toEqual({ id: 1 });
    expect(hits['/repos/acme/shop/deployments/2']).toBe(2);
  });

  it('fail, naming the route and the deadline, once no try is answered', async () => {
    hangs['/repos/acme/shop/deployments/3'] = { count: 99, how: 'headers' };
    const started = Date.now();
    const request = call('GET /deployments/3', () =>
      client().request('GET /repos/{owner}/{repo}/deployments/{deployment_id}', { owner: 'acme', repo: 'shop', deployment_id: 3, request: { retries: 0 } }),
    );
    await expect(request).rejects.toThrow('GitHub API GET /deployments/3 timed out: no answer within 300ms (the last of its tries)');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hits['/repos/acme/shop/deployments/3']).toBe(1);
  });

  it('leave a fast answer alone', async () => {
    const { data, status } = await client().request('POST /repos/{owner}/{repo}/deployments', { owner: 'acme', repo: 'shop', ref: 'main' });
    expect({ data, status }).toEqual({ data: { id: 1 }, status: 200 });
    const deleted = await client().request('DELETE /repos/{owner}/{repo}/deployments/{deployment_id}', { owner: 'acme', repo: 'shop', deployment_id: 1 });
    expect(deleted.status).toBe(204);
  });
});
