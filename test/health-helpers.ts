/**
 * Shared pieces of the health-check tests: real loopback backends whose health changes on
 * command, configs compiled by the real compiler, live balancers from the real engine, and a
 * manual clock for the scheduler.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { createLiveBalancer } from '../src/balancer/index.js';
import type { LiveBalancer, MemberState } from '../src/balancer/types.js';
import { compile } from '../src/config/compile.js';
import type { CompiledMember, ProxyConfig } from '../src/config/types.js';
import type { Balancer } from '../src/dsl/balancer.js';
import type { HealthCheck, MemberParams } from '../src/dsl/params.js';
import type { HealthClock } from '../src/health/index.js';
import { balancer, defineConfig, route } from '../src/index.js';
import { afterEach } from 'vitest';
import type { ErrorEvent, ProxyLogger } from '../src/runtime/types.js';

/** Compiles a config serving `b` at `/`. */
export function compileBalancer(b: Balancer): ProxyConfig {
  return compile(defineConfig({ routes: [route('/').to(b)] }));
}

/** The compiled single member of a balancer `b` with this health check. */
export function healthMember(url: string, check: HealthCheck, params: MemberParams = {}): CompiledMember {
  return compileBalancer(balancer('b').member(url, params).healthCheck(check)).balancers.get('b')!
    .members[0]!;
}

/** Live balancers of a compiled config, carrying member state from `previous` (what a reload does). */
export function liveBalancers(config: ProxyConfig, previous: readonly LiveBalancer[] = []): LiveBalancer[] {
  const states = new Map<string, MemberState>(
    previous.flatMap((b) => b.members.map((m) => [m.key, m] as const)),
  );
  return [...config.balancers.values()].map((b) => createLiveBalancer(b, states));
}

/** A logger that keeps what it is told, and lets a test react the moment a line is logged. */
export class RecordingLogger implements ProxyLogger {
  readonly warns: string[] = [];
  readonly infos: string[] = [];
  readonly errors: ErrorEvent[] = [];
  onLine: ((level: 'warn' | 'info', message: string) => void) | undefined;
  request(): void {}
  error(event: ErrorEvent): void {
    this.errors.push(event);
  }
  info(message: string): void {
    this.infos.push(message);
    this.onLine?.('info', message);
  }
  warn(message: string): void {
    this.warns.push(message);
    this.onLine?.('warn', message);
  }
}

export type HealthMode = 'ok' | 'fail' | 'hang' | 'degraded';

/** One request the backend answered (or is holding). */
export interface Answer {
  readonly method: string;
  readonly url: string;
  readonly mode: HealthMode;
}

/**
 * A node:http backend on 127.0.0.1 whose answers follow `mode`: `ok` (200 "ok"), `fail` (500),
 * `degraded` (200 "degraded"), `hang` (never answers). Records every such request. Given a
 * `healthPath`, only that path follows `mode`; other requests are traffic, answered 200 "traffic".
 */
export class HealthBackend {
  mode: HealthMode = 'ok';
  readonly answers: Answer[] = [];
  /** Paths of the requests that were not health checks. */
  readonly traffic: string[] = [];
  readonly #healthPath: string | undefined;
  readonly #held: ServerResponse[] = [];
  readonly #server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    if (this.#healthPath !== undefined && req.url !== this.#healthPath) {
      this.traffic.push(req.url ?? '');
      res.end('traffic');
      return;
    }
    const mode = this.mode;
    this.answers.push({ method: req.method ?? '', url: req.url ?? '', mode });
    if (mode === 'hang') this.#held.push(res);
    else if (mode === 'fail') res.writeHead(500).end('down');
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(mode);
  });
  port = 0;

  constructor(healthPath?: string) {
    this.#healthPath = healthPath;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answers every held (`hang`) request with 200 "ok". */
  release(): void {
    for (const res of this.#held.splice(0)) res.writeHead(200).end('ok');
  }

  /** Answers received in `mode` since index `from`. */
  count(mode: HealthMode, from = 0): number {
    return this.answers.slice(from).filter((a) => a.mode === mode).length;
  }

  async close(): Promise<void> {
    for (const res of this.#held.splice(0)) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * A raw TCP backend on 127.0.0.1 that records the exact bytes of each request, then sends `reply`
 * and closes; with `reply` undefined it holds the connection open without answering.
 */
export class RawBackend {
  readonly requests: string[] = [];
  connections = 0;
  /** Connections the client has closed. */
  closed = 0;
  /** Bytes received over all connections. */
  received = 0;
  reply: string | undefined = 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok';
  readonly #sockets = new Set<Socket>();
  readonly #server = createNetServer((socket) => {
    this.connections++;
    this.#sockets.add(socket);
    socket.on('close', () => {
      this.#sockets.delete(socket);
      this.closed++;
    });
    let got = '';
    socket.on('data', (chunk) => {
      this.received += chunk.length;
      got += chunk.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      this.requests.push(got);
      if (this.reply !== undefined) socket.end(this.reply);
    });
    socket.on('error', () => {});
  });
  port = 0;

  async start(host = '127.0.0.1'): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, host, resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface ManualTimer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/** A clock that moves only when the test says, holding the scheduler's timers. */
export class ManualClock implements HealthClock {
  time = 1_000_000;
  readonly timers = new Map<number, ManualTimer>();
  #next = 1;
  #waiting: { count: number; resolve: () => void } | undefined;

  /** Resolves once `count` timers are pending (checks finished and re-armed). */
  pending(count: number): Promise<void> {
    if (this.timers.size >= count) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiting = { count, resolve };
    });
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.timers.set(id, { id, due: this.time + ms, fn });
    if (this.#waiting && this.timers.size >= this.#waiting.count) {
      this.#waiting.resolve();
      this.#waiting = undefined;
    }
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Due times of the pending timers, sorted. */
  dueTimes(): number[] {
    return [...this.timers.values()].map((t) => t.due).sort((a, b) => a - b);
  }

  /** Moves to the earliest pending timer and fires every timer due then; returns that time. */
  fireNext(): number {
    const due = Math.min(...[...this.timers.values()].map((t) => t.due));
    this.time = Math.max(this.time, due);
    for (const t of [...this.timers.values()].filter((t) => t.due <= this.time)) {
      this.timers.delete(t.id);
      t.fn();
    }
    return due;
  }
}

/** Resolves once `predicate` holds, polling the event loop (real I/O keeps running meanwhile). */
export async function until(predicate: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Per-test clean-up for a test file: steps pushed to `cleanup` run after each test, last first;
 * `backend()` starts a HealthBackend that is closed that way.
 */
export function perTestCleanup(healthPath?: string): {
  readonly cleanup: (() => unknown)[];
  backend(): Promise<HealthBackend>;
} {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  return {
    cleanup,
    async backend() {
      const b = await new HealthBackend(healthPath).start();
      cleanup.push(() => b.close());
      return b;
    },
  };
}
