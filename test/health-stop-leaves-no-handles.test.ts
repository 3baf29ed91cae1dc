import { expect, test } from 'vitest';
import { ROOT, runChildScript } from './child-script.js';

/**
 * A child process starts health checks against its own backend, waits until two checks hang in
 * flight (sockets open, check timeouts armed) while a third member waits for its next check, calls stop(), and
 * closes the backend. `server.close()` only completes once every check connection is gone, and the
 * process only exits once no timer is left: so it exits on its own only if stop() left nothing.
 */
const CHILD = `
import { createServer } from 'node:http';
const { compile } = await import(${JSON.stringify(`${ROOT}src/config/compile.ts`)});
const { balancer, defineConfig, route } = await import(${JSON.stringify(`${ROOT}src/index.ts`)});
const { createLiveBalancer } = await import(${JSON.stringify(`${ROOT}src/balancer/index.ts`)});
const { startHealthChecks, healthOf } = await import(${JSON.stringify(`${ROOT}src/health/index.ts`)});

let requests = 0;
const held = [];
const server = createServer((req, res) => {
  requests++;
  if (requests <= 2) res.end('ok');
  else held.push(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = 'http://127.0.0.1:' + server.address().port;
// The third member's next check is an hour away: its timer is armed when stop() is called.
const web = balancer('web').member(url).member(url + '/two')
  .member(url + '/three', { healthCheck: { method: 'TCP', interval: '1h' } })
  .healthCheck({ uri: 'health', interval: '100ms', timeout: 30 });
const config = compile(defineConfig({ routes: [route('/').to(web)] }));
const live = [...config.balancers.values()].map((b) => createLiveBalancer(b));
const quiet = { request() {}, error() {}, info() {}, warn() {} };
const checks = startHealthChecks(live, { logger: quiet });
while (requests < 4) await new Promise((resolve) => setTimeout(resolve, 5));
checks.stop();
server.close(() => {
  const checked = live[0].members.slice(0, 2).map((m) => healthOf(m)?.checks ?? 0);
  console.log(JSON.stringify({ requests, held: held.length, checked }));
});
`;

test('stop() leaves no timer and no socket: a process that stops its checks exits on its own', async () => {
  // The child needs well under a second; 30 s is the check timeout it must not wait for.
  const { code, killed, stdout, stderr } = await runChildScript(CHILD);
  expect({ code, killed }, stderr).toEqual({ code: 0, killed: false });
  // Two checks answered, two held in flight when stop() was called; those were dropped, not recorded.
  expect(JSON.parse(stdout)).toEqual({ requests: 4, held: 2, checked: [1, 1] });
});
