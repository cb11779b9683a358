import { readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';

export { freePort } from '../ports.ts';

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface ServiceControl {
  /** http://127.0.0.1:<port> (no trailing slash). */
  url: string;
  /** Version answering GET /, or undefined when nothing answers. */
  currentVersion(): Promise<string | undefined>;
  /** Status of GET /health, or undefined when nothing answers. */
  healthStatus(): Promise<number | undefined>;
  /** Plain GET of a path on the service, or undefined when nothing answers. */
  get(path: string): Promise<HttpAnswer | undefined>;
  /** Pid from the pid file, if any. */
  pid(): Promise<number | undefined>;
  /** Stops the running instance (pid file, else the pid GET / reports) and waits until it is gone. */
  stop(): Promise<void>;
}

/** One GET without connection reuse, so a killed server never leaves a stale pooled socket behind. */
export function httpGet(url: string, timeoutMs = 2000): Promise<HttpAnswer | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * True while `pid` is a live process of the test service. Zombies count as
 * gone (the service is re-parented to whatever init runs here, which may not
 * reap it), and on Linux a recycled pid that is not running server.mjs is
 * never treated as ours.
 */
export async function isServiceProcess(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: exists but is not ours to signal, so it is not our service either.
    return false;
  }
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return process.platform !== 'linux';
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return false;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('server.mjs');
  } catch {
    return false;
  }
}

async function stopPid(pid: number): Promise<void> {
  if (!(await isServiceProcess(pid))) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < 5000; waited += 50) {
    if (!(await isServiceProcess(pid))) return;
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let waited = 0; waited < 2000; waited += 50) {
    if (!(await isServiceProcess(pid))) return;
    await sleep(50);
  }
  throw new Error(`service pid ${pid} is still running after SIGKILL`);
}

export function serviceControl(stateDir: string, port: number): ServiceControl {
  const url = `http://127.0.0.1:${port}`;
  const pidFile = join(stateDir, 'service.pid');

  const get = (path: string): Promise<HttpAnswer | undefined> => httpGet(`${url}${path.startsWith('/') ? path : `/${path}`}`);

  const answeringPid = async (): Promise<number | undefined> => {
    const answer = await get('/');
    if (!answer) return undefined;
    try {
      const pid: unknown = (JSON.parse(answer.body) as { pid?: unknown }).pid;
      return typeof pid === 'number' ? pid : undefined;
    } catch {
      return undefined;
    }
  };

  const pid = async (): Promise<number | undefined> => {
    try {
      const value = Number.parseInt((await readFile(pidFile, 'utf8')).trim(), 10);
      return Number.isInteger(value) && value > 0 ? value : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    url,
    get,
    pid,
    async currentVersion() {
      const answer = await get('/');
      if (!answer) return undefined;
      try {
        const version: unknown = (JSON.parse(answer.body) as { version?: unknown }).version;
        return typeof version === 'string' ? version : undefined;
      } catch {
        return undefined;
      }
    },
    async healthStatus() {
      return (await get('/health'))?.status;
    },
    async stop() {
      const fromFile = await pid();
      if (fromFile !== undefined) await stopPid(fromFile);
      // An instance without a pid file (e.g. a deploy that timed out) still says who it is.
      const stillAnswering = await answeringPid();
      if (stillAnswering !== undefined) await stopPid(stillAnswering);
      await rm(pidFile, { force: true });
    },
  };
}
