import type { HashKey } from '../../dsl/params.js';
import { cookieValue } from '../session-route.js';
import type { BalancerRequest, MemberState } from '../types.js';
import { pickByLbstatus } from './byrequests.js';
import type { LbMethodImpl } from './method.js';

/** The request's hash key, or undefined when the request does not carry one. */
function requestKey(req: BalancerRequest, hashkey: HashKey): string | undefined {
  let key: string | undefined;
  if (hashkey === 'ip') key = req.clientIp;
  else if (hashkey === 'path') key = req.url.split('?', 1)[0];
  else if (hashkey.startsWith('header:')) key = req.header(hashkey.slice(7).toLowerCase());
  else key = cookieValue(req.cookie, hashkey.slice(7));
  return key === '' ? undefined : key;
}

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so every output bit depends on every input bit. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A deterministic number strictly inside (0, 1) from 53 hash bits. */
function unitHash(text: string): number {
  const high = hash32(text, 0x9e3779b9);
  const low = hash32(text, 0x7f4a7c15) >>> 11;
  return (high * 2 ** 21 + low + 0.5) / 2 ** 53;
}

/**
 * `byhash` (not in Apache): weighted rendezvous hashing (highest random weight). Each usable
 * candidate scores `lbfactor / -ln(h)`, where `h` in (0, 1) hashes the request key together
 * with the member URL; the highest score wins (the earlier member on a tie). So:
 * - the same key always reaches the same member while the candidates stay the same;
 * - a member leaving moves only the keys it held, spread over the others in proportion to
 *   their weights, and a member coming back takes back exactly those keys;
 * - a member with loadfactor 3 holds three times the keys of one with loadfactor 1.
 * The key is the balancer's `hashkey`: `'ip'` (client address, the default), `'path'` (the
 * path without the query), `'header:NAME'` or `'cookie:NAME'`. A request without a key (no such
 * header or cookie, or an empty value) is balanced as `byrequests`, as HAProxy falls back to
 * round robin. Lbsets, hot spares, standbys, drain and sticky sessions apply first, as for every
 * method: the hash chooses among the candidates Apache's selection frame leaves.
 * @example balancer('api').set({ lbmethod: 'byhash', hashkey: 'header:x-tenant' })
 */
export const byhash: LbMethodImpl = {
  name: 'byhash',
  pick(candidates, ctx) {
    const key = requestKey(ctx.request, ctx.balancer.hashkey);
    if (key === undefined) return pickByLbstatus(candidates);
    let best: MemberState | undefined;
    let bestScore = 0;
    for (const c of candidates) {
      const score = c.lbfactor / -Math.log(unitHash(`${key}\u0000${c.member.url.href}`));
      if (!best || score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  },
  reset(members) {
    for (const m of members) m.lbstatus = 0;
  },
};
