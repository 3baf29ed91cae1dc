/**
 * Runs the active health checks of one config generation, out of band: one timer per checked
 * member, never on the request path. Apache's timing rule: a member is checked `interval` after
 * its previous check ended, so checks of one member never overlap; the first check of a member
 * is spread over its first interval (by a hash of its key) so hundreds of members do not fire at
 * once. Each timer is set from absolute due times, so nothing but the checks' own durations adds
 * up over time.
 */
import { isUsable } from '../balancer/member-state.js';
import type { LiveBalancer, MemberState } from '../balancer/types.js';
import type { ProxyLogger } from '../runtime/types.js';
import { forgetHealth, type HealthTransition, healthOf, recordCheck } from './health-state.js';
import { probeMember } from './probe.js';

/** Time and timers the scheduler uses; injectable so tests can drive time. */
export interface HealthClock {
  /** Milliseconds, in the same time base as the `now` given to the balancer engine. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HealthCheckOptions {
  /** Where transitions (out of rotation, back in) are reported, once each. */
  readonly logger: ProxyLogger;
  /** Default: `performance.timeOrigin + performance.now()` and Node's timers. */
  readonly clock?: HealthClock;
}

/** The health checks of one generation. */
export interface HealthChecks {
  /** The members being checked (those with a health check). */
  readonly members: readonly MemberState[];
  /**
   * Starts checking a member added while the generation runs (the balancer manager's new
   * member), spread over its first interval like the others. A member without a health check,
   * or already checked, is left as it is.
   */
  add(member: MemberState): void;
  /** Clears every timer and aborts every check in flight; their results are dropped. Idempotent. */
  stop(): void;
}

const SYSTEM_CLOCK: HealthClock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Node's timers fire at once beyond this delay; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Where in its first interval a member is first checked: a hash of its key as a fraction.
 * FNV-1a, then murmur3's finaliser: keys often differ only in their last characters
 * (`/m1`, `/m2`), which FNV alone leaves in the low bits.
 */
function firstOffset(key: string, intervalMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return Math.floor(((h >>> 0) / 2 ** 32) * intervalMs);
}

function describe(member: MemberState): string {
  return `member ${member.member.url.href} of balancer '${member.member.balancer}'`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

class Scheduler implements HealthChecks {
  readonly members: MemberState[] = [];
  readonly #clock: HealthClock;
  readonly #logger: ProxyLogger;
  readonly #timers = new Map<MemberState, unknown>();
  readonly #inFlight = new Set<AbortController>();
  #stopped = false;

  constructor(balancers: readonly LiveBalancer[], opts: HealthCheckOptions) {
    this.#clock = opts.clock ?? SYSTEM_CLOCK;
    this.#logger = opts.logger;
    for (const member of balancers.flatMap((b) => b.members)) this.#watch(member);
  }

  add(member: MemberState): void {
    if (!this.#stopped && !this.members.includes(member)) this.#watch(member);
  }

  stop(): void {
    this.#stopped = true;
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
  }

  #watch(member: MemberState): void {
    const check = member.member.healthCheck;
    if (!check) {
      if (forgetHealth(member))
        this.#logger.info(`health check removed from ${describe(member)}: flag C cleared`);
      return;
    }
    this.members.push(member);
    // A member kept across a reload goes on from its last check; a new one starts spread out.
    const now = this.#clock.now();
    const last = healthOf(member)?.lastCheck ?? 0;
    const due =
      last > 0 ? Math.max(last + check.intervalMs, now) : now + firstOffset(member.key, check.intervalMs);
    this.#arm(member, due);
  }

  #arm(member: MemberState, due: number): void {
    const delay = Math.min(Math.max(due - this.#clock.now(), 0), MAX_TIMER_MS);
    this.#timers.set(
      member,
      this.#clock.setTimeout(() => this.#fire(member, due), delay),
    );
  }

  #fire(member: MemberState, due: number): void {
    this.#timers.delete(member);
    const check = member.member.healthCheck;
    if (this.#stopped || !check) return;
    const now = this.#clock.now();
    // Apache skips stopped members; they are looked at again an interval later.
    const later = now < due ? due : member.flags.has('S') ? now + check.intervalMs : undefined;
    if (later !== undefined) {
      this.#arm(member, later);
      return;
    }
    const controller = new AbortController();
    this.#inFlight.add(controller);
    void probeMember(member.member, check, controller.signal).then((result) => {
      this.#inFlight.delete(controller);
      if (this.#stopped) return;
      const end = this.#clock.now();
      const transition = recordCheck(member, result, end);
      if (transition) this.#report(member, transition);
      this.#arm(member, end + check.intervalMs);
    });
  }

  #report(member: MemberState, t: HealthTransition): void {
    if (t.type === 'down') {
      this.#logger.warn(
        `health check: ${describe(member)} failed ${plural(t.fails, 'check')} in a row (${t.reason}): out of rotation (C)`,
      );
    } else {
      const cleared =
        t.cleared.length === 2
          ? 'flags C and E cleared'
          : t.cleared[0] === 'C'
            ? 'flag C cleared'
            : 'error state (E) cleared';
      // A member also disabled or stopped (D, S) stays out; say so rather than "back".
      this.#logger.info(
        `health check: ${describe(member)} passed ${plural(t.passes, 'check')} in a row: ${cleared}` +
          (isUsable(member) ? ', back in rotation' : ''),
      );
    }
  }
}

/**
 * Starts the health checks of every member that has one (`healthCheck` on the balancer or the
 * member), for one config generation. Members kept across a reload carry their health state and
 * go on from their last check. Call `stop()` when the generation is retired and when the proxy
 * closes: no timer or socket is left behind.
 * @example
 * const checks = startHealthChecks(generation.balancers, { logger });
 * // on reload: checks.stop(); then start the new generation's checks
 */
export function startHealthChecks(
  balancers: readonly LiveBalancer[],
  opts: HealthCheckOptions,
): HealthChecks {
  return new Scheduler(balancers, opts);
}
