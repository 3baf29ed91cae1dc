/**
 * The one interface a load-balancing method implements (Caddy's `Selector` idea): adding a
 * method is one file exporting an `LbMethodImpl` and one line in `./index.ts`.
 */
import type { LbMethod } from '../../dsl/params.js';
import type { CompiledBalancer } from '../../config/types.js';
import type { BalancerRequest, MemberState } from '../types.js';

/** What a method may look at besides the candidates. */
export interface PickContext {
  readonly request: BalancerRequest;
  readonly balancer: CompiledBalancer;
}

/** A load-balancing method (Apache's `proxy_balancer_method`). */
export interface LbMethodImpl {
  readonly name: LbMethod;
  /**
   * Chooses one of `candidates`, or undefined when there is none. Candidates are usable and in
   * the order Apache evaluates them (`proxy_balancer_get_best_worker`): the lbset's members in
   * config order, then the hot spares standing in for unusable ones; or, when there is neither,
   * the lbset's hot standbys. The method may update its own state on them (lbstatus); on a tie
   * it keeps the earlier candidate, as every Apache method does.
   */
  pick(candidates: readonly MemberState[], ctx: PickContext): MemberState | undefined;
  /** Apache's lbmethod `reset`, run when the method is switched at runtime. */
  reset(members: readonly MemberState[]): void;
}
