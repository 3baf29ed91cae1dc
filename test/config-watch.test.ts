import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { type ConfigWatcher, envFilesFor, watchConfig } from '../src/config/watch.js';

const dirs: string[] = [];
const watchers: ConfigWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsxp-watch-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Resolves with the next burst of changes, or [] if none comes within `ms`. */
function nextBurst(bursts: string[][], ms = 1500): Promise<string[]> {
  const start = bursts.length;
  return new Promise((done) => {
    const deadline = setTimeout(() => done([]), ms);
    const poll = setInterval(() => {
      if (bursts.length > start) {
        clearTimeout(deadline);
        clearInterval(poll);
        done(bursts[start]!);
      }
    }, 10);
    deadline.unref?.();
  });
}

describe('the config watcher', () => {
  test('a burst of saves to the config gives one change', async () => {
    const dir = folder({ 'proxy.config.ts': 'export default 1' });
    const bursts: string[][] = [];
    const cfg = join(dir, 'proxy.config.ts');
    watchers.push(await watchConfig(cfg, [cfg], { debounceMs: 80, onChange: (c) => bursts.push([...c]) }));
    const burst = nextBurst(bursts);
    for (let i = 0; i < 5; i++) writeFileSync(cfg, `export default ${i}`);
    expect(await burst).toEqual([cfg]);
    await new Promise((r) => setTimeout(r, 200));
    expect(bursts).toHaveLength(1);
  });

  test('an imported helper is watched until the config stops importing it', async () => {
    const dir = folder({ 'proxy.config.ts': "import './helper'", 'helper.ts': 'export const a = 1' });
    const cfg = join(dir, 'proxy.config.ts');
    const helper = join(dir, 'helper.ts');
    const bursts: string[][] = [];
    const watcher = await watchConfig(cfg, [cfg, helper], {
      debounceMs: 30,
      onChange: (c) => bursts.push([...c]),
    });
    watchers.push(watcher);
    expect([...watcher.files].sort()).toEqual([cfg, helper].sort());

    let burst = nextBurst(bursts);
    writeFileSync(helper, 'export const a = 2');
    expect(await burst).toEqual([helper]);

    await watcher.update([cfg]);
    expect(watcher.files).toEqual([cfg]);
    burst = nextBurst(bursts, 600);
    writeFileSync(helper, 'export const a = 3');
    expect(await burst).toEqual([]);
  });

  test('.env files are watched only when the config reads env files', () => {
    const reads = folder({
      'proxy.config.ts': "process.loadEnvFile('.env')",
      '.env': 'A=1',
      '.env.local': 'B=2',
    });
    expect(envFilesFor(join(reads, 'proxy.config.ts'), [join(reads, 'proxy.config.ts')]).sort()).toEqual(
      [join(reads, '.env'), join(reads, '.env.local')].sort(),
    );
    const ignores = folder({ 'proxy.config.ts': 'export default 1', '.env': 'A=1' });
    expect(envFilesFor(join(ignores, 'proxy.config.ts'), [join(ignores, 'proxy.config.ts')])).toEqual([]);
  });
});
