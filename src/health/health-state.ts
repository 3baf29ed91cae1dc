/**
 * The health-check state machine of one member (Apache's `hc_check`), pure: no socket, no timer,
 * time passed in. The scheduler feeds it probe results; `simulate` scenarios can feed it directly.
 *
 * Apache's rule, kept: a member that is down (`C` from checks, or `E` from passive errors) counts
 * passing checks, and `passes` of them clear both `C` and `E`; a member that is up counts failing
 * checks (each also stamps its error time), and `fails` of them set `C`.
 * Deliberate deviation: Apache's counters are cumulative (never reset by the opposite result,
 * although its docs say "back-to-back"); here they count results in a row, as the docs say.
 */
import type { MemberState } from '../balancer/types.js';

/** Health-check bookkeeping of one member, as the manager and `simulate` read it. */
export interface HealthState {
  /** Passing checks in a row while the member is down (Apache's `pcount`, consecutive here). */
  passCount: number;
  /** Failing checks in a row while the member is up (Apache's `fcount`, consecutive here). */
  failCount: number;
  /** Checks completed since the member was first checked. */
  checks: number;
  /** When the last check ended (ms; Apache's `updated`), 0 before the first. */
  lastCheck: number;
  /** How long the last check took (ms). */
  lastDurationMs: number;
  lastResult: 'pass' | 'fail' | undefined;
  /** HTTP status of the last check, when it got a response. */
  lastStatus: number | undefined;
  /** Why the last failing check failed; kept until a check passes. */
  lastError: string | undefined;
}

/** One check's outcome, as a probe reports it. */
export interface CheckResult {
  readonly ok: boolean;
  /** HTTP status, when a response was read. */
  readonly status?: number | undefined;
  /** Why the check failed. */
  readonly error?: string | undefined;
  /** How long the check took (ms). */
  readonly durationMs?: number | undefined;
}

/** A change of rotation caused by one check: logged once, when it happens. */
export type HealthTransition =
  /** `fails` checks in a row failed: `C` set, the member leaves rotation. */
  | { readonly type: 'down'; readonly fails: number; readonly reason: string }
  /** `passes` checks in a row passed: `C` and `E` cleared (`cleared` says which were set). */
  | { readonly type: 'up'; readonly passes: number; readonly cleared: readonly ('C' | 'E')[] };

// Keyed by the live member object, which the engine carries across reloads for members that stay
// (`carryMemberState`), so health state survives a reload and is dropped with the member.
const states = new WeakMap<MemberState, HealthState>();

/**
 * The member's health-check state, or undefined when it was never checked.
 * @example const h = healthOf(member); if (h) console.log(`${h.passCount}/${h.failCount}`, h.lastError);
 */
export function healthOf(member: MemberState): HealthState | undefined {
  return states.get(member);
}

function stateOf(member: MemberState): HealthState {
  let state = states.get(member);
  if (!state) {
    state = {
      passCount: 0,
      failCount: 0,
      checks: 0,
      lastCheck: 0,
      lastDurationMs: 0,
      lastResult: undefined,
      lastStatus: undefined,
      lastError: undefined,
    };
    states.set(member, state);
  }
  return state;
}

/**
 * Records one check of a member at `now` (ms, the end of the check) and applies its effect on the
 * member's flags; returns the transition when the member leaves or re-enters rotation. Thresholds
 * come from the member's compiled health check (1 and 1 when it has none).
 * @example
 * const t = recordCheck(member, { ok: false, error: 'HTTP 500' }, now);
 * if (t?.type === 'down') log(`${member.member.url.href} out of rotation`);
 */
export function recordCheck(
  member: MemberState,
  result: CheckResult,
  now: number,
): HealthTransition | undefined {
  const state = stateOf(member);
  const check = member.member.healthCheck;
  state.checks++;
  state.lastCheck = now;
  state.lastDurationMs = result.durationMs ?? 0;
  state.lastResult = result.ok ? 'pass' : 'fail';
  state.lastStatus = result.status;
  if (result.ok) state.lastError = undefined;
  else state.lastError = result.error ?? 'health check failed';

  const down = member.flags.has('C') || member.flags.has('E');
  if (down) {
    state.failCount = 0;
    if (!result.ok) {
      state.passCount = 0;
      return undefined;
    }
    state.passCount++;
    const passes = check?.passes ?? 1;
    if (state.passCount < passes) return undefined;
    state.passCount = 0;
    const cleared = (['C', 'E'] as const).filter((flag) => member.flags.delete(flag));
    return { type: 'up', passes, cleared };
  }

  state.passCount = 0;
  if (result.ok) {
    state.failCount = 0;
    return undefined;
  }
  // Apache stamps the error time on every failed check of a member still in rotation.
  member.errorTime = now;
  state.failCount++;
  const fails = check?.fails ?? 1;
  if (state.failCount < fails) return undefined;
  state.failCount = 0;
  member.flags.add('C');
  return { type: 'down', fails, reason: state.lastError ?? 'health check failed' };
}

/**
 * Forgets the health state of a member whose health check was removed (by a reload): its `C`
 * flag is cleared too, since no check would ever clear it. Returns whether `C` was cleared.
 */
export function forgetHealth(member: MemberState): boolean {
  if (!states.delete(member)) return false;
  return member.flags.delete('C');
}
