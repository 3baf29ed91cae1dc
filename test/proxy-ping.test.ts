/**
 * The member `ping` (Apache's 100-continue ping, done as an `OPTIONS` check through the member's
 * pool): a member that accepts connections but never answers is found out before the request
 * body is committed, and the request fails over with its body intact; a member that answers is
 * checked only after it has been silent for `ping`; a member without `ping` is never checked.
 */
import { once } from 'node:events';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { request } from 'undici';
import { afterEach, expect, test } from 'vitest';
import type { Duration } from '../src/dsl/params.js';
import { balancer, defineConfig, route } from '../src/index.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, type RecordingLogger, recordingLogger, startBackend } from './proxy-support.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** One request a backend received: method, target, headers, body, and the connection it came on. */
interface Received {
  readonly method: string;
  readonly url: string;
  readonly maxForwards: string | string[] | undefined;
  readonly body: Buffer;
  readonly socket: Socket;
}

/**
 * A node:http backend recording what it receives. Requests arriving on a `blackholed`
 * connection are read and never answered (a connection a firewall silently dropped).
 */
async function recordingBackend(): Promise<Backend & { received: Received[]; blackholed: Set<Socket> }> {
  const received: Received[] = [];
  const blackholed = new Set<Socket>();
  const backend = await startBackend((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const socket = req.socket;
      received.push({
        method: req.method!,
        url: req.url!,
        maxForwards: req.headers['max-forwards'],
        body: Buffer.concat(chunks),
        socket,
      });
      if (blackholed.has(socket)) return;
      res.writeHead(200, { 'content-length': '2' });
      res.end('ok');
    });
  });
  cleanup.push(() => backend.close());
  return Object.assign(backend, { received, blackholed });
}

/** A TCP server that accepts connections and reads everything, never answering a byte. */
async function silentServer(): Promise<{ url: string; bytes: () => string; perConnection: () => string[] }> {
  const sockets = new Set<Socket>();
  const received: string[] = [];
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    const index = received.push('') - 1;
    socket.on('data', (d: Buffer) => {
      received[index] += d.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    bytes: () => received.join(''),
    // undici may open a connection it then leaves unused: only the ones that carried bytes.
    perConnection: () => received.filter((r) => r !== ''),
  };
}

async function start(spec: ReturnType<typeof defineConfig>, logger: RecordingLogger): Promise<RunningProxy> {
  const proxy = await startProxy(spec, { port: 0, logger });
  cleanup.push(() => proxy.close());
  return proxy;
}

/** A request body large enough to span several chunks, with a recognisable pattern. */
const BODY = Buffer.alloc(256 * 1024, 'tsx-proxy ping body ');

async function post(url: string, body: Buffer = BODY): Promise<{ status: number; text: string }> {
  const res = await request(url, { method: 'POST', body });
  return { status: res.statusCode, text: await res.body.text() };
}

function countOf(received: readonly Received[], method: string): number {
  return received.filter((r) => r.method === method).length;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a member that accepts connections but never answers fails its ping; the request fails over with its body', async () => {
  const hung = await silentServer();
  const healthy = await recordingBackend();
  const logger = recordingLogger();
  const web = balancer('web')
    .member(hung.url, { ping: '100ms', timeout: '3s' })
    .member(healthy.url, { ping: '100ms' });
  const proxy = await start(
    defineConfig({
      routes: [route('/balancer-manager').manager({ allow: ['127.0.0.1'] }), route('/').to(web)],
    }),
    logger,
  );

  // byrequests picks the first member first: the hung one.
  const res = await post(`${proxy.url}/upload`);
  expect(res).toEqual({ status: 200, text: 'ok' });
  const posts = healthy.received.filter((r) => r.method === 'POST');
  expect(posts).toHaveLength(1);
  expect(posts[0]!.body.equals(BODY)).toBe(true);

  // Checked twice (Apache retries a failed ping once, on a new connection), never sent the request.
  const checks = hung.perConnection();
  expect(checks).toHaveLength(2);
  for (const bytes of checks) expect(bytes).toMatch(/^OPTIONS \/ HTTP\/1\.1\r\n(?:.+\r\n)+\r\n$/);
  expect(hung.bytes()).not.toContain('POST');
  expect(logger.warnings.filter((w) => w.startsWith('TSXP_PING_FAILED'))).toEqual([
    expect.stringContaining(`route / member ${hung.url}`),
  ]);

  // The hung member is in error state: the manager shows it, and it gets no more traffic.
  const api = await request(`${proxy.url}/balancer-manager/api/balancers/web/members/0`);
  expect(((await api.body.json()) as { status: string }).status).toContain('Err');
  const seen = hung.bytes();
  expect(await post(`${proxy.url}/again`)).toEqual({ status: 200, text: 'ok' });
  expect(hung.bytes()).toBe(seen);
  expect(countOf(healthy.received, 'POST')).toBe(2);
});

