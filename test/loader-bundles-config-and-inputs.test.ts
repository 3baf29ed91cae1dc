import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config/load.js';

const root = mkdtempSync(join(tmpdir(), 'tsxp-loader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function project(files: Record<string, string>, configName = 'proxy.config.ts'): string {
  const dir = join(root, `p${++n}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return join(dir, configName);
}

/** True when Node could resolve `tsx-proxy` from `dir` by walking up node_modules folders. */
function packageReachable(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules', 'tsx-proxy'))) return true;
    if (d === parse(d).root) return false;
  }
}

describe('loadConfig bundles the config', () => {
  test("resolves 'tsx-proxy' to the running tsx-proxy in a folder without node_modules", async () => {
    const file = project({
      'proxy.config.ts': [
        "import { balancer, defineConfig, route } from 'tsx-proxy';",
        "const app = balancer('app').member('http://127.0.0.1:3001').member('http://127.0.0.1:3002', { lbset: 1 });",
        "export default defineConfig({ listen: 9000, routes: [route('/api/').to(app), route('/').to('http://127.0.0.1:4000/')] });",
        '',
      ].join('\n'),
    });
    expect(packageReachable(dirname(file))).toBe(false);
    const { config, spec } = await loadConfig(file);
    expect(spec.kind).toBe('config');
    expect(config.listen).toEqual([{ host: '127.0.0.1', port: 9000 }]);
    expect(config.routes.map((r) => r.label)).toEqual(['/api/', '/']);
    expect(config.balancers.get('app')!.members.map((m) => m.lbset)).toEqual([0, 1]);
  });

  test('inputs are the config and the local files it imports, as absolute paths', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        "import { api } from './lib/upstreams.js';",
        "export default defineConfig({ routes: [route('/').to(api)] });",
        '',
      ].join('\n'),
      'lib/upstreams.ts':
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config source text has a template literal
        "import { port } from './ports.js';\nexport const api = `http://127.0.0.1:${port}/`;\n",
      'lib/ports.ts': 'export const port = 3000;\n',
      'lib/unused.ts': 'export const nothing = 0;\n',
    });
    const dir = dirname(file);
    const { inputs, config } = await loadConfig(file);
    expect([...inputs].sort()).toEqual(
      [join(dir, 'lib/ports.ts'), join(dir, 'lib/upstreams.ts'), file].sort(),
    );
    const target = config.routes[0]!.kind === 'proxy' ? config.routes[0]!.target : undefined;
    expect(target?.type === 'url' && target.url.href).toBe('http://127.0.0.1:3000/');
  });

  test("bare imports resolve from the config's folder; the bundle beside it is removed", async () => {
    const file = project({
      'proxy.config.ts': [
        "import { readdirSync } from 'node:fs';",
        "import { defineConfig, route } from 'tsx-proxy';",
        "import { upstream } from 'local-upstreams';",
        // While the config runs, its bundle sits beside it (that is how 'local-upstreams' resolves).
        "const beside = readdirSync(import.meta.dirname).filter((f) => f.startsWith('proxy.config.ts.timestamp-'));",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config source text has a template literal
        'if (beside.length !== 1) throw new Error(`bundle not beside the config: ${beside}`);',
        "export default defineConfig({ routes: [route('/').to(upstream)] });",
        '',
      ].join('\n'),
      'node_modules/local-upstreams/package.json': JSON.stringify({
        name: 'local-upstreams',
        type: 'module',
        main: 'index.js',
      }),
      'node_modules/local-upstreams/index.js': "export const upstream = 'http://127.0.0.1:4567/';\n",
    });
    const { config, inputs } = await loadConfig(file);
    const route = config.routes[0]!;
    expect(route.kind === 'proxy' && route.target.type === 'url' && route.target.url.href).toBe(
      'http://127.0.0.1:4567/',
    );
    expect(inputs).toEqual([file]);
    expect(readdirSync(dirname(file)).sort()).toEqual(['node_modules', 'proxy.config.ts']);
  });

  test('a default export that is a function receives the mode', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        'export default ({ mode }: { mode: string }) =>',
        "  defineConfig({ listen: mode === 'dev' ? 3999 : 80, routes: [route('/').to('http://127.0.0.1:4000/')] });",
        '',
      ].join('\n'),
    });
    expect((await loadConfig(file, { mode: 'dev' })).config.listen[0]!.port).toBe(3999);
    expect((await loadConfig(file, { mode: 'start' })).config.listen[0]!.port).toBe(80);
  });

  test('import.meta.url and __dirname in an imported helper are the helper’s own', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        "import { target } from './conf/target.js';",
        'export default defineConfig({ routes: [route("/").to(target)] });',
        '',
      ].join('\n'),
      'conf/target.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { join } from 'node:path';",
        "const fromUrl = readFileSync(new URL('./upstream.txt', import.meta.url), 'utf8').trim();",
        "const fromDirname = readFileSync(join(__dirname, 'upstream.txt'), 'utf8').trim();",
        'export const target = fromUrl === fromDirname ? fromUrl : "mismatch";',
        '',
      ].join('\n'),
      'conf/upstream.txt': 'http://127.0.0.1:4321/\n',
    });
    const { config } = await loadConfig(file);
    const route = config.routes[0]!;
    expect(route.kind === 'proxy' && route.target.type === 'url' && route.target.url.href).toBe(
      'http://127.0.0.1:4321/',
    );
  });

  test('a .mjs config loads too', async () => {
    const file = project(
      {
        'proxy.config.mjs': [
          "import { defineConfig, route } from 'tsx-proxy';",
          "export default defineConfig({ routes: [route('/js/').to('http://127.0.0.1:4000/')] });",
          '',
        ].join('\n'),
      },
      'proxy.config.mjs',
    );
    expect((await loadConfig(file)).config.routes[0]!.label).toBe('/js/');
  });

  test('warnings carry file:line: a shadowed route and a duplicate key esbuild reports', async () => {
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        'export default defineConfig({',
        '  routes: [',
        "    route('/').to('http://127.0.0.1:4000/'),",
        "    route('/api/').to('http://127.0.0.1:3000/'),",
        '  ],',
        '  // @ts-ignore: the duplicate key is the point of this test',
        '  timeout: 5, timeout: 10,',
        '});',
        '',
      ].join('\n'),
    });
    const { warnings, config } = await loadConfig(file);
    expect(config.timeoutMs).toBe(10_000);
    const shadowed = warnings.find((w) => w.code === 'TSXP_SHADOWED_ROUTE');
    expect(shadowed?.site).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:`));
    const duplicate = warnings.find((w) => w.code === 'TSXP_BUNDLE_WARNING');
    expect(duplicate?.message).toContain('timeout');
    expect(duplicate?.site).toBe(`${file}:8:15`);
  });

  test('leaves the process’s source-map setting as it found it, call sites still on the .ts lines', async () => {
    // The loader turns source maps on while the config runs. Left on, every socket error a
    // serving proxy meets would be mapped: Node's streams read the stack of each one.
    const file = project({
      'proxy.config.ts': [
        "import { defineConfig, route } from 'tsx-proxy';",
        'export default () =>',
        '  defineConfig({',
        '    routes: [',
        "      route('/').to('http://127.0.0.1:4000/'),",
        "      route('/api/').to('http://127.0.0.1:3000/'),",
        '    ],',
        '  });',
        '',
      ].join('\n'),
    });
    const before = process.sourceMapsEnabled;
    try {
      for (const setting of [false, true]) {
        process.setSourceMapsEnabled(setting);
        const { warnings } = await loadConfig(file);
        expect(warnings.find((w) => w.code === 'TSXP_SHADOWED_ROUTE')?.site).toMatch(/proxy\.config\.ts:6:/);
        expect(process.sourceMapsEnabled).toBe(setting);
      }
    } finally {
      process.setSourceMapsEnabled(before);
    }
  });
});
