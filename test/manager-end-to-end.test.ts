/**
 * The balancer manager inside the real running proxy: changes made through it steer real
 * traffic at once, survive a reload, and, with `persist`, a restart of the proxy.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { balancer, defineConfig, route } from 'tsx-proxy';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { recordingLogger, send } from './manager-helpers.js';

/** A backend that answers its own name. */
async function backend(name: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.end(name));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let backends: { url: string; server: Server }[];
let dir: string;
let proxy: RunningProxy | undefined;
const logger = recordingLogger();

beforeAll(async () => {
  backends = await Promise.all(['one', 'two', 'three'].map(backend));
  dir = mkdtempSync(join(tmpdir(), 'tsxp-manager-e2e-'));
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});
afterAll(async () => {
  await Promise.all(backends.map((b) => new Promise((r) => b.server.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

function specOf(persist: string, loadfactorOne = 1) {
  const web = balancer('web')
    .member(backends[0]!.url, { loadfactor: loadfactorOne })
    .member(backends[1]!.url)
    .set({ growth: 1 });
  return defineConfig({
    listen: { host: '127.0.0.1', port: 0 },
    routes: [route('/balancer-manager').manager({ allow: ['127.0.0.1'], persist }), route('/').to(web)],
  });
}

/** Which backends answer `n` requests through the proxy. */
async function traffic(n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await send(`${proxy!.url}/x`)).text);
  return out;
}

async function nonce(): Promise<string> {
  return (await send(`${proxy!.url}/balancer-manager/api`)).json.balancers[0].nonce;
}

describe('through the real proxy', () => {
  test('the page and API are served to allowed clients only', async () => {
    proxy = await startProxy(specOf(join(dir, 'a.json')), { logger });
    const page = await send(`${proxy.url}/balancer-manager`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(backends[0]!.url);
    const refused = await send(`${proxy.url}/balancer-manager/api`, { localAddress: '127.0.0.2' });
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('Forbidden\n');
  });

  test('disabling a member stops its traffic at once; enabling brings it back', async () => {
    proxy = await startProxy(specOf(join(dir, 'b.json')), { logger });
    expect(new Set(await traffic(6))).toEqual(new Set(['one', 'two']));
    const n = await nonce();
    const off = await send(`${proxy.url}/balancer-manager/api/balancers/web/members/0`, {
      body: { nonce: n, status: '+D' },
    });
    expect(off.status).toBe(200);
    expect(await traffic(6)).toEqual(Array(6).fill('two'));
    expect(logger.lines.some((l) => l.includes(`member ${backends[0]!.url}: +D (disabled)`))).toBe(true);
    await send(`${proxy.url}/balancer-manager/api/balancers/web/members/0`, {
      body: { nonce: n, status: '-D' },
    });
    expect(new Set(await traffic(6))).toEqual(new Set(['one', 'two']));
  });

  test('a member added at runtime takes traffic once enabled', async () => {
    proxy = await startProxy(specOf(join(dir, 'c.json')), { logger });
    const n = await nonce();
    const added = await send(`${proxy.url}/balancer-manager/api/balancers/web/members`, {
      body: { nonce: n, url: backends[2]!.url, status: '-D' },
    });
    expect(added.status).toBe(201);
    expect(new Set(await traffic(9))).toEqual(new Set(['one', 'two', 'three']));
  });

  test('a reload keeps the change; a restart with the same persist file too; a config edit wins', async () => {
    const file = join(dir, 'd.json');
    proxy = await startProxy(specOf(file), { logger });
    const n = await nonce();
    await send(`${proxy.url}/balancer-manager/api/balancers/web/members/0`, {
      body: { nonce: n, status: '+D', loadfactor: 4 },
    });
    await proxy.reload(specOf(file));
    expect(await traffic(4)).toEqual(Array(4).fill('two'));
    await proxy.close();
    proxy = await startProxy(specOf(file), { logger });
    expect(await traffic(4)).toEqual(Array(4).fill('two'));
    const member = (await send(`${proxy.url}/balancer-manager/api/balancers/web/members/0`)).json;
    expect(member).toMatchObject({ status: 'Init Dis', loadfactor: 4 });
    await proxy.reload(specOf(file, 2));
    const edited = (await send(`${proxy.url}/balancer-manager/api/balancers/web/members/0`)).json;
    expect(edited).toMatchObject({ status: 'Init Dis', loadfactor: 2 });
  });
});
