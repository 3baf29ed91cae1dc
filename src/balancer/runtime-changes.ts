/**
 * Runtime changes the `LiveBalancer` contract has no method for: adding a member, as Apache's
 * balancer manager does into a `growth` slot (`b_wyes` + `b_nwrkr`).
 */
import type { CompiledMember } from '../config/types.js';
import { carryMemberState, createMemberState } from './member-state.js';
import type { LiveBalancer, MemberState } from './types.js';

/**
 * Appends a member to a live balancer and returns its state. `previous` (the member's state in
 * an earlier generation, same key) keeps its counters across a reload. The caller checks the
 * `growth` bound and that the URL is new; the data path must find the member's pool by its key
 * the first time it is chosen, as for any member.
 * @example addMember(live, compiledMember).flags.has('D') // true when compiled with status 'D'
 */
export function addMember(
  balancer: LiveBalancer,
  member: CompiledMember,
  previous?: MemberState,
): MemberState {
  const state = previous ? carryMemberState(previous, member) : createMemberState(member);
  // `members` is readonly to the data path only; the engine keeps it as a plain array it re-reads
  // on every selection, so an appended member takes part from the next request on.
  (balancer.members as MemberState[]).push(state);
  return state;
}

/** Members a balancer has that its compiled config does not list (added at runtime). */
export function addedMembers(balancer: LiveBalancer): MemberState[] {
  const configured = new Set(balancer.config.members.map((m) => m.key));
  return balancer.members.filter((m) => !configured.has(m.key));
}
