/** The balancer `timeout`: waiting for a usable member as Apache's find_best_worker does (§2.5). */
import { balancer } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { createLiveBalancer, waitPlan } from '../src/balancer/index.js';
import { compile } from '../src/config/compile.js';
import { simulate } from '../src/testing/simulate.js';
import { config, url } from './balancer-helpers.js';

const allDisabled = balancer('c').member(url('a'), { status: 'D' }).member(url('b'), { status: 'D' });

describe('the balancer timeout', () => {
  it('polls every timeout/100, at most 100 times', () => {
    expect(waitPlan(2000)).toEqual({ stepMs: 20, polls: 100 });
    expect(waitPlan(1)).toEqual({ stepMs: 0.01, polls: 100 });
    expect(waitPlan(0)).toEqual({ stepMs: 0, polls: 0 });
  });

  it('lets one request wait at a time (Apache zeroes the timeout meanwhile)', () => {
    const lb = createLiveBalancer(compile(config(allDisabled.set({ timeout: 1 }))).balancers.get('c')!);
    const wait = lb.beginWait();
    expect(wait).toMatchObject({ stepMs: 10, polls: 100 });
    expect(lb.beginWait()).toBeUndefined();
    wait!.end();
    expect(lb.beginWait()).toBeDefined();
    const noTimeout = createLiveBalancer(compile(config(allDisabled)).balancers.get('c')!);
    expect(noTimeout.beginWait()).toBeUndefined();
  });

  it('serves a waiting request as soon as a member becomes usable', () => {
    const result = simulate(config(allDisabled.set({ timeout: 1 })), 'c', [{ at: 0 }, { at: 5 }], {
      events: [{ time: 705, member: url('b'), status: '-D' }],
    });
    expect(result.requests[0]).toMatchObject({ member: url('b'), status: 200, waitedMs: 710 });
    // The second request found the timeout in use and got 503 at once.
    expect(result.requests[1]).toMatchObject({ member: '-', status: 503, waitedMs: 0 });
  });

  it('answers 503 once the timeout has passed', () => {
    const result = simulate(config(allDisabled.set({ timeout: 1 })), 'c', [{ at: 0 }, { at: 2000 }]);
    expect(result.requests.map((r) => [r.status, r.waitedMs])).toEqual([
      [503, 1000],
      [503, 1000],
    ]);
  });

  it('does not wait without a timeout', () => {
    expect(simulate(config(allDisabled), 'c', 1).requests[0]).toMatchObject({ status: 503, waitedMs: 0 });
  });
});
