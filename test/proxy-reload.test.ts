import { request } from 'undici';
import { expect, test } from 'vitest';
import { ConfigError } from '../src/config/issues.js';
import { balancer, defineConfig, route } from '../src/index.js';
import { startProxy } from '../src/testing/start-proxy.js';
import {
  type Backend,
  perTestProxy,
  closedPort,
  recordingLogger,
  startBackend,
  until,
} from './proxy-support.js';

const t = perTestProxy();

async function named(name: string, hold?: Promise<void>): Promise<Backend> {
  const b = await startBackend((req, res) => {
    if (req.url?.endsWith('/slow') && hold) {
      res.write(`${name} starts, `);
      void hold.then(() => res.end(`${name} ends`));
      return;
    }
    res.end(name);
  });
  t.backends.push(b);
  return b;
}

async function text(url: string): Promise<string> {
  const res = await request(url);
  return res.body.text();
}

test('reload swaps routes; a slow request started on the old config completes on it', async () => {
  let release!: () => void;
  const hold = new Promise<void>((r) => {
    release = r;
  });
  const [one, two] = [await named('one', hold), await named('two')];
  const logger = recordingLogger();
  t.proxy = await startProxy(defineConfig({ routes: [route('/').to(`${one.url}/`)] }), { port: 0, logger });
  expect(await text(`${t.proxy.url}/x`)).toBe('one');

  let started = false;
  const slow = request(`${t.proxy.url}/slow`).then((res) => {
    started = true;
    return res.body.text();
  });
  await until(() => started);
  await t.proxy.reload(defineConfig({ routes: [route('/').to(`${two.url}/`)] }));
  expect(await text(`${t.proxy.url}/x`)).toBe('two');
  expect(t.proxy.config.routes[0]!.kind).toBe('proxy');
  release();
  expect(await slow).toBe('one starts, one ends');
  expect(logger.errors).toEqual([]);
});

test('an invalid config is refused with ConfigError and the old one keeps serving', async () => {
  const one = await named('one');
  t.proxy = await startProxy(defineConfig({ routes: [route('/').to(`${one.url}/`)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  const bad = defineConfig({ routes: [route('/').to('ftp://nope/')] });
  await expect(t.proxy.reload(bad)).rejects.toBeInstanceOf(ConfigError);
  expect(await text(`${t.proxy.url}/x`)).toBe('one');
});

test('a changed listen address rebinds that listener and leaves the others serving', async () => {
  const one = await named('one');
  const [portA, portB] = [await closedPort(), await closedPort()];
  const routes = [route('/').to(`${one.url}/`)];
  t.proxy = await startProxy(
    defineConfig({
      listen: [
        { host: '127.0.0.1', port: 0 },
        { host: '127.0.0.1', port: portA },
      ],
      routes,
    }),
    { port: 0, logger: recordingLogger() },
  );
  const first = t.proxy.url;
  expect(t.proxy.urls).toEqual([first, `http://127.0.0.1:${portA}`]);
  // A keep-alive connection on the first listener, opened before the reload.
  expect(await text(`${first}/x`)).toBe('one');

  await t.proxy.reload(
    defineConfig({
      listen: [
        { host: '127.0.0.1', port: 0 },
        { host: '127.0.0.1', port: portB },
      ],
      routes,
    }),
  );
  expect(t.proxy.urls).toEqual([first, `http://127.0.0.1:${portB}`]);
  expect(await text(`${first}/x`)).toBe('one');
  expect(await text(`http://127.0.0.1:${portB}/x`)).toBe('one');
  await expect(request(`http://127.0.0.1:${portA}/x`, { reset: true })).rejects.toThrow();
});

test('balancer member state carries over a reload: a member in error stays in error', async () => {
  const good = await named('good');
  const dead = await closedPort();
  const b = balancer('pair').member(`http://127.0.0.1:${dead}`).member(good.url);
  const config = defineConfig({ routes: [route('/').to(b)] });
  const logger = recordingLogger();
  t.proxy = await startProxy(config, { port: 0, logger });
  // The first request lands on the dead member and fails over; the dead one is now in error.
  expect(await text(`${t.proxy.url}/`)).toBe('good');
  expect(logger.warnings.filter((w) => w.includes('failing over'))).toHaveLength(1);
  await t.proxy.reload(config);
  for (let i = 0; i < 4; i++) expect(await text(`${t.proxy.url}/`)).toBe('good');
  // Fresh state would have tried the dead member again (byrequests starts from the first member).
  expect(logger.warnings.filter((w) => w.includes('failing over'))).toHaveLength(1);
});
