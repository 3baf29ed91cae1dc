import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CliProcess, ensureBuilt, get, namedBackends, spawnCli } from './cli-helpers.js';

beforeAll(ensureBuilt, 120_000);

const tmp = mkdtempSync(join(tmpdir(), 'tsxp-cli-dev-'));
const running: CliProcess[] = [];
afterAll(async () => {
  for (const p of running) p.signal('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

describe('tsx-proxy dev', () => {
  test('banner, one access-log line per request, reload on save, a bad save keeps the old config', async () => {
    const backends = await namedBackends(['alpha', 'beta']);
    try {
      const file = join(tmp, 'proxy.config.ts');
      const helper = join(tmp, 'upstream.ts');
      writeFileSync(helper, `export const upstream = '${backends.urls[0]}/';\n`);
      writeFileSync(
        file,
        [
          "import { defineConfig, route } from 'tsx-proxy';",
          "import { upstream } from './upstream.js';",
          "export default defineConfig({ routes: [route('/private/').deny(), route('/').to(upstream)] });",
          '',
        ].join('\n'),
      );
      const dev = spawnCli(['dev', '--config', file, '--port', '0']);
      running.push(dev);
      const [, url] = await dev.waitFor(/listen\s+(http:\/\/127\.0\.0\.1:\d+)/);
      expect(dev.stdout()).toMatch(/config\s+.*proxy\.config\.ts \(2 routes, 0 balancers\)/);
      expect(dev.stdout()).toMatch(/watch\s+2 files/);

      expect(await get(`${url}/hello?x=1`)).toEqual({ status: 200, body: 'served by alpha /hello?x=1' });
      await dev.waitFor(new RegExp(`GET /hello\\?x=1 via / → ${backends.urls[0]}/? 200 `));
      expect((await get(`${url}/private/x`)).status).toBe(403);
      await dev.waitFor(/GET \/private\/x via \/private\/ 403 /);

      // Saving the imported helper reloads too.
      writeFileSync(helper, `export const upstream = '${backends.urls[1]}/';\n`);
      await dev.waitFor(/reloaded .*upstream\.ts changed.*1 route changed \(\/\)/);
      expect(await get(`${url}/again`)).toEqual({ status: 200, body: 'served by beta /again' });

      writeFileSync(
        file,
        "import { defineConfig } from 'tsx-proxy';\nexport default defineConfig({ routes: [\n",
      );
      await dev.waitFor(/failed; still serving the previous config/, 'stderr');
      expect(dev.stderr()).toContain(`${file}:3:`);
      expect(await get(`${url}/still`)).toEqual({ status: 200, body: 'served by beta /still' });

      dev.signal('SIGINT');
      expect(await dev.exited).toBe(0);
    } finally {
      await backends.close();
    }
  });

  test('--demo starts the demo backends and the shipped config balances over them', async () => {
    const dev = spawnCli(['dev', '--demo', '--port', '0']);
    running.push(dev);
    const [, url] = await dev.waitFor(/listen\s+(http:\/\/127\.0\.0\.1:\d+)/);
    expect(dev.stdout()).toContain('demo-backend-3 http://127.0.0.1:3003');
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) bodies.push((await get(`${url}/hello`)).body);
    for (const name of ['demo-backend-1', 'demo-backend-2', 'demo-backend-3']) {
      expect(bodies.filter((b) => b.startsWith(`served by ${name} (GET /hello)`))).toHaveLength(2);
    }
    expect((await get(`${url}/third/x`)).body).toBe('served by demo-backend-3 (GET /x)\n');
    dev.signal('SIGTERM');
    expect(await dev.exited).toBe(0);
  });
});
