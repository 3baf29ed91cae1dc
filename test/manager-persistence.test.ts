/**
 * Runtime changes survive reloads (same process) and, with `persist`, restarts (a new manager
 * over the same file); a field edited in the config file wins over an older runtime change.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { balancer, defineConfig, route } from 'tsx-proxy';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { MemberParams } from '../src/dsl/params.js';
import { type Harness, picks, send, startManager } from './manager-helpers.js';

let dir: string;
let file: string;
const open: Harness[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsxp-manager-'));
  file = join(dir, 'state', 'manager.json');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  rmSync(dir, { recursive: true, force: true });
});

function specOf(
  opts: {
    persist?: string;
    a?: MemberParams;
    lbmethod?: 'byrequests' | 'bybusyness';
    extra?: string;
    noB?: boolean;
  } = {},
) {
  let app = balancer('app').member('http://a.test:8080', opts.a ?? {});
  if (!opts.noB) app = app.member('http://b.test:8080');
  if (opts.extra) app = app.member(opts.extra);
  app = app.set({ growth: 2, lbmethod: opts.lbmethod ?? 'byrequests' });
  return defineConfig({
    routes: [
      route('/balancer-manager').manager({
        allow: ['127.0.0.1'],
        ...(opts.persist ? { persist: opts.persist } : {}),
      }),
      route('/').to(app),
    ],
  });
}

async function start(spec: ReturnType<typeof specOf>): Promise<Harness> {
  const h = await startManager(spec);
  open.push(h);
  return h;
}

/** Makes the usual set of changes through the API. */
async function change(h: Harness): Promise<void> {
  const nonce = await h.nonce('app');
  const ok = async (path: string, body: object) => {
    const reply = await send(`${h.api}${path}`, { body: { nonce, ...body } });
    expect(reply.status, JSON.stringify(reply.json)).toBeLessThan(300);
  };
  await ok('/balancers/app/members/0', { loadfactor: 3, status: '+N' });
  await ok('/balancers/app/members/1', { route: 'rb' });
  await ok('/balancers/app', { lbmethod: 'bytraffic', timeout: 5 });
  await ok('/balancers/app/members', { url: 'http://d.test:8080', lbset: 1 });
}

