/**
 * Sticky sessions exactly as mod_proxy_balancer reads and honours them (§3, §10 items 13-18).
 * Every case marked "Apache 2.4.71" gave the same member and BALANCER_ROUTE_CHANGED on a real
 * Apache httpd 2.4.71 (Debian) with the same configuration.
 */
import { balancer } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { type SimRequest, simulate } from '../src/testing/simulate.js';
import { config, names, url } from './balancer-helpers.js';

const routed = balancer('s')
  .member(url('a'), { route: 'n1' })
  .member(url('b'), { route: 'n2' })
  .set({ stickysession: 'JSESSIONID|jsessionid', scolonpathdelim: true });

function one(b: ReturnType<typeof balancer>, request: SimRequest) {
  return simulate(config(b), b.name, [request]).requests[0]!;
}

describe('reading the route', () => {
  it.each<[string, SimRequest, string, boolean]>([
    ['cookie JSESSIONID=abc.n2 (§10.13)', { cookies: { JSESSIONID: 'abc.n2' } }, 'b', false],
    [
      'a value without the separator carries no route (§10.14)',
      { cookies: { JSESSIONID: 'abc' } },
      'a',
      true,
    ],
    [
      'the URL parameter wins over the cookie (§10.16)',
      { url: '/x;jsessionid=abc.n1', cookies: { JSESSIONID: 'abc.n2' } },
      'a',
      false,
    ],
    ['a query parameter', { url: '/x?a=1&jsessionid=abc.n2' }, 'b', false],
    ['the parameter is found inside a longer name (strstr)', { url: '/x?myjsessionid=abc.n2' }, 'b', false],
    ['separators right after = are skipped (strtok)', { url: '/x?jsessionid=&a.n2' }, 'b', false],
    [
      'an empty parameter at the end falls back to the cookie',
      { url: '/x?jsessionid=', cookies: 'JSESSIONID=abc.n2' },
      'b',
      false,
    ],
    [
      'a parameter without separator hides the cookie',
      { url: '/x?jsessionid=abc', cookies: 'JSESSIONID=abc.n2' },
      'a',
      true,
    ],
    ['the cookie value ends at a comma', { cookies: 'JSESSIONID=abc.n2,x' }, 'b', false],
    [
      'a cookie name must start the header or follow ; , or space',
      { cookies: 'XJSESSIONID=abc.n1; JSESSIONID=abc.n2' },
      'b',
      false,
    ],
    [
      'spaces around = are allowed, the value is not trimmed',
      { cookies: 'a=1;  JSESSIONID = abc.n2' },
      'b',
      false,
    ],
    ['quotes stay in the value, so the route does not match', { cookies: 'JSESSIONID="abc.n2"' }, 'a', true],
    ['the route is everything after the first separator', { cookies: 'JSESSIONID=abc.n2.x' }, 'a', true],
  ])('%s (Apache 2.4.71)', (_label, request, member, routeChanged) => {
    const r = one(routed, request);
    expect(names([r.member])).toBe(member);
    expect(r.routeChanged).toBe(routeChanged);
  });

  it('reports the route it read, even an empty one or one no member has', () => {
    expect(one(routed, { cookies: { JSESSIONID: 'abc.n2' } }).stickyRoute).toBe('n2');
    expect(one(routed, { cookies: { JSESSIONID: 'abc.zz' } }).stickyRoute).toBe('zz');
    expect(one(routed, { cookies: { JSESSIONID: 'abc.' } }).stickyRoute).toBe('');
    expect(one(routed, { cookies: { JSESSIONID: 'abc' } }).stickyRoute).toBeUndefined();
  });

  it('ends URL parameters at ; only with scolonpathdelim (Apache 2.4.71)', () => {
    const plain = routed.set({ scolonpathdelim: false });
    const r = one(plain, { url: '/x?jsessionid=abc.n2;x=1' });
    expect(r.stickyRoute).toBe('n2;x=1');
    expect(r.routeChanged).toBe(true);
    expect(one(routed, { url: '/x?jsessionid=abc.n2;x=1' }).stickyRoute).toBe('n2');
  });

  it('takes the whole value with stickysessionsep off, or another separator (§10.15, Apache 2.4.71)', () => {
    const base = balancer('s').member(url('a'), { route: 'n1' }).member(url('b'), { route: 'n2' });
    const off = base.set({ stickysession: 'ROUTEID', stickysessionsep: false });
    expect(names([one(off, { cookies: { ROUTEID: 'n2' } }).member])).toBe('b');
    const bang = base.set({ stickysession: 'ROUTEID', stickysessionsep: '!' });
    expect(names([one(bang, { cookies: { ROUTEID: 'x!n2' } }).member])).toBe('b');
    expect(one(bang, { cookies: { ROUTEID: 'x.n2' } })).toMatchObject({
      member: url('a'),
      routeChanged: true,
    });
  });

  it('flags a route change for every balanced request of a sticky balancer, not for a plain one', () => {
    expect(one(routed, {}).routeChanged).toBe(true);
    const plain = balancer('p').member(url('a'), { route: 'n1' });
    expect(one(plain, { cookies: { JSESSIONID: 'x.n1' } })).toMatchObject({
      routeChanged: false,
      stickyRoute: undefined,
    });
  });
});

