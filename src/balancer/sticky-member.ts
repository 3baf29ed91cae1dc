/**
 * Sticky-session member lookup and its side effects (`find_route_worker` and the sticky branch
 * of `proxy_balancer_pre_request` in mod_proxy_balancer.c).
 */
import { isUsable, retryMember } from './member-state.js';
import type { MemberState } from './types.js';

/**
 * The usable member serving `route`: plain members first, then hot standbys, in config order,
 * ignoring lbset, spare and drain flags (a draining member keeps its sessions). A matching
 * member in error is retried; an unusable one with a `redirect` hands over to the member of that
 * route, following at most as many redirects as there are members.
 */
export function routeMember(
  members: readonly MemberState[],
  route: string,
  now: number,
  depth = 1,
): MemberState | undefined {
  for (const standbys of [false, true]) {
    for (const m of members) {
      if (m.flags.has('H') !== standbys || m.route === '' || m.route !== route) continue;
      if (!isUsable(m)) retryMember(m, now);
      if (isUsable(m)) return m;
      if (m.redirect !== '' && depth < members.length) {
        const target = routeMember(members, m.redirect, now, depth + 1);
        if (target) return target;
      }
    }
  }
  return undefined;
}

/** Whether any member, usable or not, serves `route` (the `nofailover` 503 test). */
export function routeIsKnown(members: readonly MemberState[], route: string): boolean {
  return members.some((m) => m.route !== '' && m.route === route);
}

/**
 * Apache's default `updatelbstatus` on a sticky hit, whatever the lbmethod: every usable member
 * (any lbset, spares, standbys and draining members included) gains its lbfactor and the routed
 * member gives back the total, so sticky traffic counts in the byrequests balance.
 */
export function countStickyHit(members: readonly MemberState[], routed: MemberState): void {
  let total = 0;
  for (const m of members) {
    if (!isUsable(m)) continue;
    m.lbstatus += m.lbfactor;
    total += m.lbfactor;
  }
  routed.lbstatus -= total;
}
