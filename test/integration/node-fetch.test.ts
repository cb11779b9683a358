// deploy-guard's own HTTP client (src/http/node-fetch.ts), which every request without a proxy goes
// through (the GitHub API through Octokit, http and Prometheus checks), against a real local server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from '../../src/http/node-fetch.ts';
import { failureCause, timedOut } from '../../src/fetch-answers.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: number;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void): Promise<{ base: string; seen: Seen[]; server: Server; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const sockets = new Map<Socket, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size + 1);
      const entry = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString(), socket: sockets.get(req.socket)! };
      seen.push(entry);
      handler(req, res, entry);
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    seen,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('nodeFetch', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  let other: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    other = await serve((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`other saw authorization=${req.headers.authorization ?? 'none'}`));
    s = await serve((req, res, seen) => {
      const url = new URL(req.url!, 'http://x');
      switch (url.pathname) {
        case '/json':
          return res.writeHead(200, { 'content-type': 'application/json', 'x-two': 'a' }).end(JSON.stringify({ method: req.method, body: seen.body }));
        case '/big':
          return res.writeHead(200).end('x'.repeat(200_000));
        case '/empty':
          return res.writeHead(204).end();
        case '/see-other':
          return res.writeHead(303, { location: '/json' }).end('moved');
        case '/temporary':
          return res.writeHead(307, { location: '/json' }).end();
        case '/elsewhere':
          return res.writeHead(302, { location: `${other.base}/` }).end();
        case '/loop':
          return res.writeHead(302, { location: '/loop' }).end();
        case '/slow':
          return void setTimeout(() => res.writeHead(200).end('late'), 2_000);
        case '/drop-on-reuse':
          // The server closed the kept-alive connection as the request was sent (a stale connection).
          if (s.seen.some((x) => x !== seen && x.socket === seen.socket && x.url === '/drop-on-reuse')) return void req.socket.destroy();
          return res.writeHead(200).end(`socket ${seen.socket}`);
        default:
          return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
  });
  afterAll(async () => {
    await s.close();
    await other.close();
  });

  it('sends a body with its length, and answers with status, headers and text', async () => {
    const answer = await nodeFetch(`${s.base}/json`, { method: 'POST', headers: { 'Content-Type': 'application/json', authorization: 'token t' }, body: '{"a":"é"}' });
    expect(answer).toMatchObject({ status: 200, ok: true, url: `${s.base}/json` });
    expect(answer.headers.get('X-Two')).toBe('a');
    expect([...answer.headers].map(([k]) => k)).toContain('content-type');
    expect(JSON.parse(await answer.text())).toEqual({ method: 'POST', body: '{"a":"é"}' });
    expect(s.seen.at(-1)!.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')));
  });

  it('keeps one connection for requests one after another, also when a short body is not wanted', async () => {
    const before = s.seen.length;
    for (let i = 0; i < 5; i += 1) {
      const answer = await nodeFetch(`${s.base}/plain`);
      if (i % 2) await answer.discard();
      else await answer.text();
    }
    const sockets = new Set(s.seen.slice(before).map((x) => x.socket));
    expect(sockets.size).toBe(1);
  });

  it('reads no further than asked, and says there was more', async () => {
    const answer = await nodeFetch(`${s.base}/big`);
    const read = await answer.readUpTo(1_000);
    expect(read.overLimit).toBe(true);
    expect(read.text.length).toBeLessThan(200_000);
    await expect(answer.text()).rejects.toThrow(/already read/);
  });

  it('answers 204 with an empty body', async () => {
    const answer = await nodeFetch(`${s.base}/empty`, { method: 'DELETE' });
    expect(answer.status).toBe(204);
    expect(await answer.arrayBuffer()).toHaveProperty('byteLength', 0);
  });

  it('follows redirects as fetch does: a 303 becomes a GET, a 307 keeps method and body', async () => {
    const seeOther = await nodeFetch(`${s.base}/see-other`, { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } });
    expect(JSON.parse(await seeOther.text())).toEqual({ method: 'GET', body: '' });
    expect(seeOther.url).toBe(`${s.base}/json`);
    const temporary = await nodeFetch(`${s.base}/temporary`, { method: 'POST', body: 'payload' });
    expect(JSON.parse(await temporary.text())).toEqual({ method: 'POST', body: 'payload' });
  });

  it('does not send the authorization header to another origin, and stops after 5 redirects', async () => {
    const answer = await nodeFetch(`${s.base}/elsewhere`, { headers: { authorization: 'token secret' } });
    expect(await answer.text()).toBe('other saw authorization=none');
    const looped = await nodeFetch(`${s.base}/loop`).catch((e: unknown) => e);
    expect(failureCause(looped)).toBe('more than 5 redirects');
  });

  it('with redirect: manual, the 3xx is the answer', async () => {
    const answer = await nodeFetch(`${s.base}/see-other`, { redirect: 'manual' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/json');
  });

  it('fails as fetch fails: a timeout as a TimeoutError, a refused connection with its code as the cause', async () => {
    const slow = await nodeFetch(`${s.base}/slow`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect(timedOut(slow)).toBe(true);
    expect((slow as Error).name).toBe('TimeoutError');
    const closed = await serve(() => {});
    await closed.close();
    const refused = await nodeFetch(closed.base).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect(failureCause(refused)).toBe('ECONNREFUSED');
  });

  it('a timeout while the body arrives fails the read', async () => {
    const trickle = await serve((_req, res) => {
      res.writeHead(200);
      res.write('start');
    });
    try {
      const answer = await nodeFetch(trickle.base, { signal: AbortSignal.timeout(200) });
      const read = await answer.text().catch((e: unknown) => e);
      expect(timedOut(read)).toBe(true);
    } finally {
      await trickle.close();
    }
  });

  it('retries a GET once on a new connection when the kept-alive one was closed under it', async () => {
    const first = await nodeFetch(`${s.base}/drop-on-reuse`);
    expect(await first.text()).toMatch(/^socket \d+$/);
    const again = await nodeFetch(`${s.base}/drop-on-reuse`);
    expect(again.status).toBe(200);
    const firstSocket = s.seen.find((x) => x.url === '/drop-on-reuse')!.socket;
    expect(await again.text()).not.toBe(`socket ${firstSocket}`);
    // The dropped try and the retry both reached the server.
    expect(s.seen.filter((x) => x.url === '/drop-on-reuse')).toHaveLength(3);
  });
});
