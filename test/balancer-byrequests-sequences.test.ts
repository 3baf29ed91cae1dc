/**
 * byrequests pick sequences from Apache's lbstatus arithmetic (apache-semantics.md §1.3 and
 * §10 items 1-4, 6). The sequences marked "Apache 2.4.71" were also observed on a real
 * Apache httpd 2.4.71 (Debian) with the same members.
 */
import { balancer } from 'tsx-proxy';
import { simulate } from '../src/testing/simulate.js';
import { describe, expect, it } from 'vitest';
import { config, names, url } from './balancer-helpers.js';

function picks(b: ReturnType<typeof balancer>, n: number): string {
  return names(simulate(config(b), b.name, n).picks);
}

describe('byrequests follows Apache lbstatus arithmetic', () => {
  it('A lf 1, B lf 3: B A B B repeating (§10.1, Apache 2.4.71)', () => {
    const b = balancer('c').member(url('a')).member(url('b'), { loadfactor: 3 });
    expect(picks(b, 12)).toBe('b a b b b a b b b a b b');
  });

  it('B listed first: B B A B repeating (§10.2)', () => {
    const b = balancer('c').member(url('b'), { loadfactor: 3 }).member(url('a'));
    expect(picks(b, 8)).toBe('b b a b b b a b');
  });

  it('lf 1/2/3: C B A C B C repeating (§10.3, Apache 2.4.71)', () => {
    const b = balancer('c')
      .member(url('a'), { loadfactor: 1 })
      .member(url('b'), { loadfactor: 2 })
      .member(url('c'), { loadfactor: 3 });
    expect(picks(b, 12)).toBe('c b a c b c c b a c b c');
  });

  it('lf 2.3 truncates to 229 and gives A B A A B A A A B A (§10.4, Apache 2.4.71)', () => {
    const b = balancer('c').member(url('a'), { loadfactor: 2.3 }).member(url('b'));
    const result = simulate(config(b), 'c', 12);
    expect(names(result.picks)).toBe('a b a a b a a a b a a b');
    expect(result.members[0]!.lbfactor).toBe(229);
  });

  it('lf 1.5/1 alternates A B A B A', () => {
    const b = balancer('c').member(url('a'), { loadfactor: 1.5 }).member(url('b'));
    expect(picks(b, 10)).toBe('a b a b a a b a b a');
  });

  it('lf 70/30 matches the table of mod_lbmethod_byrequests.xml', () => {
    const b = balancer('c').member(url('a'), { loadfactor: 70 }).member(url('b'), { loadfactor: 30 });
    expect(picks(b, 10)).toBe('a b a a a b a a b a');
  });

  it('lf 1/1/1/2 from zero state: d a b c d d a b c d', () => {
    const b = balancer('c')
      .member(url('a'))
      .member(url('b'))
      .member(url('c'))
      .member(url('d'), { loadfactor: 2 });
    expect(picks(b, 10)).toBe('d a b c d d a b c d');
  });

  it('a disabled member is skipped and its lbstatus frozen (§10.6)', () => {
    const b = balancer('c').member(url('a')).member(url('b'), { status: 'D' }).member(url('c'));
    const result = simulate(config(b), 'c', 6);
    expect(names(result.picks)).toBe('a c a c a c');
    expect(result.members[1]).toMatchObject({ status: 'Init Dis ', lbstatus: 0, elected: 0 });
  });

  it('four equal members with b disabled: a c d a c d', () => {
    const b = balancer('c')
      .member(url('a'))
      .member(url('b'), { status: '+D' })
      .member(url('c'))
      .member(url('d'));
    expect(picks(b, 6)).toBe('a c d a c d');
  });

  it('counts elections and keeps the lbstatus sum at zero', () => {
    const b = balancer('c').member(url('a')).member(url('b'), { loadfactor: 3 });
    const { members } = simulate(config(b), 'c', 8);
    expect(members.map((m) => m.elected)).toEqual([2, 6]);
    expect(members.reduce((sum, m) => sum + m.lbstatus, 0)).toBe(0);
  });
});
