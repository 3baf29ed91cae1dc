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

function memberKeys(config: ProxyConfig): Set<string> {
  return new Set([...config.balancers.values()].flatMap((b) => b.members.map((m) => m.key)));
}

/**
 * One line saying what a reload changed: routes added, removed or changed, balancer members
 * added or removed (by balancer and URL, the key member state is carried by).
 */
export function describeChanges(before: ProxyConfig, after: ProxyConfig): string {
  const old = new Map(before.routes.map((r) => [routeKey(r), routeValue(r)]));
  const now = new Map(after.routes.map((r) => [routeKey(r), routeValue(r)]));
  const added = [...now.keys()].filter((k) => !old.has(k));
  const removed = [...old.keys()].filter((k) => !now.has(k));
  const changed = [...now.keys()].filter((k) => old.has(k) && old.get(k) !== now.get(k));
  const oldMembers = memberKeys(before);
  const newMembers = memberKeys(after);
  const membersAdded = [...newMembers].filter((k) => !oldMembers.has(k));
  const membersRemoved = [...oldMembers].filter((k) => !newMembers.has(k));
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
  return parts.length ? parts.join('; ') : 'no route or member changes';
}
