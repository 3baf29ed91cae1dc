/**
 * Every runtime change of the balancer manager through real HTTP (JSON and form bodies), and
 * its effect on the live balancer the data path selects from.
 */
import { balancer, defineConfig, route } from 'tsx-proxy';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, picks, send, startManager } from './manager-helpers.js';

const app = balancer('app')
  .member('http://a.test:8080', { route: 'ra' })
  .member('http://b.test:8080', { route: 'rb', loadfactor: 3 })
  .member('http://c.test:8080', { route: 'rc', status: '+H' })
  .set({ growth: 1, stickysession: 'ROUTEID' });

const spec = defineConfig({
  routes: [route('/balancer-manager').manager({ allow: ['127.0.0.1'] }), route('/').to(app)],
});

let h: Harness;
let nonce: string;
beforeEach(async () => {
  h = await startManager(spec);
  nonce = await h.nonce('app');
});
afterEach(() => h.close());

const member = (host: string) => h.member('app', host);

describe('member changes', () => {
  test('disable (JSON status string): the member gets no more traffic, and is logged', async () => {
    expect(new Set(picks(h.balancer('app'), 8))).toEqual(new Set(['a.test', 'b.test']));
    const reply = await send(`${h.api}/balancers/app/members/0`, { body: { nonce, status: '+D' } });
    expect(reply.status).toBe(200);
    expect(reply.json.member).toMatchObject({
      url: 'http://a.test:8080',
      status: 'Init Dis',
      flags: 'D',
      usable: false,
    });
    expect(reply.json.changed).toEqual(['member http://a.test:8080: +D (disabled)']);
    expect(picks(h.balancer('app'), 6)).toEqual(Array(6).fill('b.test'));
    expect(h.logger.lines).toContain(
      "balancer-manager: balancer 'app': member http://a.test:8080: +D (disabled) (from 127.0.0.1)",
    );
  });

  test('enable again with an object, addressing the member by its route', async () => {
    await send(`${h.api}/balancers/app/members/ra`, { body: { nonce, status: { D: true } } });
    const reply = await send(`${h.api}/balancers/app/members/ra`, { body: { nonce, status: { D: false } } });
    expect(reply.json.member.status).toBe('Init Ok');
    expect(picks(h.balancer('app'), 8)).toContain('a.test');
  });

  test.each([
    ['I', 'Init Ign Ok'],
    ['N', 'Init Drn Ok'],
    ['D', 'Init Dis'],
    ['H', 'Init Stby Ok'],
    ['R', 'Init Spar Ok'],
    ['S', 'Init Stop'],
    ['C', 'Init HcFl'],
  ])('status flag %s can be set and cleared (form body, Apache words %s)', async (flag, words) => {
    const on = await send(`${h.api}/balancers/app/members/0`, { body: `nonce=${nonce}&status=%2B${flag}` });
    expect(on.status).toBe(200);
    expect(member('a.test').flags.has(flag as never)).toBe(true);
    expect(on.json.member.status).toBe(words);
    const off = await send(`${h.api}/balancers/app/members/0`, { body: `nonce=${nonce}&status=-${flag}` });
    expect(off.json.member.status).toBe('Init Ok');
    expect(member('a.test').flags.has(flag as never)).toBe(false);
  });

  test('setting a flag that is already set answers 200 with nothing changed, and logs nothing', async () => {
    await send(`${h.api}/balancers/app/members/0`, { body: { nonce, status: '+D' } });
    const again = await send(`${h.api}/balancers/app/members/0`, { body: { nonce, status: '+D' } });
    expect(again.status).toBe(200);
    expect(again.json.changed).toEqual([]);
    expect(h.logger.lines.filter((l) => l.includes('+D'))).toHaveLength(1);
  });

  test('a status given with a literal + in a form (as from a shell) is a plus, as in Apache', async () => {
    const reply = await send(`${h.api}/balancers/app/members/0`, { body: `nonce=${nonce}&status=+N` });
    expect(reply.json.member.status).toBe('Init Drn Ok');
  });

  test("loadfactor: truncated ×100 as in the config, and every member's lbstatus becomes its lbfactor", async () => {
    picks(h.balancer('app'), 5);
    const reply = await send(`${h.api}/balancers/app/members/0`, { body: { nonce, loadfactor: 2.3 } });
    expect(reply.status).toBe(200);
    expect(member('a.test').lbfactor).toBe(229);
    expect(reply.json.member.loadfactor).toBe(2.29);
    expect(h.balancer('app').members.map((m) => m.lbstatus)).toEqual([229, 300, 100]);
    expect(reply.json.changed).toEqual(['member http://a.test:8080: loadfactor 1.00 → 2.29']);
    expect(reply.json.member.overrides.loadfactor).toMatchObject({ config: 1 });
  });

  test('lbset, route and redirect (form with numbers as strings)', async () => {
    const reply = await send(`${h.api}/balancers/app/members/1`, {
      body: `nonce=${nonce}&lbset=2&route=n2&redirect=ra`,
    });
    expect(reply.status).toBe(200);
    expect(member('b.test')).toMatchObject({ lbset: 2, route: 'n2', redirect: 'ra' });
    // b is now in a higher lbset: lbset 0 (a) serves everything.
    expect(picks(h.balancer('app'), 4)).toEqual(Array(4).fill('a.test'));
    const cleared = await send(`${h.api}/balancers/app/members/n2`, {
      body: { nonce, route: '', redirect: '' },
    });
    expect(cleared.json.member).toMatchObject({ route: '', redirect: '' });
  });

  test('the nonce may come in the X-TSXP-Nonce header', async () => {
    const reply = await send(`${h.api}/balancers/app/members/0`, {
      body: { lbset: 1 },
      headers: { 'x-tsxp-nonce': nonce },
    });
    expect(reply.status).toBe(200);
    expect(member('a.test').lbset).toBe(1);
  });
});

