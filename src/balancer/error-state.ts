/**
 * How members enter error state (`E`) and how the whole balancer recovers from it: Apache's
 * `ap_proxy_connect_backend`, `proxy_handler`, `proxy_balancer_post_request` and
 * `force_recovery`.
 */
import type { CompiledBalancer } from '../config/types.js';
import { isUsable, retryMember } from './member-state.js';
import type { AttemptOutcome, MemberState } from './types.js';

/**
 * Records how one attempt ended. A connect failure puts the member in error (unless it ignores
 * errors, `I`). Any other end means a connection was made, which resets the error clock
 * (`errorTime`, `retries`) as Apache's successful connect does; then a final status listed in
 * `failonstatus`, a timeout with `failontimeout`, or a 500 from a broken exchange puts the member
 * in error, never one with `I`.
 */
export function recordOutcome(
  m: MemberState,
  outcome: AttemptOutcome,
  balancer: CompiledBalancer,
  now: number,
): void {
  const ignoresErrors = m.flags.has('I');
  if (outcome.type === 'connect-failed') {
    m.errors++;
    m.lastError = outcome.reason;
    // ap_proxy_connect_backend resets the clock unless it is the one putting the member in error...
    if (ignoresErrors || !isUsable(m)) {
      m.errorTime = 0;
      m.retries = 0;
    }
    // ...and proxy_handler puts any member that does not ignore errors in error on the 503.
    if (!ignoresErrors) {
      m.flags.add('E');
      m.errorTime = now;
    }
    return;
  }
  m.errorTime = 0;
  m.retries = 0;
  const status =
    outcome.type === 'response'
      ? outcome.status
      : (outcome.status ?? (outcome.type === 'timeout' ? 504 : 502));
  let reason = outcome.type === 'failed' ? outcome.reason : undefined;
  let inError = false;
  if (!ignoresErrors) {
    if (outcome.type === 'failed' && status === 500) inError = true;
    if (outcome.type === 'timeout' && balancer.failontimeout) {
      inError = true;
      reason = 'timed out (failontimeout)';
    }
    if (balancer.failonstatus.has(status)) {
      inError = true;
      reason = `answered ${status}, listed in failonstatus`;
    }
  }
  if (inError) {
    m.flags.add('E');
    m.errorTime = now;
  }
  if (reason !== undefined) {
    m.errors++;
    m.lastError = reason;
  }
}

/**
 * Apache's `force_recovery`, run before every selection: if every member is in error (after
 * retrying each in turn) and `forcerecovery` is on, all leave error state at once, each counting
 * a retry. Only `E` counts: members merely disabled or failing health checks do not trigger it.
 */
export function forceRecovery(members: readonly MemberState[], forcerecovery: boolean, now: number): void {
  for (const m of members) {
    if (!m.flags.has('E')) return;
    retryMember(m, now);
    if (!m.flags.has('E')) return;
  }
  if (!forcerecovery) return;
  for (const m of members) {
    m.retries++;
    m.flags.delete('E');
  }
}

/**
 * The test closing Apache's attempt loop (`while (!usable(worker) && maxattempts > attempts++)`,
 * reached only after a proxy-generated 503): `tries` counts attempts made so far, this one
 * included, so a request makes at most `maxattempts + 1` attempts.
 */
export function failsOver(
  usableNow: boolean,
  outcome: AttemptOutcome,
  tries: number,
  maxattempts: number,
): boolean {
  return outcome.type === 'connect-failed' && !usableNow && tries <= maxattempts;
}
