import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, rawExchange, recordingLogger, startBackend } from './proxy-support.js';

let backend: Backend;
let proxy: RunningProxy;
const logger = recordingLogger();

beforeAll(async () => {
  backend = await startBackend((req, res) => {
    // Headers and part of the body, then the upstream process "dies".
    if (req.url === '/sized') res.writeHead(200, { 'content-length': '1000' });
    else res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('x'.repeat(100));
    setTimeout(() => req.socket.destroy(), 20);
  });
  proxy = await startProxy(defineConfig({ routes: [route('/').to(`${backend.url}/`)] }), { port: 0, logger });
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

test('Content-Length body cut short: the client connection is closed before the declared length', async () => {
  const text = await rawExchange(proxy.url, 'GET /sized HTTP/1.1\r\nHost: a\r\n\r\n');
  const [head, body] = [text.slice(0, text.indexOf('\r\n\r\n')), text.slice(text.indexOf('\r\n\r\n') + 4)];
  expect(head).toMatch(/content-length: 1000/i);
  expect(body.length).toBe(100);
});

test('chunked body cut short: no terminating chunk, so the client cannot take it as complete', async () => {
  const text = await rawExchange(proxy.url, 'GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n');
  expect(text).toMatch(/transfer-encoding: chunked/i);
  expect(text).toContain('x'.repeat(100));
  expect(text.endsWith('0\r\n\r\n')).toBe(false);
});

test('an HTTP client sees an error, not a short body', async () => {
  const res = await request(`${proxy.url}/chunked`);
  expect(res.statusCode).toBe(200);
  await expect(res.body.text()).rejects.toThrow();
});

test('each cut logs one error naming the route and member', () => {
  expect(logger.errors.length).toBe(3);
  for (const e of logger.errors) {
    expect(e).toMatchObject({ code: 'TSXP_UPSTREAM_ABORTED', route: '/', member: `${backend.url}/` });
  }
});
