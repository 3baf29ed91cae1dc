import { expect, test } from 'vitest';
import { healthOf, startHealthChecks } from '../src/health/index.js';
import { balancer } from '../src/index.js';
import {
  compileBalancer,
  liveBalancers,
  ManualClock,
  RecordingLogger,
  until,
  perTestCleanup,
} from './health-helpers.js';

const { cleanup, backend } = perTestCleanup();

const INTERVAL = 10_000;

test('200 members: first checks spread over the interval, then exactly one interval apart, no drift', async () => {
  const b = await backend();
  let many = balancer('many').healthCheck({ uri: 'health', interval: INTERVAL / 1000 });
  for (let i = 0; i < 200; i++) many = many.member(`${b.url}/m${i}`);
  const [live] = liveBalancers(compileBalancer(many));
  const clock = new ManualClock();
  const start = clock.time;
  const checks = startHealthChecks([live!], { logger: new RecordingLogger(), clock });
  cleanup.push(() => checks.stop());

  // One timer per member, all inside the first interval, spread out rather than at once.
  const first = clock.dueTimes();
  expect(first).toHaveLength(200);
  expect(first.every((t) => t >= start && t < start + INTERVAL)).toBe(true);
  const quarters = [0, 1, 2, 3].map(
    (q) => first.filter((t) => Math.floor(((t - start) * 4) / INTERVAL) === q).length,
  );
  expect(Math.min(...quarters)).toBeGreaterThanOrEqual(20);
  const perMs = new Map<number, number>();
  for (const t of first) perMs.set(t, (perMs.get(t) ?? 0) + 1);
  expect(Math.max(...perMs.values())).toBeLessThanOrEqual(4);

  const ROUNDS = 4;
  let firstChecks: number[] = [];
  while (clock.dueTimes()[0]! < start + ROUNDS * INTERVAL) {
    clock.fireNext();
    await clock.pending(200);
    if (firstChecks.length === 0 && clock.dueTimes()[0]! >= start + INTERVAL) {
      firstChecks = live!.members.map((m) => healthOf(m)!.lastCheck);
    }
  }

  expect([...firstChecks].sort((x, y) => x - y)).toEqual(first);
  live!.members.forEach((m, i) => {
    const h = healthOf(m)!;
    expect(h.checks).toBe(ROUNDS);
    expect(h.lastCheck).toBe(firstChecks[i]! + (ROUNDS - 1) * INTERVAL);
  });
  expect(clock.dueTimes()).toEqual(first.map((t) => t + ROUNDS * INTERVAL));
  expect(b.answers).toHaveLength(200 * ROUNDS);
});

test("the next check is due an interval after the previous one ended (Apache's rule), never overlapping", async () => {
  const b = await backend();
  const [live] = liveBalancers(
    compileBalancer(
      balancer('one')
        .member(b.url)
        .healthCheck({ uri: '/h', interval: INTERVAL / 1000 }),
    ),
  );
  const clock = new ManualClock();
  const checks = startHealthChecks([live!], { logger: new RecordingLogger(), clock });
  cleanup.push(() => checks.stop());

  b.mode = 'hang';
  const started = clock.fireNext();
  await until(() => b.answers.length === 1, 'the check to reach the backend');
  // The check takes 700 ms of (manual) time; no second check is armed meanwhile.
  clock.time += 700;
  expect(clock.timers.size).toBe(0);
  b.release();
  await clock.pending(1);
  expect(clock.dueTimes()).toEqual([started + 700 + INTERVAL]);
  expect(healthOf(live!.members[0]!)).toMatchObject({
    checks: 1,
    lastCheck: started + 700,
    lastResult: 'pass',
  });
});

test('stop() clears every timer and no check starts afterwards', async () => {
  const b = await backend();
  let several = balancer('several').healthCheck({ uri: 'h', interval: 1 });
  for (let i = 0; i < 5; i++) several = several.member(`${b.url}/m${i}`);
  const [live] = liveBalancers(compileBalancer(several));
  const clock = new ManualClock();
  const checks = startHealthChecks([live!], { logger: new RecordingLogger(), clock });
  expect(clock.timers.size).toBe(5);
  checks.stop();
  expect(clock.timers.size).toBe(0);
  checks.stop();
  expect(b.answers).toEqual([]);
});
