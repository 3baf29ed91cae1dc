/**
 * Helpers of the data-path tests: real node:http backends on loopback, a logger that records
 * events, a free port with nothing listening, and the per-test clean-up of a proxy and its backends.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { afterEach } from 'vitest';
import type { RunningProxy } from '../src/runtime/types.js';
import type { ErrorEvent, ProxyLogger, RequestEvent } from '../src/testing/start-proxy.js';

export interface Backend {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:port` */
  readonly url: string;
  /** Sockets currently open to this backend. */
  readonly sockets: Set<Socket>;
  close(): Promise<void>;
}

/** A node:http backend on 127.0.0.1 with an ephemeral port. */
export async function startBackend(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Backend> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    sockets,
    close: async () => {
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A backend that answers every request with its method, URL and headers as JSON. */
export function startEchoBackend(): Promise<Backend> {
  return startBackend((req, res) => {
    const body = JSON.stringify({
      method: req.method,
      url: req.url,
      headers: req.headers,
      raw: req.rawHeaders,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

/** A loopback port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const s = createNetServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A logger that keeps every event, for assertions. */
export interface RecordingLogger extends ProxyLogger {
  readonly errors: ErrorEvent[];
  readonly requests: RequestEvent[];
  readonly warnings: string[];
  readonly infos: string[];
}

export function recordingLogger(): RecordingLogger {
  const errors: ErrorEvent[] = [];
  const requests: RequestEvent[] = [];
  const warnings: string[] = [];
  const infos: string[] = [];
  return {
    errors,
    requests,
    warnings,
    infos,
    error: (e) => void errors.push(e),
    request: (e) => void requests.push(e),
    warn: (m) => void warnings.push(m),
    info: (m) => void infos.push(m),
  };
}

/** Polls `check` until it returns true (no timing assertions: the test timeout bounds it). */
export async function until(check: () => boolean, stepMs = 10): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, stepMs));
}

/** Sends `head` (a raw request, `\r\n` line ends, blank line included) and returns the raw answer until the proxy closes. */
export async function rawExchange(url: string, head: string, body?: Buffer | string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
  socket.write(head);
  if (body !== undefined) socket.write(body);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  return Buffer.concat(chunks).toString('latin1');
}

/**
 * Per-test clean-up for a proxy test file: after each test, closes the proxy put in `proxy`,
 * then the backends pushed to `backends`.
 */
export function perTestProxy(): { proxy: RunningProxy | undefined; readonly backends: Backend[] } {
  const started: { proxy: RunningProxy | undefined; backends: Backend[] } = {
    proxy: undefined,
    backends: [],
  };
  afterEach(async () => {
    await started.proxy?.close();
    started.proxy = undefined;
    for (const b of started.backends.splice(0)) await b.close();
  });
  return started;
}
