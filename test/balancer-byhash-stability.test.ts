/**
 * byhash (rendezvous hashing, not in Apache): the same key keeps its member, and a member
 * leaving moves only the keys it held.
 */
import { type Balancer, balancer, type HashKey } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { type SimRequest, simulate } from '../src/testing/simulate.js';
import { config, names, url } from './balancer-helpers.js';

const members = ['a', 'b', 'c', 'd'];

function hashed(list: readonly string[], hashkey: HashKey = 'ip'): Balancer {
  return list.reduce((b, m) => b.member(url(m)), balancer('h').set({ lbmethod: 'byhash', hashkey }));
}

const clients: SimRequest[] = Array.from({ length: 1000 }, (_, i) => ({
  clientIp: `192.0.2.${i % 250}`,
  headers: { 'x-user': `u${i}` },
}));

function mapping(b: Balancer, requests: readonly SimRequest[]): string[] {
  return simulate(config(b), 'h', requests).picks;
}

describe('byhash', () => {
  it('sends the same key to the same member, every time and in every run', () => {
    const repeated = [...clients.slice(0, 250), ...clients.slice(0, 250)];
    const picks = mapping(hashed(members), repeated);
    expect(picks.slice(250)).toEqual(picks.slice(0, 250));
    expect(mapping(hashed(members), repeated)).toEqual(picks);
    expect(new Set(picks).size).toBe(4);
  });

  it('hashes a header, a cookie or the path when told to', () => {
    const byHeader = mapping(hashed(members, 'header:X-User'), [
      { headers: { 'x-user': 'alice' }, clientIp: '10.0.0.1' },
      { headers: { 'X-User': 'alice' }, clientIp: '10.0.0.2' },
    ]);
    expect(byHeader[0]).toBe(byHeader[1]);
    const byCookie = mapping(hashed(members, 'cookie:sid'), [
      { cookies: { sid: 'abc', other: '1' }, clientIp: '10.0.0.1' },
      { cookies: 'x=2; sid=abc', clientIp: '10.0.0.9' },
    ]);
    expect(byCookie[0]).toBe(byCookie[1]);
    const paths = Array.from({ length: 40 }, (_, i) => `/item/${i}`);
    const byPath = mapping(hashed(members, 'path'), [
      ...paths.map((p) => ({ url: p })),
      ...paths.map((p, i) => ({ url: `${p}?page=${i}`, clientIp: '10.9.9.9' })),
    ]);
    expect(byPath.slice(40)).toEqual(byPath.slice(0, 40));
    expect(new Set(byPath).size).toBeGreaterThan(1);
  });

  it('moves only the keys of a member that leaves the config', () => {
    const before = mapping(hashed(members), clients);
    const after = mapping(hashed(['a', 'b', 'c']), clients);
    before.forEach((member, i) => {
      if (member !== url('d')) expect(after[i]).toBe(member);
    });
    expect(after).not.toContain(url('d'));
    expect(new Set(after.filter((_, i) => before[i] === url('d'))).size).toBe(3);
  });

  it('moves only the keys of a member that becomes unusable, and gives them back when it returns', () => {
    const steady = mapping(hashed(members), clients);
    const result = simulate(config(hashed(members)), 'h', [...clients, ...clients], {
      events: [
        { step: 0, member: url('b'), status: '+D' },
        { step: 1000, member: url('b'), status: '-D' },
      ],
    });
    const during = result.picks.slice(0, 1000);
    const afterwards = result.picks.slice(1000);
    steady.forEach((member, i) => {
      if (member !== url('b')) expect(during[i]).toBe(member);
      else expect(during[i]).not.toBe(url('b'));
    });
    expect(afterwards).toEqual(steady);
  });

  it('balances requests without a key as byrequests', () => {
    const b = hashed(['a', 'b']).set({ hashkey: 'header:x-tenant' });
    expect(names(mapping(b, [{}, {}, {}, { headers: { 'x-tenant': '' } }]))).toBe('a b a b');
  });

  it('chooses only among the lbset candidates, like every method', () => {
    const tiered = balancer('h')
      .member(url('a'), { status: 'D' })
      .member(url('b'), { lbset: 1 })
      .member(url('c'), { lbset: 1 })
      .set({ lbmethod: 'byhash' });
    expect(new Set(mapping(tiered, clients))).toEqual(new Set([url('b'), url('c')]));
  });
});
