/**
 * `resolveRoute`: the router's decision for one request, as plain data a test can assert with
 * `toEqual`. It runs the very router the proxy runs, on the compiled config.
 */
import { compile } from '../config/compile.js';
import type { ProxyConfig } from '../config/types.js';
import type { ConfigSpec } from '../dsl/spec.js';
import { createRouter } from '../router/router.js';
import type { RejectCode, Router } from '../router/types.js';
import { joinMemberPath } from '../router/upstream-path.js';

/** The request to resolve. */
export interface ResolveRequest {
  /** Default `'GET'`. */
  readonly method?: string;
  /** Raw request-target, `path?query`, as a client sends it (`..`, `%2e`, `//` included). */
  readonly url: string;
  /** `Host` header value; default: `headers.host`. */
  readonly host?: string;
  /** Request headers (names case-insensitive); only `host` is used today. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Where a proxied request goes when the route targets a balancer. */
export interface ResolvedBalancer {
  readonly balancer: string;
  /** Path and query after each member's own path (Apache's `balancer://name/path` part). */
  readonly path: string;
  /** The full upstream URL each member, in config order, would be sent. */
  readonly members: readonly string[];
}

/** What the proxy would do with the request. */
export type ResolvedRoute =
  | {
      readonly kind: 'proxy';
      /** Index of the route in `routes`. */
      readonly route: number;
      /** The route as `check` shows it: its prefix, or `~ /regex/`. */
      readonly label: string;
      /** Full upstream URL for a URL target, e.g. `http://127.0.0.1:4000/x?y=1`. */
      readonly upstream: string | ResolvedBalancer;
    }
  | { readonly kind: 'deny' | 'manager'; readonly route: number; readonly label: string }
  | { readonly kind: 'none' }
  | {
      readonly kind: 'reject';
      readonly status: 400 | 403 | 404;
      readonly code: RejectCode;
      readonly reason: string;
    };

const compiled = new WeakMap<object, { config: ProxyConfig; router: Router }>();

function routerFor(config: ConfigSpec | ProxyConfig): { config: ProxyConfig; router: Router } {
  let entry = compiled.get(config);
  if (!entry) {
    const c = compile(config);
    entry = { config: c, router: createRouter(c) };
    compiled.set(config, entry);
  }
  return entry;
}

function headerValue(headers: ResolveRequest['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/**
 * Resolves one request against a config (a `defineConfig` value or a compiled config):
 * which route matched and exactly which upstream URL the proxy would request, after Apache's
 * path normalisation and canonicalisation. Throws a `ConfigError` for an invalid config.
 * @example
 * import config from '../proxy.config.js';
 * expect(resolveRoute(config, { url: '/api/users/../payments/1?x=1' })).toMatchObject({
 *   kind: 'proxy',
 *   upstream: 'http://127.0.0.1:4002/1?x=1',
 * });
 */
export function resolveRoute(config: ConfigSpec | ProxyConfig, req: ResolveRequest): ResolvedRoute {
  const { config: c, router } = routerFor(config);
  const d = router.decide({
    method: (req.method ?? 'GET').toUpperCase(),
    host: req.host ?? headerValue(req.headers, 'host'),
    url: req.url,
  });
  switch (d.kind) {
    case 'none':
      return { kind: 'none' };
    case 'reject':
      return { kind: 'reject', status: d.status, code: d.code, reason: d.reason };
    case 'deny':
    case 'manager':
      return { kind: d.kind, route: d.route.index, label: d.route.label };
    case 'proxy': {
      const t = d.target;
      const upstream =
        t.type === 'url'
          ? `${t.url.scheme}://${t.url.hostHeader}${d.path}`
          : {
              balancer: t.balancer,
              path: d.path,
              members: (c.balancers.get(t.balancer)?.members ?? []).map(
                (m) => `${m.url.scheme}://${m.url.hostHeader}${joinMemberPath(m.url.path, d.path)}`,
              ),
            };
      return { kind: 'proxy', route: d.route.index, label: d.route.label, upstream };
    }
  }
}
