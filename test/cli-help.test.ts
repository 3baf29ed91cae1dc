import { beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';

beforeAll(ensureBuilt, 120_000);

describe('tsx-proxy --help', () => {
  test('lists every command', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['check', 'init', 'start', 'dev'])
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  test.each([
    ['check', ['--config']],
    ['init', ['--config', '--force']],
    ['start', ['--config', '--port', '--host']],
    ['dev', ['--config', '--port', '--host', '--demo']],
  ])('%s --help describes its options', async (command, options) => {
    const { code, stdout } = await runCli([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: tsx-proxy ${command}`);
    for (const option of options) expect(stdout).toContain(option);
  });

  test('a bad option value is refused with a hint, exit 1', async () => {
    const { code, stderr } = await runCli(['start', '--port', '80a']);
    expect(code).toBe(1);
    expect(stderr).toContain('expected a port number');
  });

  test('--version prints the package version', async () => {
    const { stdout } = await runCli(['--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
