import { createServer } from 'node:net';
import { once } from 'node:events';
import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { balancer, defineConfig, route } from '../src/index.js';
import { startProxy } from '../src/testing/start-proxy.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { type Backend, closedPort, recordingLogger, startBackend } from './proxy-support.js';

let proxy: RunningProxy | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  for (const c of cleanups.splice(0)) await c();
});

/** A TCP server that answers every connection with `reply` (or nothing) and closes it. */
async function rawUpstream(onData: (socket: import('node:net').Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => onData(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return (server.address() as { port: number }).port;
}

async function get(url: string) {
  const res = await request(url);
  return { status: res.statusCode, body: await res.body.text() };
}

describe('upstream failures answer Apache’s statuses, each with one error event naming route and member', () => {
  test('connection refused: 503', async () => {
    const port = await closedPort();
    const logger = recordingLogger();
    proxy = await startProxy(defineConfig({ routes: [route('/x/').to(`http://127.0.0.1:${port}/`)] }), {
      port: 0,
      logger,
    });
    const res = await get(`${proxy.url}/x/a`);
    expect(res.status).toBe(503);
    expect(res.body).toBe('503 Service Unavailable\n');
    expect(logger.errors).toEqual([
      expect.objectContaining({
        code: 'TSXP_UPSTREAM_CONNECT',
        route: '/x/',
        member: `http://127.0.0.1:${port}/`,
        status: 503,
      }),
    ]);
  });

  test('upstream resets the connection before answering: 502', async () => {
    const port = await rawUpstream((s) => s.destroy());
    const logger = recordingLogger();
    proxy = await startProxy(defineConfig({ routes: [route('/').to(`http://127.0.0.1:${port}/`)] }), {
      port: 0,
      logger,
    });
    const res = await get(`${proxy.url}/a`);
    expect(res.status).toBe(502);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toMatchObject({ code: 'TSXP_UPSTREAM_RESET', route: '/', status: 502 });
  });

  test('upstream answers something that is not HTTP: 502', async () => {
    const port = await rawUpstream((s) => s.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    const logger = recordingLogger();
    proxy = await startProxy(defineConfig({ routes: [route('/').to(`http://127.0.0.1:${port}/`)] }), {
      port: 0,
      logger,
    });
    const res = await get(`${proxy.url}/a`);
    expect(res.status).toBe(502);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toMatchObject({ code: 'TSXP_UPSTREAM_INVALID', status: 502 });
  });

  test('upstream does not answer within timeout: 504 (Apache: 502)', async () => {
    const port = await rawUpstream(() => {});
    const logger = recordingLogger();
    proxy = await startProxy(
      defineConfig({ routes: [route('/slow/').to(`http://127.0.0.1:${port}/`, { timeout: '150ms' })] }),
      { port: 0, logger },
    );
    const res = await get(`${proxy.url}/slow/a`);
    expect(res.status).toBe(504);
    expect(logger.errors).toEqual([
      expect.objectContaining({ code: 'TSXP_UPSTREAM_TIMEOUT', route: '/slow/', status: 504 }),
    ]);
  });

  test('a balancer with every member down: 503 after trying each', async () => {
    const [p1, p2] = [await closedPort(), await closedPort()];
    const logger = recordingLogger();
    const b = balancer('down').member(`http://127.0.0.1:${p1}`).member(`http://127.0.0.1:${p2}`);
    proxy = await startProxy(defineConfig({ routes: [route('/').to(b)] }), { port: 0, logger });
    const res = await get(`${proxy.url}/`);
    expect(res.status).toBe(503);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]!.code).toBe('TSXP_UPSTREAM_CONNECT');
    expect(logger.warnings.join('\n')).toContain('failing over');
  });

  test('the listener survives a bad upstream and keeps serving', async () => {
    let backend: Backend | undefined = await startBackend((_req, res) => res.end('ok'));
    cleanups.push(() => backend!.close());
    const port = await rawUpstream((s) => s.end('garbage\r\n\r\n'));
    proxy = await startProxy(
      defineConfig({
        routes: [route('/bad/').to(`http://127.0.0.1:${port}/`), route('/').to(`${backend.url}/`)],
      }),
      { port: 0, logger: recordingLogger() },
    );
    for (let i = 0; i < 3; i++) expect((await get(`${proxy.url}/bad/x`)).status).toBe(502);
    expect(await get(`${proxy.url}/good`)).toEqual({ status: 200, body: 'ok' });
    backend = backend as Backend;
  });
});
