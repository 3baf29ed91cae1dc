/**
 * The request path of one config generation: route decision, local answers (deny, no route,
 * refused targets, Max-Forwards 0), and proxied exchanges with this generation's pools and
 * header rules. The runtime swaps whole generations; a request keeps the one it started on.
 */
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pool } from 'undici';
import type { LiveBalancer } from '../balancer/types.js';
import type { CompiledMember, CompiledProxyRoute, ProxyConfig } from '../config/types.js';
import type { ProxyLogger } from '../runtime/types.js';
import type { ExchangeContext, RouteHandler, RoutePlan } from './context.js';
import { ProxyExchange } from './exchange.js';
import { endSocket } from './end-socket.js';
import { logRequest, reportInternalError } from './errors.js';
import { sendStatus } from './local-response.js';
import type { PoolRegistry } from './pools.js';
import { maxForwards, RequestHeaderRules } from './request-headers.js';
import { ResponseHeaderRules } from './response-headers.js';
import { routeCookieOf, reverseMapperOf } from './route-plan.js';
import type { Decide } from './decision.js';

const ALLOW = 'GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE';

export interface ProxyGenerationInit {
  readonly config: ProxyConfig;
  readonly decide: Decide;
  readonly balancers: ReadonlyMap<string, LiveBalancer>;
  readonly pools: PoolRegistry;
  readonly logger: ProxyLogger;
  readonly accessLog: boolean;
  /** Handlers of route kinds served outside the proxy (the balancer manager). */
  readonly handlers: { readonly manager?: RouteHandler };
  /** Where upgraded connections are tracked (they outlive generations). */
  readonly trackTunnel: (socket: Duplex) => void;
}

function onUpgradeResponseFinish(this: ServerResponse): void {
  if (this.socket) endSocket(this.socket);
}

function onUpgradeSocketError(this: Duplex): void {
  this.destroy();
}

/** One generation's request path; also the `ExchangeContext` its exchanges run in. */
export class ProxyGeneration implements ExchangeContext {
  readonly config: ProxyConfig;
  readonly logger: ProxyLogger;
  readonly accessLog: boolean;
  readonly requestRules: RequestHeaderRules;
  readonly responseRules: ResponseHeaderRules;
  readonly #decide: Decide;
  readonly #plans: RoutePlan[] = [];
  readonly #pools = new Map<string, Pool>();
  readonly #poolKeys = new Set<string>();
  readonly #registry: PoolRegistry;
  readonly #handlers: ProxyGenerationInit['handlers'];
  readonly #trackTunnel: ProxyGenerationInit['trackTunnel'];
  #inflight = 0;
  #retired: (() => void) | undefined;

