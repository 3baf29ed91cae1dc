import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Loopback ports of the demo backends; the shipped `proxy.config.ts` points at them. */
export const DEMO_PORTS = [3001, 3002, 3003] as const;

/** The shipped `proxy.config.ts` at the package root (two levels above `src/cli` or `dist/cli`). */
export const DEMO_CONFIG = join(dirname(dirname(dirname(fileURLToPath(import.meta.url)))), 'proxy.config.ts');

export interface DemoBackends {
  /** `http://127.0.0.1:<port>` of each backend. */
  readonly urls: readonly string[];
  close(): Promise<void>;
}

function backend(name: string): Server {
  return createServer((req, res) => {
    // Drain the request body so keep-alive works for POSTs too.
    req.resume();
    req.on('end', () => {
      const body = req.url === '/health' ? 'ok\n' : `served by ${name} (${req.method} ${req.url})\n`;
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-demo-backend': name });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE'
          ? new Error(`demo backend port ${port} is in use: stop what listens on 127.0.0.1:${port} and retry`)
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => done());
  });
}

function close(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

/**
 * Starts the demo backends: tiny loopback HTTP servers named `demo-backend-1`.. that answer
 * every request with `served by <name> (METHOD /path)`, so balancing shows in `curl` output.
 * `ports` defaults to `DEMO_PORTS`; port 0 picks a free port (for tests).
 */
export async function startDemoBackends(ports: readonly number[] = DEMO_PORTS): Promise<DemoBackends> {
  const servers = ports.map((_, i) => backend(`demo-backend-${i + 1}`));
  const started = await Promise.allSettled(servers.map((s, i) => listen(s, ports[i]!)));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(servers.filter((s) => s.listening).map(close));
    throw failed.reason;
  }
  return {
    urls: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`),
    close: async () => {
      await Promise.all(servers.map(close));
    },
  };
}
