/**
 * One conformance suite run against every load-balancing method (Caddy's idea): each skips
 * unusable members, respects weights and returns nothing when nothing is usable.
 */
import { balancer, type LbMethod } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { LB_METHODS } from '../src/balancer/index.js';
import { compile } from '../src/config/compile.js';
import { type SimRequest, simulate } from '../src/testing/simulate.js';
import { config, url } from './balancer-helpers.js';

/** Distinct clients with equal traffic, so every method has something to work with. */
function traffic(n: number): SimRequest[] {
  return Array.from({ length: n }, (_, i) => ({
    clientIp: `10.0.${i >> 8}.${i & 255}`,
    requestBytes: 200,
    responseBytes: 1000,
  }));
}

function counts(picks: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of picks) out.set(p, (out.get(p) ?? 0) + 1);
  return out;
}

const methods = Object.keys(LB_METHODS) as LbMethod[];

describe.each(methods)('lbmethod %s', (method) => {
  it('is registered under its own name', () => {
    expect(LB_METHODS[method].name).toBe(method);
  });

  it('skips disabled, stopped, health-failed and erroring members', () => {
    const b = balancer('c')
      .member(url('d'), { status: 'D' })
      .member(url('s'), { status: 'S' })
      .member(url('h'), { status: 'C' })
      .member(url('e'), { status: 'E' })
      .member(url('ok1'))
      .member(url('ok2'))
      .lbmethod(method);
    const { picks } = simulate(config(b), 'c', traffic(200));
    expect(new Set(picks)).toEqual(new Set([url('ok1'), url('ok2')]));
  });

  it('gives a member with loadfactor 3 about three times the traffic of one with loadfactor 1', () => {
    const b = balancer('c').member(url('a')).member(url('b'), { loadfactor: 3 }).lbmethod(method);
    const c = counts(simulate(config(b), 'c', traffic(4000)).picks);
    const ratio = c.get(url('b'))! / c.get(url('a'))!;
    expect(ratio).toBeGreaterThan(2.6);
    expect(ratio).toBeLessThan(3.4);
  });

  it('returns nothing when no member is usable, and the request gets 503', () => {
    const b = balancer('c')
      .member(url('a'), { status: 'D' })
      .member(url('b'), { status: 'S' })
      .lbmethod(method);
    const result = simulate(config(b), 'c', traffic(3));
    expect(result.picks).toEqual(['-', '-', '-']);
    expect(result.requests.map((r) => r.status)).toEqual([503, 503, 503]);
  });

  it('picks nothing from no candidates', () => {
    const request = { method: 'GET', url: '/', cookie: undefined, clientIp: '::1', header: () => undefined };
    const compiled = compile(config(balancer('c').member(url('a')).lbmethod(method))).balancers.get('c')!;
    expect(LB_METHODS[method].pick([], { request, balancer: compiled })).toBeUndefined();
  });
});
