/**
 * The balancer-manager page: what it shows (Apache's columns, status letters and words, human
 * sizes, health), its edit forms with Apache's field names, and the Post/Redirect/Get flow.
 */
import { balancer, defineConfig, route } from 'tsx-proxy';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { recordCheck } from '../src/health/health-state.js';
import { type Harness, picks, send, startManager } from './manager-helpers.js';

const app = balancer('app')
  .member('http://a.test:8080', { route: 'ra', loadfactor: 2.3 })
  .member('http://b.test:8080', { route: '<i>rb</i>', status: 'D' })
  .member('http://c.test:8080', {
    status: '+H',
    healthCheck: { method: 'GET', uri: '/health', interval: '5s' },
  })
  .set({ growth: 1, stickysession: 'ROUTEID|routeid' });

const spec = defineConfig({
  routes: [route('/balancer-manager').manager({ allow: ['127.0.0.1'] }), route('/app/').to(app)],
});

let h: Harness;
let nonce: string;
beforeEach(async () => {
  h = await startManager(spec);
  nonce = await h.nonce('app');
});
afterEach(() => h.close());

/** The table row of a member, as text between its <tr> tags. */
function row(page: string, url: string): string {
  const at = page.indexOf(`title="Edit member">${url}</a>`);
  return page.slice(at, page.indexOf('</tr>', at));
}

describe('the page shows', () => {
  test("Apache's header, balancer parameters and member columns", async () => {
    const reply = await send(h.page);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = reply.text;
    expect(page).toContain('<h1>Load Balancer Manager <span>for proxy.test</span></h1>');
    expect(page).toContain('Balancer changes will <b>NOT</b> be persisted on restart');
    expect(page).toContain('<h2><small>balancer://</small>app</h2>');
    expect(page).toContain('serves /app/');
    expect(page).toContain('<dt>Method</dt><dd>byrequests</dd>');
    expect(page).toContain('<dt>Sticky session</dt><dd>ROUTEID|routeid</dd>');
    expect(page).toContain('<dt>Failover attempts</dt><dd>2</dd>');
    expect(page).toContain('<dt>Max members</dt><dd>4 [3 used]</dd>');
    for (const th of [
      'Worker URL',
      'Route',
      'RouteRedir',
      'Factor',
      'Set',
      'Status',
      'Health',
      'Elected',
      'Busy',
      'Load',
      'To',
      'From',
      'Errors',
      'Last error',
    ]) {
      expect(page).toContain(`>${th}</th>`);
    }
    // Factor is lbfactor / 100 with %.2f: a configured 2.3 is 229, shown 2.29.
    expect(row(page, 'http://a.test:8080')).toContain('<td class="num">2.29</td>');
    expect(row(page, 'http://a.test:8080')).toContain('<span class="status st-ok">Init Ok</span>');
    expect(row(page, 'http://b.test:8080')).toContain(
      '<span class="status st-off">Init Dis</span><code class="letters" title="D: disabled">D</code>',
    );
    expect(row(page, 'http://c.test:8080')).toContain('<span class="status st-ok">Init Stby Ok</span>');
  });

  test('counters, human byte sizes and the last error, escaped', async () => {
    const live = h.balancer('app');
    picks(live, 3);
    const a = live.members[0]!;
    live.addTraffic(a, { transferred: 1536, read: 5 * 1024 * 1024 });
    live.outcome(a, { type: 'connect-failed', reason: 'connect ECONNREFUSED <127.0.0.1:8080>' }, Date.now());
    const page = (await send(h.page)).text;
    const r = row(page, 'http://a.test:8080');
    expect(r).toContain('<td class="num">3</td>');
    expect(r).toContain('<td class="num" title="1536 bytes">1.5 KiB</td>');
    expect(r).toContain('<td class="num" title="5242880 bytes">5.0 MiB</td>');
    expect(r).toContain('<span class="status st-err">Init Err</span>');
    expect(r).toContain('connect ECONNREFUSED &lt;127.0.0.1:8080&gt;');
    expect(page).not.toContain('<i>rb</i>');
    expect(row(page, 'http://b.test:8080')).toContain('&lt;i&gt;rb&lt;/i&gt;');
  });

  test('health: not checked yet, then passing, then failing (HcFl) after failed checks', async () => {
    const c = h.member('app', 'c.test');
    expect(row((await send(h.page)).text, 'http://c.test:8080')).toContain('not checked yet');
    recordCheck(c, { ok: true, status: 200 }, Date.now());
    const passing = row((await send(h.page)).text, 'http://c.test:8080');
    expect(passing).toContain('✓ passing');
    expect(passing).toMatch(/<span class="sub">\d+ s ago<\/span>/);
    recordCheck(c, { ok: false, error: 'HTTP 503' }, Date.now());
    const failing = row((await send(h.page)).text, 'http://c.test:8080');
    expect(failing).toContain('✗ failing');
    expect(failing).toContain('<span class="status st-err">Init Stby HcFl</span>');
    expect(failing).toContain('Last failure: HTTP 503');
    const api = await send(`${h.api}/balancers/app/members/2`);
    expect(api.json.health).toMatchObject({
      method: 'GET',
      uri: '/health',
      state: 'failing',
      lastResult: 'fail',
      lastError: 'HTTP 503',
    });
  });

  test('security headers: no cache, no frames, a CSP with no script and only its own style', async () => {
    const reply = await send(h.page);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
    );
    expect(reply.text).not.toContain('<script');
    expect(reply.text).not.toContain('style="');
  });

  test('auto-refresh only when asked, within bounds; HEAD answers without a body', async () => {
    expect((await send(`${h.page}?refresh=5`)).text).toContain('<meta http-equiv="refresh" content="5">');
    expect((await send(`${h.page}?refresh=abc`)).text).not.toContain('http-equiv="refresh"');
    expect((await send(h.page)).text).not.toContain('http-equiv="refresh"');
    const head = await send(h.page, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });
});