describe('a route whose member cannot take it', () => {
  const n1Disabled = balancer('s')
    .member(url('a'), { route: 'n1', status: 'D' })
    .member(url('b'), { route: 'n2' })
    .set({ stickysession: 'JSESSIONID' });

  it('fails over to another member, route changed (§10.17)', () => {
    expect(one(n1Disabled, { cookies: { JSESSIONID: 'abc.n1' } })).toMatchObject({
      member: url('b'),
      routeChanged: true,
    });
  });

  it('is answered 503 at once with nofailover (§10.17, Apache 2.4.71)', () => {
    const pinned = n1Disabled.set({ nofailover: true, timeout: 5 });
    expect(one(pinned, { cookies: { JSESSIONID: 'abc.n1' } })).toMatchObject({
      member: '-',
      status: 503,
      attempts: [],
      waitedMs: 0,
    });
    // An unknown route, or none, is balanced normally.
    expect(one(pinned, { cookies: { JSESSIONID: 'abc.zz' } })).toMatchObject({
      member: url('b'),
      routeChanged: true,
    });
    expect(one(pinned, {})).toMatchObject({ member: url('b'), routeChanged: true });
  });

  it('goes to the member named by its redirect; requests without a route are unaffected (§10.18, Apache 2.4.71)', () => {
    const redirected = balancer('s')
      .member(url('a'), { route: 'n1', status: 'D', redirect: 'n2' })
      .member(url('b'), { route: 'n2' })
      .member(url('c'), { route: 'n3' })
      .set({ stickysession: 'JSESSIONID' });
    const result = simulate(config(redirected), 's', [{ cookies: { JSESSIONID: 'abc.n1' } }, {}, {}]);
    expect(result.requests[0]).toMatchObject({ member: url('b'), routeChanged: true });
    expect(names(result.picks)).toBe('b c b');
  });

  it('goes to a hot standby with the same route (Apache 2.4.71)', () => {
    const standby = balancer('s')
      .member(url('a'), { route: 'n1', status: 'D' })
      .member(url('h'), { route: 'n1', status: '+H' })
      .member(url('b'), { route: 'n2' })
      .set({ stickysession: 'JSESSIONID|jsessionid' });
    expect(one(standby, { cookies: { JSESSIONID: 'abc.n1' } })).toMatchObject({
      member: url('h'),
      routeChanged: false,
    });
  });

  it('fails over when its member turns out to be down, unless nofailover', () => {
    const request = { cookies: { JSESSIONID: 'abc.n1' } };
    const down = { events: [{ member: url('a'), down: true }] };
    const sticky = routed.set({ stickysession: 'JSESSIONID' });
    expect(simulate(config(sticky), 's', [request], down).requests[0]).toMatchObject({
      attempts: [url('a'), url('b')],
      member: url('b'),
      status: 200,
      routeChanged: true,
    });
    const pinned = sticky.set({ nofailover: true });
    expect(simulate(config(pinned), 's', [request], down).requests[0]).toMatchObject({
      attempts: [url('a')],
      member: '-',
      status: 503,
    });
  });
});

describe('sticky hits count in the balance', () => {
  it('every usable member gains its lbfactor, the routed one gives back the total (§3.4, Apache 2.4.71)', () => {
    const b = balancer('s')
      .member(url('a'), { route: 'a' })
      .member(url('b'), { route: 'b', loadfactor: 3 })
      .set({ stickysession: 'S' });
    const requests: SimRequest[] = [
      { cookies: { S: 'x.a' } },
      { cookies: { S: 'x.a' } },
      ...Array(8).fill({}),
    ];
    const result = simulate(config(b), 's', requests);
    expect(names(result.picks)).toBe('a a b b b b b b b a');
    expect(result.members.map((m) => m.elected)).toEqual([3, 7]);
  });
});
