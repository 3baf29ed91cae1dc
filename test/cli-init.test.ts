import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';

beforeAll(ensureBuilt, 120_000);

const tmp = mkdtempSync(join(tmpdir(), 'tsxp-cli-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tsx-proxy init', () => {
  test('writes a starter proxy.config.ts in the working folder that check accepts', async () => {
    const dir = mkdtempSync(join(tmp, 'cwd-'));
    const init = await runCli(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote proxy.config.ts');
    expect(readFileSync(join(dir, 'proxy.config.ts'), 'utf8')).toContain("from 'tsx-proxy'");
    // The folder has no node_modules: check resolves 'tsx-proxy' to itself.
    const check = await runCli(['check'], { cwd: dir });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('config is valid');
    expect(check.stdout).toContain('balancer app');
  });

  test('refuses to overwrite an existing file unless --force is given', async () => {
    const file = join(tmp, 'nested', 'dir', 'edge.config.ts');
    expect((await runCli(['init', '--config', file])).code).toBe(0);
    writeFileSync(file, '// mine\n');
    const refused = await runCli(['init', '--config', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe('// mine\n');
    const forced = await runCli(['init', '--config', file, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('defineConfig');
    expect((await runCli(['check', '--config', file])).code).toBe(0);
  });
});
