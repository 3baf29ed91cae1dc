/**
 * Apache's ProxyPass prefix rule (`mod_proxy.c:alias_match`): case-sensitive, literal except
 * that a run of `/` in the pattern matches a run of `/` in the path, and segment aware: when the
 * pattern does not end with `/`, the path must end or continue with `/` right after it.
 */

const SLASH = 47;

/**
 * Apache's `alias_match` on `uri[0, end)`: the number of chars of `uri` the pattern matched
 * (more than the pattern's length when slash runs were merged), or 0 for no match.
 * Used on the raw request target for `nocanon`, where slashes are not merged yet.
 */
export function aliasMatch(uri: string, end: number, pattern: string): number {
  let a = 0;
  let u = 0;
  const pEnd = pattern.length;
  while (a < pEnd && u < end) {
    if (pattern.charCodeAt(a) === SLASH) {
      if (uri.charCodeAt(u) !== SLASH) return 0;
      while (a < pEnd && pattern.charCodeAt(a) === SLASH) a++;
      while (u < end && uri.charCodeAt(u) === SLASH) u++;
    } else if (uri.charCodeAt(u++) !== pattern.charCodeAt(a++)) {
      return 0;
    }
  }
  if (u === end && a !== pEnd) return 0;
  if (a > 0 && pattern.charCodeAt(a - 1) !== SLASH && u < end && uri.charCodeAt(u) !== SLASH) return 0;
  return u;
}

/** Runs of `/` merged: on an already merged path, the pattern then matches by plain prefix. */
export function mergeSlashes(pattern: string): string {
  return pattern.replace(/\/{2,}/g, '/');
}

/**
 * `alias_match` for a path whose slash runs are already merged (every request path after
 * normalisation) and a pattern given through `mergeSlashes`: the matched length, or -1.
 */
export function matchMergedPrefix(path: string, end: number, prefix: string, endsWithSlash: boolean): number {
  const n = prefix.length;
  if (n > end || !path.startsWith(prefix)) return -1;
  if (endsWithSlash || n === end || path.charCodeAt(n) === SLASH) return n;
  return -1;
}
