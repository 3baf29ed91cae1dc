import { expect, test } from 'vitest';
import { runChildScript } from './child-script.js';

// The child serves one request through the proxy (so undici sets up its parser), then asks V8
// (natives syntax, allowed in this child only) whether the parser's main function, compiled
// afresh from the bytes undici loaded, comes out of V8's cache already optimized. Without the
// precompile, V8's default lazy compilation leaves it uncompiled: the control case.
function child(precompile: boolean): string {
  return `
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
const { precompileUndiciParser, undiciParserModules } = await import('./src/proxy/undici-parser.ts');
const { startProxy } = await import('./src/runtime/start-proxy.ts');
const { defineConfig, route } = await import('./src/index.ts');
const require = createRequire(import.meta.url);
${precompile ? 'await precompileUndiciParser(true);' : ''}
const server = createServer((req, res) => res.end('ok'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const quiet = { request() {}, error() {}, info() {}, warn() {} };
const proxy = await startProxy(defineConfig({ routes: [route('/').to('http://127.0.0.1:' + server.address().port + '/')] }), { port: 0, logger: quiet });
const res = await new Promise((resolve) => require('node:http').get(proxy.url + '/', resolve));
let body = '';
for await (const chunk of res) body += chunk;
await proxy.close();
server.close();
const path = require.resolve(undiciParserModules()[0]);
const undiciLoadedIt = path in require.cache;
const fresh = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(require(path))), {
  env: new Proxy({}, { get: () => () => 0 }),
});
const optimized = new Function('f', 'return %IsTurboFanFunction(f)')(fresh.exports.llhttp_execute);
console.log(JSON.stringify({ body, undiciLoadedIt, optimized }));
`;
}

async function run(precompile: boolean): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await runChildScript(child(precompile), 60_000, [
    '--allow-natives-syntax',
  ]);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

test('undici parses with the llhttp compiled, optimized, at start-up', async () => {
  expect(await run(true)).toEqual({ body: 'ok', undiciLoadedIt: true, optimized: true });
});

test('without the precompile, V8 would compile llhttp lazily (the check can tell)', async () => {
  expect(await run(false)).toEqual({ body: 'ok', undiciLoadedIt: true, optimized: false });
});