describe('balancer changes', () => {
  test('lbmethod, maxattempts, nofailover, timeout (JSON)', async () => {
    const reply = await send(`${h.api}/balancers/app`, {
      body: { nonce, lbmethod: 'bytraffic', maxattempts: 5, nofailover: true, timeout: 30 },
    });
    expect(reply.status).toBe(200);
    expect(h.balancer('app').config).toMatchObject({
      lbmethod: 'bytraffic',
      maxattempts: 5,
      nofailover: true,
      timeoutMs: 30_000,
    });
    expect(reply.json.balancer).toMatchObject({
      lbmethod: 'bytraffic',
      maxattempts: 5,
      nofailover: true,
      timeout: 30,
    });
    expect(reply.json.changed).toEqual([
      'lbmethod byrequests → bytraffic',
      'maxattempts 2 → 5',
      'nofailover Off → On',
      'timeout 0 s → 30 s',
    ]);
  });

  test('a new lbmethod is reset before the next selection (Apache: bybusyness lbstatus and busy zeroed)', async () => {
    const live = h.balancer('app');
    picks(live, 4);
    live.members[0]!.lbstatus = 100_000;
    await send(`${h.api}/balancers/app`, { body: { nonce, lbmethod: 'bybusyness' } });
    expect(picks(live, 1)).toEqual(['b.test']);
    // From zero: a 0+100, b 0+300 → b chosen, 300 − 400.
    expect(live.members.map((m) => m.lbstatus)).toEqual([100, -100, 0]);
  });

  test('stickysession: set with a URL parameter, then removed', async () => {
    const set = await send(`${h.api}/balancers/app`, {
      body: `nonce=${nonce}&stickysession=JSESSIONID|jsessionid`,
    });
    expect(set.status).toBe(200);
    expect(h.balancer('app').config.sticky).toEqual({ cookie: 'JSESSIONID', param: 'jsessionid' });
    const off = await send(`${h.api}/balancers/app`, { body: { nonce, stickysession: null } });
    expect(off.json.balancer.stickysession).toBe(null);
    expect(h.balancer('app').config.sticky).toBeUndefined();
  });

  test('nofailover and timeout from a form (On/Off and seconds)', async () => {
    const reply = await send(`${h.api}/balancers/app`, { body: `nonce=${nonce}&nofailover=on&timeout=2.5` });
    expect(reply.status).toBe(200);
    expect(h.balancer('app').config).toMatchObject({ nofailover: true, timeoutMs: 2500 });
  });
});

