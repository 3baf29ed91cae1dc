/**
 * The request path as Apache httpd 2.4 prepares it before any ProxyPass is tried
 * (`ap_process_request_internal`): `ap_normalize_path` with unreserved decoding, merged slashes
 * and no `..` above the root, then `ap_unescape_url_ex` with encoded slashes forbidden
 * (AllowEncodedSlashes Off). Only requests with a `%`, a dot segment or a doubled slash come
 * here; the router's fast path recognises the others without allocating.
 */
import { toUtf8Bytes } from './encode-path.js';

/** Why a request path is refused, with the status Apache answers. */
export type PathProblem = 'bad-escape' | 'above-root' | 'encoded-slash' | 'nul';

/** Apache's answer to each path problem. */
export const PATH_PROBLEM_STATUS: Readonly<Record<PathProblem, 400 | 404>> = {
  'bad-escape': 400,
  'above-root': 400,
  'encoded-slash': 404,
  nul: 404,
};

const SLASH = 47;

/** RFC 3986 unreserved: `A-Za-z0-9-._~`, the escapes `ap_normalize_path` decodes first. */
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') {
  UNRESERVED[c.charCodeAt(0)] = 1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** The escape `%XX` whose `%` is at `i`, as a byte, or -1 when it is not a valid escape. */
function escapeAt(s: string, i: number): number {
  if (i + 2 >= s.length) return -1;
  const h = hexValue(s.charCodeAt(i + 1));
  const l = hexValue(s.charCodeAt(i + 2));
  return h < 0 || l < 0 ? -1 : (h << 4) | l;
}

/** Decodes the escapes of unreserved chars; undefined when any escape is invalid. */
function decodeUnreserved(s: string): string | undefined {
  let out = '';
  let from = 0;
  for (let i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
    const b = escapeAt(s, i);
    if (b < 0) return undefined;
    if (b < 128 && UNRESERVED[b] === 1) {
      out += s.slice(from, i) + String.fromCharCode(b);
      from = i + 3;
      i += 2;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * Apache's dot-segment removal and slash merging (`ap_normalize_path`): runs of `/` merge,
 * `.` segments go, `..` removes the segment before it, and a path that ended in `/`, `.` or
 * `..` keeps a trailing `/`. Undefined when a `..` climbs above the root.
 */
function removeDotSegments(s: string): string | undefined {
  const parts = s.split('/');
  const kept: string[] = [];
  let trailingSlash = false;
  for (let k = 1; k < parts.length; k++) {
    const p = parts[k]!;
    trailingSlash = p === '' || p === '.' || p === '..';
    if (p === '..') {
      if (kept.length === 0) return undefined;
      kept.pop();
    } else if (!trailingSlash) {
      kept.push(p);
    }
  }
  const path = `/${kept.join('/')}`;
  return trailingSlash && kept.length > 0 ? `${path}/` : path;
}

/**
 * Normalises and %-decodes the raw request path `raw[0, end)` (which starts with `/`) as
 * Apache does before matching. Returns the decoded path as a byte string (one char per byte),
 * or the problem that makes Apache refuse the request. Chars above 0x7F (which Node's parser
 * refuses, but a test may pass) are taken as text and UTF-8 encoded first.
 */
export function normalizeRequestPath(raw: string, end: number): string | PathProblem {
  const decoded = decodeUnreserved(toUtf8Bytes(end === raw.length ? raw : raw.slice(0, end)));
  if (decoded === undefined) return 'bad-escape';
  const path = removeDotSegments(decoded);
  if (path === undefined) return 'above-root';
  let out = '';
  let from = 0;
  // Every escape left is valid (checked above) and dot removal never splits one.
  for (let i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 3)) {
    const b = escapeAt(path, i);
    if (b === 0) return 'nul';
    if (b === SLASH) return 'encoded-slash';
    out += path.slice(from, i) + String.fromCharCode(b);
    from = i + 3;
  }
  return from === 0 ? path : out + path.slice(from);
}