describe('persist', () => {
  test('writes the changes atomically as a readable journal of value and overridden config value', async () => {
    const h = await start(specOf({ persist: file }));
    await change(h);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ format: 'tsx-proxy-manager-state', version: 1 });
    const app = saved.balancers.app;
    expect(app.settings).toMatchObject({
      lbmethod: { value: 'bytraffic', config: 'byrequests' },
      timeoutMs: { value: 5000, config: 0 },
    });
    expect(app.members['http://a.test:8080']).toMatchObject({
      settings: { lbfactor: { value: 300, config: 100 } },
      status: { N: { value: true, config: false } },
    });
    expect(app.members['http://b.test:8080'].settings.route).toMatchObject({ value: 'rb', config: '' });
    expect(app.added).toMatchObject([{ url: 'http://d.test:8080', params: { lbset: 1 } }]);
    expect(typeof app.settings.lbmethod.at).toBe('string');
    expect(readdirSync(join(dir, 'state'))).toEqual(['manager.json']);
  });

  test('a restart (new manager, same file) re-applies every change', async () => {
    await change(await start(specOf({ persist: file })));
    const h = await start(specOf({ persist: file }));
    const live = h.balancer('app');
    expect(live.config).toMatchObject({ lbmethod: 'bytraffic', timeoutMs: 5000 });
    expect(h.member('app', 'a.test')).toMatchObject({ lbfactor: 300 });
    expect(h.member('app', 'a.test').flags.has('N')).toBe(true);
    expect(h.member('app', 'b.test').route).toBe('rb');
    expect(h.member('app', 'd.test')).toMatchObject({ lbset: 1 });
    expect(h.member('app', 'd.test').flags.has('D')).toBe(true);
    expect(h.logger.lines).toContain(`balancer-manager: re-applied 6 runtime change(s) from ${file}`);
    const page = (await send(h.page)).text;
    expect(page).toContain(`Balancer changes will be persisted on restart (<code>${file}</code>)`);
  });

  test('a field edited in the config wins over an older runtime change; the others stay', async () => {
    await change(await start(specOf({ persist: file })));
    const h = await start(specOf({ persist: file, a: { loadfactor: 2 }, lbmethod: 'bybusyness' }));
    expect(h.member('app', 'a.test').lbfactor).toBe(200);
    expect(h.balancer('app').config.lbmethod).toBe('bybusyness');
    expect(h.member('app', 'a.test').flags.has('N')).toBe(true);
    expect(h.balancer('app').config.timeoutMs).toBe(5000);
    expect(h.logger.lines).toContain(
      "balancer-manager: balancer 'app' member http://a.test:8080: the config now sets loadfactor 2.00; dropped the runtime change to 3.00",
    );
    expect(h.logger.lines).toContain(
      "balancer-manager: balancer 'app': the config now sets lbmethod bybusyness; dropped the runtime change to bytraffic",
    );
    await new Promise((r) => setTimeout(r, 50));
    const saved = JSON.parse(readFileSync(file, 'utf8')).balancers.app;
    expect(saved.settings.lbmethod).toBeUndefined();
    expect(saved.members['http://a.test:8080'].settings.lbfactor).toBeUndefined();
    expect(saved.members['http://a.test:8080'].status.N.value).toBe(true);
  });

  test('members the config now lists, or no longer lists, drop their runtime changes', async () => {
    await change(await start(specOf({ persist: file })));
    const h = await start(specOf({ persist: file, extra: 'http://d.test:8080', noB: true }));
    expect(h.balancer('app').members.map((m) => m.member.url.href)).toEqual([
      'http://a.test:8080',
      'http://d.test:8080',
    ]);
    expect(h.member('app', 'd.test').flags.has('D')).toBe(false);
    expect(h.logger.lines).toContain(
      "balancer-manager: balancer 'app': the config now lists member http://d.test:8080; dropped the runtime addition",
    );
    expect(h.logger.lines).toContain(
      "balancer-manager: balancer 'app': member http://b.test:8080 is no longer in the config; dropped its runtime changes",
    );
  });

  test('setting a value back to the config value removes it from the file', async () => {
    const h = await start(specOf({ persist: file }));
    const nonce = await h.nonce('app');
    await send(`${h.api}/balancers/app/members/0`, { body: { nonce, status: '+D' } });
    expect(JSON.parse(readFileSync(file, 'utf8')).balancers.app).toBeDefined();
    await send(`${h.api}/balancers/app/members/0`, { body: { nonce, status: '-D' } });
    expect(JSON.parse(readFileSync(file, 'utf8')).balancers).toEqual({});
  });

  test('an unreadable file is reported and replaced at the next change', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    const h = await start(specOf({ persist: broken }));
    expect(h.logger.lines.some((l) => l.startsWith(`warn balancer-manager: cannot read ${broken}`))).toBe(
      true,
    );
    const nonce = await h.nonce('app');
    await send(`${h.api}/balancers/app/members/1`, { body: { nonce, lbset: 4 } });
    expect(
      JSON.parse(readFileSync(broken, 'utf8')).balancers.app.members['http://b.test:8080'].settings.lbset
        .value,
    ).toBe(4);
  });

  test('a file that cannot be written: 500 saying the change is applied but not saved', async () => {
    writeFileSync(join(dir, 'plain-file'), '');
    const h = await start(specOf({ persist: join(dir, 'plain-file', 'state.json') }));
    const nonce = await h.nonce('app');
    const reply = await send(`${h.api}/balancers/app/members/1`, { body: { nonce, lbset: 4 } });
    expect(reply.status).toBe(500);
    expect(reply.json.error.code).toBe('TSXP_MANAGER_PERSIST');
    expect(h.member('app', 'b.test').lbset).toBe(4);
  });
});

describe('reload (same process)', () => {
  test('keeps member and balancer changes and added members, with their counters', async () => {
    const h = await start(specOf());
    await change(h);
    const nonce = await h.nonce('app');
    await send(`${h.api}/balancers/app/members/2`, { body: { nonce, status: '-D', lbset: 0 } });
    await send(`${h.api}/balancers/app/members/0`, { body: { nonce, status: '-N' } });
    // bytraffic with no bytes would keep picking the first member.
    await send(`${h.api}/balancers/app`, { body: { nonce, lbmethod: 'byrequests' } });
    picks(h.balancer('app'), 10);
    const electedD = h.member('app', 'd.test').elected;
    expect(electedD).toBeGreaterThan(0);
    h.reload(specOf());
    const live = h.balancer('app');
    expect(live.config).toMatchObject({ lbmethod: 'byrequests', timeoutMs: 5000 });
    expect(h.member('app', 'a.test').lbfactor).toBe(300);
    expect(h.member('app', 'b.test').route).toBe('rb');
    expect(h.member('app', 'd.test')).toMatchObject({ elected: electedD, lbset: 0 });
    expect(picks(live, 12)).toContain('d.test');
  });

  test('a config edit made before the reload wins over the runtime change to that field', async () => {
    const h = await start(specOf());
    await change(h);
    h.reload(specOf({ a: { loadfactor: 5 } }));
    expect(h.member('app', 'a.test').lbfactor).toBe(500);
    expect(h.member('app', 'a.test').flags.has('N')).toBe(true);
    expect(h.balancer('app').config.lbmethod).toBe('bytraffic');
  });
});
