import { connect } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, rawExchange, recordingLogger, startBackend } from './proxy-support.js';

let backend: Backend;
let proxy: RunningProxy;
let firstChunk: (() => void) | undefined;
const seen: { method: string; url: string; body: string; headers: Record<string, unknown> }[] = [];

beforeAll(async () => {
  backend = await startBackend((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      firstChunk?.();
      firstChunk = undefined;
    });
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        body: Buffer.concat(chunks).toString(),
        headers: req.headers,
      });
      switch (req.url) {
        case '/chunked':
          res.write('a');
          setTimeout(() => res.end('b'), 5);
          return;
        case '/length':
          res.writeHead(200, { 'content-length': '5' });
          res.end('12345');
          return;
        case '/no-content':
          res.writeHead(204, { 'x-a': '1' });
          res.end();
          return;
        case '/not-modified':
          res.writeHead(304, { etag: '"v1"' });
          res.end();
          return;
        case '/trailers':
          res.writeHead(200, { trailer: 'x-checksum' });
          res.write('data');
          res.addTrailers({ 'x-checksum': 'abc' });
          res.end();
          return;
        case '/echo': {
          const text = `${req.headers['content-length'] ?? '-'}|${req.headers['transfer-encoding'] ?? '-'}|${Buffer.concat(chunks)}`;
          res.writeHead(200, { 'content-length': Buffer.byteLength(text) });
          res.end(text);
          return;
        }
        default:
          res.writeHead(200, { 'content-length': '11', 'x-method': req.method! });
          res.end(req.method === 'HEAD' ? undefined : 'hello world');
      }
    });
  });
  proxy = await startProxy(defineConfig({ routes: [route('/').to(`${backend.url}/`)] }), {
    port: 0,
    logger: recordingLogger(),
  });
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

function raw(head: string, body?: string): Promise<string> {
  return rawExchange(proxy.url, head, body);
}

test('a chunked response stays chunked', async () => {
  const text = await raw('GET /chunked HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  expect(text).toMatch(/\r\nTransfer-Encoding: chunked\r\n/i);
  expect(text.endsWith('\r\n\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n')).toBe(true);
});

test('a Content-Length response keeps its length', async () => {
  const text = await raw('GET /length HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  expect(text).toMatch(/\r\ncontent-length: 5\r\n/i);
  expect(text).not.toMatch(/transfer-encoding/i);
  expect(text.endsWith('\r\n\r\n12345')).toBe(true);
});

test('HEAD: the upstream’s headers, no body', async () => {
  const text = await raw('HEAD /thing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  expect(text).toMatch(/^HTTP\/1.1 200 OK\r\n/);
  expect(text).toMatch(/\r\ncontent-length: 11\r\n/i);
  expect(text).toMatch(/\r\nx-method: HEAD\r\n/i);
  expect(text.endsWith('\r\n\r\n')).toBe(true);
});

test('204 and 304: no body, headers kept', async () => {
  const noContent = await raw('GET /no-content HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  expect(noContent).toMatch(/^HTTP\/1.1 204 No Content\r\n/);
  expect(noContent).toMatch(/\r\nx-a: 1\r\n/);
  expect(noContent.endsWith('\r\n\r\n')).toBe(true);
  const notModified = await raw('GET /not-modified HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
  expect(notModified).toMatch(/^HTTP\/1.1 304 Not Modified\r\n/);
  expect(notModified).toMatch(/\r\netag: "v1"\r\n/);
  expect(notModified.endsWith('\r\n\r\n')).toBe(true);
});

test('trailers from the upstream reach the client', async () => {
  const res = await request(`${proxy.url}/trailers`);
  expect(await res.body.text()).toBe('data');
  expect(res.trailers).toEqual({ 'x-checksum': 'abc' });
});

test('a request body with Content-Length reaches the upstream with it', async () => {
  const sized = await raw(
    'POST /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 3\r\n\r\n',
    'abc',
  );
  expect(sized.endsWith('\r\n\r\n3|-|abc')).toBe(true);
});

test('a chunked request body that has fully arrived goes with Content-Length, as Apache prefetches small bodies', async () => {
  const chunked = await raw(
    'POST /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n',
    '2\r\nab\r\n1\r\nc\r\n0\r\n\r\n',
  );
  expect(chunked.endsWith('\r\n\r\n3|-|abc')).toBe(true);
});

test('a chunked request body still arriving streams upstream chunked', async () => {
  const url = new URL(proxy.url);
  const socket = connect(Number(url.port), url.hostname);
  socket.write(
    'POST /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n',
  );
  // The rest is sent once the upstream has the first chunk: the body is streamed, not collected.
  await new Promise<void>((resolve) => {
    firstChunk = resolve;
  });
  socket.write('1\r\nc\r\n0\r\n\r\n');
  let text = '';
  socket.on('data', (c: Buffer) => {
    text += c.toString();
  });
  await new Promise((resolve) => socket.on('close', resolve));
  expect(text.endsWith('\r\n\r\n-|chunked|abc')).toBe(true);
});

test('Expect: 100-continue: the client gets 100 Continue, then the body goes upstream', async () => {
  const url = new URL(proxy.url);
  const socket = connect(Number(url.port), url.hostname);
  socket.write(
    'PUT /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n',
  );
  let text = '';
  await new Promise<void>((resolve) => {
    socket.on('data', (c: Buffer) => {
      text += c.toString();
      if (text === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write('body');
    });
    socket.on('close', () => resolve());
  });
  expect(text.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n')).toBe(true);
  expect(text.endsWith('\r\n\r\n4|-|body')).toBe(true);
  // undici cannot send Expect upstream: the proxy answered it (Apache's Proxy100Continue Off).
  expect(seen.at(-1)!.headers.expect).toBeUndefined();
});
