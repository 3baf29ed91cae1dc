/**
 * Translates a tsx-proxy config into the equivalent Apache httpd 2.4 configuration, so the same
 * balancers run in both. The compiled config gives the structure and normalised values; the
 * user's spec tells which parameters were set, so Apache applies its own defaults to the rest
 * (a default computed differently on our side then shows up as a difference), and gives the
 * loadfactor as written, so Apache does its own ×100 truncation.
 */
import { compile } from '../../../src/config/compile.js';
import type { CompiledBalancer, CompiledMember, ProxyConfig } from '../../../src/config/types.js';
import type { BalancerParams, MemberParams } from '../../../src/dsl/params.js';
import type { BalancerSpec, ConfigSpec } from '../../../src/dsl/spec.js';

/** Where the generated Apache serves its balancer-manager (Apache only: it reports member state). */
export const APACHE_MANAGER_PATH = '/apache-balancer-manager';

/** Response header in which Apache exposes BALANCER_ROUTE_CHANGED (mod_headers). */
export const APACHE_ROUTE_CHANGED_HEADER = 'x-apache-route-changed';

/** Where the generated server keeps its files and where it listens. */
export interface ApacheSite {
  /** Directory for pid file, error log, shared memory and mutexes. */
  readonly dir: string;
  readonly port: number;
  /** Directory holding mod_proxy.so and friends. */
  readonly modulesDir: string;
  /** User and group to switch to when started as root (Apache refuses to serve as root). */
  readonly user: { readonly name: string; readonly group: string } | undefined;
  /** Apache LogLevel directive value. */
  readonly logLevel: string;
}

const MODULES = [
  ['mpm_prefork_module', 'mod_mpm_prefork.so'],
  ['authz_core_module', 'mod_authz_core.so'],
  ['headers_module', 'mod_headers.so'],
  ['slotmem_shm_module', 'mod_slotmem_shm.so'],
  ['proxy_module', 'mod_proxy.so'],
  ['proxy_http_module', 'mod_proxy_http.so'],
  ['proxy_balancer_module', 'mod_proxy_balancer.so'],
  ['lbmethod_byrequests_module', 'mod_lbmethod_byrequests.so'],
  ['lbmethod_bytraffic_module', 'mod_lbmethod_bytraffic.so'],
  ['lbmethod_bybusyness_module', 'mod_lbmethod_bybusyness.so'],
] as const;

class Untranslatable extends Error {}

function onOff(value: boolean): string {
  return value ? 'On' : 'Off';
}

/** Whole seconds, as Apache's `atoi` parameters (retry, timeout, ttl) require. */
function seconds(ms: number, what: string): string {
  if (ms % 1000 !== 0) throw new Untranslatable(`${what} of ${ms} ms is not whole seconds in Apache`);
  return String(ms / 1000);
}

function memberParam(key: keyof MemberParams, spec: MemberParams, m: CompiledMember): string | undefined {
  switch (key) {
    case 'loadfactor':
      return `loadfactor=${String(spec.loadfactor)}`;
    case 'lbset':
      return `lbset=${m.lbset}`;
    case 'status':
      return m.status.size === 0 ? undefined : `status=+${[...m.status].join('')}`;
    case 'route':
      return `route=${m.route}`;
    case 'redirect':
      return `redirect=${m.redirect}`;
    case 'retry':
      return `retry=${seconds(m.retryMs, 'retry')}`;
    case 'timeout':
      return `timeout=${seconds(m.timeoutMs, 'timeout')}`;
    case 'connectiontimeout':
      return `connectiontimeout=${m.connectTimeoutMs}ms`;
    case 'ttl':
      return `ttl=${seconds(m.ttlMs, 'ttl')}`;
    case 'max':
      return `max=${m.max}`;
    case 'smax':
      return `smax=${m.smax}`;
    case 'acquire':
      return m.acquireMs === undefined ? undefined : `acquire=${m.acquireMs}ms`;
    case 'ping':
      return m.pingMs === undefined ? undefined : `ping=${m.pingMs}ms`;
    case 'keepalive':
      return `keepalive=${onOff(m.keepalive)}`;
    case 'disablereuse':
      return `disablereuse=${onOff(m.disablereuse)}`;
    case 'healthCheck':
      throw new Untranslatable('member health checks are not translated (mod_proxy_hcheck is not loaded)');
  }
}

