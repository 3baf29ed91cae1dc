/**
 * Apache's candidate frame, `proxy_balancer_get_best_worker` (proxy_util.c), shared by every
 * lbmethod: lbsets from 0 upwards, drain, hot spares standing in for unusable members one for
 * one, hot standbys only when nothing else in the lbset can serve.
 */
import { isUsable, retryMember } from './member-state.js';
import type { LbMethodImpl, PickContext } from './methods/index.js';
import type { MemberState } from './types.js';

/**
 * The member the lbmethod picks, or undefined when no lbset has a usable member. Members in
 * error are retried on the way (`retry` elapsed ⇒ usable again), but only in the lbsets
 * scanned: once a lower lbset yields a member, higher ones are not even looked at.
 */
export function bestMember(
  members: readonly MemberState[],
  method: LbMethodImpl,
  ctx: PickContext,
  now: number,
): MemberState | undefined {
  const maxLbset = members.reduce((max, m) => Math.max(max, m.lbset), 0);
  for (let lbset = 0; lbset <= maxLbset; lbset++) {
    const regular: MemberState[] = [];
    const spares: MemberState[] = [];
    const standbys: MemberState[] = [];
    let unusable = 0;
    for (const m of members) {
      if (m.lbset !== lbset) continue;
      const spare = m.flags.has('R');
      const standby = m.flags.has('H');
      if (m.flags.has('N')) {
        // A draining member is not retried; a draining plain member leaves a slot for a spare.
        if (!spare && !standby) unusable++;
        continue;
      }
      if (!isUsable(m)) retryMember(m, now);
      const usable = isUsable(m);
      if (spare) {
        if (usable) spares.push(m);
      } else if (standby) {
        if (usable) standbys.push(m);
      } else if (usable) regular.push(m);
      else unusable++;
    }
    const substitutes = spares.slice(0, unusable);
    const candidates = regular.length + substitutes.length > 0 ? [...regular, ...substitutes] : standbys;
    const best = method.pick(candidates, ctx);
    if (best) return best;
  }
  return undefined;
}
