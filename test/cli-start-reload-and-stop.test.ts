import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CliProcess, ensureBuilt, get, namedBackends, spawnCli } from './cli-helpers.js';

beforeAll(ensureBuilt, 120_000);

const tmp = mkdtempSync(join(tmpdir(), 'tsxp-cli-start-'));
const running: CliProcess[] = [];
afterAll(async () => {
  for (const p of running) p.signal('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

function configTo(target: string): string {
  return [
    "import { defineConfig, route } from 'tsx-proxy';",
    `export default defineConfig({ routes: [route('/').to('${target}/')] });`,
    '',
  ].join('\n');
}

describe('tsx-proxy start', () => {
  test('serves, reloads on SIGHUP, keeps serving through a bad config, stops on SIGTERM with exit 0', async () => {
    const backends = await namedBackends(['alpha', 'beta']);
    try {
      const file = join(tmp, 'proxy.config.ts');
      writeFileSync(file, configTo(backends.urls[0]!));
      const proxy = spawnCli(['start', '--config', file, '--port', '0', '--host', '127.0.0.1']);
      running.push(proxy);
      const [, url] = await proxy.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      expect(await get(`${url}/a`)).toEqual({ status: 200, body: 'served by alpha /a' });

      writeFileSync(file, configTo(backends.urls[1]!));
      proxy.signal('SIGHUP');
      await proxy.waitFor(/reloaded .*SIGHUP/);
      expect(await get(`${url}/b`)).toEqual({ status: 200, body: 'served by beta /b' });

      writeFileSync(file, `${configTo(backends.urls[0]!)}export const oops = ;\n`);
      proxy.signal('SIGHUP');
      await proxy.waitFor(/reload \(SIGHUP\) failed/, 'stderr');
      expect(proxy.stderr()).toContain(`${file}:3:21`);
      expect(proxy.stderr()).toMatch(/^>\s+3 \| export const oops = ;/m);
      expect(await get(`${url}/c`)).toEqual({ status: 200, body: 'served by beta /c' });

      proxy.signal('SIGTERM');
      expect(await proxy.exited).toBe(0);
      await expect(get(`${url}/d`)).rejects.toThrow();
    } finally {
      await backends.close();
    }
  });

  test('a config with errors does not start: errors printed, exit 1', async () => {
    const file = join(tmp, 'invalid.config.ts');
    writeFileSync(
      file,
      "import { defineConfig, route } from 'tsx-proxy';\nexport default defineConfig({ routes: [route('/').to('gopher://127.0.0.1:1/')] });\n",
    );
    const proxy = spawnCli(['start', '--config', file, '--port', '0']);
    running.push(proxy);
    expect(await proxy.exited).toBe(1);
    expect(proxy.stderr()).toContain('TSXP_UNSUPPORTED_SCHEME');
    expect(proxy.stderr()).toContain(`${file}:2:`);
  });
});
