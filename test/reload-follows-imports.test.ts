/**
 * `tsx-proxy dev` watches what the config imports, as of its last good load: saving an imported
 * file reloads, a dropped import is no longer watched, and a newly imported file is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type CliProcess, ensureBuilt, get, namedBackends, spawnCli } from './cli-helpers.js';
import { until } from './proxy-support.js';

beforeAll(ensureBuilt, 120_000);

const tmp = mkdtempSync(join(tmpdir(), 'tsxp-reload-imports-'));
const running: CliProcess[] = [];
afterAll(() => {
  for (const p of running) p.signal('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

const file = join(tmp, 'proxy.config.ts');
const helper = join(tmp, 'upstream.ts');
const other = join(tmp, 'other.ts');

function importing(module: string): string {
  return [
    "import { defineConfig, route } from 'tsx-proxy';",
    `import { upstream } from './${module}.js';`,
    "export default defineConfig({ routes: [route('/').to(upstream)] });",
    '',
  ].join('\n');
}

function inline(target: string): string {
  return [
    "import { defineConfig, route } from 'tsx-proxy';",
    `export default defineConfig({ routes: [route('/').to('${target}/')] });`,
    '',
  ].join('\n');
}

const helperText = (target: string) => `export const upstream = '${target}/';\n`;

test('an imported file reloads on save; a dropped import stops being watched; a new one starts', async () => {
  const backends = await namedBackends(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta']);
  const [alpha, beta, gamma, delta, epsilon, zeta] = backends.urls;
  try {
    writeFileSync(helper, helperText(alpha!));
    writeFileSync(file, importing('upstream'));
    const dev = spawnCli(['dev', '--config', file, '--port', '0']);
    running.push(dev);
    const [, url] = await dev.waitFor(/listen\s+(http:\/\/127\.0\.0\.1:\d+)/);
    expect(dev.stdout()).toMatch(/watch\s+2 files/);
    const reloadLines = () => dev.stdout().match(/ reloaded .*/g) ?? [];
    /** Saves, waits for the next reload, and returns its line. */
    const save = async (path: string, text: string) => {
      const before = reloadLines().length;
      writeFileSync(path, text);
      await until(() => reloadLines().length > before);
      return reloadLines().slice(before).join('\n');
    };
    const served = async () => (await get(`${url}/x`)).body;
    expect(await served()).toBe('served by alpha /x');

    expect(await save(helper, helperText(beta!))).toMatch(/\(\S*upstream\.ts changed\)/);
    expect(await served()).toBe('served by beta /x');

    // The config stops importing the helper: saving the helper changes nothing any more.
    await save(file, inline(gamma!));
    expect(await served()).toBe('served by gamma /x');
    const fromHere = reloadLines().length;
    writeFileSync(helper, helperText(alpha!));
    expect(await save(file, inline(delta!))).not.toContain('upstream.ts');
    // One more save, so that a late event for the helper would have shown by now.
    await save(file, `${inline(delta!)}// saved again\n`);
    expect(reloadLines().slice(fromHere).join('\n')).not.toContain('upstream.ts');
    expect(await served()).toBe('served by delta /x');

    // A newly imported file is watched from the reload that added it.
    writeFileSync(other, helperText(epsilon!));
    await save(file, importing('other'));
    expect(await served()).toBe('served by epsilon /x');
    expect(await save(other, helperText(zeta!))).toMatch(/\(\S*other\.ts changed\)/);
    expect(await served()).toBe('served by zeta /x');

    dev.signal('SIGINT');
    expect(await dev.exited).toBe(0);
  } finally {
    await backends.close();
  }
});
