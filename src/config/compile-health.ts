import type { HealthCheck } from '../dsl/params.js';
import { checkKnownKeys } from './issues.js';
import { HEALTH_KEYS } from './keys.js';
import type { ValueReader } from './read-values.js';
import type { CompiledHealthCheck } from './types.js';

const METHODS = ['TCP', 'OPTIONS', 'HEAD', 'GET'] as const;
const MAX_DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Health check settings with mod_proxy_hcheck's defaults: interval 30 s (at least 100 ms),
 * passes 1, fails 1. The check timeout defaults to the member's timeout, capped at 5 s, so a
 * hung member is noticed long before the next request would have waited on it.
 */
export function compileHealthCheck(
  hc: HealthCheck,
  read: ValueReader,
  memberTimeoutMs: number,
): CompiledHealthCheck | undefined {
  if (read.object('healthCheck', hc) === undefined) return undefined;
  checkKnownKeys(read.issues, hc, HEALTH_KEYS, read.path, 'health check', read.site);
  const uri = read.string('uri', hc.uri, 255) ?? '';
  if (hc.expect !== undefined && typeof hc.expect !== 'function') {
    read.issues.error(
      'TSXP_BAD_HEALTHCHECK',
      `${read.path}.expect`,
      'expect must be a function of the response',
      'write expect: (res) => res.status === 200',
      read.site,
    );
  }
  return {
    method: read.oneOf('method', hc.method, METHODS) ?? 'GET',
    uri,
    intervalMs: read.duration('interval', hc.interval, 100) ?? 30_000,
    passes: read.int('passes', hc.passes, 1, 1000) ?? 1,
    fails: read.int('fails', hc.fails, 1, 1000) ?? 1,
    timeoutMs: read.duration('timeout', hc.timeout, 1) ?? Math.min(memberTimeoutMs, MAX_DEFAULT_TIMEOUT_MS),
    expect: typeof hc.expect === 'function' ? hc.expect : undefined,
  };
}