test('a plain URL target whose ping fails answers 503 and logs one error naming the route and member', async () => {
  const hung = await silentServer();
  const logger = recordingLogger();
  const proxy = await start(
    defineConfig({ routes: [route('/api').to(`${hung.url}/v1`, { ping: '100ms', timeout: '3s' })] }),
    logger,
  );
  expect((await post(`${proxy.url}/api/items`)).status).toBe(503);
  const checks = hung.perConnection();
  expect(checks).toHaveLength(2);
  for (const bytes of checks) expect(bytes).toMatch(/^OPTIONS \/v1 HTTP\/1\.1\r\n(?:.+\r\n)+\r\n$/);
  expect(logger.errors).toEqual([
    expect.objectContaining({
      code: 'TSXP_PING_FAILED',
      route: '/api',
      member: `${hung.url}/v1`,
      status: 503,
    }),
  ]);
});

test('an answering member is checked once before its first body, not under steady traffic, once after idleness', async () => {
  const backend = await recordingBackend();
  const ping: Duration = '1s';
  const proxy = await start(
    defineConfig({ routes: [route('/').to(balancer('web').member(backend.url, { ping }))] }),
    recordingLogger(),
  );

  expect(await post(`${proxy.url}/first`)).toEqual({ status: 200, text: 'ok' });
  const [check, first] = backend.received;
  expect(check).toMatchObject({ method: 'OPTIONS', url: '/', maxForwards: '0' });
  // The check tested the connection the request then went out on.
  expect(first).toMatchObject({ method: 'POST', url: '/first' });
  expect(first!.socket).toBe(check!.socket);
  expect(first!.body.equals(BODY)).toBe(true);

  // Each answer proves the member alive: steady traffic (with or without bodies) is never checked.
  for (let i = 0; i < 10; i++) {
    expect((await post(`${proxy.url}/steady${i}`)).status).toBe(200);
    expect((await request(`${proxy.url}/get${i}`)).statusCode).toBe(200);
  }
  expect(countOf(backend.received, 'OPTIONS')).toBe(1);

  // Silent for longer than `ping`: a burst of bodies shares one check.
  await sleep(1200);
  const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => post(`${proxy.url}/burst${i}`)));
  expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  expect(countOf(backend.received, 'OPTIONS')).toBe(2);
  expect(backend.received.filter((r) => r.method === 'POST').every((r) => r.body.equals(BODY))).toBe(true);
});

test('a bodiless request is never checked (Apache pings only before a body); its answer counts as hearing from the member', async () => {
  const backend = await recordingBackend();
  const proxy = await start(
    defineConfig({ routes: [route('/').to(backend.url, { ping: '300ms' })] }),
    recordingLogger(),
  );
  await sleep(400);
  expect((await request(`${proxy.url}/idle-get`)).statusCode).toBe(200);
  expect(await post(`${proxy.url}/right-after`)).toEqual({ status: 200, text: 'ok' });
  expect(countOf(backend.received, 'OPTIONS')).toBe(0);

  await sleep(400);
  expect(await post(`${proxy.url}/idle-post`)).toEqual({ status: 200, text: 'ok' });
  expect(backend.received.map((r) => r.method)).toEqual(['GET', 'POST', 'OPTIONS', 'POST']);
});

test('a kept-alive connection that went silent while idle is caught by the ping; the request goes on a new one', async () => {
  const backend = await recordingBackend();
  const logger = recordingLogger();
  const proxy = await start(
    defineConfig({ routes: [route('/').to(backend.url, { ping: '150ms', timeout: '3s' })] }),
    logger,
  );
  expect((await post(`${proxy.url}/first`)).status).toBe(200);
  const [kept] = [...backend.sockets];
  expect(backend.sockets.size).toBe(1);
  // The connection stays open but nothing on it is answered any more (a firewall dropped it).
  backend.blackholed.add(kept!);

  await sleep(300);
  expect(await post(`${proxy.url}/after-idle`)).toEqual({ status: 200, text: 'ok' });
  const later = backend.received.slice(2);
  // The check on the kept connection got no answer, the retry on a new connection did, and the
  // request followed it there with its whole body.
  expect(later.map((r) => [r.method, r.socket === kept])).toEqual([
    ['OPTIONS', true],
    ['OPTIONS', false],
    ['POST', false],
  ]);
  expect(later[2]!.socket).toBe(later[1]!.socket);
  expect(later[2]!.body.equals(BODY)).toBe(true);
  expect(logger.warnings).toEqual([]);
  expect(logger.errors).toEqual([]);
});

test('a member without ping is never checked, however long it was idle', async () => {
  const backend = await recordingBackend();
  const proxy = await start(
    defineConfig({ routes: [route('/').to(balancer('web').member(backend.url))] }),
    recordingLogger(),
  );
  for (let i = 0; i < 3; i++) {
    await sleep(100);
    expect((await post(`${proxy.url}/upload${i}`)).status).toBe(200);
  }
  expect(countOf(backend.received, 'OPTIONS')).toBe(0);
  expect(countOf(backend.received, 'POST')).toBe(3);
});
