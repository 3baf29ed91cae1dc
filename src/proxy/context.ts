/**
 * What one config generation gives the per-request path: precomputed route plans, header
 * rules, pools and the logger. Built once per config by src/runtime, read on every request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pool } from 'undici';
import type { LiveBalancer } from '../balancer/types.js';
import type {
  CompiledManagerRoute,
  CompiledMember,
  CompiledProxyRoute,
  ProxyConfig,
} from '../config/types.js';
import type { ProxyLogger } from '../runtime/types.js';
import type { RequestHeaderRules } from './request-headers.js';
import type { ResponseHeaderRules, ReverseMapper } from './response-headers.js';

/** One proxy route, with everything the request path needs precomputed. */
export interface RoutePlan {
  readonly route: CompiledProxyRoute;
  /** The live balancer of a balancer target. */
  readonly balancer: LiveBalancer | undefined;
  /** The implicit member of a plain-URL target. */
  readonly member: CompiledMember | undefined;
  readonly mapper: ReverseMapper | undefined;
  /** `Set-Cookie` attributes after `NAME=<value>` for the balancer's routeCookie, or undefined. */
  readonly routeCookie:
    | { readonly name: string; readonly sep: string; readonly attributes: string }
    | undefined;
}

/**
 * Serves a route kind the proxy does not handle itself (the balancer manager). Returns false
 * when it did not take the request, which then gets a 404.
 */
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  route: CompiledManagerRoute,
) => boolean;

/** The per-generation context of the request path. */
export interface ExchangeContext {
  readonly config: ProxyConfig;
  readonly logger: ProxyLogger;
  readonly accessLog: boolean;
  readonly requestRules: RequestHeaderRules;
  readonly responseRules: ResponseHeaderRules;
  /** The `Via` value this proxy adds for a request, or undefined when `via` is off or block. */
  via(req: IncomingMessage): string | undefined;
  /** The pool of a member (every member of this generation has one). */
  pool(member: CompiledMember): Pool;
  /** A proxied exchange started (the generation keeps its pools while any runs). */
  begin(): void;
  /** A proxied exchange ended. */
  end(): void;
  /** A socket of an upgraded connection (closed with the proxy, not with the generation). */
  trackTunnel(socket: Duplex): void;
}
