/**
 * Keeps V8's memory reducer from running its heap-shrinking GCs while the serving process
 * (`start`, `dev`) idles.
 *
 * Why: some seconds after a busy process goes quiet, the memory reducer runs up to three
 * "memory reducing" mark-compacts. These do not retain maps that have no live object, so every
 * optimized function that embedded one (most of the request path: a request's objects all die
 * with it) is deoptimized. The next burst of traffic then runs on the interpreter while V8
 * re-optimizes on the same core: measured on small GETs after 60 s idle, p99 rose from about
 * 10 ms to 57-90 ms and throughput fell by a quarter for the first seconds; with the reducer
 * held, p99 stayed at 10-18 ms. What the reducer gives back is the idle heap's slack (about
 * 30 MiB of a 47 MiB heap, in that run), which the next burst takes again anyway.
 *
 * How: node refuses `--no-memory-reducer` in NODE_OPTIONS, and V8 reads it only when the heap
 * is set up. But the reducer starts its GCs as incremental marking, and V8 checks
 * `--incremental-marking` each time it would start one. So once a second this samples the event
 * loop's utilization: after three samples below 5% busy (the process is idle, which is the only
 * time the reducer acts), incremental marking is turned off; at the first GC after that
 * (traffic is back), or above 5% busy, back on, so that a loaded proxy marks incrementally as
 * usual. A process that idles keeps its heap, and a mark-compact that V8 needs meanwhile (rare
 * while idle) runs in one pause. Whoever names the memory reducer or V8's marking in their node
 * flags keeps their choice.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { nodeFlagGiven } from './node-flags.js';

/** How often the event loop's utilization is sampled. */
const SAMPLE_MS = 1000;

/** Below this share of busy event-loop time over one sample, the process counts as idle. */
const IDLE_UTILIZATION = 0.05;

/**
 * Idle samples in a row before the hold: V8 finishes a marking cycle that the last requests
 * started within a second of them, and turning incremental marking off in the middle of one
 * cost 1 MiB GET 20-40% of its throughput in every later burst (measured over cycles of 4 s of
 * load and 10 s of idle; not so with three samples). V8 starts a reducing GC no sooner than 8 s
 * after the last mark-compact (or start-up), and only once its own check finds the allocation
 * rate low; no reducing GC before the hold was seen in the tests or the bench, but that is an
 * observation, not a guarantee: under small requests a busy proxy can go seconds without a
 * mark-compact.
 */
const QUIET_SAMPLES = 3;

/**
 * Node flags that choose how V8 marks, or whether the memory reducer runs: the user's call
 * (`--trace-concurrent-marking` and the like only watch, and do not count).
 */
const USER_CHOICE =
  /^--(no[-_]?)?(memory[-_]reducer|(incremental|concurrent|parallel)[-_]marking|single[-_]threaded(-gc)?|predictable)(=|$)/;

let sampler: NodeJS.Timeout | undefined;
let held = false;

/** Whether the hold is on now: incremental marking off while the process idles. */
export function memoryReducerHeld(): boolean {
  return held;
}

/** Starts holding the memory reducer while idle, unless the user chose; returns whether it did. */
export function holdMemoryReducer(): boolean {
  if (nodeFlagGiven(USER_CHOICE)) return false;
  if (sampler) return true;
  let last = performance.eventLoopUtilization();
  let quiet = 0;
  // The first GC after a quiet spell means traffic is back: release at once rather than at the
  // next sample, so that a burst's first second marks incrementally like the rest of it.
  const traffic = new PerformanceObserver(() => release());
  const hold = () => {
    held = true;
    setFlagsFromString('--no-incremental-marking');
    traffic.observe({ entryTypes: ['gc'] });
  };
  const release = () => {
    if (!held) return;
    held = false;
    traffic.disconnect();
    // V8 turned concurrent marking off with incremental marking (a flag implication); it does
    // not turn it back on by itself.
    setFlagsFromString('--incremental-marking --concurrent-marking');
  };
  sampler = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const idle = performance.eventLoopUtilization(now, last).utilization < IDLE_UTILIZATION;
    last = now;
    quiet = idle ? quiet + 1 : 0;
    if (quiet >= QUIET_SAMPLES && !held) hold();
    else if (!idle) release();
  }, SAMPLE_MS);
  sampler.unref();
  return true;
}
