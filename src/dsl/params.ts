/**
 * Option types of the config DSL. Names, meanings and defaults are Apache httpd 2.4's
 * (mod_proxy, mod_proxy_balancer, mod_proxy_hcheck), so an Apache user finds every knob by
 * the name they already know.
 */

/**
 * A time span: a number of seconds (as in Apache) or a string with a unit:
 * `'250ms'`, `'5s'`, `'2m'`, `'1h'`.
 * @example timeout: 30        // 30 seconds
 * @example timeout: '500ms'
 */
export type Duration = number | `${number}ms` | `${number}s` | `${number}m` | `${number}h`;

/**
 * One status flag letter of a balancer member (Apache's `status=` letters):
 * - `D` disabled: takes no requests; retried automatically.
 * - `S` stopped: takes no requests; never retried automatically.
 * - `I` ignore errors: always considered usable, never put in error state.
 * - `R` hot spare: replaces an unusable member of its lbset, one for one.
 * - `H` hot standby: used only when no member or spare of its lbset is usable.
 * - `E` in error: skipped until `retry` has passed.
 * - `N` drain: takes only sticky requests already bound to it.
 * - `C` failed health check: skipped until health checks pass again.
 */
export type StatusLetter = 'D' | 'S' | 'I' | 'R' | 'H' | 'E' | 'N' | 'C';

type SignedFlag = `${'+' | '-'}${StatusLetter}`;
type FirstFlag = SignedFlag | StatusLetter;

/**
 * Initial status flags of a member, as Apache's `status=` parameter: `+` sets, `-` clears,
 * and flags combine. Up to three flags.
 * @example status: '+H'     // hot standby
 * @example status: '+R'     // hot spare
 * @example status: '+H+I'   // hot standby that ignores errors
 * @example status: 'D'      // disabled
 */
export type StatusFlags = FirstFlag | `${FirstFlag}${SignedFlag}` | `${FirstFlag}${SignedFlag}${SignedFlag}`;

/**
 * Load-balancing method (Apache's `lbmethod`), plus `byhash`, which Apache lacks:
 * - `byrequests`: weighted request counting (Apache's default; `mod_lbmethod_byrequests`).
 * - `bytraffic`: weighted count of bytes sent to and read from each member (`mod_lbmethod_bytraffic`).
 * - `bybusyness`: fewest requests in flight, weighted (`mod_lbmethod_bybusyness`).
 * - `byhash`: consistent hashing (rendezvous) on a key chosen by the balancer's `hashkey`, so the
 *   same client keeps reaching the same member and only 1/n of keys move when a member leaves.
 */
export type LbMethod = 'byrequests' | 'bytraffic' | 'bybusyness' | 'byhash';

/**
 * What `byhash` hashes on: a request header, a cookie, the client IP or the request path.
 * @example hashkey: 'header:x-user-id'
 * @example hashkey: 'cookie:session'
 */
export type HashKey = `header:${string}` | `cookie:${string}` | 'ip' | 'path';

/** The response an active health check's `expect` predicate sees. */
export interface HealthResponse {
  /** HTTP status code of the health check response. */
  readonly status: number;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Response body as text (empty for HEAD and OPTIONS). */
  readonly body: string;
}

/**
 * Active health check of balancer members (Apache's mod_proxy_hcheck: `hcmethod`, `hcuri`,
 * `hcinterval`, `hcpasses`, `hcfails`, `hcexpr`). A shared template is a plain value:
 * `const hc = { method: 'GET', uri: '/health' } satisfies HealthCheck`.
 */
export interface HealthCheck {
  /** How to check (Apache's `hcmethod`). `'TCP'` only connects. Default `'GET'` when a check is given. */
  readonly method?: 'TCP' | 'OPTIONS' | 'HEAD' | 'GET';
  /** Path checked, appended to the member's URL path (Apache's `hcuri`). Default `''`. */
  readonly uri?: string;
  /** Time between checks of one member (Apache's `hcinterval`). Default 30 s; at least 100 ms. */
  readonly interval?: Duration;
  /** Passing checks in a row that bring a failed member back (Apache's `hcpasses`). Default 1. */
  readonly passes?: number;
  /** Failing checks in a row that take a member out, flag `C` (Apache's `hcfails`). Default 1. */
  readonly fails?: number;
  /** How long one check may take before it counts as failed. Default: the member's `timeout`, at most 5 s. */
  readonly timeout?: Duration;
  /**
   * Typed replacement of Apache's `hcexpr`: the check passes when this returns true.
   * Default: status 200..399 passes.
   * @example expect: (res) => res.status === 200 && res.body.includes('ok')
   */
  readonly expect?: (res: HealthResponse) => boolean;
}

