import { expect, test } from 'vitest';
import type { LiveBalancer } from '../src/balancer/types.js';
import type { HealthCheck } from '../src/dsl/params.js';
import { healthOf, startHealthChecks } from '../src/health/index.js';
import { balancer } from '../src/index.js';
import {
  compileBalancer,
  liveBalancers,
  ManualClock,
  RecordingLogger,
  perTestCleanup,
} from './health-helpers.js';

const { cleanup, backend } = perTestCleanup();

const HC: HealthCheck = { uri: '/health', interval: 1, fails: 1, passes: 3 };

/** Fires the next due check(s) and waits until every checked member is armed again. */
async function runNext(clock: ManualClock, members: number): Promise<void> {
  clock.fireNext();
  await clock.pending(members);
}

function start(balancers: LiveBalancer[], clock: ManualClock, logger = new RecordingLogger()) {
  const checks = startHealthChecks(balancers, { logger, clock });
  cleanup.push(() => checks.stop());
  return checks;
}

test('a reload keeps the health state of members that stay: a pass streak goes on across it', async () => {
  const sick = await backend();
  const added = await backend();
  const clock = new ManualClock();
  const logger = new RecordingLogger();

  const gen1 = liveBalancers(compileBalancer(balancer('web').member(sick.url).healthCheck(HC)));
  const member = gen1[0]!.members[0]!;
  const checks1 = start(gen1, clock, logger);
  sick.mode = 'fail';
  await runNext(clock, 1);
  expect(member.flags.has('C')).toBe(true);
  const passFrom = sick.answers.length;
  sick.mode = 'ok';
  await runNext(clock, 1);
  expect(healthOf(member)).toMatchObject({ passCount: 1, checks: 2 });
  const lastCheck = healthOf(member)!.lastCheck;

  // The reload: the old generation's checks stop, the new one's start.
  checks1.stop();
  expect(clock.timers.size).toBe(0);
  const gen2 = liveBalancers(
    compileBalancer(balancer('web').member(sick.url).member(added.url).healthCheck(HC)),
    gen1,
  );
  const kept = gen2[0]!.members[0]!;
  expect(kept.flags.has('C')).toBe(true);
  expect(healthOf(kept)).toMatchObject({ passCount: 1, checks: 2, lastCheck });
  expect(healthOf(gen2[0]!.members[1]!)).toBeUndefined();
  const checks2 = start(gen2, clock, logger);
  expect(checks2.members).toHaveLength(2);
  // The kept member goes on from its last check instead of starting over.
  expect(clock.dueTimes()).toContain(lastCheck + 1000);

  for (let i = 0; i < 20 && kept.flags.has('C'); i++) await runNext(clock, 2);
  expect(sick.count('ok', passFrom)).toBe(3);
  expect(logger.infos).toEqual([
    `health check: member ${sick.url} of balancer 'web' passed 3 checks in a row: flag C cleared, back in rotation`,
  ]);
});

test('a reload that removes a member health check clears the C it set', async () => {
  const sick = await backend();
  sick.mode = 'fail';
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const gen1 = liveBalancers(compileBalancer(balancer('web').member(sick.url).healthCheck(HC)));
  const checks1 = start(gen1, clock, logger);
  await runNext(clock, 1);
  expect(gen1[0]!.members[0]!.flags.has('C')).toBe(true);
  checks1.stop();

  const gen2 = liveBalancers(
    compileBalancer(balancer('web').member(sick.url, { healthCheck: false }).healthCheck(HC)),
    gen1,
  );
  const checks2 = start(gen2, clock, logger);
  const member = gen2[0]!.members[0]!;
  expect(checks2.members).toEqual([]);
  expect(member.flags.has('C')).toBe(false);
  expect(healthOf(member)).toBeUndefined();
  expect(logger.infos).toEqual([
    `health check removed from member ${sick.url} of balancer 'web': flag C cleared`,
  ]);
  expect(clock.timers.size).toBe(0);
});
