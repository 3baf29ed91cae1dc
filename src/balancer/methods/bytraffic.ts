import type { MemberState } from '../types.js';
import type { LbMethodImpl } from './method.js';

/** Apache's score: two separate integer divisions, as the C does with 64-bit integers. */
function traffic(m: MemberState): number {
  return Math.floor(m.transferred / m.lbfactor) + Math.floor(m.read / m.lbfactor);
}

/**
 * `bytraffic` (`mod_lbmethod_bytraffic`): the fewest bytes sent to and read from a member,
 * weighted by lbfactor, wins; ties keep the earlier member.
 */
export const bytraffic: LbMethodImpl = {
  name: 'bytraffic',
  pick(candidates) {
    let best: MemberState | undefined;
    let min = 0;
    for (const c of candidates) {
      const score = traffic(c);
      if (!best || score < min) {
        best = c;
        min = score;
      }
    }
    return best;
  },
  reset(members) {
    for (const m of members) {
      m.lbstatus = 0;
      m.busy = 0;
      m.transferred = 0;
      m.read = 0;
    }
  },
};
