/**
 * Re-applying a balancer's journal to a new generation, under the precedence rule: a change
 * applies only while the config still has the value it overrode; otherwise the config wins and
 * the change is dropped (and said so).
 */
import { addMember } from '../balancer/runtime-changes.js';
import type { LiveBalancer, MemberState } from '../balancer/types.js';
import { IssueList } from '../config/issues.js';
import type { ProxyConfig } from '../config/types.js';
import { compileAddedMember } from './change-validation.js';
import {
  applyBalancerSetting,
  applyMemberSetting,
  BALANCER_FIELDS,
  balancerSettings,
  MANAGER_FLAGS,
  MEMBER_FIELDS,
  memberFlag,
  memberSetting,
  settingIsSane,
} from './fields.js';
import { describeSetting, settingValueText } from './format.js';
import type { BalancerJournal } from './journal-file.js';

/**
 * Re-applies one balancer's journal to its new live balancer, removing from `entry` what the
 * config now overrides; `states` holds the earlier live states of members added at runtime.
 * Returns the number of changes in force.
 */
export function restoreBalancer(
  entry: BalancerJournal,
  live: LiveBalancer,
  config: ProxyConfig,
  states: ReadonlyMap<string, MemberState>,
  drop: (line: string) => void,
): number {
  let applied = 0;
  const pristine = balancerSettings(config.balancers.get(live.name) ?? live.config);
  for (const field of BALANCER_FIELDS) {
    const change = entry.settings[field];
    if (!change) continue;
    const sane = settingIsSane(field, change.value);
    if (!sane || pristine[field] !== change.config) {
      drop(
        sane
          ? `balancer '${live.name}': the config now sets ${describeSetting(field, pristine[field])}; dropped the runtime change to ${settingValueText(field, change.value)}`
          : `balancer '${live.name}': ignored an invalid saved ${field} ${JSON.stringify(change.value)}`,
      );
      delete entry.settings[field];
      continue;
    }
    if (balancerSettings(live.config)[field] !== change.value)
      applyBalancerSetting(live, field, change.value);
    applied++;
  }

  entry.added = entry.added.filter((added) => {
    if (live.config.members.some((m) => m.url.href === added.url)) {
      drop(`balancer '${live.name}': the config now lists member ${added.url}; dropped the runtime addition`);
      return false;
    }
    if (live.members.some((m) => m.member.url.href === added.url)) return true;
    const issues = new IssueList();
    const member = compileAddedMember(live, added.url, added.params, config.timeoutMs, issues);
    if (!member || issues.errors.length > 0) {
      drop(`balancer '${live.name}': could not add member ${added.url} again: ${issues.errors[0]?.message}`);
      return false;
    }
    addMember(live, member, states.get(member.key));
    applied++;
    return true;
  });

  for (const [url, changes] of Object.entries(entry.members)) {
    const state = live.members.find((m) => m.member.url.href === url);
    if (!state) {
      drop(`balancer '${live.name}': member ${url} is no longer in the config; dropped its runtime changes`);
      delete entry.members[url];
      continue;
    }
    for (const field of MEMBER_FIELDS) {
      const change = changes.settings[field];
      if (!change) continue;
      const configured = memberSetting(state.member, field);
      const sane = settingIsSane(field, change.value);
      if (!sane || configured !== change.config) {
        drop(
          sane
            ? `balancer '${live.name}' member ${url}: the config now sets ${describeSetting(field, configured)}; dropped the runtime change to ${settingValueText(field, change.value)}`
            : `balancer '${live.name}' member ${url}: ignored an invalid saved ${field} ${JSON.stringify(change.value)}`,
        );
        delete changes.settings[field];
        continue;
      }
      if (memberSetting(state, field) !== change.value) applyMemberSetting(live, state, field, change.value);
      applied++;
    }
    for (const flag of MANAGER_FLAGS) {
      const change = changes.status[flag];
      if (!change) continue;
      const configured = memberFlag(state.member, flag);
      if (typeof change.value !== 'boolean' || configured !== change.config) {
        drop(
          `balancer '${live.name}' member ${url}: the config now ${configured ? 'sets' : 'clears'} flag ${flag}; dropped the runtime change`,
        );
        delete changes.status[flag];
        continue;
      }
      if (memberFlag(state, flag) !== change.value) live.setFlag(state, flag, change.value);
      applied++;
    }
  }
  return applied;
}
