import { connect } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, recordingLogger, startBackend, until } from './proxy-support.js';

let backend: Backend;
let proxy: RunningProxy;
const upstreamClosed: string[] = [];
const uploadReceived: number[] = [];
const upstreamSockets = new Map<string, import('node:net').Socket>();
const logger = recordingLogger();

beforeAll(async () => {
  backend = await startBackend((req, res) => {
    upstreamSockets.set(req.url!, req.socket);
    res.on('close', () => upstreamClosed.push(req.url!));
    if (req.method === 'POST') {
      let n = 0;
      req.on('data', (c: Buffer) => {
        n += c.length;
      });
      req.on('close', () => uploadReceived.push(n));
      return;
    }
    // An endless slow stream: only a cancelled request ends it.
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('tick\n'), 5);
    res.on('close', () => clearInterval(timer));
  });
  proxy = await startProxy(defineConfig({ routes: [route('/').to(`${backend.url}/`)] }), { port: 0, logger });
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

function client(): import('node:net').Socket {
  const url = new URL(proxy.url);
  return connect(Number(url.port), url.hostname);
}

test('a client that goes away mid-response cancels the upstream request and frees its connection', async () => {
  const socket = client();
  socket.write('GET /stream HTTP/1.1\r\nHost: a\r\n\r\n');
  let got = '';
  await new Promise<void>((resolve) => {
    socket.on('data', (c: Buffer) => {
      got += c.toString();
      if (got.split('tick').length > 3) resolve();
    });
  });
  expect(backend.sockets.size).toBe(1);
  socket.destroy();
  await until(() => upstreamClosed.includes('/stream'));
  // The upstream connection is closed, not left streaming into nowhere. (undici may open a
  // fresh idle connection right after an abort; that one is reused or times out.)
  await until(() => upstreamSockets.get('/stream')!.destroyed);
  expect(logger.errors).toEqual([]);
});

test('a client that goes away mid-upload cancels the upstream request', async () => {
  const socket = client();
  socket.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n');
  socket.write(Buffer.alloc(1000, 'x'));
  await until(() => upstreamSockets.has('/upload'));
  socket.destroy();
  await until(() => upstreamClosed.includes('/upload'));
  expect(uploadReceived.at(-1)).toBeLessThan(1_000_000);
  await until(() => upstreamSockets.get('/upload')!.destroyed);
});

test('the proxy keeps serving after aborted requests', async () => {
  const socket = client();
  socket.write('GET /stream HTTP/1.1\r\nHost: a\r\n\r\n');
  await new Promise((resolve) => socket.once('data', resolve));
  socket.destroy();
  const res = await fetch(`${proxy.url}/stream`, { signal: AbortSignal.timeout(10_000) }).catch(
    (e: Error) => e,
  );
  expect(res).toBeInstanceOf(Response);
  expect((res as Response).status).toBe(200);
  await (res as Response).body?.cancel();
});
