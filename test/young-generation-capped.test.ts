import { expect, test } from 'vitest';
import { growthFactorTowardsCap, SEMI_SPACE_CAP_BYTES } from '../src/cli/young-generation.js';
import { runChildScript } from './child-script.js';

const MiB = 1024 * 1024;

/** V8 (Node 20) sizes semi-spaces in 256 KiB pages, of which 257,720 bytes are usable. */
const PAGE = 256 * 1024;
const USABLE_PER_PAGE = 257_720;

/**
 * `burst()` in a child: allocates like a busy proxy, mostly garbage and some survivors, over many
 * event-loop turns (the cap acts between them).
 */
const BURST = `
const ring = new Array(20_000);
let n = 0;
async function burst() {
  for (let turn = 0; turn < 300; turn++) {
    for (let i = 0; i < 10_000; i++, n++) ring[n % ring.length] = { n, text: 'request ' + n, headers: [n, n] };
    await new Promise((resolve) => setImmediate(resolve));
  }
}
`;

/** A child that (maybe) caps the young generation, then runs one burst. */
function child(cap: boolean): string {
  return `
import { getHeapSpaceStatistics } from 'node:v8';
const { capYoungGeneration } = await import('./src/cli/young-generation.ts');
const capped = ${cap ? 'capYoungGeneration()' : 'false'};
${BURST}
await burst();
const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
console.log(JSON.stringify({ capped, newSpace }));
`;
}

async function run(cap: boolean, nodeArgs: string[] = []): Promise<{ capped: boolean; newSpace: number }> {
  const { code, stdout, stderr } = await runChildScript(child(cap), 60_000, nodeArgs);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

test('the capped young generation stops at 8 MiB semi-spaces, where V8 alone grows it further', async () => {
  const capped = await run(true);
  expect(capped.capped).toBe(true);
  expect(capped.newSpace).toBeLessThanOrEqual(2 * 8 * MiB);
  // V8's own limit depends on its version: 16 MiB semi-spaces on Node 20 and 22, 64 on Node 24.
  const alone = await run(false);
  expect(alone.newSpace).toBeGreaterThanOrEqual(2 * 16 * MiB);
});

test('a user who sizes the young generation keeps their size', async () => {
  const sized = await run(true, ['--max-semi-space-size=32']);
  expect(sized.capped).toBe(false);
  expect(sized.newSpace).toBeGreaterThan(2 * 8 * MiB);
});

test('the growth factor reaches the cap in one step and never passes it', () => {
  // What V8 reports as usable for a semi-space of 1 MiB at start-up, and at the 8 MiB cap.
  expect(growthFactorTowardsCap(4 * USABLE_PER_PAGE)).toBe(8);
  expect(growthFactorTowardsCap(32 * USABLE_PER_PAGE)).toBe(1);
  for (let pages = 1; pages <= 32; pages++) {
    const factor = growthFactorTowardsCap(pages * USABLE_PER_PAGE);
    expect(pages * PAGE * factor, `${pages} pages`).toBeLessThanOrEqual(SEMI_SPACE_CAP_BYTES);
    if (2 * pages * PAGE <= SEMI_SPACE_CAP_BYTES) expect(factor, `${pages} pages`).toBeGreaterThanOrEqual(2);
  }
});

/**
 * A capped child that allocates, idles long enough for V8 to shrink its young generation at the
 * next scavenge (a low allocation rate), allocates again, and reports the semi-space sizes seen
 * after each garbage collection from then on.
 */
const REGROW = `
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
const { capYoungGeneration } = await import('./src/cli/young-generation.ts');
const capped = capYoungGeneration();
// Usable bytes of one semi-space: half of space_size would miss a second one not committed yet.
const semiSpace = () => {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space.space_used_size + space.space_available_size;
};
const sizes = [];
new PerformanceObserver(() => sizes.push(semiSpace())).observe({ entryTypes: ['gc'] });
${BURST}
await burst();
const before = sizes.length;
await new Promise((resolve) => setTimeout(resolve, 8000));
await burst();
console.log(JSON.stringify({ capped, after: sizes.slice(before) }));
`;

// Node 24's V8 keeps the young generation through such an idle spell: nothing to grow back.
const shrinksWhenIdle = Number(process.versions.node.split('.')[0]) < 24;
if (!shrinksWhenIdle) {
  console.warn(
    `skipping the regrowth case: Node ${process.versions.node} does not shrink an idle young generation`,
  );
}

test.skipIf(!shrinksWhenIdle)(
  'after an idle spell shrinks the young generation, it grows back to the cap in one step',
  async () => {
    const { code, stdout, stderr } = await runChildScript(REGROW, 60_000);
    expect(code, stderr).toBe(0);
    const { capped, after } = JSON.parse(stdout) as { capped: boolean; after: number[] };
    expect(capped).toBe(true);
    // V8 shrank the semi-spaces to its minimum (0.5-1 MiB): what the next growths start from.
    const smallest = Math.min(...after);
    expect(smallest).toBeLessThanOrEqual(MiB);
    // Doubling, the way back passes 2 and 4 MiB; in one step the first size past 1 MiB is the cap
    // (usable bytes: the cap less its page headers, under 2%), and nothing passes it.
    const regrowth = after.slice(after.indexOf(smallest));
    expect(regrowth.find((size) => size > MiB)).toBeGreaterThan(0.98 * SEMI_SPACE_CAP_BYTES);
    expect(Math.max(...regrowth)).toBeLessThanOrEqual(SEMI_SPACE_CAP_BYTES);
  },
);