describe('the edit forms', () => {
  test('?b= shows the balancer form with its current values and the add-member form', async () => {
    const page = (await send(`${h.page}?b=app`)).text;
    expect(page).toContain('<option selected>byrequests</option>');
    expect(page).toContain('name="b_ss" maxlength="127" placeholder="none" value="ROUTEID|routeid"');
    expect(page).toContain('name="b_max" min="0" max="99" step="1" value="2"');
    expect(page).toContain(`<input type="hidden" name="nonce" value="${nonce}">`);
    expect(page).toContain('1 of 1 slots free (growth)');
  });

  test('?b=&w= shows the member form: factor, set, routes, a radio pair per flag', async () => {
    const page = (await send(`${h.page}?b=app&w=${encodeURIComponent('http://b.test:8080')}`)).text;
    expect(page).toContain('Edit member <span class="mono">http://b.test:8080</span>');
    expect(page).toContain('name="w_lf" min="1" max="100" step="0.01" value="1.00"');
    expect(page).toContain('name="w_wr" maxlength="63" value="&lt;i&gt;rb&lt;/i&gt;"');
    expect(page).toMatch(/name="w_status_D" value="1" checked>/);
    expect(page).toMatch(/name="w_status_N" value="0" checked>/);
  });

  test("a form post with Apache's fields applies, redirects (303) and the page then says what changed", async () => {
    const post = await send(h.page, {
      body: `b=app&w=http%3A%2F%2Fa.test%3A8080&w_lf=4&w_ls=1&w_wr=ra&w_rr=&w_status_N=1&w_status_D=0&nonce=${nonce}`,
    });
    expect(post.status).toBe(303);
    expect(post.headers.location).toMatch(/^\/balancer-manager\?done=[0-9a-f]{12}#balancer-app$/);
    expect(h.member('app', 'a.test')).toMatchObject({ lbfactor: 400, lbset: 1 });
    expect(h.member('app', 'a.test').flags.has('N')).toBe(true);
    const page = (await send(`${h.origin}${post.headers.location}`)).text;
    expect(page).toContain('Balancer app: changes applied.');
    expect(page).toContain(
      '<li>member http://a.test:8080: loadfactor 2.29 → 4.00, lbset 0 → 1, +N (drain)</li>',
    );
    expect(page).toContain('title="Changed at runtime');
    expect(page).toContain('the config file has 2.29');
  });

  test('balancer fields: method, timeout, attempts, failover, sticky session removed with -', async () => {
    const post = await send(h.page, {
      body: `b=app&b_lbm=bybusyness&b_tmo=10&b_max=1&b_sforce=1&b_ss=-&nonce=${nonce}`,
    });
    expect(post.status).toBe(303);
    expect(h.balancer('app').config).toMatchObject({
      lbmethod: 'bybusyness',
      timeoutMs: 10_000,
      maxattempts: 1,
      nofailover: true,
      sticky: undefined,
    });
  });

  test('adding a member from the form (b_wyes, b_nwrkr)', async () => {
    const post = await send(h.page, { body: `b=app&b_wyes=1&b_nwrkr=http://d.test:9000&nonce=${nonce}` });
    expect(post.status).toBe(303);
    const page = (await send(h.page)).text;
    expect(row(page, 'http://d.test:9000')).toContain('</a> <span class="hint">added</span>');
    expect(row(page, 'http://d.test:9000')).toContain('Init Dis');
  });

  test('an invalid value: 400, the page with the reason and the fix, nothing changed', async () => {
    const reply = await send(h.page, {
      body: `b=app&w=http://a.test:8080&w_lf=0.5&w_status_D=1&nonce=${nonce}`,
    });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('<div class="banner error" role="alert">Nothing was changed.');
    expect(reply.text).toContain(
      'member &#39;http://a.test:8080&#39; of balancer &#39;app&#39;: loadfactor 0.5 is outside 1..100',
    );
    expect(h.member('app', 'a.test').flags.has('D')).toBe(false);
    const unknown = await send(h.page, { body: `b=app&w_hm=GET&nonce=${nonce}` });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('form field &#39;w_hm&#39; is not supported');
  });
});
