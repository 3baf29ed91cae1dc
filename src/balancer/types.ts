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
  | {
      readonly ok: false;
      readonly status: 503;
      readonly reason: string;
      /**
       * `TSXP_NO_USABLE_MEMBER`: nothing could be chosen (Apache's "All workers are in error
       * state"); the balancer `timeout` wait applies (see `LiveBalancer.beginWait`).
       * `TSXP_STICKY_ROUTE_UNUSABLE`: `nofailover` and the request's route names a member that
       * cannot take it; answered at once, no wait.
       */
      readonly code: 'TSXP_NO_USABLE_MEMBER' | 'TSXP_STICKY_ROUTE_UNUSABLE';
      /** Sticky route extracted from the request, if any. */
      readonly stickyRoute: string | undefined;
    };

/** How one attempt on a member ended, as the data path reports it. */
export type AttemptOutcome =
  /** Could not connect, or the pool could not give a connection (Apache: proxy-generated 503). */
  | { readonly type: 'connect-failed'; readonly reason: string }
  /** The member answered with a status (any status; failonstatus is applied). */
  | { readonly type: 'response'; readonly status: number }
  /**
   * Reading the member's response timed out (failontimeout is applied). `status` is what the
   * client is answered (default 504); failonstatus is matched against it, as Apache matches the
   * final `r->status`.
   */
  | { readonly type: 'timeout'; readonly status?: number }
  /**
   * The connection broke or the response was invalid. `status` is what the client is answered
   * (default 502); failonstatus is matched against it, and 500 puts the member in error as
   * Apache's proxy_handler does for an unrecoverable 500.
   */
  | { readonly type: 'failed'; readonly reason: string; readonly status?: number };

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
  /**
   * Records how an attempt ended (error state entry, counters): a connect failure at once, an
   * answer when its status is known, a timeout when it fires.
   */
  outcome(member: MemberState, outcome: AttemptOutcome, now: number): void;
  /**
   * The attempt's exchange is over: busy − 1, bytes added (for bytraffic). Apache releases every
   * member a request was given, failed attempts included, when the whole request ends.
   */
  release(member: MemberState, bytes: { readonly transferred: number; readonly read: number }): void;
  /** Whether the member can take a request now (Apache's PROXY_WORKER_IS_USABLE). */
  usable(member: MemberState): boolean;
  /**
   * Apache's failover test after an attempt (`proxy_handler`: only a proxy-generated 503 loops,
   * `while (!usable(worker) && maxattempts > attempts++)`): true when the attempt failed to
   * connect, the member is now unusable, and `tries` (attempts made so far for this request,
   * this one included) is at most `config.maxattempts`.
   */
  shouldRetry(member: MemberState, outcome: AttemptOutcome, tries: number): boolean;
  /**
   * Starts the balancer `timeout` wait after a `TSXP_NO_USABLE_MEMBER` selection: the poll plan,
   * or undefined when there is nothing to wait for (timeout 0, or another request is already
   * waiting: Apache zeroes the timeout while one request waits). Call `end()` when done.
   */
  beginWait(): BalancerWait | undefined;
  /**
   * One poll during the wait: the lbmethod only, as Apache's `find_best_worker` retries it
   * (no forcerecovery, no sticky lookup). Counts the member elected and busy.
   */
  poll(req: BalancerRequest, failed: Selection & { readonly ok: false }, now: number): Selection;
  /** Adds bytes as they flow to and from the member (Apache counts them while streaming). */
  addTraffic(member: MemberState, bytes: { readonly transferred: number; readonly read: number }): void;
  /**
   * Sets or clears a status flag as the balancer manager does: re-enabling an unusable member
   * resets the lbmethod before the next selection (Apache's `need_reset`). Health checks change
   * `C`/`E` in `member.flags` directly, since Apache's mod_proxy_hcheck resets nothing.
   */
  setFlag(member: MemberState, flag: StatusLetter, on: boolean): void;
  /**
   * Changes a member's lbfactor (loadfactor × 100) as Apache's manager does (`recalc_factors`):
   * every member's lbstatus becomes its lbfactor; a lone member is forced to 100.
   */
  setLbfactor(member: MemberState, lbfactor: number): void;
  /**
   * Changes balancer parameters at runtime (balancer manager). A new lbmethod is reset before the
   * next selection (Apache's `need_reset`).
   */
  configure(changes: BalancerChanges): void;
}

/** Balancer parameters the balancer manager may change at runtime. */
export type BalancerChanges = Partial<
  Pick<CompiledBalancer, 'lbmethod' | 'maxattempts' | 'nofailover' | 'sticky' | 'timeoutMs'>
>;

/** The poll plan of Apache's balancer `timeout` wait: sleep `stepMs`, poll, at most `polls` times. */
export interface WaitPlan {
  readonly stepMs: number;
  readonly polls: number;
}

/** A wait in progress; `end()` lets other requests wait again. */
export interface BalancerWait extends WaitPlan {
  end(): void;
}
