import type { BalancerSpec, ProxyActionSpec, RouteSpec } from '../dsl/spec.js';
import { parseCidr } from './cidr.js';
import { compileConnection, readUpstreamUrl } from './compile-member.js';
import { checkKnownKeys, type IssueList } from './issues.js';
import { CONNECTION_KEYS, MANAGER_KEYS, ROUTE_OPTION_KEYS, TARGET_KEYS } from './keys.js';
import { ValueReader } from './read-values.js';
import type { CompiledRoute, CompiledTarget, RouteMatch } from './types.js';

export const DEFAULT_MANAGER_ALLOW = ['127.0.0.1', '::1'] as const;

export interface RouteContext {
  readonly issues: IssueList;
  readonly preserveHost: boolean;
  readonly timeoutMs: number;
  /** Registers a balancer target and returns its name. */
  useBalancer(spec: BalancerSpec, path: string): string;
}

function regexGroups(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags.replace(/[gy]/g, '')).exec('')!.length - 1;
}

function compileMatch(spec: RouteSpec, path: string, issues: IssueList): RouteMatch | undefined {
  const m = spec.match;
  if (m instanceof RegExp || Object.prototype.toString.call(m) === '[object RegExp]') {
    const re = m as RegExp;
    return {
      type: 'regex',
      regex: new RegExp(re.source, re.flags.replace(/[gy]/g, '')),
      groups: regexGroups(re),
    };
  }
  if (typeof m === 'string' && m.startsWith('/')) return { type: 'prefix', prefix: m };
  issues.error(
    'TSXP_BAD_ROUTE',
    `${path}.match`,
    `route match ${JSON.stringify(m)} is neither a path starting with '/' nor a RegExp`,
    "write route('/path/') for a prefix or route(/^\\/re$/) for a regex",
    spec.site,
  );
  return undefined;
}

function cookieRewrites(read: ValueReader, key: string, value: unknown): (readonly [string, string])[] {
  const obj = read.object(key, value) as Record<string, unknown> | undefined;
  if (!obj) return [];
  return Object.entries(obj).flatMap(([from, to]) => {
    if (typeof to === 'string') return [[from, to] as const];
    read.issues.error(
      'TSXP_BAD_VALUE',
      `${read.path}.${key}.${from}`,
      `${key} maps '${from}' to a non-string`,
      `write { '${from}': 'new-value' }`,
      read.site,
    );
    return [];
  });
}

function compileTarget(
  action: ProxyActionSpec,
  match: RouteMatch,
  path: string,
  ctx: RouteContext,
): CompiledTarget | undefined {
  const { issues } = ctx;
  const params = action.params ?? {};
  const read = new ValueReader(issues, `${path}.params`, action.site);
  const target = action.target;
  if (typeof target === 'object' && target !== null && target.kind === 'balancer') {
    for (const key of CONNECTION_KEYS) {
      if (params[key] !== undefined) {
        issues.error(
          'TSXP_PARAM_NOT_HERE',
          `${path}.params.${key}`,
          `'${key}' is a member parameter; route to balancer '${target.name}' cannot take it`,
          `set it on the members: .member(url, { ${key}: ... })`,
          action.site,
        );
      }
    }
    const bpath = read.string('path', params.path) ?? '';
    if (bpath && !bpath.startsWith('/')) {
      issues.error(
        'TSXP_BAD_VALUE',
        `${path}.params.path`,
        `balancer path '${bpath}' does not start with '/'`,
        `write path: '/${bpath}'`,
        action.site,
      );
    }
    return { type: 'balancer', balancer: ctx.useBalancer(target, `${path}.target`), path: bpath };
  }
  if (typeof target === 'string' && /^balancer:\/\//i.test(target)) {
    issues.error(
      'TSXP_UNSUPPORTED_SCHEME',
      `${path}.target`,
      `target '${target}' names a balancer by URL`,
      "pass the balancer itself: const b = balancer('name').member(...); route(...).to(b)",
      action.site,
    );
    return undefined;
  }
  if (params.path !== undefined) {
    issues.error(
      'TSXP_PARAM_NOT_HERE',
      `${path}.params.path`,
      "'path' only applies to a balancer target",
      'put the path in the target URL instead',
      action.site,
    );
  }
  const url = readUpstreamUrl(target, issues, `${path}.target`, 'target', action.site);
  if (!url) return undefined;
  if (match.type === 'regex') {
    for (const ref of url.href.matchAll(/\$(\d)/g)) {
      if (Number(ref[1]) > match.groups) {
        issues.error(
          'TSXP_REGEX_GROUP',
          `${path}.target`,
          `target '${target}' uses $${ref[1]} but ${match.regex} has ${match.groups} group${match.groups === 1 ? '' : 's'}`,
          `add a capture group to the regex or use $0..$${match.groups}`,
          action.site,
        );
      }
    }
  }
  if (/\$\d/.test(url.hostHeader)) {
    issues.error(
      'TSXP_BAD_URL',
      `${path}.target`,
      `target '${target}' substitutes into the host`,
      'only the path of a target may use $n',
      action.site,
    );
  }
  const conn = compileConnection(params, read, ctx.timeoutMs);
  return {
    type: 'url',
    url,
    // Apache gives standalone workers the ignore-errors flag: they never enter error state.
    member: {
      ...conn,
      key: `~${url.href}`,
      balancer: '',
      index: 0,
      url,
      lbfactor: 100,
      lbset: 0,
      status: new Set(['I']),
      route: '',
      redirect: '',
      healthCheck: undefined,
      site: action.site,
    },
  };
}

