import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { formatLoadError, LoadError, loadConfig } from '../src/config/load.js';

const root = mkdtempSync(join(tmpdir(), 'tsxp-loader-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** Writes files into a fresh folder; returns the path of its proxy.config.ts. */
function project(files: Record<string, string>): string {
  const dir = join(root, `p${++n}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return join(dir, 'proxy.config.ts');
}

async function loadError(file: string): Promise<LoadError> {
  const error = await loadConfig(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoadError);
  return error as LoadError;
}

/** The caret line of a code frame must point at `column` of the `>` line. */
function caretColumn(message: string): number {
  const lines = message.split('\n');
  const marked = lines.findIndex((l) => l.startsWith('>'));
  const caret = lines[marked + 1]!;
  const gutter = lines[marked]!.indexOf('| ') + 2;
  return caret.indexOf('^') - gutter + 1;
}

describe('loadConfig errors name file:line:column with a code frame', () => {
  test('a syntax error', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        '',
        'export default defineConfig({',
        "  routes: [route('/').to('http://127.0.0.1:4000/')],",
        '  listen 8080,',
        '});',
        '',
      ].join('\n'),
    });
    const error = await loadError(file);
    expect(error.code).toBe('TSXP_CONFIG_LOAD');
    expect(error.reason).toBe('syntax');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.location).toEqual({ file, line: 5, column: 10 });
    expect(error.message).toContain(`${file}:5:10`);
    expect(error.message).toContain('> 5 |   listen 8080,');
    expect(caretColumn(error.message)).toBe(10);
  });

  test('an exception thrown while evaluating maps to the .ts line, past type-only lines', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        '',
        'interface Upstreams {',
        '  readonly main: string;',
        '}',
        'type Port = number;',
        'const port: Port = Number(process.env.TSXP_TEST_UNSET_PORT ?? 0);',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config source text has a template literal
        'const upstreams: Upstreams = { main: `http://127.0.0.1:${port}/` };',
        "if (port === 0) throw new RangeError('set TSXP_TEST_UNSET_PORT');",
        'export default defineConfig({ routes: [route("/").to(upstreams.main)] });',
        '',
      ].join('\n'),
    });
    const error = await loadError(file);
    expect(error.reason).toBe('evaluate');
    expect(error.problems[0]!.location).toMatchObject({ file, line: 9 });
    expect(error.message).toMatch(/RangeError: set TSXP_TEST_UNSET_PORT/);
    expect(error.message).toContain(`${file}:9:`);
    expect(error.message).toMatch(/^>\s+9 \| if \(port === 0\) throw new RangeError/m);
    expect(caretColumn(error.message)).toBe(error.problems[0]!.location!.column);
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  test('an exception thrown in an imported helper points at the helper', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        "import { upstream } from './lib/upstreams.js';",
        "export default defineConfig({ routes: [route('/').to(upstream('web'))] });",
        '',
      ].join('\n'),
      'lib/upstreams.ts': [
        'const known: Record<string, string> = { api: "http://127.0.0.1:3000/" };',
        'export function upstream(name: string): string {',
        '  const url = known[name];',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config source text has a template literal
        '  if (!url) throw new Error(`no upstream named ${name}`);',
        '  return url;',
        '}',
        '',
      ].join('\n'),
    });
    const error = await loadError(file);
    expect(error.reason).toBe('evaluate');
    expect(error.problems[0]!.location).toEqual({
      file: join(dirname(file), 'lib/upstreams.ts'),
      line: 4,
      column: 19,
    });
    expect(error.message).toContain('no upstream named web');
  });

  test("columns on line 1 are the source file's, for a thrown exception and a validation issue", async () => {
    const thrown = project({
      'proxy.config.ts':
        "import { defineConfig } from 'tsx-proxy'; const x: string = JSON.parse('{no'); export default defineConfig({ routes: [] });\n",
    });
    const e1 = await loadError(thrown);
    expect(e1.reason).toBe('evaluate');
    expect(e1.problems[0]!.location).toMatchObject({ line: 1, column: 66 });
    const invalid = project({
      'proxy.config.ts':
        "import { defineConfig, route } from 'tsx-proxy'; export default defineConfig({ routes: [route('/').to('gopher://x')] });\n",
    });
    const e2 = await loadError(invalid);
    expect(e2.problems[0]!.location).toMatchObject({ line: 1, column: 100 });
    expect(caretColumn(e2.message)).toBe(100);
  });

  test('a missing default export', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        '',
        "export const config = defineConfig({ routes: [route('/').to('http://127.0.0.1:4000/')] });",
        '',
      ].join('\n'),
    });
    const error = await loadError(file);
    expect(error.reason).toBe('export');
    expect(error.message).toContain(`${file}:3:1`);
    expect(error.message).toContain('not the default export');
    expect(error.problems[0]!.hint).toContain('export default defineConfig');
  });

  test('a default export that is not a defineConfig value', async () => {
    const file = project({
      'proxy.config.ts': [
        '// a plain object, not defineConfig(...)',
        'export default { routes: [] };',
        '',
      ].join('\n'),
    });
    const error = await loadError(file);
    expect(error.reason).toBe('export');
    expect(error.issues.map((i) => i.code)).toEqual(['TSXP_CONFIG_SHAPE']);
    expect(error.message).toContain(`${file}:2:1`);
  });

  test('validation errors: every issue with its builder call site and a frame of that line', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { balancer, defineConfig, route } from 'tsx-proxy';",
        '',
        "const app = balancer('app')",
        "  .member('http://127.0.0.1:3001')",
        "  .member('http://127.0.0.1:3002', { loadfactor: 250 });",
        '',
        'export default defineConfig({',
        '  routes: [',
        '    route(/^\\/u\\/(\\d+)$/).to("http://127.0.0.1:3000/users/$2"),',
        "    route('/').to(app),",
        '  ],',
        '});',
        '',
      ].join('\n'),
    });
    const error = await loadError(file);
    expect(error.reason).toBe('invalid');
    expect(error.issues.map((i) => i.code).sort()).toEqual(['TSXP_LOADFACTOR_RANGE', 'TSXP_REGEX_GROUP']);
    const loadfactor = error.problems.find((p) => p.code === 'TSXP_LOADFACTOR_RANGE')!;
    expect(loadfactor.location).toMatchObject({ file, line: 5 });
    expect(loadfactor.path).toBe('balancers.app.members[1].loadfactor');
    const group = error.problems.find((p) => p.code === 'TSXP_REGEX_GROUP')!;
    expect(group.location).toMatchObject({ file, line: 9 });
    expect(error.message).toContain(`${file}:5:`);
    expect(error.message).toContain("> 5 |   .member('http://127.0.0.1:3002', { loadfactor: 250 });");
    expect(error.message).toContain(`${file}:9:`);
    expect(error.message).toMatch(/^\s+fix: /m);
  });

  test('an import that cannot be resolved names the importing line', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        "import { upstream } from './missing-helper.js';",
        "export default defineConfig({ routes: [route('/').to(upstream)] });",
        '',
      ].join('\n'),
    });
    const error = await loadError(file);
    expect(error.reason).toBe('bundle');
    expect(error.problems[0]!.location).toMatchObject({ file, line: 2 });
    expect(error.message).toContain('missing-helper.js');
  });

  test('a config file that does not exist', async () => {
    const error = await loadError(join(root, 'nowhere', 'proxy.config.ts'));
    expect(error.reason).toBe('bundle');
    expect(error.message).toContain('config file not found');
    expect(error.problems[0]!.hint).toContain('tsx-proxy init');
  });

  test('the temporary bundle is removed after a failed evaluation', async () => {
    const file = project({ 'proxy.config.ts': "throw new Error('no');\nexport default 1;\n" });
    await loadError(file);
    expect(readdirSync(dirname(file))).toEqual(['proxy.config.ts']);
  });

  test('formatLoadError renders the same text, with colours only when asked', async () => {
    const file = project({ 'proxy.config.ts': 'export default defineConfig({ routes: [] }\n' });
    const error = await loadError(file);
    expect(formatLoadError(error, { color: false })).toBe(error.message);
    expect(formatLoadError(error, { color: true })).toContain('\x1b[');
  });
});
