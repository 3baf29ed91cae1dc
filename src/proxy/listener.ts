/**
 * One node:http listener. Requests go to whatever generation is current when they arrive;
 * bad requests, CONNECT and protocol errors are answered here and never reach a route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { writeRawStatus } from './local-response.js';

/** Where a listener sends requests: the runtime's current generation. */
export interface RequestSink {
  handle(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** A bug surfaced while serving: logged (TSXP_INTERNAL), answered 500 or the connection closed. */
  internalError(err: unknown, res: ServerResponse | undefined, socket: Duplex): void;
}

/** A bound listener. */
export interface Listener {
  /** The address as configured (`host`, `port` as asked; port 0 stays 0). */
  readonly configured: { readonly host: string; readonly port: number };
  /** `http://host:port` with the bound port. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting; resolves when every connection has ended (idle ones are closed). */
  close(): Promise<void>;
  /** Closes every connection at once (end of the grace period). */
  destroy(): void;
}

const CLOSE_POLL_MS = 25;

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function onClientError(err: Error & { code?: string }, socket: Duplex): void {
  const busy = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || busy?.headersSent) {
    socket.destroy();
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'HPE_HEADERS_TIMEOUT'
        ? 408
        : 400;
  writeRawStatus(socket, status);
}

function onConnect(_req: IncomingMessage, socket: Duplex): void {
  // tsx-proxy is a reverse proxy, not an open forward proxy: no tunnels on request.
  socket.on('error', () => socket.destroy());
  writeRawStatus(socket, 405, { Allow: 'GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE' });
}

/** Binds a listener on `host:port` that serves `sink.current`. */
export function listen(
  address: { readonly host: string; readonly port: number },
  sink: { readonly current: RequestSink },
): Promise<Listener> {
  const server: Server = createServer({
    // Long uploads and downloads are bounded by the upstream timeouts, not by a total time.
    requestTimeout: 0,
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => sink.current.handle(req, res, false));
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) =>
    sink.current.handle(req, res, true),
  );
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    sink.current.upgrade(req, socket, head),
  );
  server.on('connect', onConnect);
  server.on('clientError', onClientError);
  return new Promise<Listener>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address.host, port: address.port }, () => {
      server.off('error', reject);
      const port = (server.address() as { port: number }).port;
      resolve(new NodeListener(server, address, urlOf(address.host, port), port));
    });
  });
}

class NodeListener implements Listener {
  readonly #server: Server;
  readonly configured: { readonly host: string; readonly port: number };
  readonly url: string;
  readonly port: number;
  #closing: Promise<void> | undefined;

  constructor(server: Server, configured: Listener['configured'], url: string, port: number) {
    this.#server = server;
    this.configured = configured;
    this.url = url;
    this.port = port;
    // A listener error after binding (e.g. EMFILE on accept) must not crash the process.
    server.on('error', () => {});
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      const server = this.#server;
      // Keep-alive connections become idle as their in-flight requests end: close them then.
      const poll = setInterval(() => server.closeIdleConnections(), CLOSE_POLL_MS);
      server.close(() => {
        clearInterval(poll);
        resolve();
      });
      server.closeIdleConnections();
    });
    return this.#closing;
  }

  destroy(): void {
    this.#server.closeAllConnections();
  }
}
