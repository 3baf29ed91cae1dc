/**
 * Caps V8's young generation at 8 MiB semi-spaces in the serving process (`start`, `dev`),
 * half of the 16 MiB that V8 grows them to under sustained load (Node 20 and 22; 64 MiB on 24).
 *
 * Why: a proxy's young objects die with their request, so the bigger young generation buys
 * little; its 32 MiB (two semi-spaces) were the largest single item of peak RSS under 64 KiB POST
 * load, and V8 lets the old generation grow by about as much again before it collects it. Three
 * bursts of 64 KiB POSTs, fresh process, three runs each: peak RSS 103-118 MiB capped, 128-134
 * MiB at 16 MiB (old generation 12-18 MiB against 31-32 MiB at the peak). Small GETs for 6 s:
 * scavenges took 2.6% of the time capped and 1.8% at 16 MiB (173 scavenges against 86, about
 * 13 KB allocated per request). (Holding the semi-spaces at their 1 MiB start instead halved
 * 1 MiB GET throughput in some rounds, so the cap sits in between.)
 *
 * `--max-semi-space-size` is read once, when V8 starts, so a running process cannot lower it.
 * V8 reads `--semi-space-growth-factor` each time it grows the young generation, so after each
 * scavenge this sets the factor to 1 (stop growing) once the semi-spaces reached the cap, and
 * below it to the factor that reaches the cap in one step without passing it.
 *
 * Why one step: at the first scavenge after some seconds of idle, V8 sees a low allocation rate
 * and shrinks the semi-spaces to their 0.5-1 MiB minimum (Node 20 and 22; Node 24 kept them
 * through the test's 8 s idle). Doubling back takes three growths, each after about a
 * semi-space's worth of survivors: measured on small GETs after 20 s idle, the next burst ran at
 * least its first 50 scavenges, each with the fixed cost of a full one (0.6-1 ms), on 1, 2 and
 * 4 MiB; in one step, 15 on 1 MiB, then 8 MiB. The cap is the same.
 *
 * Whoever sizes the young generation themselves (node flags or NODE_OPTIONS naming a semi-space
 * option) keeps their choice.
 */
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { nodeFlagGiven } from './node-flags.js';

/** The semi-space size the young generation stops growing at. */
export const SEMI_SPACE_CAP_BYTES = 8 * 1024 * 1024;

let observer: PerformanceObserver | undefined;

/** Starts capping the young generation, unless the user sized it; returns whether it did. */
export function capYoungGeneration(): boolean {
  if (nodeFlagGiven(/semi[-_]space/)) return false;
  if (observer) return true;
  let growthFactor = 2;
  observer = new PerformanceObserver((list) => {
    if (!list.getEntries().some(isScavenge)) return;
    const factor = growthFactorTowardsCap(semiSpaceCapacity());
    if (factor === growthFactor) return;
    growthFactor = factor;
    setFlagsFromString(`--semi-space-growth-factor=${factor}`);
  });
  observer.observe({ entryTypes: ['gc'] });
  return true;
}

/**
 * The growth factor that takes a semi-space of `capacity` usable bytes to the cap in one step
 * without passing it, or 1 (stay) when no factor of 2 or more fits. Usable bytes are about 2%
 * under the semi-space's size (page headers), so rounding down cannot land past the cap: the
 * sizes are whole 256 KiB pages, and the next one past 8 MiB is further off than that.
 */
export function growthFactorTowardsCap(capacity: number): number {
  const factor = Math.floor(SEMI_SPACE_CAP_BYTES / Math.max(capacity, 1));
  return factor >= 2 ? factor : 1;
}

function isScavenge(entry: PerformanceEntry): boolean {
  return (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
}

/**
 * One semi-space's usable bytes. Not half of `space_size`: that counts the second semi-space only
 * while it is committed, and V8 uncommits it when it shrinks the young generation, so a 1 MiB
 * semi-space read as 0.5 MiB and grew (by 16) straight to V8's own 16 MiB limit.
 */
function semiSpaceCapacity(): number {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  return (newSpace?.space_used_size ?? 0) + (newSpace?.space_available_size ?? 0);
}