/**
 * Connection parameters of one upstream (Apache's worker parameters). They apply to balancer
 * members and to plain-URL route targets alike.
 */
export interface ConnectionParams {
  /** Seconds a member in error state is skipped before it is tried again (Apache's `retry`). Default 60 s. */
  readonly retry?: Duration;
  /**
   * Time to wait for the upstream's response headers and between body chunks (Apache's worker
   * `timeout`); time a slow client makes the proxy wait does not count. Checked every 250 ms.
   * Default: the config's `timeout` (ProxyTimeout), itself 60 s by default.
   */
  readonly timeout?: Duration;
  /** Time to wait for a TCP connection to be established (Apache's `connectiontimeout`). Default: `timeout`. */
  readonly connectiontimeout?: Duration;
  /**
   * Idle time after which a kept-alive upstream connection is closed (Apache's `ttl`). Default 4 s,
   * below Node's 5 s server keep-alive timeout, to avoid reusing a connection the upstream is closing.
   */
  readonly ttl?: Duration;
  /** Maximum connections to this upstream (Apache's `max`). Default 256. */
  readonly max?: number;
  /** Connections kept open when idle; above this, idle ones close after `ttl` (Apache's `smax`). Default: `max`. */
  readonly smax?: number;
  /** Time to wait for a free connection when `max` are busy, then 503 (Apache's `acquire`). Default: wait. */
  readonly acquire?: Duration;
  /** Enable TCP keep-alive probes on upstream sockets (Apache's `keepalive`). Default false. */
  readonly keepalive?: boolean;
  /** Close the upstream connection after every request (Apache's `disablereuse`). Default false. */
  readonly disablereuse?: boolean;
  /**
   * Check that the upstream answers within this time before sending a request body on a reused
   * connection (Apache's `ping`, done as Apache does for HTTP: `Expect: 100-continue`). Default off.
   */
  readonly ping?: Duration;
}

/** Parameters of one balancer member (Apache's `BalancerMember` parameters). */
export interface MemberParams extends ConnectionParams {
  /** Relative weight, 1..100, decimals allowed (Apache's `loadfactor`). Default 1. */
  readonly loadfactor?: number;
  /** Balancer set, 0..99: lower sets are used first; higher ones only when nothing in lower sets is usable (Apache's `lbset`). Default 0. */
  readonly lbset?: number;
  /** Initial status flags (Apache's `status`). @example status: '+H' */
  readonly status?: StatusFlags;
  /** Sticky-session route of this member: the part of the session id after the separator (Apache's `route`). */
  readonly route?: string;
  /** Route to send sticky requests to when this member is unusable (Apache's `redirect`). */
  readonly redirect?: string;
  /** Health check for this member only, replacing the balancer's; `false` turns checks off for it. */
  readonly healthCheck?: HealthCheck | false;
}

/** Cookie the proxy sets itself to bind a client to the member it picked (what Apache users do with mod_headers). */
export interface RouteCookie {
  /** Cookie name; normally the balancer's `stickysession` cookie. */
  readonly name: string;
  /** Cookie `Path`. Default `'/'`. */
  readonly path?: string;
  /** Cookie `Max-Age`. Default: a session cookie. */
  readonly maxAge?: Duration;
  /** Add `HttpOnly`. Default true. */
  readonly httpOnly?: boolean;
  /** Add `Secure`. Default false. */
  readonly secure?: boolean;
  /** `SameSite` attribute. Default `'Lax'`. */
  readonly sameSite?: 'Strict' | 'Lax' | 'None';
}