/** One route, in config order; returns undefined when it is too broken to use. */
export function compileRoute(spec: RouteSpec, index: number, ctx: RouteContext): CompiledRoute | undefined {
  const { issues } = ctx;
  const path = `routes[${index}]`;
  if (spec?.kind !== 'route') {
    issues.error(
      'TSXP_BAD_ROUTE',
      path,
      `routes[${index}] is not a route(...)`,
      "build each entry with route('/path/').to(target)",
      undefined,
    );
    return undefined;
  }
  const match = compileMatch(spec, path, issues);
  const opts = spec.options ?? {};
  checkKnownKeys(issues, opts, ROUTE_OPTION_KEYS, `${path}.options`, 'route', spec.site);
  const hostList =
    opts.host === undefined ? undefined : typeof opts.host === 'string' ? [opts.host] : opts.host;
  const hosts = hostList?.map((h) => h.toLowerCase());
  const methods = opts.methods ? new Set(opts.methods.map((m) => m.toUpperCase())) : undefined;
  const action = spec.action;
  const label = match?.type === 'regex' ? `~ ${match.regex}` : String(spec.match);
  if (!action) {
    issues.error(
      'TSXP_BAD_ROUTE',
      path,
      `route ${label} has no action`,
      'end it with .to(target), .deny() or .manager()',
      spec.site,
    );
    return undefined;
  }
  if (!match) return undefined;
  const base = { index, match, hosts, methods, label, site: action.site ?? spec.site };

  if (action.kind === 'deny' || action.kind === 'manager') {
    if (action.extra.length > 0) {
      issues.error(
        'TSXP_ACTION_ARGS',
        path,
        `route ${label}: ${action.kind}() takes no target, but was given ${JSON.stringify(action.extra[0])}`,
        action.kind === 'deny'
          ? 'write .deny() with no arguments, or .to(target) to proxy'
          : 'write .manager({ allow: [...] }); it serves the balancer manager, not a target',
        action.site,
      );
    }
    if (action.kind === 'deny') return { ...base, kind: 'deny' };
    const options = action.options ?? {};
    checkKnownKeys(issues, options, MANAGER_KEYS, `${path}.manager`, 'manager', action.site);
    const allow = options.allow ?? DEFAULT_MANAGER_ALLOW;
    for (const entry of allow) {
      if (typeof entry !== 'string' || !parseCidr(entry)) {
        issues.error(
          'TSXP_BAD_ALLOW',
          `${path}.manager.allow`,
          `route ${label}: allow entry ${JSON.stringify(entry)} is not an IP address or CIDR block`,
          "use addresses or blocks such as '127.0.0.1', '::1', '10.0.0.0/8'",
          action.site,
        );
      }
    }
    const read = new ValueReader(issues, `${path}.manager`, action.site);
    return {
      ...base,
      kind: 'manager',
      allow: [...allow],
      nonce: read.string('nonce', options.nonce, 36),
      persist: read.string('persist', options.persist),
    };
  }

  if (action.kind !== 'proxy') {
    issues.error(
      'TSXP_BAD_ROUTE',
      path,
      `route ${label} has an unknown action`,
      'use .to(), .deny() or .manager()',
      spec.site,
    );
    return undefined;
  }
  const params = action.params ?? {};
  checkKnownKeys(issues, params, TARGET_KEYS, `${path}.params`, 'target', action.site);
  const target = compileTarget(action, match, path, ctx);
  const read = new ValueReader(issues, `${path}.params`, action.site);
  let reverse: string | undefined;
  if (typeof params.reverse === 'string') reverse = params.reverse;
  else if (params.reverse === true && match.type === 'regex') {
    issues.error(
      'TSXP_BAD_VALUE',
      `${path}.params.reverse`,
      `regex route ${label} cannot guess its public path for reverse mapping`,
      "give it as a string: { reverse: '/public/path/' }",
      action.site,
    );
  } else if (params.reverse !== false && match.type === 'prefix') reverse = match.prefix;
  if (!target) return undefined;
  return {
    ...base,
    kind: 'proxy',
    target,
    reverse,
    preserveHost: read.bool('preserveHost', params.preserveHost) ?? ctx.preserveHost,
    timeoutMs: read.duration('timeout', params.timeout, 1) ?? ctx.timeoutMs,
    nocanon: read.bool('nocanon', params.nocanon) ?? false,
    reverseCookieDomain: cookieRewrites(read, 'reverseCookieDomain', params.reverseCookieDomain),
    reverseCookiePath: cookieRewrites(read, 'reverseCookiePath', params.reverseCookiePath),
  };
}

function covers(earlier: CompiledRoute, later: CompiledRoute): boolean {
  if (earlier.match.type !== 'prefix' || later.match.type !== 'prefix') return false;
  const p1 = earlier.match.prefix;
  const p2 = later.match.prefix;
  const prefixCovers = p2 === p1 || (p1.endsWith('/') ? p2.startsWith(p1) : p2.startsWith(`${p1}/`));
  const hostsCover = !earlier.hosts || (later.hosts?.every((h) => earlier.hosts!.includes(h)) ?? false);
  const methodsCover =
    !earlier.methods || (later.methods ? [...later.methods].every((m) => earlier.methods!.has(m)) : false);
  return prefixCovers && hostsCover && methodsCover;
}

/** Warns about routes that an earlier prefix route fully shadows (first match wins). */
export function warnShadowed(routes: readonly CompiledRoute[], issues: IssueList): void {
  for (const later of routes) {
    const earlier = routes.find((r) => r.index < later.index && covers(r, later));
    if (earlier) {
      issues.warn(
        'TSXP_SHADOWED_ROUTE',
        `routes[${later.index}]`,
        `route ${later.label} can never match: routes[${earlier.index}] ${earlier.label} comes first and matches everything it would`,
        `move routes[${later.index}] above routes[${earlier.index}] (the first matching route wins)`,
        later.site,
      );
    }
  }
}
