/**
 * Apache's selection frame (`proxy_balancer_get_best_worker`, §1.2): lbset tiers, hot spares
 * replacing unusable members one for one, hot standbys as last resort, drain (§10 items 9-12;
 * the sequences marked "Apache 2.4.71" were observed on a real Apache httpd 2.4.71).
 */
import { balancer } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { simulate } from '../src/testing/simulate.js';
import { config, names, url } from './balancer-helpers.js';

function picks(b: ReturnType<typeof balancer>, n: number): string {
  return names(simulate(config(b), b.name, n).picks);
}

describe('hot spares (R)', () => {
  it('stay idle while every member is usable', () => {
    const b = balancer('c').member(url('a')).member(url('b')).member(url('s1'), { status: '+R' });
    expect(picks(b, 4)).toBe('a b a b');
  });

  it('replace one unusable member each, in config order (§10.9, Apache 2.4.71)', () => {
    const b = balancer('c')
      .member(url('a'), { status: 'D' })
      .member(url('b'))
      .member(url('s1'), { status: '+R' })
      .member(url('s2'), { status: '+R' });
    expect(picks(b, 6)).toBe('b s1 b s1 b s1');
  });

  it('two unusable members bring in two spares (§10.9, Apache 2.4.71)', () => {
    const b = balancer('c')
      .member(url('a'), { status: 'D' })
      .member(url('b'), { status: 'D' })
      .member(url('s1'), { status: '+R' })
      .member(url('s2'), { status: '+R' });
    expect(picks(b, 6)).toBe('s1 s2 s1 s2 s1 s2');
  });

  it('a member with both R and H is a spare', () => {
    const b = balancer('c')
      .member(url('a'), { status: 'D' })
      .member(url('b'))
      .member(url('rh'), { status: '+R+H' });
    expect(picks(b, 4)).toBe('b rh b rh');
  });

  it('a spare standing in takes precedence over a standby', () => {
    const b = balancer('c')
      .member(url('a'), { status: 'D' })
      .member(url('h'), { status: '+H' })
      .member(url('s'), { status: '+R' });
    expect(picks(b, 3)).toBe('s s s');
  });
});

describe('hot standbys (H)', () => {
  it('serve only when nothing else in the lbset can (§10.10)', () => {
    const up = balancer('c').member(url('a')).member(url('h'), { status: '+H' });
    expect(picks(up, 3)).toBe('a a a');
    const down = balancer('c').member(url('a'), { status: 'D' }).member(url('h'), { status: '+H' });
    expect(picks(down, 3)).toBe('h h h');
  });

  it('are balanced among themselves', () => {
    const b = balancer('c')
      .member(url('a'), { status: 'S' })
      .member(url('h1'), { status: '+H' })
      .member(url('h2'), { status: '+H', loadfactor: 3 });
    expect(picks(b, 4)).toBe('h2 h1 h2 h2');
  });
});

describe('lbsets', () => {
  it('use a higher lbset only when the lower one has nothing usable (§10.11)', () => {
    const both = balancer('c').member(url('a')).member(url('b'), { lbset: 1 });
    const result = simulate(config(both), 'c', 3);
    expect(names(result.picks)).toBe('a a a');
    expect(result.members[1]).toMatchObject({ elected: 0, lbstatus: 0 });
    const lowerDown = balancer('c').member(url('a'), { status: 'D' }).member(url('b'), { lbset: 1 });
    expect(picks(lowerDown, 3)).toBe('b b b');
  });

  it("try a lower lbset's standby before any higher lbset (§10.11, Apache 2.4.71)", () => {
    const b = balancer('c')
      .member(url('a'), { status: 'D' })
      .member(url('h'), { status: '+H' })
      .member(url('b'), { lbset: 1 });
    expect(picks(b, 3)).toBe('h h h');
  });

  it('skip empty lbsets on the way up', () => {
    const b = balancer('c').member(url('a'), { status: 'D' }).member(url('z'), { lbset: 7 });
    expect(picks(b, 2)).toBe('z z');
  });
});

describe('drain (N)', () => {
  it('takes no balanced traffic but keeps its sticky sessions (§10.12, Apache 2.4.71)', () => {
    const b = balancer('c')
      .member(url('a'), { status: '+N', route: 'a' })
      .member(url('b'), { route: 'b' })
      .set({ stickysession: 'S' });
    const result = simulate(config(b), 'c', [
      {},
      {},
      {},
      { cookies: { S: 'x.a' } },
      { cookies: { S: 'x.a' } },
    ]);
    expect(names(result.picks)).toBe('b b b a a');
    expect(result.members[0]!.status).toBe('Init Drn Ok ');
  });

  it('leaves a slot for a hot spare', () => {
    const b = balancer('c')
      .member(url('a'), { status: '+N' })
      .member(url('b'))
      .member(url('s'), { status: '+R' });
    expect(picks(b, 4)).toBe('b s b s');
  });

  it('is not even retried out of error state while draining', () => {
    const b = balancer('c')
      .member(url('b'))
      .member(url('a'), { status: '+N+E' })
      .member(url('e'), { status: '+E' });
    const result = simulate(config(b), 'c', [{ at: 70_000 }]);
    expect(result.members.map((m) => [m.status, m.retries])).toEqual([
      ['Init Ok ', 0],
      ['Init Drn Err ', 0],
      ['Init Ok ', 1],
    ]);
  });
});
