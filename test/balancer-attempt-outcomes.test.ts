/**
 * How the data path reports an attempt (`outcome`) and when Apache's attempt loop goes on
 * (`shouldRetry`), on the engine itself.
 */
import { balancer } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import {
  type AttemptOutcome,
  createLiveBalancer,
  displayStatus,
  type LiveBalancer,
  type MemberState,
} from '../src/balancer/index.js';
import { compile } from '../src/config/compile.js';
import { config, url } from './balancer-helpers.js';

function live(b: ReturnType<typeof balancer>): LiveBalancer {
  return createLiveBalancer(compile(config(b)).balancers.get(b.name)!);
}

const refused: AttemptOutcome = { type: 'connect-failed', reason: 'ECONNREFUSED' };

describe('outcome', () => {
  it('puts a member that could not be reached in error, with the time and the reason', () => {
    const lb = live(balancer('c').member(url('a')).member(url('b')));
    const a = lb.members[0]!;
    lb.outcome(a, refused, 1234);
    expect(a).toMatchObject({ errorTime: 1234, errors: 1, lastError: 'ECONNREFUSED' });
    expect(displayStatus(a)).toBe('Init Err ');
    expect(lb.usable(a)).toBe(false);
  });

  it('never puts a member that ignores errors in error', () => {
    const lb = live(
      balancer('c')
        .member(url('a'), { status: '+I' })
        .member(url('b'))
        .set({ failonstatus: [500] }),
    );
    const a = lb.members[0]!;
    lb.outcome(a, refused, 10);
    lb.outcome(a, { type: 'response', status: 500 }, 20);
    lb.outcome(a, { type: 'failed', reason: 'dns', status: 500 }, 30);
    expect(displayStatus(a)).toBe('Init Ign Ok ');
    expect(a.errors).toBe(2);
  });

  it("resets the error clock on any exchange, as Apache's successful connect does", () => {
    const lb = live(balancer('c').member(url('a')).member(url('b')));
    const a = lb.members[0]!;
    lb.outcome(a, refused, 500);
    a.retries = 3;
    lb.outcome(a, { type: 'response', status: 200 }, 600);
    expect(a).toMatchObject({ errorTime: 0, retries: 0 });
    // E itself stays until the next retry check, which now passes at once.
    expect(displayStatus(a)).toBe('Init Err ');
  });

  it('matches failonstatus against what the client gets: 502 for a broken exchange, 504 for a timeout', () => {
    const lb = live(
      balancer('c')
        .member(url('a'))
        .member(url('b'))
        .set({ failonstatus: [502] }),
    );
    const [a, b] = lb.members as [MemberState, MemberState];
    lb.outcome(a, { type: 'failed', reason: 'reset' }, 1);
    expect(displayStatus(a)).toBe('Init Err ');
    lb.outcome(b, { type: 'timeout' }, 1);
    expect(displayStatus(b)).toBe('Init Ok ');
    lb.outcome(b, { type: 'timeout', status: 502 }, 2);
    expect(displayStatus(b)).toBe('Init Err ');
  });

  it('puts a member in error on a 500 from a broken exchange, not on a 502', () => {
    const lb = live(balancer('c').member(url('a')).member(url('b')));
    const [a, b] = lb.members as [MemberState, MemberState];
    lb.outcome(a, { type: 'failed', reason: 'dns failure', status: 500 }, 1);
    lb.outcome(b, { type: 'failed', reason: 'invalid status line' }, 1);
    expect([displayStatus(a), displayStatus(b)]).toEqual(['Init Err ', 'Init Ok ']);
  });
});

describe('shouldRetry', () => {
  const three = balancer('c').member(url('a')).member(url('b')).member(url('c'));

  it('goes on after a connect failure while tries <= maxattempts', () => {
    const lb = live(three.set({ maxattempts: 2 }));
    const a = lb.members[0]!;
    lb.outcome(a, refused, 1);
    expect([1, 2, 3].map((tries) => lb.shouldRetry(a, refused, tries))).toEqual([true, true, false]);
  });

  it('stops after any answer, a timeout or a broken exchange', () => {
    const lb = live(three);
    const a = lb.members[0]!;
    a.flags.add('E');
    for (const outcome of [
      { type: 'response', status: 503 },
      { type: 'timeout' },
      { type: 'failed', reason: 'reset' },
    ] satisfies AttemptOutcome[]) {
      expect(lb.shouldRetry(a, outcome, 1)).toBe(false);
    }
  });

  it('stops when the member is still usable (it ignores errors)', () => {
    const lb = live(balancer('c').member(url('a'), { status: '+I' }).member(url('b')));
    const a = lb.members[0]!;
    lb.outcome(a, refused, 1);
    expect(lb.shouldRetry(a, refused, 1)).toBe(false);
  });
});
