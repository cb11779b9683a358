// A real Prometheus (the Debian package's /usr/bin/prometheus, 2.42 here and on CI) for tests:
// listens on 127.0.0.1 only, scrapes the given targets every second, keeps its data and log in a
// temporary directory that stop() removes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

const BINARY = '/usr/bin/prometheus';
const READY_TIMEOUT_MS = 20_000;
/**
 * Prometheus hands new targets to the scrape loop only after its discovery manager's 5 s update
 * throttle, so the first scrape comes about 5-6 s after start even with a 1 s interval.
 */
const SCRAPE_TIMEOUT_MS = 20_000;

export interface RunningPrometheus {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  /** Resolves once every target has been scraped successfully (`up` is 1 for each). */
  waitForScrape(timeoutMs?: number): Promise<void>;
  /** Stops Prometheus, waits for it to exit, removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export function prometheusAvailable(): boolean {
  return existsSync(BINARY);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `targets` are host:port pairs serving /metrics, e.g. `127.0.0.1:8080`. */
export async function startPrometheus(opts: { targets: string[] }): Promise<RunningPrometheus> {
  if (!prometheusAvailable()) throw new Error(`${BINARY} is not installed (apt-get install prometheus)`);
  const dir = await mkdtemp(join(tmpdir(), 'deploy-guard-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, configText(opts.targets));
  let lastError: unknown;
  // freePort() can race with another process taking the port: try a fresh one a few times.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    try {
      return await launch(dir, configFile, opts.targets, attempt);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTaken)) break;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

class PortTaken extends Error {}

function configText(targets: string[]): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: service',
    '    metrics_path: /metrics',
    '    static_configs:',
    `      - targets: [${targets.map((target) => JSON.stringify(target)).join(', ')}]`,
    '',
  ].join('\n');
}

async function launch(dir: string, configFile: string, targets: string[], attempt: number): Promise<RunningPrometheus> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dir, `prometheus-${attempt}.log`);
  const log = await open(logFile, 'w');
  const child: ChildProcess = spawn(
    BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', log.fd, log.fd] },
  );
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.once('error', () => {}); // a spawn failure shows up as an exit and in the readiness error
  // If the test worker dies without stop(), do not leave Prometheus running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const logTail = async (): Promise<string> => {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    return text.split('\n').slice(-25).join('\n');
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
      await log.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    })());
  const running = () => child.exitCode === null && child.signalCode === null;

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!running()) {
      const tail = await logTail();
      await log.close().catch(() => {});
      process.removeListener('exit', killOnExit);
      if (/address already in use/.test(tail)) throw new PortTaken(`port ${port} was taken`);
      throw new Error(`Prometheus exited during startup (code ${child.exitCode}, signal ${child.signalCode}). Log tail:\n${tail}`);
    }
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      async (response) => {
        await response.body?.cancel().catch(() => {});
        return response.ok;
      },
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      const tail = await logTail();
      await stop().catch(() => {});
      throw new Error(`Prometheus was not ready within ${READY_TIMEOUT_MS}ms. Log tail:\n${tail}`);
    }
    await sleep(100);
  }

  return {
    url,
    stop,
    async waitForScrape(timeoutMs = SCRAPE_TIMEOUT_MS) {
      const until = Date.now() + timeoutMs;
      let seen = 'no answer yet';
      while (Date.now() < until) {
        if (!running()) throw new Error(`Prometheus exited. Log tail:\n${await logTail()}`);
        try {
          const response = await fetch(`${url}/api/v1/query?query=up`, { signal: AbortSignal.timeout(1_000) });
          const body = (await response.json()) as { data?: { result?: Array<{ metric: { instance?: string }; value: [number, string] }> } };
          const up = new Map((body.data?.result ?? []).map((series) => [series.metric.instance, series.value[1]]));
          seen = JSON.stringify(Object.fromEntries(up));
          if (targets.every((target) => up.get(target) === '1')) return;
        } catch (error) {
          seen = String(error);
        }
        await sleep(200);
      }
      throw new Error(`Prometheus did not scrape every target (${targets.join(', ')}) within ${timeoutMs}ms; up: ${seen}. Log tail:\n${await logTail()}`);
    },
  };
}
