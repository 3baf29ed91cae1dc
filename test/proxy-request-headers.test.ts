import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import type { ConfigInput } from '../src/dsl/spec.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, rawExchange, recordingLogger, startEchoBackend } from './proxy-support.js';

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  raw: string[];
}

let backend: Backend;
beforeAll(async () => {
  backend = await startEchoBackend();
});
afterAll(() => backend.close());

/** Starts a proxy with `options` in front of the echo backend, runs `fn`, closes it. */
async function withProxy(
  options: Omit<ConfigInput, 'routes'> & { route?: Parameters<ReturnType<typeof route>['to']>[1] },
  fn: (proxy: RunningProxy) => Promise<void>,
): Promise<void> {
  const { route: params, ...top } = options;
  const proxy = await startProxy(
    defineConfig({
      serverName: 'proxy.test',
      ...top,
      routes: [route('/app/').to(`${backend.url}/`, params)],
    }),
    { port: 0, logger: recordingLogger() },
  );
  try {
    await fn(proxy);
  } finally {
    await proxy.close();
  }
}

async function echo(url: string, headers: Record<string, string | string[]> = {}): Promise<Echo> {
  const res = await request(url, { headers });
  expect(res.statusCode).toBe(200);
  return (await res.body.json()) as Echo;
}

/** The echo of a raw request (for headers undici would refuse to send). */
async function rawEcho(proxy: RunningProxy, lines: string[]): Promise<Echo> {
  const text = await rawExchange(proxy.url, `${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`);
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  expect(text).toMatch(/^HTTP\/1.1 200 /);
  return JSON.parse(body) as Echo;
}

