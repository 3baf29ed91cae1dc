import { healthTarget } from '../health/health-request.js';
import type { Colors } from './colors.js';
import type {
  CompiledBalancer,
  CompiledHealthCheck,
  CompiledMember,
  CompiledRoute,
  ProxyConfig,
} from '../config/types.js';
import { table } from './table.js';

/** A duration in ms as the config would write it: `500ms`, `5s`, `2m`. */
export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function routeTarget(route: CompiledRoute): string {
  switch (route.kind) {
    case 'deny':
      return '403 Forbidden';
    case 'manager':
      return `balancer manager, allow ${route.allow.join(', ')}`;
    case 'proxy':
      return route.target.type === 'url'
        ? route.target.url.href
        : `balancer://${route.target.balancer}${route.target.path}`;
  }
}

function routeOnly(route: CompiledRoute): string {
  const parts: string[] = [];
  if (route.methods) parts.push([...route.methods].join(','));
  if (route.hosts) parts.push(`host ${route.hosts.join(',')}`);
  return parts.join(' ');
}

/** `GET /health every 5s, passes 2, fails 3, timeout 5s`. */
/**
 * A health check as `check` shows it. With a member's URL path, the target is the one really
 * requested (Apache's rule: member path + '/' + uri), since that is what a user must serve.
 */
export function formatHealthCheck(hc: CompiledHealthCheck | undefined, memberPath = ''): string {
  if (!hc) return 'off';
  const target = hc.method === 'OPTIONS' ? '*' : healthTarget(memberPath, hc.uri);
  const what = hc.method === 'TCP' ? 'TCP connect' : `${hc.method} ${target}`;
  const expect = hc.expect ? ', custom expect' : '';
  return `${what} every ${formatDuration(hc.intervalMs)}, out after ${hc.fails} failing in a row, back after ${hc.passes} passing in a row, timeout ${formatDuration(hc.timeoutMs)}${expect}`;
}

function statusFlags(member: CompiledMember): string {
  return member.status.size === 0 ? '-' : [...member.status].map((f) => `+${f}`).join('');
}

function balancerSettings(b: CompiledBalancer): string {
  const parts = [`lbmethod=${b.lbmethod}`, `maxattempts=${b.maxattempts}`];
  if (b.sticky)
    parts.push(
      `stickysession=${b.sticky.cookie}${b.sticky.param !== b.sticky.cookie ? `|${b.sticky.param}` : ''}`,
    );
  if (b.routeCookie) parts.push(`routeCookie=${b.routeCookie.name}`);
  if (b.failonstatus.size) parts.push(`failonstatus=${[...b.failonstatus].join(',')}`);
  if (b.failontimeout) parts.push('failontimeout');
  if (b.nofailover) parts.push('nofailover');
  if (!b.forcerecovery) parts.push('forcerecovery=off');
  if (b.timeoutMs) parts.push(`timeout=${formatDuration(b.timeoutMs)}`);
  if (b.lbmethod === 'byhash') parts.push(`hashkey=${b.hashkey}`);
  return parts.join(' ');
}

function renderBalancer(b: CompiledBalancer, defaultTimeoutMs: number, c: Colors): string {
  const balancerHc = formatHealthCheck(b.healthCheck);
  const lines = [`${c.bold(`balancer ${b.name}`)}  ${c.dim(balancerSettings(b))}`];
  if (b.healthCheck) lines.push(`  health check: ${balancerHc}`);
  // A member path changes the target requested, so it counts as a member's own check.
  const ownHc = b.members.some((m) => formatHealthCheck(m.healthCheck, m.url.path) !== balancerHc);
  // Shown only when some member sets it, as the failover example's `timeout: 1` does.
  const ownTimeout = b.members.some((m) => m.timeoutMs !== defaultTimeoutMs);
  const header = [
    'member',
    'loadfactor',
    'lbset',
    'status',
    'route',
    ...(ownTimeout ? ['timeout'] : []),
    ...(ownHc ? ['health check'] : []),
  ];
  const rows = b.members.map((m) => [
    m.url.href,
    String(m.lbfactor / 100),
    String(m.lbset),
    statusFlags(m),
    m.route || '-',
    ...(ownTimeout ? [formatDuration(m.timeoutMs)] : []),
    ...(ownHc ? [formatHealthCheck(m.healthCheck, m.url.path)] : []),
  ]);
  lines.push(table([header.map((h) => c.dim(h)), ...rows], '    '));
  return lines.join('\n');
}

/**
 * The route table `tsx-proxy check` prints: routes in order (first match wins), then every
 * balancer with its members and their key parameters.
 */
export function renderRouteTable(config: ProxyConfig, c: Colors): string {
  const withOnly = config.routes.some((r) => routeOnly(r) !== '');
  const header = ['#', 'match', ...(withOnly ? ['only'] : []), 'kind', 'target'];
  const rows = config.routes.map((r) => [
    String(r.index),
    r.label,
    ...(withOnly ? [routeOnly(r) || '-'] : []),
    r.kind,
    routeTarget(r),
  ]);
  const parts = [table([header.map((h) => c.dim(h)), ...rows])];
  for (const b of config.balancers.values()) parts.push(renderBalancer(b, config.timeoutMs, c));
  return parts.join('\n\n');
}
