// A small real forward proxy for tests, like the one in front of a self-hosted runner: absolute-URI
// HTTP requests (`GET http://host/path`) and CONNECT tunnels (what @actions/* clients use, for
// http:// targets too). It records the target of every request it carries.
//
// Hosts under `.test` (RFC 2606: they never resolve) are sent to 127.0.0.1 by the proxy itself, so a
// request to http://api.github.test:<port> can only succeed through the proxy.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxiedRequest {
  /** 'connect' for a tunnel, 'absolute' for an absolute-URI request. */
  kind: 'connect' | 'absolute';
  /** The host and port asked for, e.g. `api.github.test:41234`. */
  target: string;
  /** For absolute-URI requests: the method and the path asked for on the target. */
  method?: string;
  path?: string;
  /** The Proxy-Authorization header as sent, if any. */
  proxyAuthorization?: string;
}

export interface ForwardProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Every request carried (or refused for credentials), in order. */
  requests: ProxiedRequest[];
  /** The hosts (without port) of the recorded requests, in order. */
  hosts(): string[];
  close(): Promise<void>;
}

export interface ForwardProxyOptions {
  /** `user:password`: requests without these basic credentials are answered 407. */
  credentials?: string;
}

/** Where the proxy connects for a requested host: `*.test` is 127.0.0.1, anything else as given. */
function upstreamHost(host: string): string {
  return host === 'test' || host.endsWith('.test') ? '127.0.0.1' : host;
}

function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } {
  const url = new URL(`http://${authority}`);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : defaultPort };
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined;
  const authorized = (req: IncomingMessage): boolean => !expected || req.headers['proxy-authorization'] === expected;
  const auth = (req: IncomingMessage) => (req.headers['proxy-authorization'] ? { proxyAuthorization: req.headers['proxy-authorization'] } : {});

  const server: Server = createServer((req, res) => {
    const raw = req.url ?? '';
    if (!/^https?:\/\//i.test(raw)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('forward proxy: expected an absolute URI or CONNECT\n');
      return;
    }
    const target = new URL(raw);
    requests.push({ kind: 'absolute', target: target.host, method: req.method ?? 'GET', path: `${target.pathname}${target.search}`, ...auth(req) });
    if (!authorized(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"' }).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      { host: upstreamHost(target.hostname), port: target.port || 80, method: req.method, path: `${target.pathname}${target.search}`, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`forward proxy: ${error.message}\n`);
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const authority = req.url ?? '';
    requests.push({ kind: 'connect', target: authority, ...auth(req) });
    if (!authorized(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const { host, port } = splitHostPort(authority, 443);
    const upstream = connect({ host: upstreamHost(host), port });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    let established = false;
    upstream.once('connect', () => {
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = (): void => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', () => {
      if (!established && client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      else drop();
    });
    client.on('error', drop);
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    hosts: () => requests.map((r) => splitHostPort(r.target, 0).host),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
