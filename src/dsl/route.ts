import type { Balancer } from './balancer.js';
import { deepFreeze } from './freeze.js';
import type { ManagerOptions, RouteOptions, TargetParams } from './params.js';
import { callSite } from './site.js';
import type { ActionSpec, BalancerSpec, RouteSpec, SpecSource } from './spec.js';

/** A route whose action is chosen: what goes into `defineConfig({ routes })`. */
export interface Route extends SpecSource<RouteSpec> {
  readonly match: string | RegExp;
}

/** A route being built: choose exactly one action. */
export interface RouteBuilder extends Route {
  /**
   * Proxies matching requests to a URL or a balancer (Apache's `ProxyPass` + `ProxyPassReverse`).
   * For a prefix route the rest of the path is appended to the target; for a RegExp route,
   * `$1`..`$9` in the target are replaced by the groups (Apache's `ProxyPassMatch`).
   * @example route('/api/').to('http://127.0.0.1:3000/')
   * @example route('/images/').to(images, { path: '/v2' })
   * @example route(/^\/u\/(\d+)$/).to('http://users:3000/users/$1')
   */
  to(target: string | Balancer | BalancerSpec, params?: TargetParams): Route;
  /**
   * Refuses matching requests with 403 (Apache's `ProxyPass path !`). Place it before the
   * broader route it carves out of: the first matching route wins.
   * @example route('/images/private/').deny()
   */
  deny(): Route;
  /**
   * Serves the balancer manager here (Apache's `SetHandler balancer-manager`): a live status
   * page and JSON API. Reachable only from `allow` (default loopback).
   * @example route('/balancer-manager').manager({ allow: ['127.0.0.1', '::1'] })
   */
  manager(options?: ManagerOptions): Route;
}

function isBalancerLike(target: unknown): target is Balancer | BalancerSpec {
  return typeof target === 'object' && target !== null;
}

class RouteBuilderImpl implements RouteBuilder {
  readonly #spec: RouteSpec;

  constructor(spec: RouteSpec) {
    this.#spec = deepFreeze(spec);
  }

  get match(): string | RegExp {
    return this.#spec.match;
  }

  #with(action: ActionSpec): Route {
    return new RouteBuilderImpl({ ...this.#spec, action });
  }

  to(target: string | Balancer | BalancerSpec, params: TargetParams = {}): Route {
    const resolved =
      isBalancerLike(target) && 'toSpec' in target && typeof target.toSpec === 'function'
        ? target.toSpec()
        : (target as string | BalancerSpec);
    return this.#with({ kind: 'proxy', target: resolved, params: { ...params }, site: callSite() });
  }

  deny(...extra: unknown[]): Route {
    return this.#with({ kind: 'deny', extra, site: callSite() });
  }

  manager(options: ManagerOptions = {}, ...extra: unknown[]): Route {
    const opts = typeof options === 'object' && options !== null ? options : {};
    const rest = opts === options ? extra : [options, ...extra];
    return this.#with({ kind: 'manager', options: { ...opts }, extra: rest, site: callSite() });
  }

  toSpec(): RouteSpec {
    return this.#spec;
  }
}

/**
 * Starts a route. A string is a path prefix matched as Apache's `ProxyPass` does (segment
 * aware: `/app` matches `/app` and `/app/x` but not `/apple`); a RegExp is matched against the
 * decoded path as Apache's `ProxyPassMatch`. Routes are tried in order; the first match wins.
 * @example route('/api/', { host: 'api.example.com', methods: ['GET', 'POST'] }).to('http://127.0.0.1:3000/')
 */
export function route(match: string | RegExp, options: RouteOptions = {}): RouteBuilder {
  return new RouteBuilderImpl({
    kind: 'route',
    match,
    options: { ...options },
    action: undefined,
    site: callSite(),
  });
}
