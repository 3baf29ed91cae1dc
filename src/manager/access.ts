/**
 * Who may use the manager and which requests may change anything: client address in `allow`,
 * POST only, the right nonce, and not sent by a page of another origin.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LiveBalancer } from '../balancer/types.js';
import { type Cidr, cidrContains, parseCidr, parseIp } from '../config/cidr.js';
import type { CompiledManagerRoute } from '../config/types.js';
import { refuse } from './errors.js';

/** Apache's default: a random UUID per start (ours: per process), when no nonce is configured. */
const PROCESS_NONCE = randomUUID();

/** The route's allow list, parsed (the compiler has already refused malformed entries). */
export function parseAllow(allow: readonly string[]): Cidr[] {
  return allow.map(parseCidr).filter((c): c is Cidr => c !== undefined);
}

/** Whether a client address (IPv4, IPv6 or IPv4-mapped IPv6) lies in one of the blocks. */
export function isAllowed(blocks: readonly Cidr[], clientIp: string): boolean {
  return blocks.some((block) => cidrContains(block, clientIp));
}

/**
 * The nonce that changes to `balancer` need: the balancer's own `nonce` parameter (Apache's
 * per-balancer nonce), else the route's, else the process's random UUID. An empty nonce (Apache's
 * `nonce=None`) matches nothing, so the balancer cannot be changed, as in Apache since 2.4.49.
 */
export function nonceFor(route: CompiledManagerRoute, balancer: LiveBalancer): string {
  return balancer.config.nonce ?? route.nonce ?? PROCESS_NONCE;
}

/** Refuses the change unless `given` equals `expected` (compared in constant time). */
export function checkNonce(expected: string, given: unknown, balancer: string): void {
  const a = Buffer.from(expected);
  const b = Buffer.from(typeof given === 'string' ? given : '');
  if (expected !== '' && a.length === b.length && timingSafeEqual(a, b)) return;
  throw refuse(
    403,
    'TSXP_MANAGER_NONCE',
    'nonce',
    expected === ''
      ? `balancer '${balancer}' has an empty nonce: it cannot be changed at runtime`
      : given === undefined
        ? 'the change has no nonce; nothing was changed'
        : 'the nonce is wrong (the proxy may have restarted since the page was loaded); nothing was changed',
    expected === ''
      ? 'remove nonce: "" from the config to allow changes'
      : 'send the nonce of GET <route>/api (balancers[].nonce) as the "nonce" field or the X-TSXP-Nonce header; reload the page to get a fresh one',
  );
}

/** The host name of a `Host` header, without port or IPv6 brackets, lower case. */
function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/**
 * Whether a change may be addressed to this host name: an IP address, `localhost`, the
 * configured `serverName`, or a host the manager route is restricted to. Any other name may be
 * an attacker's domain re-pointed at this proxy (DNS rebinding), where the browser would treat
 * the attacker's page as same-origin with the manager.
 */
function knownHost(name: string, serverName: string, routeHosts: readonly string[] | undefined): boolean {
  if (parseIp(name) !== undefined) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === serverName.toLowerCase()) return true;
  return (routeHosts ?? []).some((h) => (h.startsWith('*.') ? name.endsWith(h.slice(1)) : name === h));
}

/**
 * Refuses a change that a browser sent for a page of another origin. Browsers say where a
 * request comes from (`Sec-Fetch-Site`, `Origin`); clients that say nothing (curl, scripts) are
 * not browsers acting for a user, and the nonce still applies to them. This replaces Apache's
 * same-host `Referer` check, which privacy settings defeat and which locks out every script.
 * The `Host` must also be a name this proxy answers to (see `knownHost`).
 */
export function checkChangeOrigin(
  req: IncomingMessage,
  serverName: string,
  route: CompiledManagerRoute,
): void {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const host = req.headers.host ?? '';
  let foreign = site === 'cross-site' || site === 'same-site';
  if (!foreign && origin !== undefined) {
    try {
      foreign = new URL(origin).host !== host;
    } catch {
      foreign = true;
    }
  }
  if (foreign) {
    throw refuse(
      403,
      'TSXP_MANAGER_CROSS_ORIGIN',
      'origin',
      `a change sent from another site (${origin ?? site}) was refused; nothing was changed`,
      'change settings from the manager page itself, or from a script that sends no Origin header',
    );
  }
  const name = hostName(host);
  if (host !== '' && !knownHost(name, serverName, route.hosts)) {
    throw refuse(
      403,
      'TSXP_MANAGER_HOST',
      'host',
      `a change addressed to host '${name}' was refused: it is not an IP address, localhost or the serverName '${serverName}'; nothing was changed`,
      `open the manager by IP address, or set serverName: '${name}' (or route('/balancer-manager', { host: '${name}' })) in the config`,
    );
  }
}