/** Parameters of a balancer (Apache's `ProxySet` / balancer parameters). */
export interface BalancerParams {
  /** Load-balancing method (Apache's `lbmethod`). Default `'byrequests'`. */
  readonly lbmethod?: LbMethod;
  /** Failover attempts after the first try (Apache's `maxattempts`). Default: members − 1. */
  readonly maxattempts?: number;
  /** Never fail a sticky request over to another member; answer 503 instead (Apache's `nofailover`). Default false. */
  readonly nofailover?: boolean;
  /** Response statuses that put the member in error state (Apache's `failonstatus`). @example failonstatus: [502, 503] */
  readonly failonstatus?: readonly number[];
  /** Put the member in error state when its response times out (Apache's `failontimeout`). Default false. */
  readonly failontimeout?: boolean;
  /** When every member is in error, try them anyway (Apache's `forcerecovery`). Default true. */
  readonly forcerecovery?: boolean;
  /**
   * Sticky session: a cookie name, or `'COOKIE|param'` for a cookie and a URL parameter
   * (Apache's `stickysession`). @example stickysession: 'JSESSIONID|jsessionid'
   */
  readonly stickysession?: string;
  /** Separator before the route in the session id, one character, or `false` for none (Apache's `stickysessionsep`). Default `'.'`. */
  readonly stickysessionsep?: string | false;
  /** Also end URL session parameters at `;` (Apache's `scolonpathdelim`). Default false. */
  readonly scolonpathdelim?: boolean;
  /** Time to wait for a usable member when none is (Apache's balancer `timeout`). Default 0: no wait. */
  readonly timeout?: Duration;
  /** Extra member slots the balancer manager may add at runtime, 0..100 (Apache's `growth`). Default 0. */
  readonly growth?: number;
  /** Balancer-manager nonce (Apache's `nonce`). Default: a random UUID per process. */
  readonly nonce?: string;
  /** Have the proxy set the sticky cookie itself when it picks a member. */
  readonly routeCookie?: RouteCookie;
  /** Key hashed by the `byhash` method. Default `'ip'`. */
  readonly hashkey?: HashKey;
}

/** HTTP methods a route can be narrowed to. */
export type HttpMethod =
  | 'GET'
  | 'HEAD'
  | 'POST'
  | 'PUT'
  | 'PATCH'
  | 'DELETE'
  | 'OPTIONS'
  | 'TRACE'
  | (string & {});

/** Options that narrow a route (Apache: `<VirtualHost>` and `<Limit>`). */
export interface RouteOptions {
  /** Only requests whose `Host` (without port) is one of these, case-insensitive; `*.example.com` matches subdomains. */
  readonly host?: string | readonly string[];
  /** Only requests with one of these methods. */
  readonly methods?: readonly HttpMethod[];
}

/** Response-header rewrite of `Set-Cookie` attributes: from → to. */
export type CookieRewrite = Readonly<Record<string, string>>;

/** Parameters of `route(...).to(...)` (Apache's ProxyPass keywords and parameters). */
export interface TargetParams extends ConnectionParams {
  /**
   * Rewrite `Location`, `Content-Location` and `URI` response headers that point at the upstream
   * back to this route (Apache's ProxyPassReverse). Default true for prefix routes, false for
   * regex routes; a string gives the public path to map back to (needed for regex routes).
   */
  readonly reverse?: boolean | string;
  /** Send the client's `Host` header upstream (Apache's ProxyPreserveHost). Default: the config's `preserveHost`. */
  readonly preserveHost?: boolean;
  /** Pass the raw, undecoded path upstream (Apache's `nocanon`). Default false. */
  readonly nocanon?: boolean;
  /** Path appended to each member's URL for a balancer target (Apache's `balancer://name/path`). */
  readonly path?: string;
  /** Rewrite the `Domain` of `Set-Cookie` (Apache's ProxyPassReverseCookieDomain). @example { 'backend.local': 'example.com' } */
  readonly reverseCookieDomain?: CookieRewrite;
  /** Rewrite the `Path` of `Set-Cookie` (Apache's ProxyPassReverseCookiePath). @example { '/int': '/pub' } */
  readonly reverseCookiePath?: CookieRewrite;
}

/** A CIDR block or address allowed to reach the balancer manager. */
export type AllowEntry = string;

/** Options of the balancer manager route (Apache's `SetHandler balancer-manager`). */
export interface ManagerOptions {
  /** Client addresses or CIDR blocks allowed (Apache's `Require ip`). Default loopback only. */
  readonly allow?: readonly AllowEntry[];
  /** Fixed nonce for change requests; default a random UUID per process. */
  readonly nonce?: string;
  /** File in which runtime changes are kept across restarts (Apache's BalancerPersist). */
  readonly persist?: string;
}

/** Request or response header operations (Apache's RequestHeader / Header). */
export interface HeaderOps {
  /** Set (replace) these headers. */
  readonly set?: Readonly<Record<string, string>>;
  /** Append these values (comma-joined) to any existing header. */
  readonly append?: Readonly<Record<string, string>>;
  /** Remove these headers. */
  readonly unset?: readonly string[];
}

/** A listening address. */
export type ListenInput = number | { readonly host?: string; readonly port: number };