function balancerParam(
  key: keyof BalancerParams,
  spec: BalancerParams,
  b: CompiledBalancer,
): string | undefined {
  switch (key) {
    case 'lbmethod':
      if (b.lbmethod === 'byhash') throw new Untranslatable('Apache has no byhash lbmethod');
      return `lbmethod=${b.lbmethod}`;
    case 'maxattempts':
      return `maxattempts=${b.maxattempts}`;
    case 'nofailover':
      return `nofailover=${onOff(b.nofailover)}`;
    case 'failonstatus':
      return b.failonstatus.size === 0 ? undefined : `failonstatus=${[...b.failonstatus].join(',')}`;
    case 'failontimeout':
      return `failontimeout=${onOff(b.failontimeout)}`;
    case 'forcerecovery':
      return `forcerecovery=${onOff(b.forcerecovery)}`;
    case 'stickysession':
      return `stickysession=${spec.stickysession}`;
    case 'stickysessionsep':
      return `stickysessionsep=${b.stickysessionsep ?? 'Off'}`;
    case 'scolonpathdelim':
      return `scolonpathdelim=${onOff(b.scolonpathdelim)}`;
    case 'timeout':
      return `timeout=${seconds(b.timeoutMs, 'balancer timeout')}`;
    case 'growth':
      return `growth=${b.growth}`;
    case 'nonce':
      return `nonce=${b.nonce ?? 'None'}`;
    case 'routeCookie':
    case 'hashkey':
      throw new Untranslatable(`balancer parameter ${key} has no Apache equivalent`);
  }
}

function balancerSpecs(spec: ConfigSpec): Map<string, BalancerSpec> {
  const out = new Map<string, BalancerSpec>();
  for (const r of spec.routes) {
    if (r.action?.kind === 'proxy' && typeof r.action.target !== 'string') {
      out.set(r.action.target.name, r.action.target);
    }
  }
  return out;
}

function balancerBlock(b: CompiledBalancer, spec: BalancerSpec): string[] {
  const lines = [`<Proxy "balancer://${b.name}">`];
  b.members.forEach((m, i) => {
    const params = spec.members[i]!.params;
    const words = (Object.keys(params) as (keyof MemberParams)[])
      .filter((k) => params[k] !== undefined)
      .map((k) => memberParam(k, params, m))
      .filter((w): w is string => w !== undefined);
    lines.push(`  BalancerMember "${m.url.href}" ${words.join(' ')}`.trimEnd());
  });
  const words = (Object.keys(spec.params) as (keyof BalancerParams)[])
    .filter((k) => spec.params[k] !== undefined)
    .map((k) => balancerParam(k, spec.params, b))
    .filter((w): w is string => w !== undefined);
  if (words.length > 0) lines.push(`  ProxySet ${words.join(' ')}`);
  lines.push('</Proxy>');
  return lines;
}

function routeLines(config: ProxyConfig): string[] {
  return config.routes.flatMap((r) => {
    if (
      r.kind !== 'proxy' ||
      r.match.type !== 'prefix' ||
      r.target.type !== 'balancer' ||
      r.hosts ||
      r.methods
    ) {
      throw new Untranslatable(
        `route ${r.label}: only host- and method-less prefix routes to balancers are translated`,
      );
    }
    const target = `balancer://${r.target.balancer}${r.target.path}`;
    const lines = [`ProxyPass "${r.match.prefix}" "${target}"`];
    if (r.reverse !== undefined) lines.push(`ProxyPassReverse "${r.reverse}" "${target}"`);
    return lines;
  });
}

/**
 * The Apache httpd.conf that runs the balancers and routes of `spec`: one server, prefork MPM
 * (started with `-X`: one process, so the shared counters are deterministic), listening on
 * loopback. Throws when the config uses something Apache has no equivalent for.
 */
export function apacheConfig(spec: ConfigSpec, site: ApacheSite): string {
  const config = compile(spec);
  const specs = balancerSpecs(spec);
  const lines = [
    `ServerRoot "${site.dir}"`,
    `DefaultRuntimeDir "${site.dir}"`,
    `PidFile "${site.dir}/httpd.pid"`,
    `ErrorLog "${site.dir}/error.log"`,
    `LogLevel ${site.logLevel}`,
    `Listen 127.0.0.1:${site.port}`,
    `ServerName ${config.serverName}`,
    ...(site.user ? [`User ${site.user.name}`, `Group ${site.user.group}`] : []),
    ...MODULES.map(([id, file]) => `LoadModule ${id} "${site.modulesDir}/${file}"`),
    `ProxyTimeout ${seconds(config.timeoutMs, 'timeout')}`,
    `ProxyPreserveHost ${onOff(config.preserveHost)}`,
    `Header always set ${APACHE_ROUTE_CHANGED_HEADER} "%{BALANCER_ROUTE_CHANGED}e"`,
  ];
  for (const b of config.balancers.values()) {
    const bSpec = specs.get(b.name);
    if (!bSpec) throw new Untranslatable(`balancer ${b.name} is not the target of a route`);
    lines.push(...balancerBlock(b, bSpec));
  }
  lines.push(...routeLines(config));
  lines.push(`<Location "${APACHE_MANAGER_PATH}">`, '  SetHandler balancer-manager', '</Location>');
  return `${lines.join('\n')}\n`;
}
