/**
 * Per-route data computed once per generation: the reverse mapping of response headers
 * (ProxyPassReverse, cookie path and domain) and the balancer's route cookie.
 */
import type { LiveBalancer } from '../balancer/types.js';
import type { CompiledBalancer, CompiledProxyRoute, ProxyConfig } from '../config/types.js';
import {
  publicOrigin,
  reverseMapCookie,
  reverseMapLocation,
  reverseUpstreams,
} from '../router/reverse-map.js';
import type { ReverseMapper } from './response-headers.js';

/** The route cookie a balancer sets itself (`routeCookie`), or undefined. */
export function routeCookieOf(
  balancer: CompiledBalancer,
): { name: string; sep: string; attributes: string } | undefined {
  const rc = balancer.routeCookie;
  if (!rc) return undefined;
  let attributes = `; Path=${rc.path}`;
  if (rc.maxAgeS !== undefined) attributes += `; Max-Age=${rc.maxAgeS}`;
  if (rc.httpOnly) attributes += '; HttpOnly';
  if (rc.secure) attributes += '; Secure';
  attributes += `; SameSite=${rc.sameSite}`;
  return { name: rc.name, sep: balancer.stickysessionsep ?? '', attributes };
}

/**
 * The route's response-header mapping (ProxyPassReverse, ProxyPassReverseCookiePath/Domain),
 * or undefined when it maps nothing. A balancer's members are read live, so members the
 * manager adds at runtime are recognised too.
 */
export function reverseMapperOf(
  route: CompiledProxyRoute,
  config: ProxyConfig,
  balancer: LiveBalancer | undefined,
): ReverseMapper | undefined {
  const mapsCookies = route.reverseCookiePath.length > 0 || route.reverseCookieDomain.length > 0;
  if (route.reverse === undefined && !mapsCookies) return undefined;
  const fixed = balancer ? undefined : reverseUpstreams(route, config);
  const serverName = config.serverName;
  return {
    location(value, host) {
      if (route.reverse === undefined) return value;
      const upstreams = fixed ?? balancer!.members.map((m) => m.member.url.href);
      return reverseMapLocation(route, value, publicOrigin('http', host, serverName), upstreams);
    },
    cookie: mapsCookies ? (value) => reverseMapCookie(route, value) : (value) => value,
  };
}
