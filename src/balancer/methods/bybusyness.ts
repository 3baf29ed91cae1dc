import type { MemberState } from '../types.js';
import type { LbMethodImpl } from './method.js';

/**
 * `bybusyness` (`mod_lbmethod_bybusyness`): the fewest requests in flight wins; on equal
 * busyness, the byrequests lbstatus arithmetic decides (so sequential traffic is spread exactly
 * as byrequests spreads it).
 */
export const bybusyness: LbMethodImpl = {
  name: 'bybusyness',
  pick(candidates) {
    let best: MemberState | undefined;
    let total = 0;
    for (const c of candidates) {
      c.lbstatus += c.lbfactor;
      total += c.lbfactor;
      if (!best || c.busy < best.busy || (c.busy === best.busy && c.lbstatus > best.lbstatus)) best = c;
    }
    if (best) best.lbstatus -= total;
    return best;
  },
  reset(members) {
    for (const m of members) {
      m.lbstatus = 0;
      m.busy = 0;
    }
  },
};
