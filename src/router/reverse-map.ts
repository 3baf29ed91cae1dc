/**
 * ProxyPassReverse and its cookie variants, as Apache httpd 2.4 applies them to response
 * headers (`ap_proxy_location_reverse_map`, `ap_proxy_cookie_reverse_map`), checked against
 * Apache 2.4.71: prefixes compare case-insensitively with no segment boundary, the matched
 * part is replaced by the route's public path, a relative result is made absolute with the
 * origin the client used; a cookie's whole `Path`/`Domain` value is replaced.
 */
import type { CompiledProxyRoute, ProxyConfig } from '../config/types.js';

/** Response headers (lower case) whose value is mapped with `reverseMapLocation`, as in Apache. */
export const REVERSE_MAPPED_HEADERS: ReadonlySet<string> = new Set([
  'location',
  'content-location',
  'uri',
  'destination',
]);

const DEFAULT_PORT = { http: '80', https: '443' } as const;

/**
 * The origin the client addressed (Apache's `ap_construct_url` with UseCanonicalName Off):
 * the `Host` header's name in lower case and its port unless it is the scheme's default, or
 * `serverName` when the request had no `Host`.
 * @example publicOrigin('http', 'Example.com:80', 'proxy') // 'http://example.com'
 */
export function publicOrigin(scheme: 'http' | 'https', host: string | undefined, serverName: string): string {
  const h = host?.trim() ?? '';
  if (h === '') return `${scheme}://${serverName}`;
  const close = h.startsWith('[') ? h.indexOf(']') + 1 : 0;
  const colon = h.indexOf(':', close);
  const single = close > 0 || colon < 0 || h.indexOf(':', colon + 1) < 0;
  if (!single || colon < 0) return `${scheme}://${h.toLowerCase()}`;
  const port = h.slice(colon + 1);
  const name = h.slice(0, colon).toLowerCase();
  return port === '' || port === DEFAULT_PORT[scheme] ? `${scheme}://${name}` : `${scheme}://${name}:${port}`;
}

/**
 * The upstream URLs a route's responses may point at, in the order Apache tries them: the URL
 * target, or every member of its balancer. For a regex route the target is cut after the last
 * `/` before its first `$n`, since the substituted parts cannot be known in advance.
 */
export function reverseUpstreams(route: CompiledProxyRoute, config: ProxyConfig): readonly string[] {
  const t = route.target;
  if (t.type === 'balancer') return (config.balancers.get(t.balancer)?.members ?? []).map((m) => m.url.href);
  const href = t.url.href;
  const ref = route.match.type === 'regex' ? href.search(/\$\d/) : -1;
  return [ref < 0 ? href : href.slice(0, href.lastIndexOf('/', ref) + 1)];
}

function isUpperAscii(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** `strncasecmp(prefix, value + at, n) == 0` with ASCII case folding. */
function startsWithIgnoreCase(value: string, prefix: string, n: number, at = 0): boolean {
  if (value.length - at < n) return false;
  for (let i = 0; i < n; i++) {
    let a = value.charCodeAt(at + i);
    let b = prefix.charCodeAt(i);
    if (isUpperAscii(a)) a += 32;
    if (isUpperAscii(b)) b += 32;
    if (a !== b) return false;
  }
  return true;
}

/** Apache's `ap_is_url`: a scheme (alnum, `+`, `-`, `.`) followed by `:`. */
function isUrl(u: string): boolean {
  const colon = u.indexOf(':');
  return colon > 0 && /^[A-Za-z0-9+.-]+$/.test(u.slice(0, colon));
}

/**
 * Maps one `Location`, `Content-Location`, `URI` or `Destination` value back through the
 * route's reverse mapping, or returns it unchanged (also when the route has `reverse: false`).
 * `upstreams` are the URLs to recognise (see `reverseUpstreams`; the runtime may pass the live
 * member list of a balancer); `origin` is `publicOrigin(...)` of the request.
 * @example
 * // route('/app').to('http://b:8080/int')
 * reverseMapLocation(route, 'http://b:8080/int/x', 'http://proxy.example', ['http://b:8080/int'])
 * // 'http://proxy.example/app/x'
 */
export function reverseMapLocation(
  route: CompiledProxyRoute,
  value: string,
  origin: string,
  upstreams: readonly string[],
): string {
  const fake = route.reverse;
  if (fake === undefined) return value;
  const absolute = (u: string) => (isUrl(u) ? u : origin + u);
  const t = route.target;
  const part = t.type === 'balancer' && t.path !== '' && t.path !== '/' ? t.path : undefined;
  for (const real of upstreams) {
    if (t.type === 'url') {
      if (real !== '' && startsWithIgnoreCase(value, real, real.length)) {
        return absolute(fake + value.slice(real.length));
      }
    } else if (part !== undefined) {
      // The member URL's own trailing slash is ignored; the balancer path compares case-sensitively.
      const n = real.endsWith('/') ? real.length - 1 : real.length;
      if (startsWithIgnoreCase(value, real, n) && value.startsWith(part, n)) {
        return absolute(fake + value.slice(n + part.length));
      }
    } else if (startsWithIgnoreCase(value, real, real.length)) {
      const rest = value.slice(real.length);
      return absolute(fake === '/' && rest.startsWith('/') ? rest : fake + rest);
    }
  }
  return value;
}

/** Whitespace as C's `isspace`. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Where one attribute's value lies in a `Set-Cookie` value, and what replaces it. */
interface Hit {
  start: number;
  end: number;
  to: string | undefined;
}

/**
 * Maps one `Set-Cookie` value through the route's `reverseCookiePath` (case-sensitive prefix)
 * and `reverseCookieDomain` (case-insensitive prefix) rules, as Apache 2.4.71 does: the last
 * `path=` and the last `domain=` attribute decide, the first matching rule wins, and the whole
 * attribute value is replaced (`Path=/int/sub` with `{ '/int': '/pub' }` gives `Path=/pub`).
 */
export function reverseMapCookie(route: CompiledProxyRoute, value: string): string {
  const paths = route.reverseCookiePath;
  const domains = route.reverseCookieDomain;
  if (paths.length === 0 && domains.length === 0) return value;
  let path: Hit | undefined;
  let domain: Hit | undefined;
  for (let start = 0; start <= value.length; ) {
    let end = value.indexOf(';', start);
    if (end < 0) end = value.length;
    let s = start;
    while (s < end && isSpace(value.charCodeAt(s))) s++;
    if (startsWithIgnoreCase(value, 'path=', 5, s)) {
      const v = value.slice(s + 5, end);
      path = { start: s + 5, end, to: paths.find(([from]) => v.startsWith(from))?.[1] };
    } else if (startsWithIgnoreCase(value, 'domain=', 7, s)) {
      const v = value.slice(s + 7, end);
      domain = {
        start: s + 7,
        end,
        to: domains.find(([from]) => startsWithIgnoreCase(v, from, from.length))?.[1],
      };
    }
    start = end + 1;
  }
  const hits = [path, domain].filter((h): h is Hit => h?.to !== undefined).sort((a, b) => a.start - b.start);
  if (hits.length === 0) return value;
  let out = '';
  let from = 0;
  for (const h of hits) {
    out += value.slice(from, h.start) + h.to;
    from = h.end;
  }
  return out + value.slice(from);
}
