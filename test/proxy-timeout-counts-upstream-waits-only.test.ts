/**
 * A member's `timeout` (Apache's ProxyTimeout) fails an attempt only when the upstream keeps it
 * waiting: for the response head, or between body chunks. A slow client, uploading or reading,
 * never makes the upstream look slow. The head-timeout 504 itself is in proxy-error-statuses.
 */
import { once } from 'node:events';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { perTestProxy, recordingLogger, startBackend, until } from './proxy-support.js';

const MiB = 1024 * 1024;
/** The member's timeout; every client pause below lasts well over it. */
const TIMEOUT = '200ms';
const PAUSE_MS = 800;
const t = perTestProxy();

async function proxyTo(backendUrl: string) {
  const logger = recordingLogger();
  t.proxy = await startProxy(
    defineConfig({ routes: [route('/').to(`${backendUrl}/`, { timeout: TIMEOUT })] }),
    { port: 0, logger },
  );
  return { url: t.proxy.url, logger };
}

test('an upstream that stalls mid-body past the timeout: the client connection is cut, the upstream one closed', async () => {
  let upstreamClosed = false;
  const backend = await startBackend((_req, res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('x'.repeat(100));
    res.socket!.once('close', () => {
      upstreamClosed = true;
    });
  });
  t.backends.push(backend);
  const { url, logger } = await proxyTo(backend.url);

  const res = await request(`${url}/stall`);
  expect(res.statusCode).toBe(200);
  await expect(res.body.text()).rejects.toThrow();
  expect(logger.errors).toEqual([
    expect.objectContaining({
      code: 'TSXP_UPSTREAM_ABORTED',
      route: '/',
      member: `${backend.url}/`,
      message: expect.stringContaining('no response body data within timeout=200ms'),
    }),
  ]);
  await until(() => upstreamClosed);
});

test('a client that stops reading for longer than the timeout still gets the whole body', async () => {
  const SIZE = 64 * MiB;
  const chunk = Buffer.alloc(MiB, 'y');
  const backend = await startBackend((_req, res) => {
    res.writeHead(200, { 'content-length': String(SIZE) });
    let sent = 0;
    const pump = () => {
      while (sent < SIZE) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  t.backends.push(backend);
  const { url, logger } = await proxyTo(backend.url);

  // 64 MiB cannot sit in socket buffers: while this client sleeps, the proxy holds the upstream
  // response back (paused), and that wait is the client's, not the upstream's.
  const res = await request(`${url}/big`);
  let received = 0;
  let pauses = 0;
  for await (const c of res.body) {
    received += (c as Buffer).length;
    if (pauses < 3 && received > (pauses + 1) * 8 * MiB) {
      pauses++;
      await sleep(PAUSE_MS);
    }
  }
  expect(pauses).toBe(3);
  expect(received).toBe(SIZE);
  expect(logger.errors).toEqual([]);
});

test('a client that uploads slower than the timeout, to an upstream reading it, gets the answer', async () => {
  const backend = await startBackend((req, res) => {
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
    });
    req.on('end', () => res.end(`received ${n}`));
  });
  t.backends.push(backend);
  const { url, logger } = await proxyTo(backend.url);

  const part = 'z'.repeat(1000);
  async function* slowBody() {
    for (let i = 0; i < 3; i++) {
      yield part;
      await sleep(PAUSE_MS);
    }
  }
  const res = await request(`${url}/upload`, { method: 'POST', body: Readable.from(slowBody()) });
  expect(res.statusCode).toBe(200);
  expect(await res.body.text()).toBe('received 3000');
  expect(logger.errors).toEqual([]);
});

test('an upstream that stops taking the request body: 504 after the timeout, and the connection closes', async () => {
  // Never reads the body and never answers: once the socket buffers fill, the proxy's writes wait.
  const backend = await startBackend(() => {});
  t.backends.push(backend);
  const { url, logger } = await proxyTo(backend.url);

  const req = httpRequest(`${url}/upload`, {
    method: 'POST',
    headers: { 'content-length': String(256 * MiB) },
  });
  req.on('error', () => {});
  const block = Buffer.alloc(MiB, 'w');
  const write = () => {
    while (!req.destroyed && req.write(block));
    req.once('drain', write);
  };
  write();

  const [res] = (await once(req, 'response')) as [IncomingMessage];
  expect(res.statusCode).toBe(504);
  expect(logger.errors).toEqual([
    expect.objectContaining({
      code: 'TSXP_UPSTREAM_TIMEOUT',
      status: 504,
      message: expect.stringContaining('no response head within timeout=200ms'),
    }),
  ]);
  // The rest of the body is not awaited: the proxy says so and closes the connection (the body
  // stays half-read otherwise, and the connection hung until a server timeout).
  expect(res.headers.connection).toBe('close');
  res.resume();
  // The client is still writing when the proxy closes: EPIPE on its side is expected.
  await new Promise((resolve) => req.socket!.once('close', resolve));
});
