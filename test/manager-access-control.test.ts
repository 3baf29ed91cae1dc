/**
 * Who may use the balancer manager: clients in `allow` only (others get a bare 403 whatever
 * they send), changes only by POST with the nonce, never from another site's page.
 */
import { balancer, defineConfig, route } from 'tsx-proxy';
import { afterEach, describe, expect, test } from 'vitest';
import { isAllowed, parseAllow } from '../src/manager/access.js';
import type { ManagerOptions } from '../src/dsl/params.js';
import { type Harness, send, startManager } from './manager-helpers.js';

function specWith(options?: ManagerOptions, balancerNonce?: string) {
  const app = balancer('app')
    .member('http://a.test:8080')
    .member('http://b.test:8080')
    .set(balancerNonce === undefined ? {} : { nonce: balancerNonce });
  return defineConfig({
    routes: [route('/balancer-manager').manager(options as ManagerOptions), route('/').to(app)],
  });
}

let h: Harness;
afterEach(() => h.close());

const flagsOf = () => h.balancer('app').members.map((m) => [...m.flags].join(''));

describe('clients outside allow', () => {
  test('get the same bare 403 for every method and path, even with the right nonce; nothing changes', async () => {
    h = await startManager(specWith({ allow: ['127.0.0.1'] }));
    const nonce = await h.nonce('app');
    const from = { localAddress: '127.0.0.2' };
    const replies = await Promise.all([
      send(h.page, from),
      send(`${h.api}`, from),
      send(`${h.api}/balancers/nope/members/9`, from),
      send(`${h.api}/balancers/app/members/0`, { ...from, body: { nonce, status: '+D' } }),
      send(h.page, { ...from, body: `b=app&w=http://a.test:8080&w_status_D=1&nonce=${nonce}` }),
      send(`${h.page}/whatever`, { ...from, method: 'DELETE' }),
    ]);
    for (const reply of replies) {
      expect(reply.status).toBe(403);
      expect(reply.text).toBe('Forbidden\n');
      expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
    expect(flagsOf()).toEqual(['', '']);
    expect(h.logger.lines).toContain(
      'warn balancer-manager: TSXP_MANAGER_FORBIDDEN 127.0.0.2 is not in allow of /balancer-manager',
    );
  });

  test('the default allow list is loopback only: 127.0.0.1 in, 127.0.0.2 out', async () => {
    h = await startManager(specWith());
    expect((await send(h.page)).status).toBe(200);
    expect((await send(h.page, { localAddress: '127.0.0.2' })).status).toBe(403);
  });

  test('a CIDR block lets its addresses in and keeps 127.0.0.1 out when it excludes it', async () => {
    h = await startManager(specWith({ allow: ['127.0.0.2/31'] }));
    expect((await send(h.api, { localAddress: '127.0.0.2' })).status).toBe(200);
    expect((await send(h.api, { localAddress: '127.0.0.3' })).status).toBe(200);
    expect((await send(h.api)).status).toBe(403);
  });

  test('IPv4-mapped IPv6 addresses (as a dual-stack socket reports them) match IPv4 entries', () => {
    const blocks = parseAllow(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(isAllowed(blocks, '::ffff:127.0.0.1')).toBe(true);
    expect(isAllowed(blocks, '::ffff:10.20.30.40')).toBe(true);
    expect(isAllowed(blocks, '::ffff:11.0.0.1')).toBe(false);
    expect(isAllowed(blocks, '::1')).toBe(true);
    expect(isAllowed(blocks, '::2')).toBe(false);
    expect(isAllowed(blocks, 'not-an-address')).toBe(false);
  });
});

describe('the nonce', () => {
  test('is a random UUID per process by default, the same for every balancer', async () => {
    h = await startManager(specWith());
    expect(await h.nonce('app')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test('missing or wrong: 403, nothing changed (API and page)', async () => {
    h = await startManager(specWith());
    const nonce = await h.nonce('app');
    const none = await send(`${h.api}/balancers/app/members/0`, { body: { status: '+D' } });
    expect(none.status).toBe(403);
    expect(none.json.error).toMatchObject({
      code: 'TSXP_MANAGER_NONCE',
      message: 'the change has no nonce; nothing was changed',
    });
    const wrong = await send(`${h.api}/balancers/app/members/0`, {
      body: { nonce: `${nonce.slice(0, -1)}${nonce.endsWith('0') ? '1' : '0'}`, status: '+D' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.message).toMatch(/^the nonce is wrong/);
    const page = await send(h.page, { body: 'b=app&w=http://a.test:8080&w_status_D=1&nonce=guess' });
    expect(page.status).toBe(403);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('Nothing was changed.');
    expect(flagsOf()).toEqual(['', '']);
  });

  test('GET never changes anything, even with Apache change fields and the nonce', async () => {
    h = await startManager(specWith());
    const nonce = await h.nonce('app');
    const reply = await send(
      `${h.page}?b=app&w=http://a.test:8080&w_status_D=1&b_lbm=bytraffic&nonce=${nonce}`,
    );
    expect(reply.status).toBe(200);
    expect(flagsOf()).toEqual(['', '']);
    expect(h.balancer('app').config.lbmethod).toBe('byrequests');
  });

  test("the route's nonce, and a balancer's own nonce over it", async () => {
    h = await startManager(specWith({ nonce: 'route-nonce' }, 'balancer-nonce'));
    expect(await h.nonce('app')).toBe('balancer-nonce');
    const routeNonce = await send(`${h.api}/balancers/app/members/0`, {
      body: { nonce: 'route-nonce', status: '+D' },
    });
    expect(routeNonce.status).toBe(403);
    const own = await send(`${h.api}/balancers/app/members/0`, {
      body: { nonce: 'balancer-nonce', status: '+D' },
    });
    expect(own.status).toBe(200);
    await h.close();
    h = await startManager(specWith({ nonce: 'route-nonce' }));
    expect(await h.nonce('app')).toBe('route-nonce');
    expect(
      (await send(`${h.api}/balancers/app`, { body: { nonce: 'route-nonce', maxattempts: 3 } })).status,
    ).toBe(200);
  });

  test('an empty nonce makes the balancer read-only (Apache nonce=None since 2.4.49)', async () => {
    h = await startManager(specWith({}, ''));
    const reply = await send(`${h.api}/balancers/app/members/0`, { body: { nonce: '', status: '+D' } });
    expect(reply.status).toBe(403);
    expect(reply.json.error.message).toBe(
      "balancer 'app' has an empty nonce: it cannot be changed at runtime",
    );
    expect(flagsOf()).toEqual(['', '']);
  });
});

describe('requests from another site', () => {
  test('a foreign Origin or Sec-Fetch-Site: cross-site is refused even with the nonce; the own origin passes', async () => {
    h = await startManager(specWith());
    const nonce = await h.nonce('app');
    const body = `b=app&w=http://a.test:8080&w_status_D=1&nonce=${nonce}`;
    const foreign = await send(h.page, { body, headers: { origin: 'http://evil.test' } });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('a change sent from another site (http://evil.test) was refused');
    const crossSite = await send(`${h.api}/balancers/app/members/0`, {
      body: { nonce, status: '+D' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.json.error.code).toBe('TSXP_MANAGER_CROSS_ORIGIN');
    expect(flagsOf()).toEqual(['', '']);
    const own = await send(h.page, { body, headers: { origin: h.origin, 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(303);
    expect(flagsOf()).toEqual(['D', '']);
  });

  test('a change addressed to an unknown host name is refused (DNS rebinding); IPs, localhost and serverName pass', async () => {
    h = await startManager(specWith());
    const nonce = await h.nonce('app');
    const change = (host: string, lbset: number) =>
      send(`${h.api}/balancers/app/members/1`, { body: { nonce, lbset }, headers: { host } });
    const rebound = await change('attacker.example:8080', 7);
    expect(rebound.status).toBe(403);
    expect(rebound.json.error).toMatchObject({
      code: 'TSXP_MANAGER_HOST',
      hint: "open the manager by IP address, or set serverName: 'attacker.example' (or route('/balancer-manager', { host: 'attacker.example' })) in the config",
    });
    expect(h.member('app', 'b.test').lbset).toBe(0);
    expect((await send(h.api, { headers: { host: 'attacker.example' } })).status).toBe(200);
    for (const [host, lbset] of [
      ['localhost:8080', 1],
      ['proxy.test', 2],
      ['[::1]:9000', 3],
      ['127.0.0.1', 4],
    ] as const) {
      expect((await change(host, lbset)).status).toBe(200);
      expect(h.member('app', 'b.test').lbset).toBe(lbset);
    }
  });
});
