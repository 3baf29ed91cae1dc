/**
 * `byhash` through real sockets: the same key always reaches the same member, keys spread over
 * the members, and a member that leaves moves only its own keys, the others stay put.
 */
import { request } from 'undici';
import { expect, test } from 'vitest';
import { balancer, defineConfig, route } from '../src/index.js';
import { simulate } from '../src/testing/simulate.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, perTestProxy, startBackend } from './proxy-support.js';

const t = perTestProxy();

async function member(name: string): Promise<Backend> {
  const b = await startBackend((_req, res) => res.end(name));
  t.backends.push(b);
  return b;
}

const users = Array.from({ length: 30 }, (_, i) => `user-${i}`);

async function servedBy(user: string): Promise<string> {
  const res = await request(`${t.proxy!.url}/x`, { headers: { 'x-user': user } });
  return res.body.text();
}

test('byhash on a header keeps each user on one member and agrees with simulate', async () => {
  const [a, b, c] = [await member('a'), await member('b'), await member('c')];
  const lb = balancer('h')
    .member(a.url)
    .member(b.url)
    .member(c.url)
    .set({ lbmethod: 'byhash', hashkey: 'header:x-user' });
  const spec = defineConfig({ routes: [route('/').to(lb)] });
  t.proxy = await startProxy(spec, { port: 0 });

  const first = new Map<string, string>();
  for (const u of users) first.set(u, await servedBy(u));
  for (const u of users) expect(await servedBy(u), u).toBe(first.get(u));
  expect(new Set(first.values()).size).toBe(3);

  // The real proxy and simulate pick the same member for every key.
  const names = new Map([
    [a.url, 'a'],
    [b.url, 'b'],
    [c.url, 'c'],
  ]);
  const simulated = simulate(
    spec,
    'h',
    users.map((u) => ({ headers: { 'x-user': u } })),
  );
  expect(simulated.picks.map((url) => names.get(url))).toEqual(users.map((u) => first.get(u)));

  // Member b leaves rotation: only its users move.
  await t.proxy.reload(
    defineConfig({
      routes: [
        route('/').to(
          balancer('h')
            .member(a.url)
            .member(b.url, { status: '+D' })
            .member(c.url)
            .set({ lbmethod: 'byhash', hashkey: 'header:x-user' }),
        ),
      ],
    }),
  );
  for (const u of users) {
    const now = await servedBy(u);
    if (first.get(u) === 'b') expect(now, u).not.toBe('b');
    else expect(now, u).toBe(first.get(u));
  }
});
