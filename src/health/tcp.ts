// One TCP health probe: a connection to host:port within the check's timeout passes. Nothing is
// sent; the socket is closed as soon as the handshake completes.
import { connect, type Socket } from 'node:net';
import type { TcpCheck } from './check-types.ts';
import type { ProbeResult } from './check-types.ts';

export function probeTcp(check: TcpCheck): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let socket: Socket;
    try {
      socket = connect({ host: check.host, port: check.port });
    } catch (error) {
      // e.g. a port out of range: the check itself is wrong, not the service.
      resolve({ check: check.name, outcome: 'inconclusive', latencyMs: 0, detail: `cannot connect: ${(error as Error).message}` });
      return;
    }
    const finish = (outcome: 'pass' | 'fail', detail: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // A late error from the destroyed socket must not become an unhandled 'error' event.
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve({ check: check.name, outcome, latencyMs: Math.round(performance.now() - started), detail });
    };
    // The timeout covers the name lookup and the handshake.
    const timer = setTimeout(() => finish('fail', `no connection within ${check.timeoutMs}ms`), check.timeoutMs);
    socket.once('connect', () => finish('pass', `connected to ${check.host}:${check.port}`));
    socket.once('error', (error: NodeJS.ErrnoException) => finish('fail', describeConnectError(error, check.host)));
  });
}

function describeConnectError(error: NodeJS.ErrnoException, host: string): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `cannot resolve ${host} (${error.code})`;
    default:
      return `connection failed: ${error.code ?? error.message}`;
  }
}
