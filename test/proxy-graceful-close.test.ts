import { request } from 'undici';
import { afterEach, expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, recordingLogger, startBackend, until } from './proxy-support.js';

let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
});

/** A backend whose `/slow` answers only when the test calls `release()`. */
async function slowBackend() {
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let waiting = 0;
  backend = await startBackend((req, res) => {
    if (req.url !== '/slow') return void res.end('fast');
    waiting++;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('part one, ');
    void released.then(() => res.end('part two'));
  });
  return { backend, release, waiting: () => waiting };
}

test('close() stops accepting, lets an in-flight request finish, then resolves', async () => {
  const { backend, release, waiting } = await slowBackend();
  const proxy = await startProxy(defineConfig({ routes: [route('/').to(`${backend.url}/`)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  const inflight = request(`${proxy.url}/slow`).then(async (res) => ({
    status: res.statusCode,
    body: await res.body.text(),
  }));
  await until(() => waiting() === 1);
  let closed = false;
  const closing = proxy.close().then(() => {
    closed = true;
  });
  // New connections are refused while the old request is still running.
  await expect(request(`${proxy.url}/fast`, { reset: true })).rejects.toThrow();
  expect(closed).toBe(false);
  release();
  expect(await inflight).toEqual({ status: 200, body: 'part one, part two' });
  await closing;
  expect(closed).toBe(true);
});

test('the grace period bounds the wait: a request still running is cut when it ends', async () => {
  const { backend } = await slowBackend();
  const proxy = await startProxy(
    defineConfig({ gracePeriod: '100ms', routes: [route('/').to(`${backend.url}/`)] }),
    { port: 0, logger: recordingLogger() },
  );
  const res = await request(`${proxy.url}/slow`);
  expect(res.statusCode).toBe(200);
  const body = res.body.text();
  await proxy.close();
  await expect(body).rejects.toThrow();
});
