/**
 * The compiled route table: Apache's request path preparation, then its ProxyPass /
 * ProxyPassMatch rules in config order (first match wins), then its canonicalisation of the
 * upstream path. A request whose path has no `%`, no dot segment, no doubled slash and no char
 * Apache would encode (nearly all of them) is matched on the raw string itself: no decoding,
 * no intermediate strings, one slice and one concatenation for the upstream path.
 */
import type { ProxyConfig } from '../config/types.js';
import {
  encodePathBytes,
  encodePathText,
  fromUtf8Bytes,
  hasControlOrSpace,
  PATH_SAFE,
  toUtf8Bytes,
} from './encode-path.js';
import { hostMatches, hostName } from './host-match.js';
import { normalizeRequestPath, PATH_PROBLEM_STATUS, type PathProblem } from './normalize-path.js';
import { aliasMatch, matchMergedPrefix } from './prefix-match.js';
import { substituteTarget } from './regex-target.js';
import { RouteEntry } from './route-entry.js';
import type { RejectCode, RejectDecision, RouteDecision, RouteRequest, Router } from './types.js';

const SLASH = 47;
const DOT = 46;
const QUERY = 63;
const HASH = 35;

function reject(status: 400 | 403 | 404, code: RejectCode, reason: string, route?: RejectDecision['route']) {
  return Object.freeze({ kind: 'reject', status, code, reason, route }) satisfies RejectDecision;
}

const NONE: RouteDecision = Object.freeze({ kind: 'none' });
const REJECT_TARGET = reject(400, 'TSXP_BAD_TARGET', 'the request-target is not a path');
const REJECT_FRAGMENT = reject(400, 'TSXP_BAD_PATH', "the request-target holds a '#'");
const REJECT_PATH: Readonly<Record<PathProblem, RejectDecision>> = {
  'bad-escape': reject(PATH_PROBLEM_STATUS['bad-escape'], 'TSXP_BAD_PATH', 'invalid %-escape in the path'),
  'above-root': reject(PATH_PROBLEM_STATUS['above-root'], 'TSXP_BAD_PATH', "'..' above the root of the path"),
  'encoded-slash': reject(
    PATH_PROBLEM_STATUS['encoded-slash'],
    'TSXP_ENCODED_SLASH',
    'encoded slash (%2F) in the path',
  ),
  nul: reject(PATH_PROBLEM_STATUS.nul, 'TSXP_NUL_IN_PATH', 'encoded NUL (%00) in the path'),
};

/** True when the `.` at `i` (just after a `/`) starts a `.` or `..` segment. */
function isDotSegment(url: string, i: number, n: number): boolean {
  let j = i + 1;
  if (j < n && url.charCodeAt(j) === DOT) j++;
  if (j >= n) return true;
  const c = url.charCodeAt(j);
  return c === SLASH || c === QUERY;
}

/**
 * Target path plus remainder, made to start with `/`. Apache appends the remainder to the
 * target URL verbatim and takes the path from the first `/` after the host, so a target without
 * a path and a remainder without a leading `/` (`ProxyPass /app/ http://b`) glue onto the host
 * name there (`http://bx`); tsx-proxy sends `/x` instead.
 */
function rooted(path: string): string {
  return path.charCodeAt(0) === SLASH ? path : `/${path}`;
}

class RouteTable implements Router {
  readonly #entries: readonly RouteEntry[];

  constructor(config: ProxyConfig) {
    this.#entries = config.routes.map((r) => new RouteEntry(r));
  }

