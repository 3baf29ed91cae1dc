import { describe, expect, test } from 'vitest';
import type { LiveBalancer, MemberState } from '../src/balancer/types.js';
import type { HealthCheck } from '../src/dsl/params.js';
import { type CheckResult, forgetHealth, healthOf, recordCheck } from '../src/health/index.js';
import { balancer } from '../src/index.js';
import { compileBalancer, liveBalancers } from './health-helpers.js';

const PASS: CheckResult = { ok: true, status: 200 };
const FAIL: CheckResult = { ok: false, status: 500, error: 'HTTP 500' };

function setup(check: HealthCheck): { live: LiveBalancer; a: MemberState; b: MemberState } {
  const config = compileBalancer(
    balancer('web').member('http://127.0.0.1:1').member('http://127.0.0.1:2').healthCheck(check),
  );
  const live = liveBalancers(config)[0]!;
  return { live, a: live.members[0]!, b: live.members[1]! };
}

/** Feeds results one by one; returns the index of each transition. */
function feed(member: MemberState, results: readonly CheckResult[], start = 1000): string[] {
  return results.flatMap((r, i) => {
    const t = recordCheck(member, r, start + i * 100);
    return t ? [`${i + 1}:${t.type}`] : [];
  });
}

describe('fails in a row take a member out of rotation (flag C)', () => {
  test('exactly `fails` failing checks in a row set C, once', () => {
    const { live, a } = setup({ fails: 3, passes: 2 });
    expect(feed(a, [FAIL, FAIL, FAIL, FAIL, FAIL])).toEqual(['3:down']);
    expect(a.flags.has('C')).toBe(true);
    expect(live.usable(a)).toBe(false);
  });

  test('a passing check in between starts the count again (consecutive, as Apache documents)', () => {
    const { a } = setup({ fails: 3 });
    // Apache's code would count these cumulatively and take the member out at the 4th result.
    expect(feed(a, [FAIL, FAIL, PASS, FAIL, FAIL, PASS, FAIL, FAIL])).toEqual([]);
    expect(a.flags.has('C')).toBe(false);
    expect(healthOf(a)?.failCount).toBe(2);
    expect(feed(a, [FAIL])).toEqual(['1:down']);
  });

  test('the balancer stops choosing the member', () => {
    const { live, a, b } = setup({ fails: 1 });
    recordCheck(a, FAIL, 1000);
    const picks = Array.from({ length: 6 }, () => {
      const sel = live.select(
        { method: 'GET', url: '/', cookie: undefined, clientIp: '127.0.0.1', header: () => undefined },
        2000,
      );
      if (!sel.ok) throw new Error(sel.reason);
      live.release(sel.member, { transferred: 0, read: 0 });
      return sel.member.member.url.href;
    });
    expect(new Set(picks)).toEqual(new Set([b.member.url.href]));
  });

  test('every failed check of a member in rotation stamps its error time (Apache)', () => {
    const { a } = setup({ fails: 3 });
    recordCheck(a, FAIL, 5000);
    expect(a.errorTime).toBe(5000);
    expect(a.flags.has('E')).toBe(false);
  });
});

describe('passes in a row bring it back', () => {
  test('exactly `passes` passing checks in a row clear C', () => {
    const { live, a } = setup({ fails: 1, passes: 3 });
    recordCheck(a, FAIL, 1000);
    expect(feed(a, [PASS, PASS, FAIL, PASS, PASS, PASS])).toEqual(['6:up']);
    expect(a.flags.has('C')).toBe(false);
    expect(live.usable(a)).toBe(true);
  });

  test('the health state shows the counts, the last result and the last error', () => {
    const { a } = setup({ fails: 1, passes: 2 });
    recordCheck(a, { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:1', durationMs: 3 }, 1000);
    recordCheck(a, { ...PASS, durationMs: 4 }, 1100);
    expect(healthOf(a)).toEqual({
      passCount: 1,
      failCount: 0,
      checks: 2,
      lastCheck: 1100,
      lastDurationMs: 4,
      lastResult: 'pass',
      lastStatus: 200,
      lastError: undefined,
    });
  });
});

describe('active checks and passive errors combine as in Apache', () => {
  test('passing checks clear a passive error (E) without waiting for retry', () => {
    const { live, a } = setup({ passes: 2 });
    live.outcome(a, { type: 'connect-failed', reason: 'connect ECONNREFUSED' }, 1000);
    expect(a.flags.has('E')).toBe(true);
    const transitions = [recordCheck(a, PASS, 1100), recordCheck(a, PASS, 1200)];
    expect(transitions).toEqual([undefined, { type: 'up', passes: 2, cleared: ['E'] }]);
    expect(live.usable(a)).toBe(true);
  });

  test('failing checks of a member in error do not count towards C', () => {
    const { live, a } = setup({ fails: 1 });
    live.outcome(a, { type: 'connect-failed', reason: 'connect ECONNREFUSED' }, 1000);
    expect(feed(a, [FAIL, FAIL])).toEqual([]);
    expect(a.flags.has('C')).toBe(false);
    expect(a.errorTime).toBe(1000);
  });

  test('a member both C and E comes back with both cleared', () => {
    const { live, a } = setup({ fails: 1, passes: 1 });
    recordCheck(a, FAIL, 1000);
    live.outcome(a, { type: 'connect-failed', reason: 'refused' }, 1050);
    expect(recordCheck(a, PASS, 1100)).toEqual({ type: 'up', passes: 1, cleared: ['C', 'E'] });
    expect(live.usable(a)).toBe(true);
  });

  test('a member in error that recovers by retry starts a fresh pass count next time', () => {
    const { live, a } = setup({ fails: 1, passes: 2 });
    live.outcome(a, { type: 'connect-failed', reason: 'refused' }, 1000);
    recordCheck(a, PASS, 1100);
    a.flags.delete('E'); // what the engine's retry does once `retry` has passed
    recordCheck(a, PASS, 1200);
    recordCheck(a, FAIL, 1300);
    expect(feed(a, [PASS])).toEqual([]);
    expect(feed(a, [PASS])).toEqual(['1:up']);
  });
});

test('removing a member health check forgets its state and clears the C it set', () => {
  const { a } = setup({ fails: 1 });
  recordCheck(a, FAIL, 1000);
  expect(forgetHealth(a)).toBe(true);
  expect(a.flags.has('C')).toBe(false);
  expect(healthOf(a)).toBeUndefined();
  expect(forgetHealth(a)).toBe(false);
});
