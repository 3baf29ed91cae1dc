/**
 * Error state and failover (apache-semantics.md §2, §10 items 19-22): connect failures put a
 * member in error for `retry`, failover is bounded by maxattempts, forcerecovery retries a
 * balancer whose members are all in error. Sequences marked "Apache 2.4.71" were observed on a
 * real Apache httpd 2.4.71.
 */
import { balancer } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { simulate } from '../src/testing/simulate.js';
import { config, names, url } from './balancer-helpers.js';

const at = (...times: number[]) => times.map((t) => ({ at: t }));

describe('a member that cannot be reached', () => {
  const b = balancer('c').member(url('a')).member(url('b'));

  it('fails over to another member, enters error state and is skipped until retry has passed (§10.19)', () => {
    const result = simulate(config(b), 'c', 64, {
      interval: 1000,
      events: [
        { member: url('a'), down: true },
        { time: 30_000, member: url('a'), down: false },
      ],
    });
    expect(result.requests[0]).toMatchObject({
      member: url('b'),
      status: 200,
      attempts: [url('a'), url('b')],
    });
    // Within 60 s (strictly: until now > errorTime + retry) everything goes to b.
    expect(new Set(result.picks.slice(0, 61))).toEqual(new Set([url('b')]));
    // At 61 s a leaves error state; byrequests gives it the next turn.
    expect(names(result.picks.slice(61))).toBe('b a b');
    expect(result.members[0]).toMatchObject({ status: 'Init Ok ', errors: 1, errorTime: 0, retries: 0 });
  });

  it('is retried only once now > errorTime + retry, strictly', () => {
    const fast = balancer('c').member(url('a'), { retry: 10, loadfactor: 3 }).member(url('b'));
    const result = simulate(config(fast), 'c', at(0, 10_000, 10_001), {
      events: [{ member: url('a'), down: true }],
    });
    expect(result.requests.map((r) => names(r.attempts))).toEqual(['a b', 'b', 'a b']);
    expect(result.members[0]).toMatchObject({ status: 'Init Err ', errorTime: 10_001, retries: 1 });
  });

  it('with retry 0 is eligible again on the very next attempt', () => {
    const eager = balancer('c').member(url('a'), { retry: 0 }).member(url('b'));
    const result = simulate(config(eager), 'c', 3, { events: [{ member: url('a'), down: true }] });
    expect(result.requests.map((r) => names(r.attempts))).toEqual(['a b', 'a b', 'a b']);
    const patient = simulate(config(b), 'c', 3, { events: [{ member: url('a'), down: true }] });
    expect(patient.requests.map((r) => names(r.attempts))).toEqual(['a b', 'b', 'b']);
  });

  it('has its error clock reset by the next answer it gives', () => {
    const heavy = balancer('c').member(url('a'), { loadfactor: 3 }).member(url('b'));
    const back = simulate(config(heavy), 'c', at(0, 61_000), {
      events: [
        { member: url('a'), down: true },
        { time: 5000, member: url('a'), down: false },
      ],
    });
    expect(names(back.picks)).toBe('b a');
    expect(back.members[0]).toMatchObject({ status: 'Init Ok ', errorTime: 0, retries: 0, errors: 1 });
    const stillDown = simulate(config(heavy), 'c', at(0, 61_000), {
      events: [{ member: url('a'), down: true }],
    });
    expect(stillDown.members[0]).toMatchObject({
      status: 'Init Err ',
      errorTime: 61_000,
      retries: 1,
      errors: 2,
    });
  });

  it('that ignores errors (+I) is never put in error and gets no failover (§10.22, Apache 2.4.71)', () => {
    const ign = balancer('c').member(url('x'), { status: '+I' }).member(url('b'));
    const result = simulate(config(ign), 'c', 4, { events: [{ member: url('x'), down: true }] });
    expect(names(result.picks)).toBe('- b - b');
    expect(result.requests.map((r) => r.status)).toEqual([503, 200, 503, 200]);
    expect(result.members[0]).toMatchObject({ status: 'Init Ign Ok ', errors: 2 });
  });

  it('that is stopped (S) never leaves error state by itself', () => {
    const stopped = balancer('c').member(url('b')).member(url('s'), { status: '+S+E' });
    const result = simulate(config(stopped), 'c', at(0, 500_000));
    expect(result.members[1]).toMatchObject({ status: 'Init Stop Err ', retries: 0 });
    const restarted = simulate(config(stopped), 'c', at(0, 500_000), {
      events: [{ time: 400_000, member: url('s'), status: '-S' }],
    });
    expect(restarted.members[1]).toMatchObject({ status: 'Init Ok ', retries: 1 });
  });
});

