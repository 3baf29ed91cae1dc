/**
 * failonstatus and failontimeout (§2.3, §10 items 23-24): the answer still goes to the client,
 * only later requests avoid the member.
 */
import { balancer } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { simulate } from '../src/testing/simulate.js';
import { config, names, url } from './balancer-helpers.js';

const pair = balancer('c').member(url('a')).member(url('b'));

describe('failonstatus', () => {
  it('returns the status to the client without retrying, then keeps the member out (§10.23)', () => {
    const b = pair.set({ failonstatus: [500, 503] });
    const result = simulate(config(b), 'c', 4, { events: [{ member: url('a'), answer: 500 }] });
    expect(result.requests[0]).toMatchObject({ member: url('a'), status: 500, attempts: [url('a')] });
    expect(names(result.picks.slice(1))).toBe('b b b');
    expect(result.members[0]).toMatchObject({ status: 'Init Err ', errors: 1 });
  });

  it('ignores statuses not listed', () => {
    const b = pair.set({ failonstatus: [503] });
    const result = simulate(config(b), 'c', 4, { events: [{ member: url('a'), answer: 500 }] });
    expect(names(result.picks)).toBe('a b a b');
    expect(result.members[0]!.status).toBe('Init Ok ');
  });

  it('never applies to a member that ignores errors (+I)', () => {
    const b = balancer('c')
      .member(url('a'), { status: '+I' })
      .member(url('b'))
      .set({ failonstatus: [500] });
    const result = simulate(config(b), 'c', 4, { events: [{ member: url('a'), answer: 500 }] });
    expect(names(result.picks)).toBe('a b a b');
  });
});

describe('a member that never answers', () => {
  const slow = balancer('c').member(url('a'), { timeout: 2 }).member(url('b'));

  it('gives the client 504 after its timeout and stays in use without failontimeout', () => {
    const result = simulate(config(slow), 'c', 4, {
      interval: 5000,
      events: [{ member: url('a'), answer: 'timeout' }],
    });
    expect(result.requests.map((r) => [names([r.member]), r.status])).toEqual([
      ['a', 504],
      ['b', 200],
      ['a', 504],
      ['b', 200],
    ]);
    expect(result.members[0]!.status).toBe('Init Ok ');
  });

  it('is put in error with failontimeout (§10.24)', () => {
    const result = simulate(config(slow.set({ failontimeout: true })), 'c', 4, {
      interval: 5000,
      events: [{ member: url('a'), answer: 'timeout' }],
    });
    expect(result.requests.map((r) => r.status)).toEqual([504, 200, 200, 200]);
    expect(result.members[0]).toMatchObject({ status: 'Init Err ', errorTime: 2000 });
  });

  it('is put in error when the timeout status is listed in failonstatus', () => {
    const result = simulate(config(slow.set({ failonstatus: [504] })), 'c', 3, {
      interval: 5000,
      events: [{ member: url('a'), answer: 'timeout' }],
    });
    expect(names(result.picks)).toBe('a b b');
  });
});