  constructor(init: ProxyGenerationInit) {
    const { config } = init;
    this.config = config;
    this.logger = init.logger;
    this.accessLog = init.accessLog;
    this.#decide = init.decide;
    this.#registry = init.pools;
    this.#handlers = init.handlers;
    this.#trackTunnel = init.trackTunnel;
    this.requestRules = new RequestHeaderRules(config);
    this.responseRules = new ResponseHeaderRules(config);
    for (const route of config.routes) {
      if (route.kind !== 'proxy') continue;
      const target = route.target;
      const balancer = target.type === 'balancer' ? init.balancers.get(target.balancer) : undefined;
      const member = target.type === 'url' ? target.member : undefined;
      if (member) this.#retain(member);
      for (const m of balancer?.config.members ?? []) this.#retain(m);
      this.#plans[route.index] = {
        route,
        balancer,
        member,
        mapper: reverseMapperOf(route, config, balancer),
        routeCookie: balancer ? routeCookieOf(balancer.config) : undefined,
      };
    }
  }

  #retain(member: CompiledMember): Pool {
    const pool = this.#registry.retain(member, this.#poolKeys);
    this.#pools.set(member.key, pool);
    return pool;
  }

  /** The pool of a member; a member the balancer manager added at runtime gets one on first use. */
  pool(member: CompiledMember): Pool {
    return this.#pools.get(member.key) ?? this.#retain(member);
  }

  begin(): void {
    this.#inflight++;
  }

  end(): void {
    if (--this.#inflight === 0 && this.#retired) this.#retired();
  }

  trackTunnel(socket: Duplex): void {
    this.#trackTunnel(socket);
  }

  /** `Via` value this proxy adds, or undefined when `via` is off or block. */
  via(req: IncomingMessage): string | undefined {
    const via = this.config.via;
    if (via === 'off' || via === 'block') return undefined;
    const port = req.socket?.localPort;
    const name = port && port !== 80 ? `${this.config.serverName}:${port}` : this.config.serverName;
    return `${req.httpVersion} ${name}${via === 'full' ? ' (tsx-proxy)' : ''}`;
  }

  /**
   * Stops being current: resolves once the last exchange that started on it has ended, then
   * lets go of its pools (those the next generation does not share close when idle).
   */
  retire(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#retired = resolve;
      if (this.#inflight === 0) resolve();
    }).then(() => this.#registry.release(this.#poolKeys));
  }

  internalError(err: unknown, res: ServerResponse | undefined, socket: Duplex): void {
    reportInternalError(this.logger, err);
    if (res && !res.headersSent) sendStatus(res, 500);
    else socket.destroy();
  }

  /** Serves one request (Node's `request` and `checkContinue` events). */
  handle(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): void {
    const url = req.url!;
    if (url.charCodeAt(0) !== 47 /* '/' */) {
      // Not a forward proxy: absolute-form targets are refused; `OPTIONS *` is about the server.
      if (url === '*' && req.method === 'OPTIONS') sendEmpty(res, 200, { allow: ALLOW });
      else this.#local(req, res, 400, undefined);
      return;
    }
    const decision = this.#decide(req.method!, url, req.headers.host);
    switch (decision.kind) {
      case 'proxy':
        this.#proxy(req, res, decision.route, decision.path, expectContinue, undefined);
        return;
      case 'deny':
        this.#local(req, res, 403, decision.route.label);
        return;
      case 'manager': {
        const handler = this.#handlers.manager;
        if (!handler?.(req, res, decision.route)) this.#local(req, res, 404, decision.route.label);
        return;
      }
      case 'reject':
        this.#local(req, res, decision.status, decision.route?.label);
        return;
      default:
        this.#local(req, res, 404, undefined);
    }
  }

  /** Serves an `Upgrade` request (Node's `upgrade` event): same routes, same balancers. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', onUpgradeSocketError);
    this.#trackTunnel(socket);
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as never);
    res.once('finish', onUpgradeResponseFinish);
    const url = req.url!;
    const decision = url.charCodeAt(0) === 47 ? this.#decide(req.method!, url, req.headers.host) : undefined;
    if (decision?.kind === 'proxy') {
      const protocol = req.headers.upgrade ?? 'websocket';
      this.#proxy(req, res, decision.route, decision.path, false, { protocol, head });
      return;
    }
    const status = !decision
      ? 400
      : decision.kind === 'deny'
        ? 403
        : decision.kind === 'reject'
          ? decision.status
          : 404;
    this.#local(req, res, status, decision && 'route' in decision ? decision.route?.label : undefined);
  }

  #proxy(
    req: IncomingMessage,
    res: ServerResponse,
    route: CompiledProxyRoute,
    path: string,
    expectContinue: boolean,
    upgrade: { readonly protocol: string; readonly head: Buffer } | undefined,
  ): void {
    const h = req.headers;
    const mf = maxForwards(h['max-forwards'] as string | undefined);
    if (mf === 'invalid') {
      this.#local(req, res, 400, route.label);
      return;
    }
    if (mf === 'zero') {
      this.#answerLocally(req, res, route);
      return;
    }
    const clientIp = clientAddress(req);
    const clientHost = h.host;
    const headers = this.requestRules.build(req.rawHeaders, {
      clientIp,
      clientHost,
      connection: h.connection,
      host: route.preserveHost ? (clientHost ?? this.config.serverName) : undefined,
      maxForwards: mf,
      via: this.via(req),
    });
    const cl = h['content-length'];
    const exchange = new ProxyExchange(this, req, res, {
      plan: this.#plans[route.index]!,
      path,
      headers,
      hasBody:
        upgrade === undefined && (h['transfer-encoding'] !== undefined || (cl !== undefined && cl !== '0')),
      clientIp,
      startedAt: this.accessLog ? performance.now() : 0,
      upgrade,
    });
    exchange.expectContinue = expectContinue;
    exchange.start();
  }

  /** Apache's Max-Forwards 0: OPTIONS and TRACE are answered by the proxy, anything else is 400. */
  #answerLocally(req: IncomingMessage, res: ServerResponse, route: CompiledProxyRoute): void {
    if (req.method === 'OPTIONS') {
      sendEmpty(res, 200, { allow: ALLOW });
    } else if (req.method === 'TRACE') {
      let echo = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        echo += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      res.writeHead(200, {
        'content-type': 'message/http',
        'content-length': String(Buffer.byteLength(echo)),
      });
      res.end(echo);
    } else {
      this.#local(req, res, 400, route.label);
      return;
    }
    this.#logLocal(req, res, route.label);
  }

  #local(req: IncomingMessage, res: ServerResponse, status: number, route: string | undefined): void {
    sendStatus(res, status);
    this.#logLocal(req, res, route);
  }

  #logLocal(req: IncomingMessage, res: ServerResponse, route: string | undefined): void {
    if (!this.accessLog) return;
    logRequest(this.logger, {
      method: req.method ?? '',
      path: req.url ?? '',
      route,
      member: undefined,
      status: res.statusCode,
      durationMs: 0,
      clientIp: clientAddress(req),
    });
  }
}

/** The client's address; an IPv4 client of a dual-stack listener shows as IPv4 (`::ffff:` dropped). */
function clientAddress(req: IncomingMessage): string {
  const ip = req.socket?.remoteAddress ?? '';
  return ip.charCodeAt(0) === 58 /* ':' */ && ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-length': '0' });
  res.end();
}
