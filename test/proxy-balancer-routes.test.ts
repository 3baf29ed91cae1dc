import { once } from 'node:events';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { expect, test } from 'vitest';
import { balancer, defineConfig, route } from '../src/index.js';
import { startProxy } from '../src/testing/start-proxy.js';
import {
  type Backend,
  perTestProxy,
  closedPort,
  recordingLogger,
  startBackend,
  until,
} from './proxy-support.js';

const t = perTestProxy();

/** A backend answering its name; `/slow` waits for `hold`. */
async function member(name: string, hold?: Promise<void>): Promise<Backend> {
  const b = await startBackend((req, res) => {
    const reply = () => {
      res.writeHead(200, { 'x-member': name, 'content-length': String(name.length) });
      res.end(name);
    };
    if (req.url === '/slow' && hold) void hold.then(reply);
    else reply();
  });
  t.backends.push(b);
  return b;
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await request(`${t.proxy!.url}/lb${path}`, { headers });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

async function sequence(n: number, path = '/x'): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await get(path)).body);
  return out;
}

test('byrequests spreads requests over members by loadfactor, in Apache’s order', async () => {
  const [a, b] = [await member('A'), await member('B')];
  const lb = balancer('weighted').member(a.url).member(b.url, { loadfactor: 3 });
  t.proxy = await startProxy(defineConfig({ routes: [route('/lb').to(lb)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  expect(await sequence(8)).toEqual(['B', 'A', 'B', 'B', 'B', 'A', 'B', 'B']);
});

test('bytraffic sees the bytes of real exchanges', async () => {
  const [a, b] = [await member('A'), await member('B')];
  const lb = balancer('traffic').member(a.url).member(b.url, { loadfactor: 3 }).lbmethod('bytraffic');
  t.proxy = await startProxy(defineConfig({ routes: [route('/lb').to(lb)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  // Equal exchanges, lf 1:3 (Apache §1.4): with no bytes counted every pick would be A.
  expect(await sequence(8)).toEqual(['A', 'B', 'B', 'B', 'A', 'B', 'B', 'B']);
});

test('bybusyness sees requests in flight', async () => {
  let release!: () => void;
  const hold = new Promise<void>((r) => {
    release = r;
  });
  const [a, b] = [await member('A', hold), await member('B', hold)];
  const lb = balancer('busy').member(a.url).member(b.url).lbmethod('bybusyness');
  t.proxy = await startProxy(defineConfig({ routes: [route('/lb').to(lb)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  // The first slow request occupies one member; while it runs, the other gets every request.
  const slow = get('/slow');
  await until(() => a.sockets.size + b.sockets.size > 0);
  const busy = a.sockets.size > 0 ? 'A' : 'B';
  const free = busy === 'A' ? 'B' : 'A';
  expect(await sequence(3)).toEqual([free, free, free]);
  release();
  expect((await slow).body).toBe(busy);
});

test('a member that refuses connections fails over to the next, then sits out in error', async () => {
  const good = await member('good');
  const dead = await closedPort();
  const logger = recordingLogger();
  const lb = balancer('failover').member(`http://127.0.0.1:${dead}`).member(good.url);
  t.proxy = await startProxy(defineConfig({ routes: [route('/lb').to(lb)] }), { port: 0, logger });
  expect(await sequence(4)).toEqual(['good', 'good', 'good', 'good']);
  expect(logger.errors).toEqual([]);
  expect(logger.warnings).toHaveLength(1);
  expect(logger.warnings[0]).toContain(`TSXP_UPSTREAM_CONNECT route /lb member http://127.0.0.1:${dead}`);
});

test('routeCookie: the proxy binds a new client to its member, and the cookie keeps it there', async () => {
  const [a, b] = [await member('A'), await member('B')];
  const lb = balancer('sticky')
    .member(a.url, { route: 'n1' })
    .member(b.url, { route: 'n2' })
    .set({ stickysession: 'ROUTEID', routeCookie: { name: 'ROUTEID', path: '/' } });
  t.proxy = await startProxy(defineConfig({ routes: [route('/lb').to(lb)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  const first = await get('/x');
  const route1 = first.body === 'A' ? 'n1' : 'n2';
  expect(first.headers['set-cookie']).toBe(`ROUTEID=.${route1}; Path=/; HttpOnly; SameSite=Lax`);
  for (let i = 0; i < 4; i++) {
    const again = await get('/x', { cookie: `ROUTEID=.${route1}` });
    expect(again.body).toBe(first.body);
    expect(again.headers['set-cookie']).toBeUndefined();
  }
  // A cookie naming the other route is honoured too.
  const other = route1 === 'n1' ? 'n2' : 'n1';
  expect((await get('/x', { cookie: `ROUTEID=.${other}` })).body).toBe(other === 'n1' ? 'A' : 'B');
});

test('the balancer timeout waits for a member to become usable', async () => {
  const port = await closedPort();
  const lb = balancer('waits')
    .member(`http://127.0.0.1:${port}`, { retry: '150ms' })
    .set({ timeout: 3, forcerecovery: false });
  const logger = recordingLogger();
  t.proxy = await startProxy(defineConfig({ routes: [route('/lb').to(lb)] }), { port: 0, logger });
  // Nothing listens: 503, and the member is now in error.
  expect((await get('/x')).status).toBe(503);
  const server = createServer((_req, res) => res.end('back'));
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  try {
    // No member is usable now; the request waits until `retry` has passed, then goes through.
    expect(await get('/x')).toMatchObject({ status: 200, body: 'back' });
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('acquire: with every connection busy past the acquire time, 503', async () => {
  let release!: () => void;
  const hold = new Promise<void>((r) => {
    release = r;
  });
  const one = await member('one', hold);
  const logger = recordingLogger();
  t.proxy = await startProxy(
    defineConfig({ routes: [route('/lb').to(one.url, { max: 1, acquire: '100ms' })] }),
    { port: 0, logger },
  );
  const slow = get('/slow');
  await until(() => one.sockets.size === 1);
  expect((await get('/x')).status).toBe(503);
  expect(logger.errors.at(-1)).toMatchObject({ code: 'TSXP_ACQUIRE_TIMEOUT', status: 503 });
  release();
  expect((await slow).body).toBe('one');
  expect((await get('/x')).body).toBe('one');
});

test('disablereuse: every request gets its own upstream connection; max bounds them', async () => {
  const ports: number[] = [];
  const b = await startBackend((req, res) => {
    ports.push(req.socket.remotePort!);
    res.end('ok');
  });
  t.backends.push(b);
  t.proxy = await startProxy(defineConfig({ routes: [route('/lb').to(b.url, { disablereuse: true })] }), {
    port: 0,
    logger: recordingLogger(),
  });
  await sequence(3);
  expect(new Set(ports).size).toBe(3);
  await t.proxy.reload(defineConfig({ routes: [route('/lb').to(b.url, { max: 1 })] }));
  ports.length = 0;
  await Promise.all([get('/a'), get('/b'), get('/c')]);
  expect(new Set(ports).size).toBe(1);
});

test('bytraffic counts request bodies, chunked ones too', async () => {
  const [a, b] = [await member('A'), await member('B')];
  const lb = balancer('uploads').member(a.url).member(b.url).lbmethod('bytraffic');
  t.proxy = await startProxy(defineConfig({ routes: [route('/lb').to(lb)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  async function* chunks() {
    for (let i = 0; i < 10; i++) yield Buffer.alloc(10_000, 'x');
  }
  // No Content-Length: undici sends it chunked, and so does the t.proxy.
  const upload = await request(`${t.proxy.url}/lb/up`, { method: 'POST', body: Readable.from(chunks()) });
  expect(await upload.body.text()).toBe('A');
  // A has 100 kB more traffic: B takes the next requests.
  expect(await sequence(4)).toEqual(['B', 'B', 'B', 'B']);
});
