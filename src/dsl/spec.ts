/**
 * The plain, frozen data the builders produce. The runtime reads only these shapes (by their
 * `kind` field, never `instanceof`), so two installed copies of tsx-proxy work together and a
 * config imported in a test has no side effects.
 */
import type {
  BalancerParams,
  Duration,
  HeaderOps,
  HealthCheck,
  ListenInput,
  ManagerOptions,
  MemberParams,
  RouteOptions,
  TargetParams,
} from './params.js';

/** Where in the user's config a builder call was made: `file:line:column`, when the stack told. */
export type Site = string | undefined;

export interface MemberSpec {
  readonly kind: 'member';
  readonly url: string;
  readonly params: MemberParams;
  readonly site: Site;
}

export interface BalancerSpec {
  readonly kind: 'balancer';
  readonly name: string;
  readonly members: readonly MemberSpec[];
  readonly params: BalancerParams;
  readonly healthCheck: HealthCheck | undefined;
  readonly site: Site;
}

export interface ProxyActionSpec {
  readonly kind: 'proxy';
  readonly target: string | BalancerSpec;
  readonly params: TargetParams;
  readonly site: Site;
}

export interface DenyActionSpec {
  readonly kind: 'deny';
  /** Set when `deny()` was given arguments, which it does not take (reported by the compiler). */
  readonly extra: readonly unknown[];
  readonly site: Site;
}

export interface ManagerActionSpec {
  readonly kind: 'manager';
  readonly options: ManagerOptions;
  /** Set when `manager()` was given a target, which it does not take (reported by the compiler). */
  readonly extra: readonly unknown[];
  readonly site: Site;
}

export type ActionSpec = ProxyActionSpec | DenyActionSpec | ManagerActionSpec;

export interface RouteSpec {
  readonly kind: 'route';
  readonly match: string | RegExp;
  readonly options: RouteOptions;
  /** Undefined until `.to()`, `.deny()` or `.manager()` is called (reported by the compiler). */
  readonly action: ActionSpec | undefined;
  readonly site: Site;
}

/** What a route or balancer builder turns into; builders expose it through `toSpec()`. */
export interface SpecSource<T> {
  toSpec(): T;
}

/** Top-level options of `defineConfig` (Apache's server-wide proxy directives). */
export interface ConfigInput {
  /** Where to listen: a port, `{ host, port }`, or several. Default `{ host: '127.0.0.1', port: 8080 }`. */
  readonly listen?: ListenInput | readonly ListenInput[];
  /** Routes, tried in order; the first match wins (Apache's ProxyPass / ProxyPassMatch order). */
  readonly routes: readonly (RouteSpec | SpecSource<RouteSpec>)[];
  /** Send the client's `Host` header upstream (Apache's ProxyPreserveHost). Default false. */
  readonly preserveHost?: boolean;
  /** Default upstream timeout (Apache's ProxyTimeout). Default 60 s. */
  readonly timeout?: Duration;
  /** The proxy's own name: `X-Forwarded-Server` and the public host for reverse mapping (Apache's ServerName). Default: the host name. */
  readonly serverName?: string;
  /** `Via` header handling (Apache's ProxyVia). Default `'off'`. */
  readonly via?: 'off' | 'on' | 'full' | 'block';
  /** Add `X-Forwarded-For`, `X-Forwarded-Host`, `X-Forwarded-Server` (Apache's ProxyAddHeaders). Default true. */
  readonly addForwardedHeaders?: boolean;
  /** Header operations on every proxied request and response (Apache's RequestHeader / Header). */
  readonly headers?: { readonly request?: HeaderOps; readonly response?: HeaderOps };
  /** Log one line per request. Default true in `dev`, false in `start`. */
  readonly accessLog?: boolean;
  /** How long a graceful stop waits for in-flight requests. Default 10 s. */
  readonly gracePeriod?: Duration;
}

/** The frozen result of `defineConfig`: plain data, importable anywhere without side effects. */
export interface ConfigSpec extends Omit<ConfigInput, 'routes'> {
  readonly kind: 'config';
  readonly routes: readonly RouteSpec[];
  readonly site: Site;
}