describe('X-Forwarded-* (Apache ProxyAddHeaders)', () => {
  test('client IP, original Host and serverName are added; no X-Forwarded-Proto', async () => {
    await withProxy({}, async (proxy) => {
      const e = await echo(`${proxy.url}/app/x`, { host: 'public.example:8443' });
      expect(e.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(e.headers['x-forwarded-host']).toBe('public.example:8443');
      expect(e.headers['x-forwarded-server']).toBe('proxy.test');
      expect(e.headers['x-forwarded-proto']).toBeUndefined();
      expect(e.headers.forwarded).toBeUndefined();
    });
  });

  test('an incoming X-Forwarded-For is appended to, several are merged first', async () => {
    await withProxy({}, async (proxy) => {
      expect(
        (await echo(`${proxy.url}/app/x`, { 'x-forwarded-for': '1.2.3.4' })).headers['x-forwarded-for'],
      ).toBe('1.2.3.4, 127.0.0.1');
      const e = await rawEcho(proxy, [
        'GET /app/x HTTP/1.1',
        'Host: a',
        'X-Forwarded-For: 1.1.1.1',
        'X-Forwarded-For: 2.2.2.2',
        'X-Forwarded-Host: first',
      ]);
      expect(e.headers['x-forwarded-for']).toBe('1.1.1.1, 2.2.2.2, 127.0.0.1');
      expect(e.headers['x-forwarded-host']).toBe('first, a');
      expect(e.raw.filter((h) => h.toLowerCase() === 'x-forwarded-for')).toHaveLength(1);
    });
  });

  test('addForwardedHeaders: false adds none', async () => {
    await withProxy({ addForwardedHeaders: false }, async (proxy) => {
      const e = await echo(`${proxy.url}/app/x`, { 'x-forwarded-for': '9.9.9.9' });
      expect(e.headers['x-forwarded-for']).toBe('9.9.9.9');
      expect(e.headers['x-forwarded-host']).toBeUndefined();
      expect(e.headers['x-forwarded-server']).toBeUndefined();
    });
  });
});

describe('Host (Apache ProxyPreserveHost)', () => {
  test('off: the upstream’s own host and port', async () => {
    await withProxy({}, async (proxy) => {
      const e = await echo(`${proxy.url}/app/x`, { host: 'public.example' });
      expect(e.headers.host).toBe(`127.0.0.1:${backend.port}`);
      expect(e.raw[0]!.toLowerCase()).toBe('host');
    });
  });

  test('on (config-wide): the client’s Host verbatim, port included', async () => {
    await withProxy({ preserveHost: true }, async (proxy) => {
      expect((await echo(`${proxy.url}/app/x`, { host: 'public.example:8443' })).headers.host).toBe(
        'public.example:8443',
      );
    });
  });

  test('on for one route, overriding the config', async () => {
    await withProxy({ preserveHost: false, route: { preserveHost: true } }, async (proxy) => {
      expect((await echo(`${proxy.url}/app/x`, { host: 'route.example' })).headers.host).toBe(
        'route.example',
      );
    });
  });

  test('on, with an HTTP/1.0 client that sent no Host: the serverName', async () => {
    await withProxy({ preserveHost: true }, async (proxy) => {
      const text = await rawExchange(proxy.url, 'GET /app/x HTTP/1.0\r\n\r\n');
      const e = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Echo;
      expect(e.headers.host).toBe('proxy.test');
    });
  });
});

describe('hop-by-hop headers (Apache ap_proxy_clear_connection)', () => {
  test('Connection, the headers it names, Keep-Alive, TE, Trailer, Upgrade, Proxy-Connection are dropped; Proxy-Authorization is kept', async () => {
    await withProxy({}, async (proxy) => {
      const e = await rawEcho(proxy, [
        'GET /app/x HTTP/1.1',
        'Host: a',
        'Connection: X-Foo, x-bar',
        'X-Foo: 1',
        'X-Bar: 2',
        'X-Kept: 3',
        'Keep-Alive: 5',
        'TE: trailers',
        'Trailer: X-T',
        'Upgrade: h2c',
        'Proxy-Connection: keep-alive',
        'Proxy-Authorization: Basic eDp5',
      ]);
      const names = e.raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
      for (const gone of ['x-foo', 'x-bar', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-connection']) {
        expect(names).not.toContain(gone);
      }
      expect(e.headers['x-kept']).toBe('3');
      expect(e.headers['proxy-authorization']).toBe('Basic eDp5');
      // undici's own, as Apache sends `Connection: Keep-Alive` on a reusable connection.
      expect(e.headers.connection).toBe('keep-alive');
    });
  });

  test('other headers keep their order, case and duplicates', async () => {
    await withProxy({}, async (proxy) => {
      const e = await rawEcho(proxy, ['GET /app/x HTTP/1.1', 'Host: a', 'X-One: 1', 'x-TWO: 2', 'X-One: 3']);
      const kept = e.raw.filter(
        (n, i) =>
          i % 2 === 0 && n.toLowerCase().startsWith('x-') && !n.toLowerCase().startsWith('x-forwarded'),
      );
      expect(kept).toEqual(['X-One', 'x-TWO', 'X-One']);
      expect(e.headers['x-one']).toBe('1, 3');
    });
  });
});

describe('Max-Forwards (Apache proxy_handler)', () => {
  test('N > 0 is forwarded as N − 1', async () => {
    await withProxy({}, async (proxy) => {
      expect((await echo(`${proxy.url}/app/x`, { 'max-forwards': '5' })).headers['max-forwards']).toBe('4');
    });
  });

  test('0 on GET: 400; invalid: 400; 0 on OPTIONS and TRACE: answered by the proxy', async () => {
    await withProxy({}, async (proxy) => {
      expect((await request(`${proxy.url}/app/x`, { headers: { 'max-forwards': '0' } })).statusCode).toBe(
        400,
      );
      expect((await request(`${proxy.url}/app/x`, { headers: { 'max-forwards': 'x' } })).statusCode).toBe(
        400,
      );
      const options = await request(`${proxy.url}/app/x`, {
        method: 'OPTIONS',
        headers: { 'max-forwards': '0' },
      });
      expect(options.statusCode).toBe(200);
      expect(options.headers.allow).toContain('GET');
      await options.body.dump();
      const trace = await request(`${proxy.url}/app/x`, {
        method: 'TRACE',
        headers: { 'max-forwards': '0' },
      });
      expect(trace.statusCode).toBe(200);
      expect(trace.headers['content-type']).toBe('message/http');
      expect(await trace.body.text()).toMatch(/^TRACE \/app\/x HTTP\/1\.1\r\n/);
    });
  });
});

describe('Via (Apache ProxyVia)', () => {
  test('off: an incoming Via passes untouched, none added', async () => {
    await withProxy({}, async (proxy) => {
      const res = await request(`${proxy.url}/app/x`, { headers: { via: '1.0 other' } });
      expect(((await res.body.json()) as Echo).headers.via).toBe('1.0 other');
      expect(res.headers.via).toBeUndefined();
    });
  });

  test('on: request Via merged with "1.1 name:port", response gains its own Via line', async () => {
    await withProxy({ via: 'on' }, async (proxy) => {
      const port = new URL(proxy.url).port;
      const res = await request(`${proxy.url}/app/x`, { headers: { via: '1.0 other' } });
      expect(((await res.body.json()) as Echo).headers.via).toBe(`1.0 other, 1.1 proxy.test:${port}`);
      expect(res.headers.via).toBe(`1.1 proxy.test:${port}`);
    });
  });

  test('full: adds a comment', async () => {
    await withProxy({ via: 'full' }, async (proxy) => {
      expect((await echo(`${proxy.url}/app/x`)).headers.via).toMatch(/^1\.1 proxy\.test:\d+ \(tsx-proxy\)$/);
    });
  });

  test('block: an incoming Via is removed, none added', async () => {
    await withProxy({ via: 'block' }, async (proxy) => {
      const res = await request(`${proxy.url}/app/x`, { headers: { via: '1.0 other' } });
      expect(((await res.body.json()) as Echo).headers.via).toBeUndefined();
      expect(res.headers.via).toBeUndefined();
    });
  });
});

describe('config request header operations (Apache RequestHeader, before the proxy adds its own)', () => {
  test('set, append and unset', async () => {
    await withProxy(
      {
        headers: {
          request: {
            set: { 'X-Forwarded-Proto': 'https', 'X-Replaced': 'new' },
            append: { 'X-List': 'b' },
            unset: ['x-secret', 'X-Forwarded-For'],
          },
        },
      },
      async (proxy) => {
        const e = await echo(`${proxy.url}/app/x`, {
          'x-replaced': 'old',
          'x-list': 'a',
          'x-secret': 's',
          'x-forwarded-for': '6.6.6.6',
        });
        expect(e.headers['x-forwarded-proto']).toBe('https');
        expect(e.headers['x-replaced']).toBe('new');
        expect(e.headers['x-list']).toBe('a, b');
        expect(e.headers['x-secret']).toBeUndefined();
        // The client's value is gone, the proxy's own is still added: a trusted X-Forwarded-For.
        expect(e.headers['x-forwarded-for']).toBe('127.0.0.1');
      },
    );
  });
});

describe('request line', () => {
  test('method, path and query as routed; bodies keep their framing', async () => {
    await withProxy({}, async (proxy) => {
      const res = await request(`${proxy.url}/app/a/b?q=1&r=%20`, { method: 'POST', body: 'hello' });
      const e = (await res.body.json()) as Echo;
      expect(e.method).toBe('POST');
      expect(e.url).toBe('/a/b?q=1&r=%20');
      expect(e.headers['content-length']).toBe('5');
    });
  });
});
