/**
 * Named upstream servers for the differential suite. Each answers with its own name (header and
 * body) and records every request it received, so the member that served a request is read from
 * the backend itself, never from what a proxy says.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Header carrying the driver's request id, so a backend record names the request it saw. */
export const SEQ_HEADER = 'x-diff-seq';
/** Header asking the backend for a response body of this many bytes (default: just its name). */
export const SIZE_HEADER = 'x-diff-size';

/** How a backend answers until told otherwise. */
export interface Behaviour {
  /** Status code of every response. Default 200. */
  readonly status?: number;
  /** Body size of every response, overridden per request by `x-diff-size`. */
  readonly size?: number;
  /** Accept the request and never answer (for timeouts). */
  readonly hang?: boolean;
}

/** One request as a backend saw it. */
export interface BackendHit {
  readonly backend: string;
  readonly seq: string | undefined;
  readonly method: string;
  readonly url: string;
  /** Bytes of the request line and header lines, as received. */
  readonly headBytes: number;
  /** Bytes of the request body. */
  readonly bodyBytes: number;
}

/** The body a backend sends: its name, padded with dots to `size` bytes. */
export function backendBody(name: string, size: number | undefined): string {
  return size === undefined || size <= name.length ? name : name + '.'.repeat(size - name.length);
}

function headBytes(req: IncomingMessage): number {
  let n = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`.length + 2;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    n += Buffer.byteLength(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`);
  }
  return n;
}

class Backend {
  readonly name: string;
  port = 0;
  behaviour: Behaviour = {};
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #hits: BackendHit[];

  constructor(name: string, hits: BackendHit[]) {
    this.name = name;
    this.#hits = hits;
  }

  get up(): boolean {
    return this.#server !== undefined;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => this.#answer(req, res));
    server.keepAliveTimeout = 30_000;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('backend has no port');
    this.port = address.port;
    this.#server = server;
  }

  /** Closes the port and every open connection, so a proxy's next connect is refused. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = once(server, 'close');
    server.close();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #answer(req: IncomingMessage, res: ServerResponse): void {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    req.on('end', () => {
      const seq = req.headers[SEQ_HEADER] as string | undefined;
      const sizeHeader = req.headers[SIZE_HEADER] as string | undefined;
      const size = sizeHeader === undefined ? this.behaviour.size : Number(sizeHeader);
      const body = this.behaviour.hang ? undefined : backendBody(this.name, size);
      this.#hits.push({
        backend: this.name,
        seq,
        method: req.method ?? '',
        url: req.url ?? '',
        headBytes: headBytes(req),
        bodyBytes,
      });
      if (body === undefined) return;
      res.writeHead(this.behaviour.status ?? 200, {
        'content-type': 'text/plain',
        'content-length': String(body.length),
        'x-backend': this.name,
      });
      res.end(body);
    });
  }
}

/** A set of named backends on loopback, started together. */
export class Backends {
  readonly #backends = new Map<string, Backend>();
  readonly #hits: BackendHit[] = [];

  /** Starts one backend per name on an ephemeral loopback port. */
  static async start(names: Iterable<string>): Promise<Backends> {
    const set = new Backends();
    for (const name of names) {
      if (set.#backends.has(name)) throw new Error(`backend ${name} defined twice`);
      const backend = new Backend(name, set.#hits);
      set.#backends.set(name, backend);
      await backend.start();
    }
    return set;
  }

  #get(name: string): Backend {
    const backend = this.#backends.get(name);
    if (!backend) throw new Error(`no backend named ${name}`);
    return backend;
  }

  /** `http://127.0.0.1:port` of a backend (stable across down/up). */
  url(name: string): string {
    return `http://127.0.0.1:${this.#get(name).port}`;
  }

  /** Name of the backend listening on `port`, if any. */
  nameOfPort(port: number): string | undefined {
    for (const b of this.#backends.values()) if (b.port === port) return b.name;
    return undefined;
  }

  /** Closes a backend's port: connects to it are refused. */
  down(name: string): Promise<void> {
    return this.#get(name).stop();
  }

  /** Listens again on the backend's port. */
  up(name: string): Promise<void> {
    return this.#get(name).start();
  }

  /** Changes how a backend answers. */
  behave(name: string, behaviour: Behaviour): void {
    this.#get(name).behaviour = behaviour;
  }

  /** Requests received so far, in arrival order. */
  hits(): readonly BackendHit[] {
    return this.#hits;
  }

  /** Back to the initial state: every backend up, default behaviour, no hits recorded. */
  async reset(): Promise<void> {
    for (const b of this.#backends.values()) {
      b.behaviour = {};
      await b.stop();
      await b.start();
    }
    this.#hits.length = 0;
  }

  /** Stops every backend. */
  async close(): Promise<void> {
    for (const b of this.#backends.values()) await b.stop();
  }
}
