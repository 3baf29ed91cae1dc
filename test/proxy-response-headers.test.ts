import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { request } from 'undici';
import { afterEach, expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import type { ConfigInput } from '../src/dsl/spec.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { rawExchange, recordingLogger } from './proxy-support.js';

let proxy: RunningProxy | undefined;
let upstreamClose: (() => void) | undefined;
afterEach(async () => {
  await proxy?.close();
  upstreamClose?.();
});

/** An upstream that sends `head` (status line and headers) and `body` verbatim to every request. */
async function upstreamSending(head: string, body = ''): Promise<string> {
  const server = createServer((socket: Socket) => {
    socket.on('error', () => {});
    socket.on('data', () => socket.write(`${head}\r\n${body}`));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  upstreamClose = () => server.close();
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

async function proxyTo(target: string, top: Omit<ConfigInput, 'routes'> = {}): Promise<RunningProxy> {
  proxy = await startProxy(defineConfig({ ...top, routes: [route('/').to(target)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  return proxy;
}

test('hop-by-hop response headers and those named in Connection are dropped; Server, Date and the reason phrase are kept', async () => {
  const target = await upstreamSending(
    [
      'HTTP/1.1 200 Fine Thanks',
      'Connection: X-Bar, keep-alive',
      'X-Bar: 1',
      'Keep-Alive: timeout=9',
      'Proxy-Authenticate: Basic',
      'Trailer: X-T',
      'Upgrade: h2c',
      'Proxy-Connection: keep-alive',
      'Server: backend/1.0',
      'Date: Tue, 01 Jan 2030 00:00:00 GMT',
      'X-Kept: yes',
      'Content-Length: 2',
      '',
    ].join('\r\n'),
    'ok',
  );
  await proxyTo(target);
  const text = await rawExchange(proxy!.url, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  const [head, body] = text.split('\r\n\r\n');
  const lines = head!.split('\r\n');
  expect(lines[0]).toBe('HTTP/1.1 200 Fine Thanks');
  const names = lines.slice(1).map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
  for (const gone of [
    'x-bar',
    'keep-alive',
    'proxy-authenticate',
    'trailer',
    'upgrade',
    'proxy-connection',
  ]) {
    expect(names).not.toContain(gone);
  }
  expect(lines).toContain('server: backend/1.0');
  expect(lines).toContain('date: Tue, 01 Jan 2030 00:00:00 GMT');
  expect(lines).toContain('x-kept: yes');
  expect(names.filter((n) => n === 'date')).toHaveLength(1);
  // The client-side Connection is the proxy's own (this client asked to close).
  expect(lines).toContain('Connection: close');
  expect(body).toBe('ok');
});

test('several Set-Cookie headers stay separate lines', async () => {
  const target = await upstreamSending(
    'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2; Path=/\r\nContent-Length: 0\r\n',
  );
  await proxyTo(target);
  const res = await request(proxy!.url);
  expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2; Path=/']);
  await res.body.dump();
});

test('config response header operations (Apache Header) apply to the final response', async () => {
  const target = await upstreamSending(
    'HTTP/1.1 200 OK\r\nX-Powered-By: php\r\nX-List: a\r\nX-Frame-Options: ALLOW\r\nContent-Length: 0\r\n',
  );
  await proxyTo(target, {
    headers: {
      response: {
        set: { 'X-Frame-Options': 'DENY', 'Strict-Transport-Security': 'max-age=63072000' },
        append: { 'X-List': 'b' },
        unset: ['x-powered-by'],
      },
    },
  });
  const res = await request(proxy!.url);
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['strict-transport-security']).toBe('max-age=63072000');
  expect(res.headers['x-list']).toBe('a, b');
  expect(res.headers['x-powered-by']).toBeUndefined();
  await res.body.dump();
});

test('Via on: an upstream Via is kept and the proxy adds its own line', async () => {
  const target = await upstreamSending('HTTP/1.1 200 OK\r\nVia: 1.1 cache\r\nContent-Length: 0\r\n');
  await proxyTo(target, { via: 'on', serverName: 'edge' });
  const text = await rawExchange(proxy!.url, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  const port = new URL(proxy!.url).port;
  expect(text).toContain('via: 1.1 cache\r\n');
  expect(text).toContain(`via: 1.1 edge:${port}\r\n`);
});
