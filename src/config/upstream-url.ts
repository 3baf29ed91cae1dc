import type { UpstreamUrl } from './types.js';

const DEFAULT_PORT: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };

export type UpstreamUrlResult =
  | { ok: true; url: UpstreamUrl }
  | { ok: false; problem: 'malformed' | 'scheme' | 'query' | 'credentials'; detail: string };

/**
 * Parses an upstream URL and names it as Apache names a worker: scheme and host lower case,
 * default port dropped. The path is kept exactly as written (Apache appends the request's
 * remainder to it verbatim), which is why it is cut from the string rather than taken from URL.
 */
export function parseUpstreamUrl(raw: string): UpstreamUrlResult {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(.*)$/.exec(raw);
  if (!m) return { ok: false, problem: 'malformed', detail: 'expected scheme://host[:port][/path]' };
  const scheme = m[1]!.toLowerCase();
  if (!(scheme in DEFAULT_PORT)) {
    return { ok: false, problem: 'scheme', detail: `scheme '${m[1]}' is not http, https, ws or wss` };
  }
  if (m[4]) return { ok: false, problem: 'query', detail: 'a query string or fragment cannot be part of it' };
  if (m[2]!.includes('@'))
    return { ok: false, problem: 'credentials', detail: 'credentials in the URL are not supported' };
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${m[2]}/`);
  } catch {
    return { ok: false, problem: 'malformed', detail: `'${m[2]}' is not a valid host[:port]` };
  }
  if (!parsed.hostname) return { ok: false, problem: 'malformed', detail: 'the host is missing' };
  const defaultPort = DEFAULT_PORT[scheme]!;
  const port = parsed.port ? Number(parsed.port) : defaultPort;
  const hostForUrl = parsed.hostname; // keeps IPv6 brackets
  const hostname = hostForUrl.startsWith('[') ? hostForUrl.slice(1, -1) : hostForUrl;
  const hostHeader = port === defaultPort ? hostForUrl : `${hostForUrl}:${port}`;
  const path = m[3]!;
  const httpScheme = scheme === 'ws' ? 'http' : scheme === 'wss' ? 'https' : scheme;
  return {
    ok: true,
    url: {
      href: `${scheme}://${hostHeader}${path}`,
      scheme: scheme as UpstreamUrl['scheme'],
      origin: `${httpScheme}://${hostForUrl}:${port}`,
      hostname,
      port,
      hostHeader,
      path,
    },
  };
}
