/**
 * Live member state across config reloads (kept by key) and the balancer manager's runtime
 * changes (Apache's `balancer_process_balancer_worker`: w_status_*, w_lf, b_lbm).
 */
import { balancer } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import {
  type BalancerRequest,
  createLiveBalancer,
  displayStatus,
  type LiveBalancer,
  type MemberState,
} from '../src/balancer/index.js';
import { compile } from '../src/config/compile.js';
import { config, url } from './balancer-helpers.js';

const request: BalancerRequest = {
  method: 'GET',
  url: '/',
  cookie: undefined,
  clientIp: '::1',
  header: () => undefined,
};

function live(b: ReturnType<typeof balancer>, states?: ReadonlyMap<string, MemberState>): LiveBalancer {
  return createLiveBalancer(compile(config(b)).balancers.get(b.name)!, states);
}

function run(lb: LiveBalancer, n: number, now = 0): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const sel = lb.select(request, now);
    if (!sel.ok) throw new Error(sel.reason);
    lb.outcome(sel.member, { type: 'response', status: 200 }, now);
    lb.release(sel.member, { transferred: 0, read: 0 });
    out.push(new URL(sel.member.member.url.href).hostname.replace('.test', ''));
  }
  return out.join(' ');
}

function statesOf(lb: LiveBalancer): Map<string, MemberState> {
  return new Map(lb.members.map((m) => [m.key, m]));
}

describe('reloading a balancer', () => {
  const v1 = balancer('c').member(url('a')).member(url('b'), { loadfactor: 3 });

  it('continues the balance where it was, with the same state objects', () => {
    const first = live(v1);
    expect(run(first, 3)).toBe('b a b');
    const second = live(v1, statesOf(first));
    expect(second.members[0]).toBe(first.members[0]);
    expect(run(second, 5)).toBe('b b a b b');
  });

  it('keeps a member in error state and its error clock', () => {
    const first = live(v1);
    const a = first.members[0]!;
    first.outcome(a, { type: 'connect-failed', reason: 'refused' }, 1000);
    const second = live(v1, statesOf(first));
    expect(displayStatus(second.members[0]!)).toBe('Init Err ');
    expect(second.members[0]!.errorTime).toBe(1000);
  });

  it('applies what the config changed and keeps manager changes the config left alone', () => {
    const first = live(v1);
    first.setLbfactor(first.members[0]!, 500);
    first.setFlag(first.members[1]!, 'N', true);
    first.members[0]!.flags.add('E');
    const v2 = balancer('c')
      .member(url('a'), { status: '+H' })
      .member(url('b'), { loadfactor: 2, route: 'r2' })
      .member(url('new'));
    const second = live(v2, statesOf(first));
    expect(second.members.map((m) => [m.lbfactor, m.route, displayStatus(m)])).toEqual([
      [500, '', 'Init Err Stby '],
      [200, 'r2', 'Init Drn Ok '],
      [100, '', 'Init Ok '],
    ]);
    const v3 = balancer('c').member(url('a')).member(url('b'), { loadfactor: 2, route: 'r2' });
    const third = live(v3, statesOf(second));
    expect(third.members.map((m) => displayStatus(m))).toEqual(['Init Err ', 'Init Drn Ok ']);
  });
});

describe('balancer manager changes', () => {
  it('show member status as Apache does', () => {
    const lb = live(
      balancer('c')
        .member(url('a'))
        .member(url('b'), { status: 'D' })
        .member(url('c'), { status: '+H' })
        .member(url('d'), { status: '+N' })
        .member(url('e'), { status: 'I+S+E' }),
    );
    lb.setFlag(lb.members[4]!, 'C', true);
    lb.setFlag(lb.members[4]!, 'R', true);
    expect(lb.members.map(displayStatus)).toEqual([
      'Init Ok ',
      'Init Dis ',
      'Init Stby Ok ',
      'Init Drn Ok ',
      'Init Ign Stop Err Spar HcFl ',
    ]);
  });

  it('re-enabling an unusable member resets the lbmethod before the next selection', () => {
    const lb = live(
      balancer('c').member(url('a')).member(url('b'), { loadfactor: 3 }).member(url('x'), { status: 'D' }),
    );
    expect(run(lb, 3)).toBe('b a b');
    lb.setFlag(lb.members[2]!, 'D', false);
    expect(lb.members.map((m) => m.lbstatus)).not.toEqual([0, 0, 0]);
    // Fresh start: a 100, b 300, x 100 → b; then a, x tie at 200 vs b 200 → a ...
    expect(run(lb, 5)).toBe('b a b x b');
  });

  it('disabling a member takes effect on the next selection without a reset', () => {
    const lb = live(balancer('c').member(url('a')).member(url('b')));
    expect(run(lb, 1)).toBe('a');
    lb.setFlag(lb.members[0]!, 'D', true);
    expect(run(lb, 2)).toBe('b b');
    expect(lb.members[0]!.lbstatus).toBe(-100);
  });

  it('changing a loadfactor sets every lbstatus to its lbfactor; a lone member keeps 100', () => {
    const lb = live(balancer('c').member(url('a')).member(url('b')));
    run(lb, 3);
    lb.setLbfactor(lb.members[0]!, 300);
    expect(lb.members.map((m) => [m.lbfactor, m.lbstatus])).toEqual([
      [300, 300],
      [100, 100],
    ]);
    const lone = live(balancer('l').member(url('a')));
    lone.setLbfactor(lone.members[0]!, 700);
    expect([lone.members[0]!.lbfactor, lone.members[0]!.lbstatus]).toEqual([100, 100]);
  });

  it("switching the lbmethod runs the new method's reset before the next selection", () => {
    const lb = live(balancer('c').member(url('a')).member(url('b')));
    const sel = lb.select(request, 0);
    if (!sel.ok) throw new Error(sel.reason);
    lb.release(sel.member, { transferred: 5000, read: 9000 });
    lb.configure({ lbmethod: 'bytraffic' });
    expect(lb.config.lbmethod).toBe('bytraffic');
    expect(run(lb, 1)).toBe('a');
    expect(lb.members.map((m) => [m.transferred, m.read])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('changes stickiness, nofailover, maxattempts and timeout at runtime', () => {
    const lb = live(
      balancer('c').member(url('a'), { route: 'r' }).member(url('b')).set({ stickysession: 'S' }),
    );
    lb.configure({ nofailover: true, maxattempts: 0, timeoutMs: 3000, lbmethod: undefined });
    expect(lb.config).toMatchObject({
      nofailover: true,
      maxattempts: 0,
      timeoutMs: 3000,
      lbmethod: 'byrequests',
    });
    lb.configure({ sticky: undefined });
    const sel = lb.select({ ...request, cookie: 'S=x.r' }, 0);
    expect(sel).toMatchObject({ ok: true, stickyRoute: undefined, routeChanged: false });
  });
});
