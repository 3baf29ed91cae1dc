import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { balancer, defineConfig, route } from '../src/index.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { send } from './manager-helpers.js';
import { type Backend, recordingLogger, startBackend } from './proxy-support.js';

/** Backends answering with the headers named in the query: `?location=...&set-cookie=...`. */
async function headerBackend(): Promise<Backend> {
  return startBackend((req, res) => {
    const params = new URL(req.url!, 'http://x').searchParams;
    const headers: [string, string][] = [...params.entries()];
    res.writeHead(302, headers.flat());
    res.end();
  });
}

let one: Backend;
let two: Backend;
let proxy: RunningProxy;

beforeAll(async () => {
  [one, two] = [await headerBackend(), await headerBackend()];
  const pair = balancer('pair').member(one.url).member(two.url);
  proxy = await startProxy(
    defineConfig({
      routes: [
        route('/app').to(`${one.url}/int`, {
          reverseCookiePath: { '/int': '/pub' },
          reverseCookieDomain: { 'backend.local': 'example.com' },
        }),
        route('/raw').to(`${one.url}/int`, { reverse: false }),
        route('/lb').to(pair),
      ],
    }),
    { port: 0, logger: recordingLogger() },
  );
});

afterAll(async () => {
  await proxy.close();
  await one.close();
  await two.close();
});

async function answer(path: string, headers: Record<string, string> = {}) {
  const res = await request(`${proxy.url}${path}`, { headers });
  await res.body.dump();
  return res.headers;
}

function q(pairs: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(pairs)) for (const x of [v].flat()) p.append(k, x);
  return `?${p}`;
}

test('Location, Content-Location and URI pointing at the upstream map back to the public URL', async () => {
  const h = await answer(
    `/app/x${q({
      location: `${one.url}/int/next?a=1`,
      'content-location': `${one.url}/int/doc`,
      uri: `${one.url}/int/u`,
      refresh: `0; url=${one.url}/int/r`,
    })}`,
    { host: 'public.example' },
  );
  expect(h.location).toBe('http://public.example/app/next?a=1');
  expect(h['content-location']).toBe('http://public.example/app/doc');
  expect(h.uri).toBe('http://public.example/app/u');
  // Apache maps nothing else.
  expect(h.refresh).toBe(`0; url=${one.url}/int/r`);
});

test('the public URL keeps a non-default port of the client’s Host; other locations are left alone', async () => {
  const h = await answer(`/app/x${q({ location: `${one.url}/int/a` })}`, { host: 'public.example:8443' });
  expect(h.location).toBe('http://public.example:8443/app/a');
  const other = await answer(`/app/x${q({ location: 'http://elsewhere.example/int/a' })}`);
  expect(other.location).toBe('http://elsewhere.example/int/a');
});

test('reverse: false leaves Location as the upstream sent it', async () => {
  const h = await answer(`/raw/x${q({ location: `${one.url}/int/a` })}`);
  expect(h.location).toBe(`${one.url}/int/a`);
});

test('a balancer route maps back a Location pointing at any of its members', async () => {
  for (const member of [one, two]) {
    const h = await answer(`/lb/x${q({ location: `${member.url}/y` })}`, { host: 'lb.example' });
    expect(h.location).toBe('http://lb.example/lb/y');
  }
});

test('a member the balancer manager adds at runtime is mapped back too', async () => {
  const grow = balancer('grow').member(one.url).set({ growth: 1 });
  const managed = await startProxy(
    defineConfig({
      routes: [route('/balancer-manager').manager({ allow: ['127.0.0.1'] }), route('/grow').to(grow)],
    }),
    { port: 0, logger: recordingLogger() },
  );
  try {
    const api = `${managed.url}/balancer-manager/api`;
    const { nonce } = (await send(api)).json.balancers[0];
    const added = await send(`${api}/balancers/grow/members`, {
      body: { nonce, url: two.url, status: '-D' },
    });
    expect(added.status).toBe(201);
    // Whichever member answers, the Location names the added one: only it makes the mapping.
    const res = await request(`${managed.url}/grow/x${q({ location: `${two.url}/y` })}`, {
      headers: { host: 'grow.example' },
    });
    await res.body.dump();
    expect(res.headers.location).toBe('http://grow.example/grow/y');
  } finally {
    await managed.close();
  }
});

test('Set-Cookie path and domain are rewritten, every cookie on its own', async () => {
  const h = await answer(
    `/app/x${q({
      'set-cookie': ['s=1; Path=/int/sub; HttpOnly', 't=2; Domain=BACKEND.local; Path=/other', 'u=3'],
    })}`,
  );
  expect(h['set-cookie']).toEqual([
    's=1; Path=/pub; HttpOnly',
    't=2; Domain=example.com; Path=/other',
    'u=3',
  ]);
});