  decide(req: RouteRequest): RouteDecision {
    const url = req.url;
    const n = url.length;
    if (n === 0 || url.charCodeAt(0) !== SLASH) {
      return url === '*' && req.method === 'OPTIONS' ? NONE : REJECT_TARGET;
    }
    let i = 1;
    let clean = true;
    for (let prev = SLASH; i < n; i++) {
      const c = url.charCodeAt(i);
      if (c === QUERY) break;
      if (
        c >= 128 ||
        PATH_SAFE[c] !== 1 ||
        (prev === SLASH && (c === SLASH || (c === DOT && isDotSegment(url, i, n))))
      ) {
        clean = false;
        break;
      }
      prev = c;
    }
    let pathEnd = i;
    if (!clean) {
      pathEnd = url.indexOf('?', i);
      if (pathEnd < 0) pathEnd = n;
      const hash = url.indexOf('#', i);
      if (hash >= 0 && hash < pathEnd) return REJECT_FRAGMENT;
    }
    let queryBad = false;
    for (let j = pathEnd + 1; j < n; j++) {
      const c = url.charCodeAt(j);
      if (c === HASH) return REJECT_FRAGMENT;
      if (c <= 0x20 || c === 0x7f) queryBad = true;
    }
    let decoded = url;
    let end = pathEnd;
    if (!clean) {
      const r = normalizeRequestPath(url, pathEnd);
      if (r === 'bad-escape' || r === 'above-root' || r === 'encoded-slash' || r === 'nul')
        return REJECT_PATH[r];
      decoded = r;
      end = r.length;
    }
    // Computed on first use: most tables have no host-narrowed or regex route.
    let host: string | undefined | null = null;
    // What regex routes match: the decoded path as text, or as bytes when it is not UTF-8.
    let text: string | undefined;
    let bytes = false;

    for (const e of this.#entries) {
      if (e.methods !== undefined && !e.methods.has(req.method)) continue;
      if (e.hosts !== undefined) {
        if (host === null) host = req.host === undefined ? undefined : hostName(req.host);
        if (!hostMatches(e.hosts, host)) continue;
      }
      if (e.prefix !== undefined) {
        const len = clean
          ? matchMergedPrefix(url, pathEnd, e.prefix, e.prefixEndsWithSlash)
          : matchMergedPrefix(decoded, end, e.prefixBytes, e.prefixEndsWithSlash);
        if (len < 0) continue;
        if (e.fixed) return e.fixed;
        return this.#prefixDecision(e, url, pathEnd, clean, decoded, len, queryBad);
      }
      if (text === undefined) {
        const path = end === decoded.length ? decoded : decoded.slice(0, end);
        const t = clean ? path : fromUtf8Bytes(path);
        bytes = t === undefined;
        text = t ?? path;
      }
      const m = e.regex!.exec(text);
      if (!m) continue;
      if (e.fixed) return e.fixed;
      if (e.nocanon) {
        // Apache's nocanon for a regex: substitute from the raw target when it matches too.
        const raw = e.regex!.exec(url);
        if (raw) return this.#rawDecision(e, substituteTarget(e.template!, raw, url));
      }
      const found = substituteTarget(e.template!, m, text, bytes ? toUtf8Bytes : undefined);
      const encoded = bytes ? encodePathBytes(found) : encodePathText(found);
      return this.#proxy(e, rooted(encoded) + url.slice(pathEnd), queryBad);
    }
    return NONE;
  }

  #prefixDecision(
    e: RouteEntry,
    url: string,
    pathEnd: number,
    clean: boolean,
    decoded: string,
    len: number,
    queryBad: boolean,
  ): RouteDecision {
    // Apache's nocanon holds only when the raw target matches the prefix over the same length.
    if (e.nocanon && aliasMatch(url, url.length, e.rawPrefix) === len) {
      return this.#rawDecision(e, e.targetPath + url.slice(len));
    }
    if (clean) {
      const needsSlash = e.targetPath === '' && (len === pathEnd || url.charCodeAt(len) !== SLASH);
      return this.#proxy(
        e,
        needsSlash ? `/${url.slice(len)}` : e.encodedTargetPath + url.slice(len),
        queryBad,
      );
    }
    const path = rooted(e.encodedTargetPath + encodePathBytes(decoded, len));
    return this.#proxy(e, pathEnd === url.length ? path : path + url.slice(pathEnd), queryBad);
  }

  #rawDecision(e: RouteEntry, found: string): RouteDecision {
    const path = rooted(found);
    return this.#proxy(e, path, hasControlOrSpace(path));
  }

  #proxy(e: RouteEntry, path: string, bad: boolean): RouteDecision {
    const route = e.proxy!;
    if (bad)
      return reject(403, 'TSXP_BAD_QUERY', 'control character or space in the query to forward', route);
    return { kind: 'proxy', route, target: route.target, path };
  }
}

/**
 * Compiles a config's routes into a router. Everything that does not depend on the request is
 * computed here, once per config generation.
 * @example
 * const router = createRouter(config);
 * const d = router.decide({ method: 'GET', host: 'example.com', url: '/images/a.png?w=10' });
 * if (d.kind === 'proxy') console.log(d.path); // '/a.png?w=10' for route('/images/').to('http://img/')
 */
export function createRouter(config: ProxyConfig): Router {
  return new RouteTable(config);
}
