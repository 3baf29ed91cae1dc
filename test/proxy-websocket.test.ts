import { once } from 'node:events';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { balancer, defineConfig, route } from '../src/index.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, closedPort, recordingLogger, startBackend, until } from './proxy-support.js';

let backend: Backend;
let wss: WebSocketServer;
let proxy: RunningProxy;
const serverSide: WebSocket[] = [];
const logger = recordingLogger();

beforeAll(async () => {
  backend = await startBackend((_req, res) => {
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end('no websocket here');
  });
  wss = new WebSocketServer({ noServer: true });
  backend.server.on('upgrade', (req, socket, head) => {
    if (req.url === '/ws/refuse') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      serverSide.push(ws);
      ws.on('message', (data, isBinary) => {
        if (String(data) === 'close-please') ws.close(4001, 'server says bye');
        else ws.send(isBinary ? data : `echo:${data}:${req.url}:${req.headers['x-forwarded-for']}`);
      });
    });
  });
  const down = await closedPort();
  proxy = await startProxy(
    defineConfig({
      routes: [
        route('/down').to(balancer('dead').member(`http://127.0.0.1:${down}`)),
        route('/').to(`${backend.url}/`),
      ],
    }),
    { port: 0, logger },
  );
});

afterAll(async () => {
  await proxy.close();
  wss.close();
  await backend.close();
});

function wsUrl(path: string): string {
  return `${proxy.url.replace(/^http/, 'ws')}${path}`;
}

async function open(path: string): Promise<WebSocket> {
  const ws = new WebSocket(wsUrl(path));
  await once(ws, 'open');
  return ws;
}

test('messages echo both ways through the route, with the usual forwarded headers', async () => {
  const ws = await open('/ws/chat');
  ws.send('hello');
  const [msg] = await once(ws, 'message');
  expect(String(msg)).toBe('echo:hello:/ws/chat:127.0.0.1');
  const binary = Buffer.from([0, 1, 2, 255]);
  ws.send(binary);
  const [back] = await once(ws, 'message');
  expect(Buffer.compare(back as Buffer, binary)).toBe(0);
  ws.close();
  await once(ws, 'close');
});

test('a close from the client reaches the upstream, and both connections end', async () => {
  const before = serverSide.length;
  const ws = await open('/ws/a');
  await until(() => serverSide.length > before);
  const upstream = serverSide.at(-1)!;
  const closed = once(upstream, 'close');
  ws.close(4000, 'client says bye');
  const [code, reason] = await closed;
  expect(code).toBe(4000);
  expect(String(reason)).toBe('client says bye');
  await once(ws, 'close');
  await until(() => backend.sockets.size === 0);
});

test('a close from the upstream reaches the client, and both connections end', async () => {
  const ws = await open('/ws/b');
  ws.send('close-please');
  const [code, reason] = await once(ws, 'close');
  expect(code).toBe(4001);
  expect(String(reason)).toBe('server says bye');
  await until(() => backend.sockets.size === 0);
});

test('an upstream that drops the connection drops the client too', async () => {
  const before = serverSide.length;
  const ws = await open('/ws/c');
  await until(() => serverSide.length > before);
  serverSide.at(-1)!.terminate();
  const [code] = await once(ws, 'close');
  expect(code).toBe(1006);
});

test('an upgrade to a down member gets 503', async () => {
  const ws = new WebSocket(wsUrl('/down/ws'));
  ws.on('error', () => {});
  const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number }];
  expect(res.statusCode).toBe(503);
  expect(logger.errors.at(-1)).toMatchObject({ code: 'TSXP_UPSTREAM_CONNECT', route: '/down' });
});

test('an upstream that refuses the upgrade: its answer reaches the client', async () => {
  const ws = new WebSocket(wsUrl('/ws/refuse'));
  ws.on('error', () => {});
  const [, res] = (await once(ws, 'unexpected-response')) as [unknown, import('node:http').IncomingMessage];
  expect(res.statusCode).toBe(403);
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  expect(Buffer.concat(chunks).toString()).toBe('nope');
});

test('a WebSocket opened before a reload keeps working after it; close() ends it', async () => {
  const own = await startProxy(defineConfig({ routes: [route('/').to(`${backend.url}/`)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  const ws = new WebSocket(`${own.url.replace(/^http/, 'ws')}/ws/reload`);
  await once(ws, 'open');
  await own.reload(defineConfig({ routes: [route('/other/').to(`${backend.url}/`)] }));
  ws.send('still here');
  const [msg] = await once(ws, 'message');
  expect(String(msg)).toBe('echo:still here:/ws/reload:127.0.0.1');
  const closed = once(ws, 'close');
  await own.close();
  await closed;
});
