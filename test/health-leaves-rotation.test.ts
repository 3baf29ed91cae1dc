import { expect, test } from 'vitest';
import type { LiveBalancer, MemberState } from '../src/balancer/types.js';
import { type HealthChecks, healthOf, startHealthChecks } from '../src/health/index.js';
import { balancer } from '../src/index.js';
import { compileBalancer, liveBalancers, RecordingLogger, until, perTestCleanup } from './health-helpers.js';

const { cleanup, backend } = perTestCleanup();

function start(balancers: LiveBalancer[], logger: RecordingLogger): HealthChecks {
  const checks = startHealthChecks(balancers, { logger });
  cleanup.push(() => checks.stop());
  return checks;
}

function picks(live: LiveBalancer, n: number): string[] {
  return Array.from({ length: n }, () => {
    const sel = live.select(
      { method: 'GET', url: '/', cookie: undefined, clientIp: '127.0.0.1', header: () => undefined },
      Date.now(),
    );
    if (!sel.ok) return 'none';
    live.release(sel.member, { transferred: 0, read: 0 });
    return sel.member.member.url.href;
  });
}

/** Resolves with what `count()` was at the moment the logger said something at `level`. */
function atNextLine(logger: RecordingLogger, level: 'warn' | 'info', count: () => number): Promise<number> {
  return new Promise((resolve) => {
    logger.onLine = (l) => {
      if (l !== level) return;
      logger.onLine = undefined;
      resolve(count());
    };
  });
}

test('a member whose health endpoint fails leaves rotation after exactly `fails` checks and returns after `passes`', async () => {
  const sick = await backend();
  const steady = await backend();
  const config = compileBalancer(
    balancer('web')
      .member(sick.url)
      .member(steady.url, { healthCheck: false })
      .healthCheck({ uri: '/health', interval: '100ms', fails: 3, passes: 2 }),
  );
  const [live] = liveBalancers(config);
  const logger = new RecordingLogger();
  const checks = start([live!], logger);
  const member = live!.members[0]!;
  expect(checks.members).toEqual([member]);

  await until(() => sick.count('ok') >= 2, 'two passing checks');
  expect(member.flags.has('C')).toBe(false);

  const failFrom = sick.answers.length;
  const wentDown = atNextLine(logger, 'warn', () => sick.count('fail', failFrom));
  sick.mode = 'fail';
  expect(await wentDown).toBe(3);
  expect(member.flags.has('C')).toBe(true);
  expect(new Set(picks(live!, 4))).toEqual(new Set([`${steady.url}`]));
  expect(logger.warns).toEqual([
    `health check: member ${sick.url} of balancer 'web' failed 3 checks in a row (HTTP 500): out of rotation (C)`,
  ]);

  // Still failing: no more log lines, the member stays out.
  await until(() => sick.count('fail', failFrom) >= 5, 'more failing checks');
  expect(logger.warns).toHaveLength(1);
  expect(healthOf(member)?.lastError).toBe('HTTP 500');

  const passFrom = sick.answers.length;
  const cameBack = atNextLine(logger, 'info', () => sick.count('ok', passFrom));
  sick.mode = 'ok';
  expect(await cameBack).toBe(2);
  expect(member.flags.has('C')).toBe(false);
  expect(picks(live!, 4)).toContain(sick.url);
  expect(logger.infos).toEqual([
    `health check: member ${sick.url} of balancer 'web' passed 2 checks in a row: flag C cleared, back in rotation`,
  ]);
  // The steady member has no check of its own (`healthCheck: false`).
  expect(steady.answers.filter((a) => a.url === '/health')).toEqual([]);
});

test('a slow health endpoint hits the check timeout and takes the member out', async () => {
  const slow = await backend();
  slow.mode = 'hang';
  const config = compileBalancer(
    balancer('web')
      .member(slow.url)
      .healthCheck({ uri: '/health', interval: '100ms', timeout: '150ms', fails: 2 }),
  );
  const [live] = liveBalancers(config);
  const logger = new RecordingLogger();
  const wentDown = atNextLine(logger, 'warn', () => slow.answers.length);
  start([live!], logger);
  expect(await wentDown).toBe(2);
  expect(logger.warns[0]).toContain('failed 2 checks in a row (timed out after 150 ms)');
});

test('TCP checks against a closed port take the member out, and back once it listens', async () => {
  const config = compileBalancer(
    balancer('web').member('http://127.0.0.1:1').healthCheck({ method: 'TCP', interval: '100ms', fails: 1 }),
  );
  const [live] = liveBalancers(config);
  const logger = new RecordingLogger();
  const member: MemberState = live!.members[0]!;
  start([live!], logger);
  await until(() => member.flags.has('C'), 'the member to be flagged C');
  expect(logger.warns[0]).toMatch(/failed 1 check in a row \(connect ECONNREFUSED 127\.0\.0\.1:1\)/);
});

test('`expect` on the body decides, whatever the status', async () => {
  const degraded = await backend();
  const config = compileBalancer(
    balancer('web')
      .member(degraded.url)
      .healthCheck({ uri: '/health', interval: '100ms', expect: (res) => res.body === 'ok' }),
  );
  const [live] = liveBalancers(config);
  const logger = new RecordingLogger();
  const member = live!.members[0]!;
  start([live!], logger);
  await until(() => (healthOf(member)?.checks ?? 0) >= 1, 'a first check');
  expect(member.flags.has('C')).toBe(false);
  const wentDown = atNextLine(logger, 'warn', () => degraded.count('degraded'));
  degraded.mode = 'degraded';
  expect(await wentDown).toBe(1);
  expect(logger.warns[0]).toContain('(expect(res) returned false (HTTP 200))');
});

test('stopped members (S) are not checked', async () => {
  const b = await backend();
  const config = compileBalancer(
    balancer('web')
      .member(b.url, { status: 'S' })
      .member(`${b.url}/other`)
      .healthCheck({ uri: 'health', interval: '100ms' }),
  );
  const [live] = liveBalancers(config);
  start([live!], new RecordingLogger());
  await until(() => b.answers.length >= 3, 'three checks');
  expect(new Set(b.answers.map((a) => a.url))).toEqual(new Set(['/other/health']));
});

test('disabled members (D) are checked too, and are not announced back in rotation when they pass', async () => {
  const b = await backend();
  b.mode = 'fail';
  const config = compileBalancer(
    balancer('web').member(b.url, { status: 'D' }).healthCheck({ uri: '/health', interval: '100ms' }),
  );
  const [live] = liveBalancers(config);
  const logger = new RecordingLogger();
  const member = live!.members[0]!;
  start([live!], logger);
  await until(() => member.flags.has('C'), 'the disabled member to fail its check');
  const back = atNextLine(logger, 'info', () => b.count('ok'));
  b.mode = 'ok';
  expect(await back).toBe(1);
  expect(logger.infos).toEqual([
    `health check: member ${b.url} of balancer 'web' passed 1 check in a row: flag C cleared`,
  ]);
  expect(member.flags.has('D')).toBe(true);
});
