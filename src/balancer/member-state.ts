/**
 * Live member state and Apache's status rules: which flags make a member unusable, how the
 * manager shows them, and how error state is left (`ap_proxy_retry_worker`).
 */
import type { StatusLetter } from '../dsl/params.js';
import type { CompiledMember } from '../config/types.js';
import type { MemberState } from './types.js';

/** Flags that make a member unusable (Apache's PROXY_WORKER_NOT_USABLE_BITMAP, less `U` shutdown). */
const NOT_USABLE: readonly StatusLetter[] = ['D', 'S', 'E', 'C'];

/**
 * Manager display tokens in Apache's `proxy_wstat_tbl` order. `Init ` (set at startup for every
 * member) comes first; `Gen`, `Shut` and `Free` are internal to Apache and never set here.
 */
const DISPLAY: readonly (readonly [StatusLetter, string])[] = [
  ['I', 'Ign '],
  ['N', 'Drn '],
  ['D', 'Dis '],
  ['S', 'Stop '],
  ['E', 'Err '],
  ['H', 'Stby '],
  ['R', 'Spar '],
  ['C', 'HcFl '],
];

/**
 * Fresh live state of a member, counters at zero, settings from its compiled config.
 * @example const state = createMemberState(config.balancers.get('app')!.members[0]!);
 */
export function createMemberState(member: CompiledMember): MemberState {
  return {
    key: member.key,
    member,
    flags: new Set(member.status),
    lbfactor: member.lbfactor,
    lbset: member.lbset,
    route: member.route,
    redirect: member.redirect,
    lbstatus: 0,
    elected: 0,
    busy: 0,
    transferred: 0,
    read: 0,
    errors: 0,
    errorTime: 0,
    retries: 0,
    lastError: undefined,
  };
}

/**
 * Carries a member's state into a new config generation: counters and error state stay; a
 * setting (lbfactor, lbset, route, redirect, a status flag) takes the new config's value only
 * where the config changed it, so balancer-manager edits survive reloads that leave them alone.
 */
export function carryMemberState(state: MemberState, member: CompiledMember): MemberState {
  const before = state.member;
  if (member.lbfactor !== before.lbfactor) state.lbfactor = member.lbfactor;
  if (member.lbset !== before.lbset) state.lbset = member.lbset;
  if (member.route !== before.route) state.route = member.route;
  if (member.redirect !== before.redirect) state.redirect = member.redirect;
  for (const flag of new Set([...before.status, ...member.status])) {
    if (before.status.has(flag) === member.status.has(flag)) continue;
    if (member.status.has(flag)) state.flags.add(flag);
    else state.flags.delete(flag);
  }
  state.member = member;
  return state;
}

/** Apache's PROXY_WORKER_IS_USABLE: none of `D`, `S`, `E`, `C`. */
export function isUsable(state: MemberState): boolean {
  return !NOT_USABLE.some((flag) => state.flags.has(flag));
}

/**
 * Apache's `ap_proxy_retry_worker`: a member in error (`E`) leaves it when it ignores errors
 * (`I`) or once `now > errorTime + retry` (strict), counting a retry; a stopped member (`S`)
 * never does.
 */
export function retryMember(state: MemberState, now: number): void {
  if (!state.flags.has('E') || state.flags.has('S')) return;
  if (state.flags.has('I') || now > state.errorTime + state.member.retryMs) {
    state.retries++;
    state.flags.delete('E');
  }
}

/**
 * The member's status as Apache's balancer manager shows it (`ap_proxy_parse_wstatus`).
 * @example displayStatus(state) // 'Init Ok ', 'Init Dis ', 'Init Err ', 'Init Stby Ok '
 */
export function displayStatus(state: MemberState): string {
  let out = 'Init ';
  for (const [flag, token] of DISPLAY) if (state.flags.has(flag)) out += token;
  return isUsable(state) ? `${out}Ok ` : out;
}
