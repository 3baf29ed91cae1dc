/** bybusyness: fewest requests in flight, byrequests arithmetic as tie-break (§1.5, §10.8). */
import { balancer } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { simulate } from '../src/testing/simulate.js';
import { config, names, url } from './balancer-helpers.js';

const weighted = balancer('c').member(url('a')).member(url('b'), { loadfactor: 3 }).lbmethod('bybusyness');

describe('bybusyness', () => {
  it('spreads sequential requests exactly as byrequests (§10.8)', () => {
    expect(names(simulate(config(weighted), 'c', 8).picks)).toBe('b a b b b a b b');
  });

  it('alternates while no request finishes: B A B A B A', () => {
    const slow = Array.from({ length: 6 }, () => ({ duration: 60_000 }));
    const result = simulate(config(weighted), 'c', slow);
    expect(names(result.picks)).toBe('b a b a b a');
    expect(result.members.map((m) => m.busy)).toEqual([0, 0]);
  });

  it('sends the next request to A while B holds one slow request (§10.8)', () => {
    const result = simulate(config(weighted), 'c', [{ duration: 10_000 }, {}, {}, { at: 20_000 }]);
    expect(names(result.picks)).toBe('b a a b');
  });

  it('frees a member when its request ends, on the virtual clock', () => {
    const b = balancer('c').member(url('a')).member(url('b')).lbmethod('bybusyness');
    const result = simulate(config(b), 'c', [
      { at: 0, duration: 1000 },
      { at: 10 },
      { at: 20 },
      { at: 30 },
      { at: 2000 },
    ]);
    // While A serves its long request everything goes to B; once it ends, A's lbstatus wins.
    expect(names(result.picks)).toBe('a b b b a');
  });
});
