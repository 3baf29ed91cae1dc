/**
 * The compiled, normalised configuration: what `compile()` returns and every other part reads.
 * Durations are milliseconds, URLs are parsed, status flags are sets, every default is filled.
 * Pure data: no node:* types, so router/ and balancer/ can use it.
 */
import type { HashKey, HealthResponse, LbMethod, StatusLetter } from '../dsl/params.js';
import type { Site } from '../dsl/spec.js';

/** A problem found while compiling a config (Zod-style issue). */
export interface ConfigIssue {
  readonly severity: 'error' | 'warning';
  /** Stable code, documented in the README (`TSXP_*`). */
  readonly code: string;
  /** Where in the config: `routes[2].target`, `balancers.myset.members[1].loadfactor`. */
  readonly path: string;
  /** What is wrong, naming the route or member. */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
  /** `file:line:column` of the builder call, when known. */
  readonly site: Site;
}

export interface CompiledHealthCheck {
  readonly method: 'TCP' | 'OPTIONS' | 'HEAD' | 'GET';
  readonly uri: string;
  readonly intervalMs: number;
  readonly passes: number;
  readonly fails: number;
  readonly timeoutMs: number;
  readonly expect: ((res: HealthResponse) => boolean) | undefined;
}

/** Connection settings of one upstream origin (a balancer member or a plain-URL target). */
export interface CompiledConnection {
  readonly retryMs: number;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly ttlMs: number;
  readonly max: number;
  readonly smax: number;
  readonly acquireMs: number | undefined;
  readonly keepalive: boolean;
  readonly disablereuse: boolean;
  readonly pingMs: number | undefined;
}

/** An upstream URL split the way the proxy uses it. */
export interface UpstreamUrl {
  /** Normalised URL as Apache names a worker: scheme and host lower case, default port dropped. */
  readonly href: string;
  /** `http:`, `https:`, `ws:` or `wss:` as written. */
  readonly scheme: 'http' | 'https' | 'ws' | 'wss';
  /** `http://host:port` (ws→http, wss→https): the undici Pool origin. */
  readonly origin: string;
  /** Host name, IPv6 without brackets. */
  readonly hostname: string;
  readonly port: number;
  /** `Host` header value as Apache sends it: port only when not the scheme's default. */
  readonly hostHeader: string;
  /** Path of the URL, as written (may be `''`). */
  readonly path: string;
}

export interface CompiledMember extends CompiledConnection {
  /** Stable identity across reloads: `balancerName|href`. */
  readonly key: string;
  readonly balancer: string;
  readonly index: number;
  readonly url: UpstreamUrl;
  /** Apache's internal lbfactor: loadfactor × 100, truncated (1 → 100, 2.3 → 229). */
  readonly lbfactor: number;
  readonly lbset: number;
  /** Flags from `status`, after applying its `+`/`-` operations. */
  readonly status: ReadonlySet<StatusLetter>;
  readonly route: string;
  readonly redirect: string;
  readonly healthCheck: CompiledHealthCheck | undefined;
  readonly site: Site;
}

export interface CompiledBalancer {
  readonly name: string;
  readonly members: readonly CompiledMember[];
  readonly lbmethod: LbMethod;
  /** Resolved as Apache does: configured value, else members − 1 (0 for one member). */
  readonly maxattempts: number;
  readonly nofailover: boolean;
  readonly failonstatus: ReadonlySet<number>;
  readonly failontimeout: boolean;
  readonly forcerecovery: boolean;
  /** Sticky cookie and URL-parameter names, or undefined when stickiness is off. */
  readonly sticky: { readonly cookie: string; readonly param: string } | undefined;
  /** Separator before the route, or undefined for `Off`. */
  readonly stickysessionsep: string | undefined;
  readonly scolonpathdelim: boolean;
  readonly timeoutMs: number;
  readonly growth: number;
  readonly nonce: string | undefined;
  readonly routeCookie:
    | {
        readonly name: string;
        readonly path: string;
        readonly maxAgeS: number | undefined;
        readonly httpOnly: boolean;
        readonly secure: boolean;
        readonly sameSite: 'Strict' | 'Lax' | 'None';
      }
    | undefined;
  readonly hashkey: HashKey;
  readonly healthCheck: CompiledHealthCheck | undefined;
  readonly site: Site;
}

export type RouteMatch =
  | { readonly type: 'prefix'; readonly prefix: string }
  | { readonly type: 'regex'; readonly regex: RegExp; readonly groups: number };

export type CompiledTarget =
  | {
      readonly type: 'url';
      /** The target URL with `$n` left in place for regex routes. */
      readonly url: UpstreamUrl;
      /** The single implicit member of a plain-URL target (its pool and error state). */
      readonly member: CompiledMember;
    }
  | {
      readonly type: 'balancer';
      readonly balancer: string;
      /** Path after `balancer://name` (Apache), e.g. `/app`; may be `''`. */
      readonly path: string;
    };

interface RouteBase {
  readonly index: number;
  readonly match: RouteMatch;
  /** Lower-case host patterns, or undefined for any host. */
  readonly hosts: readonly string[] | undefined;
  /** Upper-case methods, or undefined for any method. */
  readonly methods: ReadonlySet<string> | undefined;
  /** How `check` and logs show the route: the prefix, or `~ /regex/`. */
  readonly label: string;
  readonly site: Site;
}

export interface CompiledProxyRoute extends RouteBase {
  readonly kind: 'proxy';
  readonly target: CompiledTarget;
  /** Public path the reverse mapping maps back to, or undefined when reverse mapping is off. */
  readonly reverse: string | undefined;
  readonly preserveHost: boolean;
  readonly timeoutMs: number;
  readonly nocanon: boolean;
  readonly reverseCookieDomain: readonly (readonly [string, string])[];
  readonly reverseCookiePath: readonly (readonly [string, string])[];
}

export interface CompiledDenyRoute extends RouteBase {
  readonly kind: 'deny';
}

export interface CompiledManagerRoute extends RouteBase {
  readonly kind: 'manager';
  /** Allowed client networks, parsed. */
  readonly allow: readonly string[];
  readonly nonce: string | undefined;
  readonly persist: string | undefined;
}

export type CompiledRoute = CompiledProxyRoute | CompiledDenyRoute | CompiledManagerRoute;

export interface HeaderOpsCompiled {
  readonly set: readonly (readonly [string, string])[];
  readonly append: readonly (readonly [string, string])[];
  readonly unset: readonly string[];
}

/** The compiled config: frozen, normalised, validated. */
export interface ProxyConfig {
  readonly kind: 'compiled-config';
  readonly listen: readonly { readonly host: string; readonly port: number }[];
  readonly routes: readonly CompiledRoute[];
  /** Balancers by name, in the order first seen. */
  readonly balancers: ReadonlyMap<string, CompiledBalancer>;
  readonly preserveHost: boolean;
  readonly timeoutMs: number;
  readonly serverName: string;
  readonly via: 'off' | 'on' | 'full' | 'block';
  readonly addForwardedHeaders: boolean;
  readonly headers: { readonly request: HeaderOpsCompiled; readonly response: HeaderOpsCompiled };
  readonly accessLog: boolean | undefined;
  readonly gracePeriodMs: number;
  /** Warnings found while compiling (errors make compile throw). */
  readonly warnings: readonly ConfigIssue[];
}