describe('every member down', () => {
  const both = balancer('c').member(url('x')).member(url('y'));
  const down = [
    { member: url('x'), down: true },
    { member: url('y'), down: true },
  ];

  it('with forcerecovery (default) tries both members on every request, then 503 (§10.20, Apache 2.4.71)', () => {
    const result = simulate(config(both), 'c', 3, { events: down });
    expect(result.picks).toEqual(['-', '-', '-']);
    expect(result.requests.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(result.requests.map((r) => names(r.attempts))).toEqual(['x y', 'y x', 'x y']);
  });

  it('without forcerecovery answers 503 without trying until retry has passed (§10.20, Apache 2.4.71)', () => {
    const noForce = both.set({ forcerecovery: false });
    const result = simulate(config(noForce), 'c', at(0, 1, 2, 60_001), { events: down });
    expect(result.requests.map((r) => names(r.attempts))).toEqual(['x y', '', '', 'y x']);
    expect(result.requests.map((r) => r.status)).toEqual([503, 503, 503, 503]);
  });

  it('a single member is retried on every request, one attempt each (§10.21)', () => {
    const single = balancer('c').member(url('x'));
    const result = simulate(config(single), 'c', 3, { events: [{ member: url('x'), down: true }] });
    expect(result.requests.map((r) => [names(r.attempts), r.status])).toEqual([
      ['x', 503],
      ['x', 503],
      ['x', 503],
    ]);
    expect(result.members[0]).toMatchObject({ status: 'Init Err ', retries: 2 });
  });

  it('is not recovered by forcerecovery when members are merely disabled', () => {
    const disabled = balancer('c').member(url('x'), { status: 'D' }).member(url('y'), { status: 'D' });
    const result = simulate(config(disabled), 'c', 2);
    expect(result.requests.map((r) => [r.attempts.length, r.status])).toEqual([
      [0, 503],
      [0, 503],
    ]);
    expect(result.members.map((m) => m.retries)).toEqual([0, 0]);
  });
});

describe('maxattempts', () => {
  const three = balancer('c').member(url('a')).member(url('b')).member(url('c'));
  const twoDown = [
    { member: url('a'), down: true },
    { member: url('b'), down: true },
  ];

  it('defaults to members - 1, so every member may be tried once', () => {
    const result = simulate(config(three), 'c', 1, { events: twoDown });
    expect(result.requests[0]).toMatchObject({ member: url('c'), status: 200 });
    expect(names(result.requests[0]!.attempts)).toBe('a b c');
  });

  it('bounds the failover attempts: maxattempts 1 means two tries, then 503', () => {
    const result = simulate(config(three.set({ maxattempts: 1 })), 'c', 2, { events: twoDown });
    expect(result.requests.map((r) => [names(r.attempts), r.status])).toEqual([
      ['a b', 503],
      ['c', 200],
    ]);
  });

  it('maxattempts 0 means no failover', () => {
    const result = simulate(config(three.set({ maxattempts: 0 })), 'c', 1, { events: twoDown });
    expect(result.requests[0]).toMatchObject({ attempts: [url('a')], status: 503 });
  });

  it('counts every attempt elected and releases every attempted member at the end', () => {
    const result = simulate(config(three), 'c', 1, { events: twoDown });
    expect(result.members.map((m) => [m.elected, m.busy])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
  });
});
