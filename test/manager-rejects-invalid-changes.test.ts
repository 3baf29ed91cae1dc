/**
 * Invalid runtime changes are refused with 400 (or 404, 413, 415), the config's own codes and
 * messages, and nothing changes: not even the valid parts of the same request.
 */
import { balancer, defineConfig, route } from 'tsx-proxy';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, send, startManager } from './manager-helpers.js';

const app = balancer('app')
  .member('http://a.test:8080', { route: 'ra' })
  .member('http://b.test:8080', { route: 'rb' })
  .set({ growth: 0 });

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

/** Everything the manager can change, to compare before and after. */
function snapshot(): string {
  const live = h.balancer('app');
  return JSON.stringify({
    config: { ...live.config, members: undefined, failonstatus: undefined },
    members: live.members.map((m) => [m.key, m.lbfactor, m.lbset, m.route, m.redirect, [...m.flags].sort()]),
  });
}

describe('member values outside the config rules', () => {
  test.each([
    [
      { loadfactor: 0.5 },
      'TSXP_LOADFACTOR_RANGE',
      "member 'http://a.test:8080' of balancer 'app': loadfactor 0.5 is outside 1..100",
    ],
    [
      { loadfactor: 101 },
      'TSXP_LOADFACTOR_RANGE',
      "member 'http://a.test:8080' of balancer 'app': loadfactor 101 is outside 1..100",
    ],
    [
      { loadfactor: 'heavy' },
      'TSXP_LOADFACTOR_RANGE',
      "member 'http://a.test:8080' of balancer 'app': loadfactor \"heavy\" is outside 1..100",
    ],
    [
      { lbset: 100 },
      'TSXP_LBSET_RANGE',
      "member 'http://a.test:8080' of balancer 'app': lbset 100 is outside 0..99",
    ],
    [
      { lbset: 1.5 },
      'TSXP_LBSET_RANGE',
      "member 'http://a.test:8080' of balancer 'app': lbset 1.5 is outside 0..99",
    ],
    [{ route: 'r'.repeat(64) }, 'TSXP_BAD_VALUE', 'route is longer than 63 characters'],
    [{ redirect: 5 }, 'TSXP_BAD_VALUE', 'redirect 5 is not a string'],
    [
      { status: '+X' },
      'TSXP_BAD_STATUS',
      "member 'http://a.test:8080' of balancer 'app': status \"+X\" has 'X'",
    ],
    [{ status: '+E' }, 'TSXP_MANAGER_FLAG', "status flag 'E' cannot be set by the manager"],
    [{ status: { Q: true } }, 'TSXP_MANAGER_FLAG', "status flag 'Q' cannot be set by the manager"],
    [{ status: { D: 'maybe' } }, 'TSXP_MANAGER_FLAG', 'status flag D must be true or false, not "maybe"'],
    [{ loadfacter: 2 }, 'TSXP_UNKNOWN_OPTION', "unknown member change option 'loadfacter'"],
  ])('%j → 400 %s', async (body, code, message) => {
    const before = snapshot();
    const reply = await send(`${h.api}/balancers/app/members/0`, { body: { nonce, ...body } });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatchObject({ code, message });
    expect(reply.json.error.path).toMatch(/^balancers\.app\.members\[0\]/);
    expect(reply.json.error.hint).not.toBe('');
    expect(snapshot()).toBe(before);
  });

  test('a typo gets a did-you-mean hint', async () => {
    const reply = await send(`${h.api}/balancers/app/members/0`, { body: { nonce, loadfacter: 2 } });
    expect(reply.json.error.hint).toBe("did you mean 'loadfactor'?");
  });

  test('one bad field refuses the whole request: the valid fields are not applied either', async () => {
    const before = snapshot();
    const reply = await send(`${h.api}/balancers/app/members/0`, {
      body: { nonce, status: '+D', lbset: 3, loadfactor: 500 },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.issues).toHaveLength(1);
    expect(snapshot()).toBe(before);
  });
});

describe('balancer values outside the config rules', () => {
  test.each([
    [
      { lbmethod: 'random' },
      'TSXP_BAD_VALUE',
      'lbmethod "random" is not one of byrequests, bytraffic, bybusyness, byhash',
    ],
    [{ maxattempts: 100 }, 'TSXP_BAD_VALUE', 'maxattempts 100 is not a whole number in 0..99'],
    [{ maxattempts: -1 }, 'TSXP_BAD_VALUE', 'maxattempts -1 is not a whole number in 0..99'],
    [{ timeout: 7201 }, 'TSXP_BAD_VALUE', "balancer 'app': timeout 7201 is outside 0..7200 seconds"],
    [{ timeout: 'soon' }, 'TSXP_BAD_DURATION', 'timeout "soon" is not a duration'],
    [{ nofailover: 'perhaps' }, 'TSXP_BAD_VALUE', 'nofailover "perhaps" is not true or false'],
    [
      { stickysession: 'a|b|c' },
      'TSXP_BAD_STICKY',
      "stickysession 'a|b|c' is not 'COOKIE' or 'COOKIE|param'",
    ],
    [{ growth: 5 }, 'TSXP_UNKNOWN_OPTION', "unknown balancer change option 'growth'"],
  ])('%j → 400 %s', async (body, code, message) => {
    const before = snapshot();
    const reply = await send(`${h.api}/balancers/app`, { body: { nonce, ...body } });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatchObject({ code, message });
    expect(snapshot()).toBe(before);
  });

  test('adding a member without a growth slot, or with a bad URL', async () => {
    const noSlot = await send(`${h.api}/balancers/app/members`, { body: { nonce, url: 'http://c.test' } });
    expect(noSlot.status).toBe(400);
    expect(noSlot.json.error).toMatchObject({
      code: 'TSXP_MANAGER_NO_SLOT',
      hint: "raise the balancer's growth in the config, e.g. .set({ growth: 1 })",
    });
    const badUrl = await send(`${h.api}/balancers/app/members`, { body: { nonce, url: 'ftp://c.test' } });
    expect(badUrl.json.issues[0]).toMatchObject({ code: 'TSXP_UNSUPPORTED_SCHEME' });
    expect(h.balancer('app').members).toHaveLength(2);
  });
});

describe('malformed requests', () => {
  test('unknown balancer or member: 404 naming what exists', async () => {
    const b = await send(`${h.api}/balancers/nope`, { body: { nonce, lbmethod: 'bytraffic' } });
    expect(b.status).toBe(404);
    expect(b.json.error).toMatchObject({ code: 'TSXP_MANAGER_NOT_FOUND', hint: 'known balancers: app' });
    const m = await send(`${h.api}/balancers/app/members/7`, { body: { nonce, lbset: 1 } });
    expect(m.status).toBe(404);
    expect(m.json.error.message).toBe('balancer \'app\' has no member "7"');
    const path = await send(`${h.api}/nothing`);
    expect(path.status).toBe(404);
  });

  test('broken JSON, a JSON array, an unknown content type, a huge body, an empty change', async () => {
    const before = snapshot();
    const url = `${h.api}/balancers/app/members/0`;
    const broken = await send(url, {
      method: 'POST',
      body: undefined,
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(403); // an empty body carries no nonce
    const notJson = await send(url, { body: '{"nonce":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.message).toMatch(/^the body is not valid JSON/);
    const array = await send(url, { body: [1, 2] });
    expect(array.json.error.message).toBe('the JSON body is not an object');
    const xml = await send(url, { body: '<x/>', headers: { 'content-type': 'text/xml' } });
    expect(xml.status).toBe(415);
    const huge = await send(url, { body: { nonce, route: 'x'.repeat(70_000) } });
    expect(huge.status).toBe(413);
    const empty = await send(url, { body: { nonce } });
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toBe('the request names nothing to change');
    expect(snapshot()).toBe(before);
  });

  test('PUT and DELETE are not allowed', async () => {
    const reply = await send(`${h.api}/balancers/app`, { method: 'DELETE' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD, POST');
  });
});
