// Shared pieces of the end-to-end measurements: a health endpoint the bench controls, stdout lines
// timestamped as they arrive, and the texts the action prints.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionRun } from '../test/support/runner.ts';

export interface HealthServer {
  /** http://127.0.0.1:<port>; GET /health answers 200, or 503 while `flagFile` exists. */
  url: string;
  /** GET /health requests served, and how many of them answered 503. */
  served(): { total: number; failed: number };
  close(): Promise<void>;
}

/**
 * A trivially healthy HTTP service in this process. With `flagFile`, it turns bad (503) the moment
 * the file exists and good again when it is removed, so a rollback command can repair it.
 */
export async function startHealthServer(flagFile?: string): Promise<HealthServer> {
  let total = 0;
  let failed = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/health') {
      res.writeHead(404).end();
      return;
    }
    total += 1;
    const bad = flagFile !== undefined && existsSync(flagFile);
    if (bad) failed += 1;
    res.writeHead(bad ? 503 : 200, { 'content-type': 'text/plain' }).end(bad ? 'unhealthy' : 'ok');
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => ({ total, failed }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface TimedLine {
  text: string;
  /** Date.now() when the line's newline arrived on the pipe. */
  at: number;
}

/** Collects a child's stdout as timestamped lines; `waitFor` resolves on the first matching line. */
export class LineClock {
  readonly lines: TimedLine[] = [];
  private partial = '';
  private waiters: Array<{ pattern: RegExp; resolve: (line: TimedLine) => void }> = [];

  /** For runAction's onStdout. */
  readonly onStdout = (chunk: string): void => {
    const at = Date.now();
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const text of parts) {
      const line = { text: text.replace(/\r$/, ''), at };
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pattern.test(line.text)) return true;
        w.resolve(line);
        return false;
      });
    }
  };

  /** The first line from now on that matches; rejects after `timeoutMs` or when `abort` fires. */
  waitFor(pattern: RegExp, timeoutMs: number, abort?: Promise<unknown>): Promise<TimedLine> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no stdout line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      abort?.then(
        () => {
          clearTimeout(timer);
          reject(new Error(`the step ended before a stdout line matched ${pattern}`));
        },
        () => {},
      );
    });
  }

  find(pattern: RegExp): TimedLine | undefined {
    return this.lines.find((line) => pattern.test(line.text));
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration as the action prints it: 750ms, 1.1s, 35s, 1m5s, 2h3m. */
export function parsePrintedDuration(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}

/** The plan's "Worst case from a failure to the verdict that starts the rollback: X." in ms. */
export function printedWorstCaseMs(stdout: string): number | undefined {
  const match = /Worst case from a failure to the verdict that starts the rollback: ([0-9.a-z]+)\./.exec(stdout);
  return match ? parsePrintedDuration(match[1]!) : undefined;
}

/** What the action said went wrong: its error annotations, else the end of its output. */
export function actionError(run: ActionRun): string {
  const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message.replace(/\s+/g, ' ').trim());
  if (errors.length) return errors.join(' / ');
  const tail = `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-3).join(' / ');
  return `exit ${run.exitCode}${run.timedOut ? ' (timed out)' : ''}: ${tail}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
