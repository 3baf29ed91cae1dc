import type { CompiledRoute, ProxyConfig } from '../config/types.js';
import { count } from './table.js';

function routeKey(r: CompiledRoute): string {
  return `${r.label} ${[...(r.methods ?? [])].join(',')} ${(r.hosts ?? []).join(',')}`;
}

/** What a route does, so that "changed" means a different target or settings. */
function routeValue(r: CompiledRoute): string {
  if (r.kind === 'deny') return 'deny';
  if (r.kind === 'manager') return JSON.stringify(['manager', r.allow]);
  const target =
    r.target.type === 'url' ? r.target.url.href : `balancer://${r.target.balancer}${r.target.path}`;
  return JSON.stringify([target, r.reverse, r.preserveHost, r.timeoutMs, r.nocanon]);
}

/** Member settings by key (balancer and URL, the key member state is carried by). */
function members(config: ProxyConfig): Map<string, string> {
  return new Map(
    [...config.balancers.values()].flatMap((b) =>
      b.members.map((m) => {
        const { key, index, site, status, healthCheck, url, ...settings } = m;
        const value = JSON.stringify([
          settings,
          [...status].sort(),
          healthCheck && { ...healthCheck, expect: String(healthCheck.expect) },
        ]);
        return [key, value] as const;
      }),
    ),
  );
}

/** Balancer parameters by name (members aside). */
function balancers(config: ProxyConfig): Map<string, string> {
  return new Map(
    [...config.balancers.values()].map((b) => {
      const { members: _m, site: _s, failonstatus, healthCheck, ...params } = b;
      return [
        b.name,
        JSON.stringify([
          params,
          [...failonstatus],
          healthCheck && { ...healthCheck, expect: String(healthCheck.expect) },
        ]),
      ];
    }),
  );
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k));
}

/**
 * One line saying what a reload changed: routes added, removed or changed, balancer members
 * added, removed or changed (by balancer and URL, the key member state is carried by), and
 * balancers whose parameters changed.
 */
export function describeChanges(before: ProxyConfig, after: ProxyConfig): string {
  const old = new Map(before.routes.map((r) => [routeKey(r), routeValue(r)]));
  const now = new Map(after.routes.map((r) => [routeKey(r), routeValue(r)]));
  const added = [...now.keys()].filter((k) => !old.has(k));
  const removed = [...old.keys()].filter((k) => !now.has(k));
  const changed = [...now.keys()].filter((k) => old.has(k) && old.get(k) !== now.get(k));
  const oldMembers = members(before);
  const newMembers = members(after);
  const membersAdded = [...newMembers.keys()].filter((k) => !oldMembers.has(k));
  const membersRemoved = [...oldMembers.keys()].filter((k) => !newMembers.has(k));
  const membersChanged = changedKeys(oldMembers, newMembers);
  const balancersChanged = changedKeys(balancers(before), balancers(after));
  const parts: string[] = [];
  if (added.length)
    parts.push(`${count(added.length, 'route')} added (${added.map((k) => k.trim()).join(', ')})`);
  if (removed.length)
    parts.push(`${count(removed.length, 'route')} removed (${removed.map((k) => k.trim()).join(', ')})`);
  if (changed.length)
    parts.push(`${count(changed.length, 'route')} changed (${changed.map((k) => k.trim()).join(', ')})`);
  if (membersAdded.length)
    parts.push(`${count(membersAdded.length, 'member')} added (${membersAdded.join(', ')})`);
  if (membersRemoved.length) {
    parts.push(`${count(membersRemoved.length, 'member')} removed (${membersRemoved.join(', ')})`);
  }
  if (membersChanged.length)
    parts.push(`${count(membersChanged.length, 'member')} changed (${membersChanged.join(', ')})`);
  if (balancersChanged.length)
    parts.push(`${count(balancersChanged.length, 'balancer')} changed (${balancersChanged.join(', ')})`);
  return parts.length ? parts.join('; ') : 'no route, balancer or member changes';
}
