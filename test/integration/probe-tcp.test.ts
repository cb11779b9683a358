// The TCP probe against real sockets: a listener, a closed port, and a listener whose accept
// queue is full (the kernel drops new SYNs, so a connect hangs: a deterministic timeout).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TcpCheck } from '../../src/health/check-types.ts';
import { probeTcp } from '../../src/health/tcp.ts';
import { freePort } from '../support/ports.ts';

const check = (over: Partial<TcpCheck>): TcpCheck => ({ type: 'tcp', name: 'port', host: '127.0.0.1', port: 1, timeoutMs: 1_000, ...over });

const servers: Server[] = [];
const sockets: Socket[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
  }
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Tries one connection; true when it completed within `ms`. */
function connectsWithin(port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket); // kept open: it holds a slot in the accept queue
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/**
 * A listener (backlog 1) in a child process whose event loop is blocked right after listen, so it
 * never accepts. Once its accept queue is full, Linux drops further SYNs: connects hang.
 */
async function saturatedListener(): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').createServer();
       s.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
         process.stdout.write(s.address().port + '\\n');
         setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 50);
       });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
    child.once('exit', (code) => reject(new Error(`listener exited with ${code}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 200)); // until the loop is blocked
  for (let filled = 0; filled < 20; filled += 1) {
    if (!(await connectsWithin(port, 300))) return port;
  }
  throw new Error('the accept queue never filled up');
}

describe('tcp probe', () => {
  it('passes when something listens, and closes its connection at once', async () => {
    const closed: Promise<void>[] = [];
    const server = createServer((socket) => {
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    const result = await probeTcp(check({ port }));
    expect(result).toMatchObject({ check: 'port', outcome: 'pass', detail: `connected to 127.0.0.1:${port}` });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(result.latencyMs)).toBe(true);
    // The server sees the probe's connection end without anything being sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toHaveLength(1);
    await Promise.race([closed[0], new Promise((_, reject) => setTimeout(() => reject(new Error('probe socket still open')), 2_000))]);
    const open = await new Promise<number>((resolve) => server.getConnections((_, count) => resolve(count)));
    expect(open).toBe(0);
  });

  it('fails on a closed port with "connection refused"', async () => {
    const port = await freePort();
    const result = await probeTcp(check({ port }));
    expect(result).toMatchObject({ outcome: 'fail', detail: 'connection refused' });
    expect(result.latencyMs).toBeLessThan(1_000);
  });

  it('fails an unresolvable host', async () => {
    const result = await probeTcp(check({ host: 'no-such-host.invalid', port: 80, timeoutMs: 3_000 }));
    expect(result.outcome).toBe('fail');
    expect(result.detail).toMatch(/^(cannot resolve no-such-host\.invalid|no connection within)/);
  });

  it('fails when no connection is made within the timeout, and returns at the timeout', async () => {
    const port = await saturatedListener();
    const started = Date.now();
    const result = await probeTcp(check({ port, timeoutMs: 700 }));
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ outcome: 'fail', detail: 'no connection within 700ms' });
    expect(elapsed).toBeGreaterThanOrEqual(690);
    expect(elapsed).toBeLessThan(700 + 300);
    expect(result.latencyMs).toBeGreaterThanOrEqual(690);
  });

  it('leaves no socket or timer behind', async () => {
    const closedPort = await freePort();
    const hangingPort = await saturatedListener();
    const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const handles = () => ({ sockets: count('TCPSocketWrap'), timers: count('Timeout') });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = handles();
    const results = await Promise.all([
      probeTcp(check({ port: closedPort })),
      probeTcp(check({ port: hangingPort, timeoutMs: 200 })),
      probeTcp(check({ host: 'no-such-host.invalid', port: 80, timeoutMs: 2_000 })),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['fail', 'fail', 'fail']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = handles();
    expect(after.sockets).toBeLessThanOrEqual(before.sockets);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
  });
});
