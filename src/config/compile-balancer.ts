import type { HashKey, LbMethod } from '../dsl/params.js';
import type { BalancerSpec } from '../dsl/spec.js';
import { compileHealthCheck } from './compile-health.js';
import { compileMember } from './compile-member.js';
import { checkKnownKeys, type IssueList } from './issues.js';
import { BALANCER_KEYS, ROUTE_COOKIE_KEYS } from './keys.js';
import { ValueReader } from './read-values.js';
import type { CompiledBalancer, CompiledMember } from './types.js';

const LBMETHODS: readonly LbMethod[] = ['byrequests', 'bytraffic', 'bybusyness', 'byhash'];

function readHashKey(read: ValueReader, value: unknown): HashKey {
  if (value === undefined) return 'ip';
  if (
    typeof value === 'string' &&
    (value === 'ip' || value === 'path' || /^(header|cookie):.+$/.test(value))
  ) {
    return value as HashKey;
  }
  read.issues.error(
    'TSXP_BAD_VALUE',
    `${read.path}.hashkey`,
    `hashkey ${JSON.stringify(value)} is not 'ip', 'path', 'header:NAME' or 'cookie:NAME'`,
    "e.g. hashkey: 'header:x-user-id'",
    read.site,
  );
  return 'ip';
}

function readSticky(read: ValueReader, value: unknown): CompiledBalancer['sticky'] {
  const s = read.string('stickysession', value);
  if (!s) return undefined;
  const [cookie = '', param, ...rest] = s.split('|');
  const name = (n: string) => n.length > 0 && n.length < 64 && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(n);
  if (rest.length > 0 || !name(cookie) || (param !== undefined && !name(param))) {
    read.issues.error(
      'TSXP_BAD_STICKY',
      `${read.path}.stickysession`,
      `stickysession '${s}' is not 'COOKIE' or 'COOKIE|param'`,
      "use a cookie name such as 'JSESSIONID', or 'JSESSIONID|jsessionid' for a cookie and a URL parameter (each under 64 characters)",
      read.site,
    );
    return undefined;
  }
  return { cookie, param: param ?? cookie };
}

function readSeparator(read: ValueReader, value: unknown): string | undefined {
  if (value === undefined) return '.';
  if (value === false) return undefined;
  if (typeof value === 'string' && value.length === 1) return value;
  read.issues.error(
    'TSXP_BAD_STICKY',
    `${read.path}.stickysessionsep`,
    `stickysessionsep ${JSON.stringify(value)} is not one character`,
    "use one character such as '.' or '!', or false for no separator",
    read.site,
  );
  return '.';
}

function readRouteCookie(
  read: ValueReader,
  value: unknown,
  sticky: CompiledBalancer['sticky'],
): CompiledBalancer['routeCookie'] {
  const rc = read.object('routeCookie', value) as Record<string, unknown> | undefined;
  if (!rc) return undefined;
  const r = read.at(`${read.path}.routeCookie`);
  checkKnownKeys(read.issues, rc, ROUTE_COOKIE_KEYS, r.path, 'routeCookie', read.site);
  const name = r.string('name', rc.name);
  if (!name) {
    read.issues.error(
      'TSXP_BAD_STICKY',
      `${r.path}.name`,
      'routeCookie needs a name',
      "e.g. routeCookie: { name: 'ROUTEID' }",
      read.site,
    );
    return undefined;
  }
  if (!sticky) {
    read.issues.error(
      'TSXP_BAD_STICKY',
      r.path,
      `routeCookie '${name}' is set but stickysession is not, so the cookie would never be read`,
      `add stickysession: '${name}'`,
      read.site,
    );
  }
  const maxAgeMs = r.duration('maxAge', rc.maxAge);
  return {
    name,
    path: r.string('path', rc.path) ?? '/',
    maxAgeS: maxAgeMs === undefined ? undefined : Math.floor(maxAgeMs / 1000),
    httpOnly: r.bool('httpOnly', rc.httpOnly) ?? true,
    secure: r.bool('secure', rc.secure) ?? false,
    sameSite: r.oneOf('sameSite', rc.sameSite, ['Strict', 'Lax', 'None'] as const) ?? 'Lax',
  };
}

