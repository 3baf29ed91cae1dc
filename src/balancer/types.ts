/**
 * The contract between the pure balancer engine and the data path (src/proxy). Pure: time is
 * always passed in (`now`, milliseconds), nothing here touches a socket or a timer.
 */
import type { StatusLetter } from '../dsl/params.js';
import type { CompiledBalancer, CompiledMember } from '../config/types.js';

/**
 * Live state of one member, keyed by `member.key` (balancer name + URL) so it survives reloads.
 * Fields the balancer manager may change at runtime (lbfactor, lbset, route, redirect, flags)
 * live here, not in the compiled config.
 */
export interface MemberState {
  readonly key: string;
  /** Current compiled settings of the member (replaced on reload). */
  member: CompiledMember;
  flags: Set<StatusLetter>;
  /** Apache's lbfactor (loadfactor × 100). */
  lbfactor: number;
  lbset: number;
  route: string;
  redirect: string;
  /** Apache's lbstatus (byrequests / bybusyness running score). */
  lbstatus: number;
  /** Times chosen (Apache's `elected`). */
  elected: number;
  /** Requests in flight (Apache's `busy`). */
  busy: number;
  /** Bytes sent to the member (Apache's `transferred`). */
  transferred: number;
  /** Bytes read from the member: status line + body (Apache's `read`). */
  read: number;
  /** Errors seen (connect failures, failonstatus, failontimeout). */
  errors: number;
  /** When the member last entered error state (ms), 0 when never. */
  errorTime: number;
  /** Times the member was retried out of error state. */
  retries: number;
  lastError: string | undefined;
}

/** What the balancer needs to know of a request. */
export interface BalancerRequest {
  readonly method: string;
  /** The balancer URL path and query as Apache sees it for sticky URL parameters. */
  readonly url: string;
  /** Raw `Cookie` header, if any. */
  readonly cookie: string | undefined;
  /** Client IP address. */
  readonly clientIp: string;
  /** Request header lookup (lower-case name). */
  header(name: string): string | undefined;
}

export type Selection =
  | {
      readonly ok: true;
      readonly member: MemberState;
      /** Sticky route extracted from the request, if any (even when no member matched it). */
      readonly stickyRoute: string | undefined;
      /** Apache's BALANCER_ROUTE_CHANGED: the request did not go to the member its route named. */
      readonly routeChanged: boolean;
    }
  | { readonly ok: false; readonly status: 503; readonly reason: string };

/** How one attempt on a member ended, as the data path reports it. */
export type AttemptOutcome =
  /** Could not connect, or the pool could not give a connection (Apache: proxy-generated 503). */
  | { readonly type: 'connect-failed'; readonly reason: string }
  /** The member answered with a status (any status; failonstatus is applied). */
  | { readonly type: 'response'; readonly status: number }
  /** Reading the member's response timed out (failontimeout is applied). */
  | { readonly type: 'timeout' }
  /** The connection broke or the response was invalid. */
  | { readonly type: 'failed'; readonly reason: string };

/** A balancer as the data path drives it. */
export interface LiveBalancer {
  readonly name: string;
  /** Current parameters (the manager may change some at runtime). */
  readonly config: CompiledBalancer;
  readonly members: readonly MemberState[];
  /**
   * Chooses a member for one attempt (forcerecovery, sticky route, lbset tiers, spares,
   * standbys, lbmethod), counts it elected and busy. Called again for each failover attempt.
   */
  select(req: BalancerRequest, now: number): Selection;
  /** Records how an attempt ended (error state entry, counters). */
  outcome(member: MemberState, outcome: AttemptOutcome, now: number): void;
  /** The attempt's exchange is over: busy − 1, bytes added (for bytraffic). */
  release(member: MemberState, bytes: { readonly transferred: number; readonly read: number }): void;
  /** Whether the member can take a request now (Apache's PROXY_WORKER_IS_USABLE). */
  usable(member: MemberState): boolean;
}
