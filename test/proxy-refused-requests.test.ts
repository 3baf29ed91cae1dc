import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, rawExchange, recordingLogger, startBackend } from './proxy-support.js';

let backend: Backend;
let proxy: RunningProxy;
let upstreamHits = 0;

beforeAll(async () => {
  backend = await startBackend((_req, res) => {
    upstreamHits++;
    res.end('upstream');
  });
  proxy = await startProxy(
    defineConfig({
      routes: [
        route('/balancer-manager').manager(),
        route('/app/private/').deny(),
        route('/app/').to(`${backend.url}/`),
      ],
    }),
    { port: 0, logger: recordingLogger() },
  );
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

function statusLine(text: string): string {
  return text.slice(0, text.indexOf('\r\n'));
}

test('absolute-form request targets are refused with 400: not an open forward proxy', async () => {
  const before = upstreamHits;
  const text = await rawExchange(
    proxy.url,
    `GET ${backend.url}/app/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
  );
  expect(statusLine(text)).toBe('HTTP/1.1 400 Bad Request');
  expect(upstreamHits).toBe(before);
});

test('CONNECT is refused with 405 and an Allow header', async () => {
  const text = await rawExchange(proxy.url, `CONNECT 127.0.0.1:${backend.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
  expect(statusLine(text)).toBe('HTTP/1.1 405 Method Not Allowed');
  expect(text).toMatch(/\r\nAllow: [A-Z, ]+\r\n/);
  expect(text).not.toContain('upstream');
});

test('oversized request headers get 431', async () => {
  const big = 'x'.repeat(20 * 1024);
  const text = await rawExchange(proxy.url, `GET /app/x HTTP/1.1\r\nHost: a\r\nX-Big: ${big}\r\n\r\n`);
  expect(statusLine(text)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
});

test('a malformed request gets 400 and the listener keeps serving', async () => {
  const text = await rawExchange(proxy.url, 'GET /app/x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n');
  expect(statusLine(text)).toBe('HTTP/1.1 400 Bad Request');
  const garbage = await rawExchange(proxy.url, '\x00\x01\x02 nonsense\r\n\r\n');
  expect(statusLine(garbage)).toBe('HTTP/1.1 400 Bad Request');
  const res = await request(`${proxy.url}/app/x`);
  expect(res.statusCode).toBe(200);
  expect(await res.body.text()).toBe('upstream');
});

test('an encoded slash is refused with 404 (Apache AllowEncodedSlashes Off)', async () => {
  const res = await request(`${proxy.url}/app/a%2Fb`);
  expect(res.statusCode).toBe(404);
  await res.body.dump();
});

test('deny() routes answer 403, unrouted paths 404', async () => {
  for (const [path, status] of [
    ['/app/private/x', 403],
    ['/elsewhere', 404],
  ] as const) {
    const res = await request(`${proxy.url}${path}`);
    expect(res.statusCode).toBe(status);
    expect(await res.body.text()).toMatch(new RegExp(`^${status} `));
  }
});

test('OPTIONS * is answered by the proxy', async () => {
  const text = await rawExchange(proxy.url, 'OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  expect(statusLine(text)).toBe('HTTP/1.1 200 OK');
  expect(text).toMatch(/\r\nallow: /i);
});
