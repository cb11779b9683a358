// Notifications against a real local HTTP listener: what arrives, and how failures are retried and
// reported without ever showing the webhook URL.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import { notifyPayload, type NotifyEvent, type NotifyFormat } from '../../src/report/notify-payload.ts';
import type { Log } from '../../src/log.ts';
import { sendNotification } from '../../src/notify.ts';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];
/** How the listener answers the n-th request (from 1) of the current test. */
let answer: (n: number, res: ServerResponse, req: IncomingMessage) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(received.length, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received.length = 0;
  answer = (_n, res) => res.end('ok');
});

const secretPath = '/hooks/T000/B000/SECRETTOKEN';
const hookUrl = () => `${base}${secretPath}`;

/** A clock whose sleep returns at once and remembers how long it was asked to wait. */
function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { now: () => 1_700_000_000_000, sleep: async (ms) => void sleeps.push(ms), sleeps };
}

function recordingLog(): Log & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    info: (message) => void lines.push(message),
    warning: (message, title) => {
      warnings.push(message);
      lines.push(`${title ?? ''} ${message}`);
    },
    error: (message, title) => void lines.push(`${title ?? ''} ${message}`),
    group: (_title, body) => body(),
  };
}

function send(over: { attempts?: number; timeoutMs?: number; url?: string; payload?: unknown } = {}) {
  const clock = recordingClock();
  const log = recordingLog();
  const done = sendNotification({ url: over.url ?? hookUrl(), payload: over.payload ?? { hello: 'world' }, clock, log, ...(over.attempts !== undefined ? { attempts: over.attempts } : {}), ...(over.timeoutMs !== undefined ? { timeoutMs: over.timeoutMs } : {}) });
  return { clock, log, done };
}

const event: NotifyEvent = {
  kind: 'rolled-back',
  repository: 'acme/shop',
  environment: 'production',
  runUrl: 'https://github.com/acme/shop/actions/runs/42/attempts/1',
  failedSha: 'abc1234abc1234abc1234abc1234abc1234abcd',
  knownGoodSha: 'def5678def5678def5678def5678def5678defa',
  reason: 'unhealthy: <!here> status 500 & "quotes" ünïcödé',
  incident: { number: 12, url: 'https://github.com/acme/shop/issues/12' },
};

describe('a notification', () => {
  it.each<NotifyFormat>(['slack', 'discord', 'json'])('arrives as the %s payload, POSTed as JSON by deploy-guard', async (format) => {
    const payload = notifyPayload(event, format);
    const { done, log } = send({ payload });
    expect(await done).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(secretPath);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('deploy-guard');
    expect(JSON.parse(request!.body)).toEqual(payload);
    expect(log.warnings).toEqual([]);
  });

  it('is retried after 500 twice, with a growing wait, and delivered on the third attempt', async () => {
    answer = (n, res) => {
      res.statusCode = n <= 2 ? 500 : 200;
      res.end();
    };
    const { done, clock, log } = send();
    expect(await done).toEqual({ ok: true, attempts: 3, status: 200 });
    expect(received).toHaveLength(3);
    expect(clock.sleeps).toEqual([1_000, 2_000]);
    expect(log.warnings).toEqual([]);
  });

  it('gives up after `attempts` tries of 500, with a warning that never shows the URL', async () => {
    answer = (_n, res) => {
      res.statusCode = 500;
      // A careless service may echo the URL it was called on.
      res.end(`internal error handling POST ${hookUrl()} (token SECRETTOKEN)`);
    };
    const { done, log } = send({ attempts: 4 });
    const report = await done;
    expect(report).toMatchObject({ ok: false, attempts: 4, status: 500 });
    expect(received).toHaveLength(4);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(/answered 500/);
    expect(log.warnings[0]).toMatch(/4 attempts/);
    for (const line of [...log.lines, report.error ?? '']) {
      expect(line).not.toContain('SECRETTOKEN');
      expect(line).not.toContain(base);
    }
  });

  it('is not retried when the webhook refuses it (404), and says so', async () => {
    answer = (_n, res) => {
      res.statusCode = 404;
      res.end('no_service');
    };
    const { done, clock, log } = send();
    const report = await done;
    expect(report).toEqual({ ok: false, attempts: 1, status: 404, error: 'the webhook refused it with 404: no_service' });
    expect(received).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(log.warnings[0]).toContain('404: no_service');
  });

  it('gives each attempt no longer than timeoutMs when the listener never answers', async () => {
    answer = () => {}; // holds the request open
    const started = performance.now();
    const { done, log } = send({ attempts: 2, timeoutMs: 200 });
    const report = await done;
    const elapsed = performance.now() - started;
    expect(report).toEqual({ ok: false, attempts: 2, error: 'the webhook did not answer within 200ms' });
    expect(received).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(2 * 190);
    expect(elapsed).toBeLessThan(2_000);
    expect(log.lines.join('\n')).not.toContain('SECRETTOKEN');
  });

  it('waits as long as Retry-After asks on 429, through the clock', async () => {
    answer = (n, res) => {
      if (n === 1) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.end();
    };
    const { done, clock } = send();
    expect(await done).toEqual({ ok: true, attempts: 2, status: 200 });
    expect(clock.sleeps).toEqual([1_000]);
  });

  it('waits no more than 10 s however long Retry-After asks', async () => {
    answer = (n, res) => {
      if (n === 1) res.writeHead(429, { 'retry-after': '3600' }).end();
      else res.end();
    };
    const { done, clock } = send();
    expect(await done).toMatchObject({ ok: true, attempts: 2 });
    expect(clock.sleeps).toEqual([10_000]);
  });

  it('is retried when the connection fails, and reports it without the URL', async () => {
    // A port nothing listens on: bind one, then close it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { done, clock, log } = send({ url: `http://127.0.0.1:${port}${secretPath}` });
    const report = await done;
    expect(report).toMatchObject({ ok: false, attempts: 3 });
    expect(report.error).toMatch(/the request failed/);
    expect(clock.sleeps).toEqual([1_000, 2_000]);
    expect([...log.lines, report.error].join('\n')).not.toContain('SECRETTOKEN');
  });

  it('never throws, not even for a URL it cannot use, and does not echo it', async () => {
    const { done, log } = send({ url: 'not a url /SECRETTOKEN' });
    const report = await done;
    expect(report).toMatchObject({ ok: false, attempts: 0 });
    expect(log.warnings).toHaveLength(1);
    expect([...log.lines, report.error].join('\n')).not.toContain('SECRETTOKEN');
  });
});