/** A balancer with Apache's defaults; maxattempts resolved as Apache does (members − 1). */
export function compileBalancer(
  spec: BalancerSpec,
  path: string,
  defaultTimeoutMs: number,
  issues: IssueList,
): CompiledBalancer {
  const read = new ValueReader(issues, path, spec.site);
  const params = read.object('params', spec.params) ? spec.params : {};
  checkKnownKeys(issues, params, BALANCER_KEYS, path, 'balancer', spec.site);

  const members: CompiledMember[] = [];
  const seen = new Map<string, number>();
  spec.members.forEach((m, index) => {
    const memberPath = `${path}.members[${index}]`;
    const compiled = compileMember(
      m,
      {
        balancer: spec.name,
        index,
        path: memberPath,
        defaultTimeoutMs,
        balancerHealthCheck: spec.healthCheck,
      },
      issues,
    );
    if (!compiled) return;
    const earlier = seen.get(compiled.url.href);
    if (earlier !== undefined) {
      issues.error(
        'TSXP_DUPLICATE_MEMBER',
        `${memberPath}.url`,
        `balancer '${spec.name}' lists member '${compiled.url.href}' twice (members[${earlier}] and members[${index}])`,
        'remove one of them; to weigh a member more, raise its loadfactor',
        m.site,
      );
      return;
    }
    seen.set(compiled.url.href, index);
    members.push(compiled);
  });

  const failonstatus = new Set<number>();
  if (params.failonstatus !== undefined) {
    if (!Array.isArray(params.failonstatus)) {
      issues.error(
        'TSXP_BAD_FAILONSTATUS',
        `${path}.failonstatus`,
        'failonstatus must be a list of status codes',
        'e.g. failonstatus: [502, 503]',
        spec.site,
      );
    } else {
      for (const code of params.failonstatus) {
        if (Number.isInteger(code) && code >= 100 && code < 600) failonstatus.add(code);
        else
          issues.error(
            'TSXP_BAD_FAILONSTATUS',
            `${path}.failonstatus`,
            `balancer '${spec.name}': failonstatus code ${JSON.stringify(code)} is outside 100..599`,
            'list HTTP status codes, e.g. [502, 503]',
            spec.site,
          );
      }
    }
  }

  const sticky = readSticky(read, params.stickysession);
  const maxattempts = read.int('maxattempts', params.maxattempts, 0, 99);
  const nonce = read.string('nonce', params.nonce, 36);
  return {
    name: spec.name,
    members,
    lbmethod: read.oneOf('lbmethod', params.lbmethod, LBMETHODS) ?? 'byrequests',
    maxattempts: maxattempts ?? Math.max(spec.members.length - 1, 0),
    nofailover: read.bool('nofailover', params.nofailover) ?? false,
    failonstatus,
    failontimeout: read.bool('failontimeout', params.failontimeout) ?? false,
    forcerecovery: read.bool('forcerecovery', params.forcerecovery) ?? true,
    sticky,
    stickysessionsep: readSeparator(read, params.stickysessionsep),
    scolonpathdelim: read.bool('scolonpathdelim', params.scolonpathdelim) ?? false,
    timeoutMs: read.duration('timeout', params.timeout) ?? 0,
    growth: read.int('growth', params.growth, 0, 100) ?? 0,
    nonce,
    routeCookie: readRouteCookie(read, params.routeCookie, sticky),
    hashkey: readHashKey(read, params.hashkey),
    healthCheck: spec.healthCheck
      ? compileHealthCheck(spec.healthCheck, read.at(`${path}.healthCheck`), defaultTimeoutMs)
      : undefined,
    site: spec.site,
  };
}
