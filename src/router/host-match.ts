/**
 * The `host` and `methods` narrowing of a route (what Apache users get from `<VirtualHost>`
 * and `<Limit>`): host names compare case-insensitively without port, IPv6 brackets or a
 * trailing dot; `*.example.com` matches any name below example.com (not example.com itself).
 */

/** A route's compiled host patterns. */
export interface HostFilter {
  readonly exact: ReadonlySet<string>;
  /** `.example.com` for `*.example.com`. */
  readonly suffixes: readonly string[];
  readonly any: boolean;
}

/** Host name of a `Host` header value (or pattern): lower case, no port, no brackets, no trailing dot. */
export function hostName(value: string): string {
  let h = value.trim().toLowerCase();
  if (h.startsWith('[')) {
    const close = h.indexOf(']');
    h = close < 0 ? h.slice(1) : h.slice(1, close);
  } else {
    const colon = h.indexOf(':');
    // More than one colon is a bare IPv6 address, which has no port to strip.
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) h = h.slice(0, colon);
  }
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** Compiles a route's `host` patterns. */
export function compileHostFilter(patterns: readonly string[]): HostFilter {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  let any = false;
  for (const p of patterns) {
    if (p.trim() === '*') any = true;
    else if (p.trim().startsWith('*.')) suffixes.push(hostName(p.trim().slice(1)));
    else exact.add(hostName(p));
  }
  return { exact, suffixes, any };
}

/** True when the request's host name (from `hostName`) passes the filter. */
export function hostMatches(filter: HostFilter, name: string | undefined): boolean {
  if (name === undefined || name === '') return false;
  if (filter.any || filter.exact.has(name)) return true;
  for (const s of filter.suffixes) {
    if (name.length > s.length && name.endsWith(s)) return true;
  }
  return false;
}

/**
 * A route's methods as a set; `GET` brings `HEAD` along, as in Apache's `<Limit GET>`
 * (a HEAD request is a GET without the body).
 */
export function compileMethods(methods: ReadonlySet<string>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const m of methods) out.add(m.toUpperCase());
  if (out.has('GET')) out.add('HEAD');
  return out;
}
