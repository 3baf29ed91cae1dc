import { expect, test } from 'vitest';
import { runChildScript } from './child-script.js';

/**
 * Runs in a child process: plain requests, a balancer failover, a slow request cut by close(),
 * a WebSocket left open. After close() nothing may keep the process alive.
 */
const SCRIPT = `
import { createServer } from 'node:http';
import { once } from 'node:events';
import WebSocket, { WebSocketServer } from 'ws';
import { balancer, defineConfig, route } from './src/index.ts';
import { startProxy } from './src/testing/start-proxy.ts';

const backend = createServer((req, res) => {
  if (req.url === '/slow') { res.write('x'); return; }
  res.end('ok');
});
const wss = new WebSocketServer({ server: backend });
wss.on('connection', (ws) => ws.on('message', (m) => ws.send(m)));
// The backend must not keep the process alive, nor close the proxy's connections for it.
backend.on('connection', (s) => s.unref());
backend.listen(0, '127.0.0.1');
await once(backend, 'listening');
backend.unref();
const url = 'http://127.0.0.1:' + backend.address().port;
const dead = createServer();
dead.listen(0, '127.0.0.1');
await once(dead, 'listening');
const deadUrl = 'http://127.0.0.1:' + dead.address().port;
await new Promise((r) => dead.close(r));

const silent = { request() {}, error() {}, warn() {}, info() {} };
const proxy = await startProxy(defineConfig({
  gracePeriod: '200ms',
  routes: [route('/lb').to(balancer('b').member(deadUrl).member(url)), route('/').to(url + '/')],
}), { port: 0, logger: silent });
for (const path of ['/a', '/lb/b', '/lb/c']) {
  const res = await fetch(proxy.url + path);
  if ((await res.text()) !== 'ok') throw new Error('bad answer for ' + path);
}
const slow = await fetch(proxy.url + '/slow');
const slowBody = slow.text().catch(() => 'cut');
const ws = new WebSocket(proxy.url.replace('http', 'ws') + '/ws');
await once(ws, 'open');
ws.on('error', () => {});
await proxy.close();
await slowBody;
console.log('closed');
// Nothing may keep the process alive now; if something does, say what (this timer itself is unref'd).
setTimeout(() => {
  console.log('still alive: ' + process.getActiveResourcesInfo().join(', '));
  process.exit(1);
}, 3000).unref();
`;

test('after close() the process exits on its own: no socket, timer or pool left', async () => {
  const { code, killed, stdout, stderr } = await runChildScript(SCRIPT);
  expect({ code, killed, out: (stdout + stderr).trim() }).toEqual({ code: 0, killed: false, out: 'closed' });
});
