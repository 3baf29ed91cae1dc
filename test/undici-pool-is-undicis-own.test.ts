import { expect, test } from 'vitest';
import { Pool } from '../src/proxy/undici-pool.js';
import { runChildScript } from './child-script.js';

test("the Pool loaded from undici's own module is the class undici exports", async () => {
  const undici = await import('undici');
  expect(Pool).toBe(undici.Pool);
});

// Loading undici's index costs about 10 MiB of resident memory that a proxy never uses. The
// child proxies one request, then reports whether the index was loaded, before and after
// importing it on purpose (the second answer shows that the check can see it).
const CHILD = `
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
const { startProxy } = await import('./src/runtime/start-proxy.ts');
const { defineConfig, route } = await import('./src/index.ts');
const indexLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => /[\\\\/]undici[\\\\/]index\\.js$/.test(k));
const server = createServer((req, res) => res.end('ok'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const quiet = { request() {}, error() {}, info() {}, warn() {} };
const proxy = await startProxy(defineConfig({ routes: [route('/').to('http://127.0.0.1:' + server.address().port + '/')] }), { port: 0, logger: quiet });
const body = await (await fetch(proxy.url + '/')).text();
const whileServing = indexLoaded();
await proxy.close();
server.close();
await import('undici');
console.log(JSON.stringify({ body, whileServing, afterImport: indexLoaded() }));
`;

test("a serving proxy does not load undici's index", async () => {
  const { code, stdout, stderr } = await runChildScript(CHILD);
  expect(code, stderr).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ body: 'ok', whileServing: false, afterImport: true });
});
