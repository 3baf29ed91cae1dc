/**
 * The balancer engine the data path drives: Apache's `proxy_balancer_pre_request` (force
 * recovery, sticky route, lbmethod), failover bookkeeping and the manager's runtime changes,
 * over live member state that survives config reloads.
 */
import type { StatusLetter } from '../dsl/params.js';
import type { CompiledBalancer } from '../config/types.js';
import { bestMember } from './best-member.js';
import { failsOver, forceRecovery, recordOutcome } from './error-state.js';
import { carryMemberState, createMemberState, isUsable } from './member-state.js';
import { LB_METHODS } from './methods/index.js';
import { sessionRoute } from './session-route.js';
import { countStickyHit, routeIsKnown, routeMember } from './sticky-member.js';
import type {
  AttemptOutcome,
  BalancerChanges,
  BalancerRequest,
  BalancerWait,
  LiveBalancer,
  MemberState,
  Selection,
} from './types.js';
import { waitPlan } from './wait-plan.js';

type Failure = Selection & { readonly ok: false };

class Balancer implements LiveBalancer {
  readonly name: string;
  readonly members: readonly MemberState[];
  #config: CompiledBalancer;
  /** Apache's `need_reset`: the lbmethod is reset before the next selection. */
  #needReset = false;
  /** Apache zeroes the balancer timeout while one request waits, so others do not. */
  #waiting = false;

  constructor(config: CompiledBalancer, states: ReadonlyMap<string, MemberState> | undefined) {
    this.name = config.name;
    this.#config = config;
    this.members = config.members.map((m) => {
      const previous = states?.get(m.key);
      return previous ? carryMemberState(previous, m) : createMemberState(m);
    });
  }

  get config(): CompiledBalancer {
    return this.#config;
  }

  select(req: BalancerRequest, now: number): Selection {
    if (this.#needReset) {
      LB_METHODS[this.#config.lbmethod].reset(this.members);
      this.#needReset = false;
    }
    forceRecovery(this.members, this.#config.forcerecovery, now);
    const route = sessionRoute(req, this.#config);
    if (route) {
      const routed = routeMember(this.members, route, now);
      if (routed) {
        countStickyHit(this.members, routed);
        return this.#chosen(routed, route, routed.route !== route);
      }
      if (this.#config.nofailover && routeIsKnown(this.members, route)) {
        return {
          ok: false,
          status: 503,
          code: 'TSXP_STICKY_ROUTE_UNUSABLE',
          reason: `balancer '${this.name}': every member for route '${route}' is unusable and nofailover is on`,
          stickyRoute: route,
        };
      }
    }
    return this.#balance(req, route, now);
  }

  poll(req: BalancerRequest, failed: Failure, now: number): Selection {
    return this.#balance(req, failed.stickyRoute, now);
  }

  #balance(req: BalancerRequest, route: string | undefined, now: number): Selection {
    const method = LB_METHODS[this.#config.lbmethod];
    const best = bestMember(this.members, method, { request: req, balancer: this.#config }, now);
    if (!best) {
      return {
        ok: false,
        status: 503,
        code: 'TSXP_NO_USABLE_MEMBER',
        reason:
          this.members.length > 0
            ? `balancer '${this.name}': no member is usable`
            : `balancer '${this.name}' has no members`,
        stickyRoute: route,
      };
    }
    // Apache flags a route change whenever a sticky balancer balances, route or not.
    return this.#chosen(best, route, this.#config.sticky !== undefined);
  }

  #chosen(member: MemberState, route: string | undefined, routeChanged: boolean): Selection {
    member.elected++;
    member.busy++;
    return { ok: true, member, stickyRoute: route, routeChanged };
  }

  outcome(member: MemberState, outcome: AttemptOutcome, now: number): void {
    recordOutcome(member, outcome, this.#config, now);
  }

  release(member: MemberState, bytes: { readonly transferred: number; readonly read: number }): void {
    if (member.busy > 0) member.busy--;
    this.addTraffic(member, bytes);
  }

  addTraffic(member: MemberState, bytes: { readonly transferred: number; readonly read: number }): void {
    member.transferred += bytes.transferred;
    member.read += bytes.read;
  }

  usable(member: MemberState): boolean {
    return isUsable(member);
  }

  shouldRetry(member: MemberState, outcome: AttemptOutcome, tries: number): boolean {
    return failsOver(isUsable(member), outcome, tries, this.#config.maxattempts);
  }

  beginWait(): BalancerWait | undefined {
    const plan = waitPlan(this.#config.timeoutMs);
    if (this.#waiting || plan.polls === 0) return undefined;
    this.#waiting = true;
    return {
      ...plan,
      end: () => {
        this.#waiting = false;
      },
    };
  }

  setFlag(member: MemberState, flag: StatusLetter, on: boolean): void {
    const wasUsable = isUsable(member);
    if (on) member.flags.add(flag);
    else member.flags.delete(flag);
    if (!wasUsable && isUsable(member)) this.#needReset = true;
  }

  setLbfactor(member: MemberState, lbfactor: number): void {
    member.lbfactor = lbfactor;
    if (this.members.length === 1) {
      member.lbfactor = 100;
      member.lbstatus = 100;
      return;
    }
    for (const m of this.members) m.lbstatus = m.lbfactor;
  }

  configure(changes: BalancerChanges): void {
    if (changes.lbmethod !== undefined && changes.lbmethod !== this.#config.lbmethod) this.#needReset = true;
    const next: Record<string, unknown> = { ...this.#config };
    // An explicit `sticky: undefined` turns stickiness off; other undefined values change nothing.
    for (const [key, value] of Object.entries(changes))
      if (value !== undefined || key === 'sticky') next[key] = value;
    this.#config = next as unknown as CompiledBalancer;
  }
}

/**
 * Builds the live balancer of a compiled balancer. Members whose key (`balancer|url`) is in
 * `states` keep that state object (counters, error state, runtime changes; see
 * `carryMemberState`), so a reload neither resets the balance nor forgets a member in error;
 * the others start fresh.
 * @example
 * const live = createLiveBalancer(config.balancers.get('app')!, previousStates);
 * const sel = live.select(request, performance.timeOrigin + performance.now());
 */
export function createLiveBalancer(
  config: CompiledBalancer,
  states?: ReadonlyMap<string, MemberState>,
): LiveBalancer {
  return new Balancer(config, states);
}
