/**
 * What the manager shows of balancers and members, as plain data: the JSON API returns it and
 * the page renders it, so both always say the same thing.
 */
import { isUsable } from '../balancer/member-state.js';
import { addedMembers } from '../balancer/runtime-changes.js';
import type { LiveBalancer, MemberState } from '../balancer/types.js';
import type { ProxyConfig } from '../config/types.js';
import { describeHealthCheck } from '../health/health-request.js';
import { healthOf } from '../health/health-state.js';
import { balancerSettings, type BalancerSettings, type ManagerFlag, type MemberField } from './fields.js';
import { statusLetters, statusWords } from './format.js';
import type { BalancerJournal, Override } from './journal.js';

/** A runtime change still in force: the value the config file has under it. */
export interface OverrideView {
  readonly config: unknown;
  readonly at: string;
}

export interface HealthView {
  /** The check, in words: `GET /health every 5s, timeout 5s, ...`. */
  readonly check: string;
  readonly method: string;
  readonly uri: string;
  readonly intervalMs: number;
  readonly passes: number;
  readonly fails: number;
  /** `failing` while `C` is set, `passing` after a passing check, `unknown` before any. */
  readonly state: 'passing' | 'failing' | 'unknown';
  /** ISO time of the last check's end, or null before the first. */
  readonly lastCheck: string | null;
  readonly lastResult: 'pass' | 'fail' | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  /** Passing checks in a row while down / failing ones while up (Apache's pcount / fcount). */
  readonly passCount: number;
  readonly failCount: number;
}

export interface MemberView {
  readonly index: number;
  readonly url: string;
  readonly route: string;
  readonly redirect: string;
  /** lbfactor / 100, as Apache shows it with `%.2f`. */
  readonly loadfactor: number;
  readonly lbfactor: number;
  readonly lbset: number;
  /** Apache's status string, e.g. `Init Dis`, `Init Stby Ok`. */
  readonly status: string;
  /** Flag letters, e.g. `D`, `HI`; empty when none. */
  readonly flags: string;
  readonly usable: boolean;
  /** Added at runtime (not in the config file). */
  readonly added: boolean;
  readonly health: HealthView | null;
  readonly elected: number;
  readonly busy: number;
  /** Apache's Load column (lbstatus). */
  readonly lbstatus: number;
  /** Bytes sent to the member (Apache's To). */
  readonly transferred: number;
  /** Bytes read from the member (Apache's From). */
  readonly read: number;
  readonly errors: number;
  readonly retries: number;
  /** ISO time the member last entered error state, or null. */
  readonly errorTime: string | null;
  readonly lastError: string | null;
  /** Runtime changes in force, by setting (`loadfactor`, `lbset`, `route`, `redirect`, `status.D`, ...). */
  readonly overrides: Readonly<Record<string, OverrideView>>;
}

export interface BalancerView {
  readonly name: string;
  readonly lbmethod: string;
  /** `COOKIE` or `COOKIE|param`, or null when sticky sessions are off. */
  readonly stickysession: string | null;
  readonly maxattempts: number;
  readonly nofailover: boolean;
  /** Balancer timeout in seconds. */
  readonly timeout: number;
  /** Member slots the manager may add (Apache's `growth`) and how many it has used. */
  readonly growth: number;
  readonly growthUsed: number;
  /** Routes that send traffic to this balancer. */
  readonly routes: readonly string[];
  /** The nonce that change requests to this balancer must carry. */
  readonly nonce: string;
  readonly overrides: Readonly<Record<string, OverrideView>>;
  readonly members: readonly MemberView[];
}

function iso(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString() : null;
}

/**
 * Runtime changes in force, named and valued as the API names settings: `loadfactor` (not
 * lbfactor ×100) and `timeout` in seconds; flags as `status.D`.
 */
function overridesOf(
  entries: Record<string, Override<unknown> | undefined>,
  prefix = '',
): Record<string, OverrideView> {
  const out: Record<string, OverrideView> = {};
  for (const [field, o] of Object.entries(entries)) {
    if (!o) continue;
    if (field === 'lbfactor') out.loadfactor = { config: (o.config as number) / 100, at: o.at };
    else if (field === 'timeoutMs') out.timeout = { config: (o.config as number) / 1000, at: o.at };
    else out[`${prefix}${field}`] = { config: o.config, at: o.at };
  }
  return out;
}

function healthView(state: MemberState): HealthView | null {
  const check = state.member.healthCheck;
  if (!check) return null;
  const h = healthOf(state);
  return {
    check: describeHealthCheck(state.member.url, check),
    method: check.method,
    uri: check.uri,
    intervalMs: check.intervalMs,
    passes: check.passes,
    fails: check.fails,
    state: state.flags.has('C') ? 'failing' : h?.lastResult ? 'passing' : 'unknown',
    lastCheck: iso(h?.lastCheck ?? 0),
    lastResult: h?.lastResult ?? null,
    lastStatus: h?.lastStatus ?? null,
    lastError: h?.lastError ?? null,
    passCount: h?.passCount ?? 0,
    failCount: h?.failCount ?? 0,
  };
}

/** One member as the manager shows it. */
export function memberView(live: LiveBalancer, state: MemberState, journal: BalancerJournal): MemberView {
  const changes = journal.members[state.member.url.href];
  const added = addedMembers(live);
  return {
    index: live.members.indexOf(state),
    url: state.member.url.href,
    route: state.route,
    redirect: state.redirect,
    loadfactor: Number((state.lbfactor / 100).toFixed(2)),
    lbfactor: state.lbfactor,
    lbset: state.lbset,
    status: statusWords(state),
    flags: statusLetters(state),
    usable: isUsable(state),
    added: added.includes(state),
    health: healthView(state),
    elected: state.elected,
    busy: state.busy,
    lbstatus: state.lbstatus,
    transferred: state.transferred,
    read: state.read,
    errors: state.errors,
    retries: state.retries,
    errorTime: iso(state.errorTime),
    lastError: state.lastError ?? null,
    overrides: changes
      ? {
          ...overridesOf(changes.settings as Record<MemberField, Override<unknown>>),
          ...overridesOf(changes.status as Record<ManagerFlag, Override<unknown>>, 'status.'),
        }
      : {},
  };
}

/** One balancer and its members as the manager shows them. */
export function balancerView(
  live: LiveBalancer,
  config: ProxyConfig,
  journal: BalancerJournal,
  nonce: string,
): BalancerView {
  const s: BalancerSettings = balancerSettings(live.config);
  return {
    name: live.name,
    lbmethod: s.lbmethod,
    stickysession: s.stickysession === '' ? null : s.stickysession,
    maxattempts: s.maxattempts,
    nofailover: s.nofailover,
    timeout: s.timeoutMs / 1000,
    growth: live.config.growth,
    growthUsed: addedMembers(live).length,
    routes: config.routes.flatMap((r) =>
      r.kind === 'proxy' && r.target.type === 'balancer' && r.target.balancer === live.name
        ? [`${r.label}${r.target.path ? ` → ${r.target.path}` : ''}`]
        : [],
    ),
    nonce,
    overrides: overridesOf(journal.settings as Record<string, Override<unknown>>),
    members: live.members.map((m) => memberView(live, m, journal)),
  };
}