describe('adding a member', () => {
  test('into a growth slot: created disabled, as Apache does, then enabled', async () => {
    const reply = await send(`${h.api}/balancers/app/members`, {
      body: { nonce, url: 'http://d.test:8080', route: 'rd' },
    });
    expect(reply.status).toBe(201);
    expect(reply.json.member).toMatchObject({
      index: 3,
      url: 'http://d.test:8080',
      status: 'Init Dis',
      added: true,
      route: 'rd',
    });
    expect(picks(h.balancer('app'), 8)).not.toContain('d.test');
    await send(`${h.api}/balancers/app/members/3`, { body: { nonce, status: '-D' } });
    await send(`${h.api}/balancers/app/members/0`, { body: { nonce, status: '+D' } });
    await send(`${h.api}/balancers/app/members/1`, { body: { nonce, status: '+D' } });
    expect(picks(h.balancer('app'), 3)).toEqual(['d.test', 'd.test', 'd.test']);
    const listed = await send(`${h.api}/balancers/app`);
    expect(listed.json).toMatchObject({ growth: 1, growthUsed: 1 });
  });

  test('enabled at once with status -D; a second one has no slot; a duplicate is refused', async () => {
    const first = await send(`${h.api}/balancers/app/members`, {
      body: { nonce, url: 'http://d.test:8080', status: '-D' },
    });
    expect(first.json.member.status).toBe('Init Ok');
    const full = await send(`${h.api}/balancers/app/members`, { body: { nonce, url: 'http://e.test:8080' } });
    expect(full.status).toBe(400);
    expect(full.json.error.code).toBe('TSXP_MANAGER_NO_SLOT');
    expect(full.json.error.message).toBe("balancer 'app' has no free member slot (growth 1, 1 used)");
    const twin = await send(`${h.api}/balancers/app/members`, { body: { nonce, url: 'HTTP://A.test:8080' } });
    expect(twin.status).toBe(400);
    expect(twin.json.issues.map((i: { code: string }) => i.code)).toContain('TSXP_DUPLICATE_MEMBER');
    expect(h.balancer('app').members).toHaveLength(4);
  });
});

describe('reading', () => {
  test('GET /api lists balancers and members with their counters; GET changes nothing', async () => {
    picks(h.balancer('app'), 4);
    const before = JSON.stringify(h.balancer('app').members.map((m) => [m.lbfactor, [...m.flags]]));
    const reply = await send(`${h.api}?b=app&w=http://a.test:8080&w_status_D=1&nonce=${nonce}`);
    expect(reply.status).toBe(200);
    const b = reply.json.balancers[0];
    expect(b).toMatchObject({
      name: 'app',
      lbmethod: 'byrequests',
      stickysession: 'ROUTEID',
      maxattempts: 2,
      nofailover: false,
      timeout: 0,
      routes: ['/'],
    });
    expect(b.members.map((m: { elected: number }) => m.elected).reduce((x: number, y: number) => x + y)).toBe(
      4,
    );
    expect(b.members[1]).toMatchObject({
      loadfactor: 3,
      lbfactor: 300,
      route: 'rb',
      status: 'Init Ok',
      flags: '',
    });
    expect(b.members[2]).toMatchObject({ status: 'Init Stby Ok', flags: 'H' });
    expect(JSON.stringify(h.balancer('app').members.map((m) => [m.lbfactor, [...m.flags]]))).toBe(before);
    const one = await send(`${h.api}/balancers/app/members/rb`);
    expect(one.json).toMatchObject({ index: 1, url: 'http://b.test:8080' });
  });
});
