/** bytraffic: bytes sent and read, weighted by lbfactor, Apache's integer arithmetic (§1.4). */
import { balancer } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { type SimRequest, simulate } from '../src/testing/simulate.js';
import { config, names, url } from './balancer-helpers.js';

function exchanges(n: number, requestBytes: number, responseBytes: number): SimRequest[] {
  return Array.from({ length: n }, () => ({ requestBytes, responseBytes }));
}

describe('bytraffic', () => {
  it('A lf 1, B lf 3, 200 B sent and 1000 B read each: A B B B repeating (§10.7)', () => {
    const b = balancer('c').member(url('a')).member(url('b'), { loadfactor: 3 }).lbmethod('bytraffic');
    const result = simulate(config(b), 'c', exchanges(12, 200, 1000));
    expect(names(result.picks)).toBe('a b b b a b b b a b b b');
    expect(result.members.map((m) => [m.transferred, m.read])).toEqual([
      [600, 3000],
      [1800, 9000],
    ]);
  });

  it('divides sent and read bytes separately, as Apache does (50 + 50 B: a a b b, not a b a b)', () => {
    const b = balancer('c').member(url('a')).member(url('b')).lbmethod('bytraffic');
    expect(names(simulate(config(b), 'c', exchanges(8, 50, 50)).picks)).toBe('a a b b a a b b');
  });

  it('sends the next request to the member that moved fewer bytes', () => {
    const b = balancer('c').member(url('a')).member(url('b')).lbmethod('bytraffic');
    const sizes = [100_000, 100, 100, 100, 100];
    const result = simulate(
      config(b),
      'c',
      sizes.map((responseBytes) => ({ responseBytes })),
    );
    expect(names(result.picks)).toBe('a b b b b');
  });

  it('counts no bytes for an attempt that could not connect', () => {
    const b = balancer('c').member(url('a')).member(url('b')).lbmethod('bytraffic');
    const result = simulate(config(b), 'c', exchanges(1, 300, 700), {
      events: [{ member: url('a'), down: true }],
    });
    expect(result.requests[0]!.attempts).toEqual([url('a'), url('b')]);
    expect(result.members.map((m) => [m.transferred, m.read])).toEqual([
      [0, 0],
      [300, 700],
    ]);
  });
});
