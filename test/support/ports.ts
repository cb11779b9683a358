import { createServer } from 'node:net';

/**
 * Ask the kernel for a free TCP port on 127.0.0.1: bind port 0, read the
 * port it chose, close. Another process may grab it before the caller binds,
 * but for tests on one machine this is good enough.
 */
export async function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`unexpected server address: ${String(address)}`));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}
