import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { ensureBuilt, ROOT, runCli } from './cli-helpers.js';

beforeAll(ensureBuilt, 120_000);

const tmp = mkdtempSync(join(tmpdir(), 'tsxp-cli-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const exampleConfigs = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => join('examples', d.name, 'proxy.config.ts'));

describe('tsx-proxy check', () => {
  test('there are examples to check', () => {
    expect(exampleConfigs).toEqual(
      expect.arrayContaining([
        join('examples', 'failover', 'proxy.config.ts'),
        join('examples', 'microservices', 'proxy.config.ts'),
        join('examples', 'regex', 'proxy.config.ts'),
      ]),
    );
  });

  test.each(['proxy.config.ts', ...exampleConfigs])(
    '%s passes and its route table lists every route and member',
    async (file) => {
      const result = await runCli(['check', '--config', file]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const { config } = await loadConfig(join(ROOT, file));
      const lines = result.stdout.split('\n');
      for (const route of config.routes) {
        const row = lines.find((l) => l.trim().startsWith(`${route.index}  ${route.label}`));
        expect(row, `row of route ${route.label}`).toBeDefined();
        expect(row).toContain(route.kind);
      }
      for (const b of config.balancers.values()) {
        expect(result.stdout).toContain(`balancer ${b.name}`);
        for (const m of b.members) expect(result.stdout).toContain(m.url.href);
      }
      expect(result.stdout).toContain('config is valid');
    },
  );

  test('the failover example shows each member’s lbset, status flags and loadfactor', async () => {
    const { stdout } = await runCli(['check', '--config', 'examples/failover/proxy.config.ts']);
    const row = (host: string) =>
      stdout
        .split('\n')
        .find((l) => l.includes(`http://${host}.example.com:8080`))!
        .trim()
        .split(/\s{2,}/);
    // member, loadfactor, lbset, status, route, timeout
    expect(row('www3')).toEqual(['http://www3.example.com:8080', '3', '0', '-', '-', '1s']);
    expect(row('spare1')[3]).toBe('+R');
    expect(row('spare2')[3]).toBe('+R');
    expect(row('hstandby')[3]).toBe('+H');
    expect(row('bkup1')[2]).toBe('1');
    expect(row('bkup2')[2]).toBe('1');
    expect(stdout).toContain('lbmethod=byrequests');
  });

  test('a config with five different mistakes reports all five, each with where and how to fix', async () => {
    const file = join(tmp, 'five-mistakes.config.ts');
    writeFileSync(
      file,
      [
        "import { balancer, defineConfig, route } from 'tsx-proxy';",
        '',
        "const images = balancer('images')",
        "  .member('http://127.0.0.1:3001', { loadfactor: 150 })",
        "  .member('ftp://127.0.0.1:3002')",
        "  .member('http://127.0.0.1:3003', { lbset: 120 });",
        "const other = balancer('Images').member('http://127.0.0.1:3009');",
        '',
        'export default defineConfig({',
        '  routes: [',
        "    route('/images/').to(images),",
        "    route('/thumbs/').to(other),",
        '    route(/^\\/u\\/(\\d+)$/).to("http://127.0.0.1:4000/users/$2"),',
        "    route('/').to('http://127.0.0.1:4000/'),",
        '  ],',
        '});',
        '',
      ].join('\n'),
    );
    const result = await runCli(['check', '--config', file]);
    expect(result.code).toBe(1);
    const blocks = result.stderr.split('\n\n').filter((b) => / error TSXP_/.test(b));
    const expected: [code: string, line: number, names: string][] = [
      ['TSXP_LOADFACTOR_RANGE', 4, 'http://127.0.0.1:3001'],
      ['TSXP_UNSUPPORTED_SCHEME', 5, 'ftp://127.0.0.1:3002'],
      ['TSXP_LBSET_RANGE', 6, 'http://127.0.0.1:3003'],
      ['TSXP_DUPLICATE_BALANCER', 7, 'Images'],
      ['TSXP_REGEX_GROUP', 13, '$2'],
    ];
    expect(blocks).toHaveLength(expected.length);
    for (const [code, line, names] of expected) {
      const block = blocks.find((b) => b.includes(code));
      expect(block, code).toBeDefined();
      expect(block).toContain(
        `${relative(ROOT, file).startsWith('..') ? file : relative(ROOT, file)}:${line}:`,
      );
      expect(block).toContain(names);
      expect(block).toMatch(new RegExp(`^>\\s+${line} \\|`, 'm'));
      expect(block).toMatch(/^\s+fix: \S/m);
    }
    expect(result.stderr).toContain('5 errors');
    expect(result.stdout).toBe('');
  });

  test('a syntax error is reported with file:line:column and exit 1', async () => {
    const file = join(tmp, 'syntax.config.ts');
    writeFileSync(
      file,
      "import { defineConfig } from 'tsx-proxy';\nexport default defineConfig({ routes: [ }\n",
    );
    const result = await runCli(['check', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:2:`);
    expect(result.stderr).toMatch(/^>\s+2 \| export default defineConfig/m);
  });

  test('a missing config file is an error naming it', async () => {
    const result = await runCli(['check', '--config', join(tmp, 'absent.config.ts')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('config file not found');
  });
});
