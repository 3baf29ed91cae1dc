/**
 * Reading the sticky route from a request exactly as `mod_proxy_balancer.c` does
 * (`get_path_param`, `get_cookie_param`, `find_session_route`), quirks included: the URL
 * parameter is found with `strstr` (so `mysid=` matches `sid`), the cookie value is not trimmed.
 */
import type { CompiledBalancer } from '../config/types.js';
import type { BalancerRequest } from './types.js';

/** C's `isspace` in the C locale. */
function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

/** APR's `apr_strtok`: skips leading separators, then takes up to the next one; undefined if nothing is left. */
function firstToken(text: string, separators: string): string | undefined {
  let start = 0;
  while (start < text.length && separators.includes(text[start]!)) start++;
  if (start === text.length) return undefined;
  let end = start;
  while (end < text.length && !separators.includes(text[end]!)) end++;
  return text.slice(start, end);
}

/**
 * Apache's `get_path_param`: the value of `name=` anywhere in `url` (no check of the character
 * before `name`), ending at `?` or `&` (and `;` with scolonpathdelim). The first `name=` with
 * anything after it decides, even if that is only separators (then there is no value).
 */
export function pathParam(url: string, name: string, scolonpathdelim: boolean): string | undefined {
  const separators = scolonpathdelim ? ';?&' : '?&';
  let at = url.indexOf(name);
  while (at !== -1) {
    let p = at + name.length;
    if (url[p] === '=') {
      p++;
      if (p < url.length) return firstToken(url.slice(p), separators);
    }
    // C resumes its strstr one character past where it stopped reading.
    if (p + 1 > url.length) return undefined;
    at = url.indexOf(name, p + 1);
  }
  return undefined;
}

/**
 * Apache's `get_cookie_param`: in a raw `Cookie` header, `name` at the start or after `;`, `,`
 * or white space, optional white space, `=`, then a non-empty rest; the value runs to the
 * first `;` or `,`, untrimmed, quotes kept.
 * @example cookieValue('a=1; JSESSIONID=abc.n2', 'JSESSIONID') // 'abc.n2'
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined || name === '') return undefined;
  let at = header.indexOf(name);
  while (at !== -1) {
    let next = at + 1;
    const before = header[at - 1];
    if (at === 0 || before === ';' || before === ',' || isSpace(before)) {
      let p = at + name.length;
      while (p < header.length && isSpace(header[p])) p++;
      const equals = header[p] === '=';
      p++;
      if (equals && p < header.length) {
        const value = header.slice(p);
        const semi = value.indexOf(';');
        const upToSemi = semi === -1 ? value : value.slice(0, semi);
        const comma = upToSemi.indexOf(',');
        return comma === -1 ? upToSemi : upToSemi.slice(0, comma);
      }
      next = p + 1;
    }
    if (next > header.length) return undefined;
    at = header.indexOf(name, next);
  }
  return undefined;
}

/**
 * The sticky route a request carries (Apache's `find_session_route` before the member lookup):
 * the URL parameter wins over the cookie; with a separator the route is what follows its first
 * occurrence, and a value without the separator carries no route. May be `''` (Apache then
 * still records the route but balances normally).
 */
export function sessionRoute(req: BalancerRequest, balancer: CompiledBalancer): string | undefined {
  const sticky = balancer.sticky;
  if (!sticky) return undefined;
  const value =
    pathParam(req.url, sticky.param, balancer.scolonpathdelim) ?? cookieValue(req.cookie, sticky.cookie);
  if (value === undefined) return undefined;
  const sep = balancer.stickysessionsep;
  if (sep === undefined) return value;
  const at = value.indexOf(sep);
  return at === -1 ? undefined : value.slice(at + 1);
}
