// The deployable test service. Committed into the fixture repository by
// serviceFiles(); its behaviour for one version comes from version.json next
// to this file. Plain JavaScript, node: modules only.
//
//   GET /         200 {"version","pid"}, or 500 for the configured error rate
//   GET /health   200 "ok" or 503 "unhealthy", per the configured health mode
//   GET /metrics  Prometheus text: http_requests_total{code}, http_request_duration_seconds
//   GET /health-echo  like /health, but the answer quotes the request: {"url","headers"} as JSON
//                 (a careless service that echoes what it was sent, secrets included);
//                 ?header=<name>&pad=<n>: only that header's value, after n dots
//
// Environment: SERVICE_PORT (listens on 127.0.0.1), SERVICE_STATE_DIR (pid file).
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(readFileSync(join(here, 'version.json'), 'utf8'));
const version = String(config.version);
const health = config.health ?? 'ok';
const errorRate = Number(config.errorRate ?? 0);

function log(message) {
  console.log(`${new Date().toISOString()} [${version} pid ${process.pid}] ${message}`);
}

const port = Number(process.env.SERVICE_PORT);
const stateDir = process.env.SERVICE_STATE_DIR;
if (!Number.isInteger(port) || port <= 0 || port > 65535 || !stateDir) {
  log(`SERVICE_PORT (${process.env.SERVICE_PORT}) and SERVICE_STATE_DIR (${stateDir}) must be set`);
  process.exit(2);
}

if (health === 'bootFail') {
  log('configured to fail at boot; exiting with code 1');
  process.exit(1);
}

const pidFile = join(stateDir, 'service.pid');
const startedAt = Date.now();
let healthRequests = 0;
let rootRequests = 0;
const requestsByCode = { 200: 0, 500: 0 };
const bucketBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const bucketCounts = bucketBounds.map(() => 0);
let durationSum = 0;
let durationCount = 0;

function isHealthy() {
  healthRequests += 1;
  if (health === 'ok') return true;
  if (health === 'fail') return false;
  if (health !== null && typeof health === 'object') {
    if (typeof health.failAfterMs === 'number') return Date.now() - startedAt < health.failAfterMs;
    // failRounds counts GET /health requests served by this process, from 1.
    if (Array.isArray(health.failRounds)) return !health.failRounds.includes(healthRequests);
    if (typeof health.crashAfterMs === 'number') return true;
  }
  return false; // unknown mode: unhealthy rather than silently fine
}

// Deterministic error injection: request n fails when floor(n * rate) grows,
// so exactly floor(n * rate) of the first n requests are answered with 500.
function nextRootRequestFails() {
  rootRequests += 1;
  return Math.floor(rootRequests * errorRate) > Math.floor((rootRequests - 1) * errorRate);
}

function observeDuration(seconds) {
  durationSum += seconds;
  durationCount += 1;
  bucketBounds.forEach((bound, index) => {
    if (seconds <= bound) bucketCounts[index] += 1;
  });
}

function metricsText() {
  const lines = [
    '# HELP http_requests_total Requests to GET / by status code.',
    '# TYPE http_requests_total counter',
    `http_requests_total{code="200"} ${requestsByCode[200]}`,
    `http_requests_total{code="500"} ${requestsByCode[500]}`,
    '# HELP http_request_duration_seconds Duration of requests to GET /.',
    '# TYPE http_request_duration_seconds histogram',
    ...bucketBounds.map((bound, index) => `http_request_duration_seconds_bucket{le="${bound}"} ${bucketCounts[index]}`),
    `http_request_duration_seconds_bucket{le="+Inf"} ${durationCount}`,
    `http_request_duration_seconds_sum ${durationSum}`,
    `http_request_duration_seconds_count ${durationCount}`,
    '# HELP service_version_info Version of the running service.',
    '# TYPE service_version_info gauge',
    `service_version_info{version="${version}"} 1`,
  ];
  return `${lines.join('\n')}\n`;
}

function send(res, status, contentType, body) {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET') {
    send(res, 405, 'text/plain', 'method not allowed\n');
    return;
  }
  if (path === '/') {
    const start = process.hrtime.bigint();
    const status = nextRootRequestFails() ? 500 : 200;
    requestsByCode[status] += 1;
    const body = status === 200 ? { version, pid: process.pid } : { version, pid: process.pid, error: 'injected failure' };
    send(res, status, 'application/json', JSON.stringify(body));
    observeDuration(Number(process.hrtime.bigint() - start) / 1e9);
    return;
  }
  if (path === '/health') {
    if (isHealthy()) send(res, 200, 'text/plain', 'ok');
    else send(res, 503, 'text/plain', 'unhealthy');
    return;
  }
  if (path === '/health-echo') {
    const healthy = isHealthy();
    const query = new URL(req.url ?? '/', 'http://service').searchParams;
    const header = query.get('header');
    const body = header
      ? `${'.'.repeat(Number(query.get('pad') ?? 0))}${req.headers[header.toLowerCase()] ?? ''}`
      : JSON.stringify({ url: req.url, headers: req.headers });
    send(res, healthy ? 200 : 503, header ? 'text/plain' : 'application/json', body);
    return;
  }
  if (path === '/metrics') {
    send(res, 200, 'text/plain; version=0.0.4', metricsText());
    return;
  }
  send(res, 404, 'text/plain', 'not found\n');
});

server.on('error', (error) => {
  log(`server error: ${error.message}`);
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => {
  mkdirSync(stateDir, { recursive: true });
  const temporary = `${pidFile}.${process.pid}.tmp`;
  writeFileSync(temporary, `${process.pid}\n`);
  renameSync(temporary, pidFile);
  log(`listening on http://127.0.0.1:${port} (health ${JSON.stringify(health)}, errorRate ${errorRate})`);
  if (health !== null && typeof health === 'object' && typeof health.crashAfterMs === 'number') {
    setTimeout(() => {
      log(`crashing after ${health.crashAfterMs} ms as configured`);
      process.exit(1);
    }, health.crashAfterMs);
  }
});

function shutdown(signal) {
  log(`received ${signal}; exiting`);
  try {
    // Only remove the pid file if it is still ours.
    if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) rmSync(pidFile, { force: true });
  } catch {
    // no pid file: nothing to clean up
  }
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
