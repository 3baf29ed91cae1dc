/**
 * Applies validated change plans to a live balancer, records them in the journal and says what
 * changed, in words, for the log line and the response.
 */
import { addMember } from '../balancer/runtime-changes.js';
import type { LiveBalancer } from '../balancer/types.js';
import type { CompiledBalancer } from '../config/types.js';
import type { ChangePlan } from './change-validation.js';
import {
  applyBalancerSetting,
  applyMemberSetting,
  type BalancerField,
  balancerSettings,
  FLAG_NAMES,
  type ManagerFlag,
  type MemberField,
  memberFlag,
  memberSetting,
} from './fields.js';
import { describeChange } from './format.js';
import type { ManagerContext } from './types.js';

/**
 * Flags the journal does not keep: `C` (failed health check) is health state, which the
 * health checks set and clear; a saved `C` would outlive the check that cleared it.
 */
const TRANSIENT: ReadonlySet<ManagerFlag> = new Set(['C']);

/**
 * Applies every plan (all validated beforehand, so either all apply or none was attempted).
 * `pristine` is the balancer as the config file has it: the values changes override.
 * Returns one phrase per real change, e.g. `lbmethod byrequests → bytraffic`.
 */
export function applyPlans(
  live: LiveBalancer,
  plans: readonly ChangePlan[],
  pristine: CompiledBalancer,
  ctx: Pick<ManagerContext, 'journal' | 'memberAdded'>,
): string[] {
  const { journal } = ctx;
  const done: string[] = [];
  const configured = balancerSettings(pristine);
  for (const plan of plans) {
    if (plan.kind === 'balancer') {
      for (const [field, value] of Object.entries(plan.settings) as [BalancerField, never][]) {
        const before = balancerSettings(live.config)[field];
        if (before !== value) {
          applyBalancerSetting(live, field, value);
          done.push(describeChange(field, before, value));
        }
        journal.setBalancer(live.name, field, value, configured[field]);
      }
    } else if (plan.kind === 'member') {
      const { state } = plan;
      const url = state.member.url.href;
      const phrases: string[] = [];
      for (const [field, value] of Object.entries(plan.settings) as [MemberField, never][]) {
        const before = memberSetting(state, field);
        // Apache recalculates every member's lbstatus whenever a loadfactor is submitted.
        if (before !== value || field === 'lbfactor') applyMemberSetting(live, state, field, value);
        if (before !== value) {
          phrases.push(describeChange(field, before, value));
        }
        journal.setMember(live.name, url, field, value, memberSetting(state.member, field));
      }
      for (const [flag, on] of Object.entries(plan.flags) as [ManagerFlag, boolean][]) {
        if (memberFlag(state, flag) !== on) {
          live.setFlag(state, flag, on);
          phrases.push(`${on ? '+' : '-'}${flag} (${on ? '' : 'not '}${FLAG_NAMES[flag]})`);
        }
        if (!TRANSIENT.has(flag)) journal.setFlag(live.name, url, flag, on, memberFlag(state.member, flag));
      }
      if (phrases.length > 0) done.push(`member ${url}: ${phrases.join(', ')}`);
    } else {
      const state = addMember(live, plan.member);
      journal.addMember(live.name, plan.member.url.href, plan.params, state);
      ctx.memberAdded(state);
      const flags = [...state.flags].join('');
      done.push(`added member ${plan.member.url.href}${flags ? ` (status ${flags})` : ''}`);
    }
  }
  return done;
}
