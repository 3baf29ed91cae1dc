import type { ConnectionParams, HealthCheck, StatusLetter } from '../dsl/params.js';
import type { MemberSpec, Site } from '../dsl/spec.js';
import { compileHealthCheck } from './compile-health.js';
import { checkKnownKeys, type IssueList } from './issues.js';
import { MEMBER_KEYS } from './keys.js';
import { ValueReader } from './read-values.js';
import { applyStatus } from './status-flags.js';
import type { CompiledConnection, CompiledMember, UpstreamUrl } from './types.js';
import { parseUpstreamUrl } from './upstream-url.js';

/** Default keep-alive idle time: under Node's 5 s server keepAliveTimeout, to avoid reuse races. */
const DEFAULT_TTL_MS = 4_000;
const DEFAULT_MAX = 256;
const DEFAULT_RETRY_MS = 60_000;

/** Connection settings with Apache's defaults (timeout: ProxyTimeout; connectiontimeout: timeout). */
export function compileConnection(
  params: ConnectionParams,
  read: ValueReader,
  defaultTimeoutMs: number,
): CompiledConnection {
  const timeoutMs = read.duration('timeout', params.timeout, 1) ?? defaultTimeoutMs;
  const max = read.int('max', params.max, 1, 65_536) ?? DEFAULT_MAX;
  const smax = read.int('smax', params.smax, 0, 65_536);
  return {
    retryMs: read.duration('retry', params.retry) ?? DEFAULT_RETRY_MS,
    timeoutMs,
    connectTimeoutMs: read.duration('connectiontimeout', params.connectiontimeout, 1) ?? timeoutMs,
    ttlMs: read.duration('ttl', params.ttl, 1) ?? DEFAULT_TTL_MS,
    max,
    smax: Math.min(smax ?? max, max),
    acquireMs: read.duration('acquire', params.acquire, 1),
    keepalive: read.bool('keepalive', params.keepalive) ?? false,
    disablereuse: read.bool('disablereuse', params.disablereuse) ?? false,
    pingMs: read.duration('ping', params.ping, 1),
  };
}

/** Parses an upstream URL, reporting a malformed one at `path`. */
export function readUpstreamUrl(
  raw: unknown,
  issues: IssueList,
  path: string,
  what: string,
  site: Site,
): UpstreamUrl | undefined {
  if (typeof raw !== 'string') {
    issues.error(
      'TSXP_BAD_URL',
      path,
      `${what} ${JSON.stringify(raw)} is not a URL string`,
      "write it as 'http://host:port'",
      site,
    );
    return undefined;
  }
  const parsed = parseUpstreamUrl(raw);
  if (parsed.ok) {
    const escaped = /%[0-9A-Fa-f]{2}/.exec(parsed.url.path);
    if (escaped) {
      // Apache canonicalises the upstream path, so an escape written in the target is encoded again.
      issues.warn(
        'TSXP_ENCODED_TARGET',
        path,
        `${what} '${raw}' has '${escaped[0]}' in its path, which is sent encoded again (as Apache does): '%25${escaped[0].slice(1)}'`,
        `write the character itself (e.g. a space for %20); tsx-proxy encodes the path it sends`,
        site,
      );
    }
    return parsed.url;
  }
  const code = parsed.problem === 'scheme' ? 'TSXP_UNSUPPORTED_SCHEME' : 'TSXP_BAD_URL';
  const hint =
    parsed.problem === 'scheme'
      ? "use http://, https://, ws:// or wss:// (for a balancer, pass the balancer itself, not 'balancer://...')"
      : parsed.problem === 'query'
        ? 'remove the query string; it is passed through from the request'
        : "write it as 'http://host:port/optional-path'";
  issues.error(code, path, `${what} '${raw}': ${parsed.detail}`, hint, site);
  return undefined;
}

export interface MemberContext {
  readonly balancer: string;
  readonly index: number;
  readonly path: string;
  readonly defaultTimeoutMs: number;
  readonly balancerHealthCheck: HealthCheck | undefined;
}

/** A balancer member with Apache's defaults and ranges (loadfactor 1..100 → lbfactor ×100, truncated). */
export function compileMember(
  spec: MemberSpec,
  ctx: MemberContext,
  issues: IssueList,
): CompiledMember | undefined {
  const read = new ValueReader(issues, ctx.path, spec.site);
  const params = read.object('params', spec.params) ? spec.params : {};
  checkKnownKeys(issues, params, MEMBER_KEYS, ctx.path, 'member', spec.site);
  const url = readUpstreamUrl(spec.url, issues, `${ctx.path}.url`, `member URL`, spec.site);

  let lbfactor = 100;
  if (params.loadfactor !== undefined) {
    const lf = params.loadfactor;
    // Apache: (int)(atof(X) * 100.0), accepted when 100..10000, so 2.3 becomes 229.
    const truncated = typeof lf === 'number' ? Math.trunc(lf * 100) : Number.NaN;
    if (!(truncated >= 100 && truncated <= 10_000)) {
      issues.error(
        'TSXP_LOADFACTOR_RANGE',
        `${ctx.path}.loadfactor`,
        `member '${spec.url}' of balancer '${ctx.balancer}': loadfactor ${JSON.stringify(lf)} is outside 1..100`,
        'use a number from 1 to 100 (decimals allowed); it weighs this member against the others',
        spec.site,
      );
    } else lbfactor = truncated;
  }
  const lbset = params.lbset === undefined ? 0 : params.lbset;
  if (typeof lbset !== 'number' || !Number.isInteger(lbset) || lbset < 0 || lbset > 99) {
    issues.error(
      'TSXP_LBSET_RANGE',
      `${ctx.path}.lbset`,
      `member '${spec.url}' of balancer '${ctx.balancer}': lbset ${JSON.stringify(lbset)} is outside 0..99`,
      'use a whole number from 0 to 99; lower sets are used first',
      spec.site,
    );
  }

  let status: Set<StatusLetter> = new Set();
  if (params.status !== undefined) {
    const applied =
      typeof params.status === 'string'
        ? applyStatus(status, params.status)
        : { ok: false as const, bad: String(params.status) };
    if (applied.ok) status = applied.flags;
    else
      issues.error(
        'TSXP_BAD_STATUS',
        `${ctx.path}.status`,
        `member '${spec.url}' of balancer '${ctx.balancer}': status ${JSON.stringify(params.status)} has '${applied.bad}'`,
        "write flags as '+H', '+R', '+D', '-E', combinable like '+H+I'; letters: D S I R H E N C",
        spec.site,
      );
  }

  const conn = compileConnection(params, read, ctx.defaultTimeoutMs);
  const route = read.string('route', params.route, 63) ?? '';
  const redirect = read.string('redirect', params.redirect, 63) ?? '';
  const hcSpec =
    params.healthCheck === false ? undefined : { ...ctx.balancerHealthCheck, ...(params.healthCheck || {}) };
  const hasHc =
    params.healthCheck !== false &&
    (ctx.balancerHealthCheck !== undefined || params.healthCheck !== undefined);
  const healthCheck =
    hasHc && hcSpec
      ? compileHealthCheck(hcSpec, read.at(`${ctx.path}.healthCheck`), conn.timeoutMs)
      : undefined;
  if (!url) return undefined;
  return {
    ...conn,
    key: `${ctx.balancer}|${url.href}`,
    balancer: ctx.balancer,
    index: ctx.index,
    url,
    lbfactor,
    lbset: typeof lbset === 'number' ? lbset : 0,
    status,
    route,
    redirect,
    healthCheck,
    site: spec.site,
  };
}
