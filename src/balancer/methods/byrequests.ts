import type { MemberState } from '../types.js';
import type { LbMethodImpl } from './method.js';

/**
 * Apache's lbstatus round (`mod_lbmethod_byrequests`): every candidate's lbstatus grows by its
 * lbfactor, the highest (earliest on a tie) wins and gives back the total handed out. Shared
 * by `byhash` for requests without a key.
 */
export function pickByLbstatus(candidates: readonly MemberState[]): MemberState | undefined {
  let best: MemberState | undefined;
  let total = 0;
  for (const c of candidates) {
    c.lbstatus += c.lbfactor;
    total += c.lbfactor;
    if (!best || c.lbstatus > best.lbstatus) best = c;
  }
  if (best) best.lbstatus -= total;
  return best;
}

/**
 * `byrequests`: weighted request counting, Apache's default method. With A loadfactor 1 and
 * B loadfactor 3 the picks run B A B B, B A B B, ...
 */
export const byrequests: LbMethodImpl = {
  name: 'byrequests',
  pick: pickByLbstatus,
  reset(members) {
    for (const m of members) m.lbstatus = 0;
  },
};
