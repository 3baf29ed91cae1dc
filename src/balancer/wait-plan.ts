import type { WaitPlan } from './types.js';

/**
 * The poll plan of Apache's balancer `timeout` (`find_best_worker`): when no member is usable,
 * sleep `timeout / 100` (integer microseconds, as Apache divides), look again, until `timeout`
 * has passed: 100 polls for any whole number of milliseconds. A zero timeout means no wait.
 * @example waitPlan(2000) // { stepMs: 20, polls: 100 }
 */
export function waitPlan(timeoutMs: number): WaitPlan {
  const timeoutUs = Math.round(timeoutMs * 1000);
  const stepUs = Math.floor(timeoutUs / 100);
  if (stepUs <= 0) return { stepMs: 0, polls: 0 };
  return { stepMs: stepUs / 1000, polls: Math.ceil(timeoutUs / stepUs) };
}
