/**
 * Shared setup for the balancer-manager tests: the manager's real handler on a real loopback
 * HTTP server, over live balancers built by the engine's own factory, with a generation rebuild
 * (`reload`) done as the runtime does it (member state carried by key, journal re-applied).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLiveBalancer } from '../src/balancer/index.js';
import type { BalancerRequest, LiveBalancer, MemberState } from '../src/balancer/types.js';
import { compile } from '../src/config/compile.js';
import type { CompiledManagerRoute, ProxyConfig } from '../src/config/types.js';
import type { ConfigSpec } from '../src/dsl/spec.js';
import { createManagerJournal, type ManagerJournal, managerRouteHandler } from '../src/manager/index.js';
import type { ProxyLogger } from '../src/runtime/types.js';

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field
  readonly json: any;
}

export interface SendOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** JSON value, or a form string sent as application/x-www-form-urlencoded. */
  readonly body?: unknown;
  readonly localAddress?: string;
}

/** One HTTP exchange on loopback, from `localAddress` when given. */
export function send(url: string, opts: SendOptions = {}): Promise<Reply> {
  const { body } = opts;
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const type =
    body === undefined
      ? {}
      : {
          'content-type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json',
        };
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { ...type, ...opts.headers },
        localAddress: opts.localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A logger that keeps every line. */
export function recordingLogger(): ProxyLogger & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    request() {},
    error(e) {
      lines.push(`error ${e.code}: ${e.message}`);
    },
    info(m) {
      lines.push(m);
    },
    warn(m) {
      lines.push(`warn ${m}`);
    },
  };
}

export const anyRequest: BalancerRequest = {
  method: 'GET',
  url: '/',
  cookie: undefined,
  clientIp: '127.0.0.1',
  header: () => undefined,
};

/** Host names of the members `n` selections pick (each exchange completed at once). */
export function picks(live: LiveBalancer, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const sel = live.select(anyRequest, Date.now());
    if (!sel.ok) {
      out.push('-');
      continue;
    }
    live.outcome(sel.member, { type: 'response', status: 200 }, Date.now());
    live.release(sel.member, { transferred: 0, read: 0 });
    out.push(new URL(sel.member.member.url.href).hostname);
  }
  return out;
}

export interface Harness {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  /** The manager page, e.g. `http://127.0.0.1:port/balancer-manager`. */
  readonly page: string;
  readonly api: string;
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly journal: ManagerJournal;
  config(): ProxyConfig;
  balancers(): readonly LiveBalancer[];
  balancer(name: string): LiveBalancer;
  member(balancer: string, host: string): MemberState;
  /** The nonce the API lists for a balancer. */
  nonce(balancer: string): Promise<string>;
  /** A new generation from `spec`, as the runtime builds one on reload. */
  reload(spec: ConfigSpec): void;
  close(): Promise<void>;
}

/**
 * Serves the manager route of `spec` (the first one) on 127.0.0.1 with a fresh journal, or
 * `journal` when given (a reload within one process). A new harness with the same `persist`
 * file is a restart.
 */
export async function startManager(
  spec: ConfigSpec,
  opts: { journal?: ManagerJournal } = {},
): Promise<Harness> {
  const logger = recordingLogger();
  const journal = opts.journal ?? createManagerJournal();
  let config = compile(spec, { hostname: 'proxy.test' });
  let balancers: LiveBalancer[] = [];
  const build = (next: ProxyConfig) => {
    const states = new Map(balancers.flatMap((b) => b.members.map((m) => [m.key, m] as const)));
    config = next;
    balancers = [...next.balancers.values()].map((b) => createLiveBalancer(b, states));
    journal.restore(next, balancers, logger);
  };
  build(config);
  const handler = managerRouteHandler({
    config: () => config,
    balancers: () => balancers,
    logger,
    now: Date.now,
    journal,
    // This harness runs no health checks; test/health-proxy-end-to-end.test.ts
    // covers the runtime's.
    memberAdded: () => {},
  });
  const server: Server = createServer((req, res) => {
    const route = config.routes.find((r): r is CompiledManagerRoute => r.kind === 'manager');
    if (!route || !(req.url ?? '').startsWith((route.match as { prefix: string }).prefix)) {
      res.writeHead(404).end();
      return;
    }
    handler(req, res, route);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const route = config.routes.find((r): r is CompiledManagerRoute => r.kind === 'manager')!;
  const page = `${origin}${(route.match as { prefix: string }).prefix}`;
  const harness: Harness = {
    origin,
    page,
    api: `${page.replace(/\/$/, '')}/api`,
    logger,
    journal,
    config: () => config,
    balancers: () => balancers,
    balancer: (name) => balancers.find((b) => b.name === name)!,
    member: (name, host) => harness.balancer(name).members.find((m) => m.member.url.hostname === host)!,
    async nonce(name) {
      const reply = await send(harness.api);
      return reply.json.balancers.find((b: { name: string }) => b.name === name).nonce;
    },
    reload: (next) => build(compile(next, { hostname: 'proxy.test' })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return harness;
}
