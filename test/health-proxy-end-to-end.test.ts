import { expect, test } from 'vitest';
import { ROOT, runChildScript } from './child-script.js';
import type { Duration } from '../src/dsl/params.js';
import { balancer, defineConfig, route } from '../src/index.js';
import { startProxy } from '../src/runtime/start-proxy.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { type HealthBackend, RecordingLogger, perTestCleanup, until } from './health-helpers.js';
import { send } from './manager-helpers.js';

const { cleanup, backend } = perTestCleanup('/health');

/** Sends `n` requests through the proxy, one after the other. */
async function traffic(proxy: RunningProxy, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${proxy.url}/page${i}`);
    expect(res.status).toBe(200);
    await res.text();
  }
}

/** The next health-check line logged at `level`; fails after 10 s (are the checks running?). */
function nextLine(logger: RecordingLogger, level: 'warn' | 'info'): Promise<string> {
  return new Promise((resolve, reject) => {
    const bound = setTimeout(() => reject(new Error(`no health check ${level} line was logged`)), 10_000);
    logger.onLine = (l, message) => {
      if (l !== level || !message.startsWith('health check:')) return;
      logger.onLine = undefined;
      clearTimeout(bound);
      resolve(message);
    };
  });
}

/** Makes `member` fail its checks, waits until it is out of rotation, and proves it gets none of `n` requests. */
async function takenOutByFailedChecks(
  proxy: RunningProxy,
  logger: RecordingLogger,
  member: HealthBackend,
  n: number,
): Promise<void> {
  const down = nextLine(logger, 'warn');
  member.mode = 'fail';
  expect(await down).toContain(`member ${member.url} of balancer 'web' failed 2 checks in a row (HTTP 500)`);
  const before = member.traffic.length;
  await traffic(proxy, n);
  expect(member.traffic).toHaveLength(before);
}

test('behind the real proxy, a member whose health check fails gets no traffic until it passes again', async () => {
  const sick = await backend();
  const steady = await backend();
  const web = balancer('web')
    .member(sick.url)
    .member(steady.url)
    .healthCheck({ uri: '/health', interval: '100ms', fails: 2, passes: 2 });
  const logger = new RecordingLogger();
  const proxy = await startProxy(defineConfig({ routes: [route('/').to(web, { path: '/' })] }), {
    port: 0,
    logger,
  });
  cleanup.push(() => proxy.close());

  await traffic(proxy, 6);
  expect(sick.traffic).toHaveLength(3);

  await takenOutByFailedChecks(proxy, logger, sick, 6);
  const before = sick.traffic.length;
  expect(steady.traffic).toHaveLength(3 + 6);

  const up = nextLine(logger, 'info');
  sick.mode = 'ok';
  expect(await up).toContain('back in rotation');
  await traffic(proxy, 6);
  expect(sick.traffic.length).toBeGreaterThan(before);
});

test('a reload keeps a failed member out of rotation', async () => {
  const sick = await backend();
  const steady = await backend();
  const config = (interval: Duration) =>
    defineConfig({
      routes: [
        route('/').to(
          balancer('web')
            .member(sick.url)
            .member(steady.url)
            .healthCheck({ uri: '/health', interval, passes: 3 }),
          { path: '/' },
        ),
      ],
    });
  const logger = new RecordingLogger();
  const proxy = await startProxy(config('100ms'), { port: 0, logger });
  cleanup.push(() => proxy.close());
  const down = nextLine(logger, 'warn');
  sick.mode = 'fail';
  await down;

  await proxy.reload(config('200ms'));
  await traffic(proxy, 4);
  expect(sick.traffic).toEqual([]);
  expect(steady.traffic).toHaveLength(4);
});

test('a member the balancer manager adds is health-checked at once, not from the next reload on', async () => {
  const steady = await backend();
  const added = await backend();
  const web = balancer('web')
    .member(steady.url)
    .healthCheck({ uri: '/health', interval: '100ms', fails: 2 })
    .set({ growth: 1 });
  const logger = new RecordingLogger();
  const proxy = await startProxy(
    defineConfig({
      routes: [
        route('/balancer-manager').manager({ allow: ['127.0.0.1'] }),
        route('/').to(web, { path: '/' }),
      ],
    }),
    { port: 0, logger },
  );
  cleanup.push(() => proxy.close());
  const api = `${proxy.url}/balancer-manager/api`;
  const { nonce } = (await send(api)).json.balancers[0];
  const reply = await send(`${api}/balancers/web/members`, { body: { nonce, url: added.url, status: '-D' } });
  expect(reply.status).toBe(201);

  await until(() => added.count('ok') > 0, 'a health check of the added member');
  await takenOutByFailedChecks(proxy, logger, added, 4);
  expect(steady.traffic.length).toBeGreaterThanOrEqual(4);
});

const CHILD = `
import { createServer } from 'node:http';
const { balancer, defineConfig, route } = await import(${JSON.stringify(`${ROOT}src/index.ts`)});
const { startProxy } = await import(${JSON.stringify(`${ROOT}src/runtime/start-proxy.ts`)});
let checks = 0;
const held = [];
const server = createServer((req, res) => {
  checks++;
  held.push(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = 'http://127.0.0.1:' + server.address().port;
const web = balancer('web').member(url).member(url + '/two', { healthCheck: { method: 'TCP', interval: '1h' } })
  .healthCheck({ uri: '/health', interval: '100ms', timeout: 30 });
const quiet = { request() {}, error() {}, info() {}, warn() {} };
const proxy = await startProxy(defineConfig({ routes: [route('/').to(web)] }), { port: 0, logger: quiet });
while (checks < 1) await new Promise((resolve) => setTimeout(resolve, 5));
await proxy.close();
server.close(() => console.log(JSON.stringify({ checks })));
`;

test('closing the proxy leaves no health-check timer or socket: the process exits on its own', async () => {
  const { code, killed, stdout, stderr } = await runChildScript(CHILD);
  expect({ code, killed }, stderr).toEqual({ code: 0, killed: false });
  expect(JSON.parse(stdout)).toEqual({ checks: 1 });
});
