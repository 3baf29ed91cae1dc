/**
 * What a health check sends, byte for byte as Apache's `create_hcheck_req` does, and how `check`
 * shows a member's health check. Pure.
 */
import type { CompiledHealthCheck, UpstreamUrl } from '../config/types.js';

/**
 * The request target of a GET or HEAD check: the member URL's path, then `/` when both the path
 * and `uri` are non-empty, then `uri`, without removing repeated slashes (Apache's rule: member
 * `http://h/` with uri `/st` checks `///st`). Where Apache would send a target that does not start
 * with `/` (a member without a path and a uri without a leading slash, or neither), which servers
 * reject, a `/` is put in front.
 * @example healthTarget('/app', 'status') // '/app/status'
 * @example healthTarget('', 'status')     // '/status'
 */
export function healthTarget(path: string, uri: string): string {
  const target = path + (path !== '' && uri !== '' ? '/' : '') + uri;
  return target.startsWith('/') ? target : `/${target}`;
}

/**
 * The exact request of an HTTP check, or undefined for `TCP` (connect only): HTTP/1.0, a `Host`
 * header that always carries the port, nothing else. `OPTIONS` asks for `*`.
 * @example healthRequest(url, check) // 'GET /health HTTP/1.0\r\nHost: 10.0.0.5:8080\r\n\r\n'
 */
export function healthRequest(url: UpstreamUrl, check: CompiledHealthCheck): string | undefined {
  if (check.method === 'TCP') return undefined;
  const target = check.method === 'OPTIONS' ? '*' : healthTarget(url.path, check.uri);
  // Apache writes the bare IPv6 address here (a malformed Host); brackets keep it valid.
  const host = url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname;
  return `${check.method} ${target} HTTP/1.0\r\nHost: ${host}:${url.port}\r\n\r\n`;
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * One line describing a member's health check, for `check`, the manager and logs.
 * @example describeHealthCheck(url, check)
 * // 'GET /app/health every 5s, timeout 5s, ok on status 200..399, out after 3 fails in a row, back after 2 passes in a row'
 */
export function describeHealthCheck(url: UpstreamUrl, check: CompiledHealthCheck): string {
  const what =
    check.method === 'TCP'
      ? 'TCP connect'
      : `${check.method} ${check.method === 'OPTIONS' ? '*' : healthTarget(url.path, check.uri)}`;
  const ok = check.method === 'TCP' ? '' : check.expect ? ', ok on expect(res)' : ', ok on status 200..399';
  return (
    `${what} every ${duration(check.intervalMs)}, timeout ${duration(check.timeoutMs)}${ok}, ` +
    `out after ${check.fails} ${check.fails === 1 ? 'fail' : 'fails'} in a row, ` +
    `back after ${check.passes} ${check.passes === 1 ? 'pass' : 'passes'} in a row`
  );
}
