/**
 * Apache's ProxyTimeout for proxied requests (a member's `timeout`): an attempt fails once the
 * upstream has kept it waiting, with nothing arriving, for longer than the timeout, whether for
 * the response head or between two body chunks. Time the client makes us wait (a slow upload
 * the upstream is reading, a slow reader holding the response back) does not count: the same
 * rules as undici's `headersTimeout` and `bodyTimeout`, at a resolution of {@link SWEEP_MS} to
 * twice that (undici's own: half a second to a second).
 *
 * Why not those two undici options: undici arms one of its coarse timers per request for them,
 * and replaces it with a native keep-alive timer after every response. A replaced coarse timer
 * stays in undici's timer list until its next tick, up to a second, so one timer object per
 * request outlived two scavenges and went to the old generation. Measured on small GETs under
 * load: the old generation grew about 135 bytes per request with them and about 35 without, and
 * over three 4 s bursts the mark-compacts that this growth brings (each 10-15 ms of event loop)
 * fell from 6 to 2. Here one sweep per {@link SWEEP_MS} looks at the attempts in flight, kept in
 * a list threaded through them: watching allocates nothing, and body chunks cost nothing. (A
 * `Set` of the attempts instead made about a quarter of everything the proxy allocated survive
 * scavenges, and cost a third of small-GET throughput: measured, not explained.)
 */

/** How often the attempts in flight are looked at; also the resolution of every timeout. */
export const SWEEP_MS = 250;

/**
 * An attempt the watch looks at. The watch keeps its attempts in a list threaded through them
 * (the two link fields), so watching allocates nothing.
 */
export abstract class TimedAttempt {
  /** @internal The watch's links; undefined when not watched. */
  watchPrev: TimedAttempt | undefined = undefined;
  /** @internal */
  watchNext: TimedAttempt | undefined = undefined;
  /** @internal */
  watched = false;

  /**
   * Called once per sweep with the watch's clock (`performance.now()` of this sweep): notes
   * progress, or fails the attempt once it has waited on the upstream for its whole timeout.
   * It may stop watching itself, not another attempt.
   */
  abstract checkTimeout(now: number): void;
}

let head: TimedAttempt | undefined;
let sweeper: NodeJS.Timeout | undefined;

/** Starts looking at `attempt` (again: watching twice is harmless) until {@link unwatchTimeout}. */
export function watchTimeout(attempt: TimedAttempt): void {
  if (attempt.watched) return;
  attempt.watched = true;
  attempt.watchNext = head;
  if (head) head.watchPrev = attempt;
  head = attempt;
  if (sweeper) return;
  // Not holding the process open: the sockets of the attempts in flight do that.
  sweeper = setInterval(sweep, SWEEP_MS);
  sweeper.unref();
}

export function unwatchTimeout(attempt: TimedAttempt): void {
  if (!attempt.watched) return;
  attempt.watched = false;
  const { watchPrev: prev, watchNext: next } = attempt;
  if (prev) prev.watchNext = next;
  else head = next;
  if (next) next.watchPrev = prev;
  attempt.watchPrev = undefined;
  attempt.watchNext = undefined;
}

function sweep(): void {
  if (!head) {
    clearInterval(sweeper);
    sweeper = undefined;
    return;
  }
  const now = performance.now();
  for (let attempt: TimedAttempt | undefined = head; attempt; ) {
    const next: TimedAttempt | undefined = attempt.watchNext;
    attempt.checkTimeout(now);
    attempt = next;
  }
}

/** The error a timed-out attempt is aborted with (classified as TSXP_UPSTREAM_TIMEOUT, 504). */
export function upstreamTimeout(waitingFor: 'head' | 'body', timeoutMs: number): Error {
  const what = waitingFor === 'head' ? 'no response head' : 'no response body data';
  return Object.assign(new Error(`${what} within timeout=${timeoutMs}ms`), { code: 'TSXP_UPSTREAM_TIMEOUT' });
}
