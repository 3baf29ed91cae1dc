/**
 * Turns a change request into a plan, checked by the config's own rules: the request's values
 * are compiled as a member or balancer spec would be (same ranges, truncation, messages and
 * codes), so nothing the config file would refuse can be set at runtime.
 */
import { addedMembers } from '../balancer/runtime-changes.js';
import type { LiveBalancer, MemberState } from '../balancer/types.js';
import { compileBalancer } from '../config/compile-balancer.js';
import { compileMember } from '../config/compile-member.js';
import { checkKnownKeys, IssueList } from '../config/issues.js';
import { applyStatus } from '../config/status-flags.js';
import type { CompiledMember } from '../config/types.js';
import { parseUpstreamUrl } from '../config/upstream-url.js';
import type { BalancerParams, MemberParams } from '../dsl/params.js';
import { ManagerError, managerIssue, refuse } from './errors.js';
import {
  type BalancerSettings,
  balancerSettings,
  MANAGER_FLAGS,
  type ManagerFlag,
  type MemberSettings,
} from './fields.js';

/** Apache's manager accepts a balancer timeout of 0..7200 s (`b_tmo`). */
const MAX_BALANCER_TIMEOUT_MS = 7_200_000;

/** Settings a member is added with (Apache adds it disabled; `status` is applied after `D`). */
export interface AddParams {
  readonly loadfactor?: number;
  readonly lbset?: number;
  readonly route?: string;
  readonly redirect?: string;
  readonly status?: string;
}

/** A validated change, ready to apply. */
export type ChangePlan =
  | { readonly kind: 'balancer'; readonly settings: Partial<BalancerSettings> }
  | {
      readonly kind: 'member';
      readonly state: MemberState;
      readonly settings: Partial<MemberSettings>;
      readonly flags: Partial<Record<ManagerFlag, boolean>>;
    }
  | { readonly kind: 'add'; readonly member: CompiledMember; readonly params: AddParams };

/** Whether a plan changes nothing (a request that named no setting). */
export function planIsEmpty(plan: ChangePlan): boolean {
  if (plan.kind === 'add') return false;
  return (
    Object.keys(plan.settings).length === 0 &&
    (plan.kind === 'balancer' || Object.keys(plan.flags).length === 0)
  );
}

/** Request fields, from a JSON object or a form (strings). */
export type Input = Readonly<Record<string, unknown>>;

const BALANCER_INPUT = ['lbmethod', 'maxattempts', 'nofailover', 'stickysession', 'timeout'] as const;
const MEMBER_INPUT = ['loadfactor', 'lbset', 'route', 'redirect', 'status'] as const;
const ADD_INPUT = ['url', ...MEMBER_INPUT] as const;

/** Form values are strings: numbers and booleans are read from them; anything else is left for the rules to reject. */
function asNumber(value: unknown): unknown {
  return typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

function asBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'on' || v === 'true') return true;
  if (v === '0' || v === 'off' || v === 'false') return false;
  return value;
}

function fail(issues: IssueList): never {
  throw new ManagerError(400, issues.errors);
}

function present<K extends string>(input: Input, keys: readonly K[]): K[] {
  return keys.filter((k) => input[k] !== undefined);
}

function memberPath(live: LiveBalancer, index: number): string {
  return `balancers.${live.name}.members[${index}]`;
}

/**
 * Balancer settings from a request (`lbmethod`, `maxattempts`, `nofailover`, `stickysession`
 * — `''` or null turns it off —, `timeout` in seconds or with a unit, at most 7200 s).
 */
export function planBalancerChange(live: LiveBalancer, input: Input): ChangePlan {
  const issues = new IssueList();
  const path = `balancers.${live.name}`;
  checkKnownKeys(issues, input, BALANCER_INPUT, path, 'balancer change');
  const timeout = asNumber(input.timeout);
  const params: Record<string, unknown> = {
    lbmethod: input.lbmethod,
    maxattempts: asNumber(input.maxattempts),
    nofailover: asBoolean(input.nofailover),
    stickysession: input.stickysession === null ? '' : input.stickysession,
    timeout,
  };
  const compiled = compileBalancer(
    {
      kind: 'balancer',
      name: live.name,
      members: [],
      params: params as BalancerParams,
      healthCheck: undefined,
      site: undefined,
    },
    path,
    0,
    issues,
  );
  if (compiled.timeoutMs > MAX_BALANCER_TIMEOUT_MS) {
    issues.error(
      'TSXP_BAD_VALUE',
      `${path}.timeout`,
      `balancer '${live.name}': timeout ${JSON.stringify(timeout)} is outside 0..7200 seconds`,
      'use a number of seconds from 0 (no wait) to 7200',
    );
  }
  if (issues.errors.length > 0) fail(issues);
  const all = balancerSettings(compiled);
  const settings: Partial<Record<keyof BalancerSettings, unknown>> = {};
  for (const key of present(input, BALANCER_INPUT)) {
    const field = key === 'timeout' ? 'timeoutMs' : key;
    settings[field] = all[field];
  }
  return { kind: 'balancer', settings: settings as Partial<BalancerSettings> };
}

/** Flags from `'+D-N'` (config syntax, applied to the member's flags) or `{ D: true, N: false }`. */
function readFlags(
  state: MemberState,
  status: unknown,
  path: string,
): { flags: Partial<Record<ManagerFlag, boolean>>; issue?: ReturnType<typeof managerIssue> } {
  const flags: Partial<Record<ManagerFlag, boolean>> = {};
  const notManaged = (letter: string) =>
    managerIssue(
      'TSXP_MANAGER_FLAG',
      `${path}.status`,
      `status flag '${letter}' cannot be set by the manager`,
      `use ${MANAGER_FLAGS.join(' ')}; a member enters and leaves E (in error) by itself`,
    );
  if (typeof status === 'string') {
    const bad = [...status].find((ch) => ch.toUpperCase() === 'E');
    if (bad) return { flags, issue: notManaged(bad) };
    const applied = applyStatus(state.flags, status);
    // compileMember has already reported a malformed string.
    if (!applied.ok) return { flags };
    // Every flag the string names is set as it says, even when it already is.
    for (const flag of MANAGER_FLAGS) {
      if (status.toUpperCase().includes(flag)) flags[flag] = applied.flags.has(flag);
    }
    return { flags };
  }
  if (typeof status !== 'object' || status === null || Array.isArray(status)) {
    return {
      flags,
      issue: managerIssue(
        'TSXP_MANAGER_FLAG',
        `${path}.status`,
        `status ${JSON.stringify(status)} is neither a string like '+D-N' nor an object like { "D": true }`,
        'write status: \'+D\' to disable, \'-D\' to enable, or { "D": true, "N": false }',
      ),
    };
  }
  for (const [letter, raw] of Object.entries(status)) {
    const value = asBoolean(raw);
    if (!(MANAGER_FLAGS as readonly string[]).includes(letter)) return { flags, issue: notManaged(letter) };
    if (typeof value !== 'boolean') {
      return {
        flags,
        issue: managerIssue(
          'TSXP_MANAGER_FLAG',
          `${path}.status.${letter}`,
          `status flag ${letter} must be true or false, not ${JSON.stringify(raw)}`,
          `write { "${letter}": true } to set it or { "${letter}": false } to clear it`,
        ),
      };
    }
    flags[letter as ManagerFlag] = value;
  }
  return { flags };
}

/** Member settings from a request (`loadfactor`, `lbset`, `route`, `redirect`, `status`). */
export function planMemberChange(live: LiveBalancer, state: MemberState, input: Input): ChangePlan {
  const issues = new IssueList();
  const index = live.members.indexOf(state);
  const path = memberPath(live, index);
  checkKnownKeys(issues, input, MEMBER_INPUT, path, 'member change');
  const compiled = compileMember(
    {
      kind: 'member',
      url: state.member.url.href,
      params: {
        loadfactor: asNumber(input.loadfactor),
        lbset: asNumber(input.lbset),
        route: input.route,
        redirect: input.redirect,
        status: typeof input.status === 'string' ? input.status : undefined,
      } as MemberParams,
      site: undefined,
    },
    {
      balancer: live.name,
      index,
      path,
      defaultTimeoutMs: state.member.timeoutMs,
      balancerHealthCheck: undefined,
    },
    issues,
  );
  const status = input.status === undefined ? { flags: {} } : readFlags(state, input.status, path);
  if (status.issue) issues.items.push(status.issue);
  if (issues.errors.length > 0 || !compiled) fail(issues);
  const settings: Partial<Record<keyof MemberSettings, unknown>> = {};
  for (const key of present(input, MEMBER_INPUT)) {
    if (key === 'loadfactor') settings.lbfactor = compiled.lbfactor;
    else if (key !== 'status') settings[key] = compiled[key];
  }
  return { kind: 'member', state, settings: settings as Partial<MemberSettings>, flags: status.flags };
}

/**
 * A member to add (`url`, optional `loadfactor`, `lbset`, `route`, `redirect`, `status`): it
 * must be new, fit in a `growth` slot, and is created disabled (`D`) as Apache does unless
 * `status` says otherwise (`'-D'`).
 */
export function planAddMember(live: LiveBalancer, input: Input, defaultTimeoutMs: number): ChangePlan {
  const issues = new IssueList();
  const index = live.members.length;
  const path = memberPath(live, index);
  checkKnownKeys(issues, input, ADD_INPUT, path, 'new member');
  const params: AddParams = {
    loadfactor: asNumber(input.loadfactor) as number | undefined,
    lbset: asNumber(input.lbset) as number | undefined,
    route: input.route as string | undefined,
    redirect: input.redirect as string | undefined,
    status: input.status as string | undefined,
  };
  const member = compileAddedMember(live, input.url, params, defaultTimeoutMs, issues);
  if (issues.errors.length > 0 || !member) fail(issues);
  return { kind: 'add', member, params: definedOnly(params) };
}

function definedOnly(params: AddParams): AddParams {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}

/**
 * Compiles a member to add to `live`, reporting into `issues` a bad value, a URL the balancer
 * already has, or no free `growth` slot. Also used to re-add persisted members.
 */
export function compileAddedMember(
  live: LiveBalancer,
  url: unknown,
  params: AddParams,
  defaultTimeoutMs: number,
  issues: IssueList,
): CompiledMember | undefined {
  const index = live.members.length;
  const path = memberPath(live, index);
  const extra = params.status;
  const compiled = compileMember(
    {
      kind: 'member',
      url: url as string,
      params: { ...params, status: extra === undefined ? 'D' : `D${extra}` } as MemberParams,
      site: undefined,
    },
    { balancer: live.name, index, path, defaultTimeoutMs, balancerHealthCheck: undefined },
    issues,
  );
  if (typeof extra === 'string' && /e/i.test(extra)) {
    issues.items.push(
      managerIssue(
        'TSXP_MANAGER_FLAG',
        `${path}.status`,
        "status flag 'E' cannot be set by the manager",
        `use ${MANAGER_FLAGS.join(' ')}`,
      ),
    );
  }
  if (!compiled) return undefined;
  const twin = live.members.findIndex((m) => m.member.url.href === compiled.url.href);
  if (twin !== -1) {
    issues.error(
      'TSXP_DUPLICATE_MEMBER',
      `${path}.url`,
      `balancer '${live.name}' already has member '${compiled.url.href}' (members[${twin}])`,
      'change that member instead, or add a different URL',
    );
  }
  const used = addedMembers(live).length;
  if (used >= live.config.growth) {
    issues.items.push(
      managerIssue(
        'TSXP_MANAGER_NO_SLOT',
        `${path}`,
        `balancer '${live.name}' has no free member slot (growth ${live.config.growth}, ${used} used)`,
        `raise the balancer's growth in the config, e.g. .set({ growth: ${used + 1} })`,
      ),
    );
  }
  // The new member is checked as the balancer's others are.
  return { ...compiled, healthCheck: live.config.healthCheck };
}

/** A member of `live` named by its index (`0`, `1`, ...), its route, or its URL. */
export function findMember(live: LiveBalancer, ref: string): MemberState {
  const parsed = parseUpstreamUrl(ref);
  const found = /^\d+$/.test(ref)
    ? live.members[Number(ref)]
    : (live.members.find((m) => m.route !== '' && m.route === ref) ??
      live.members.find((m) => parsed.ok && m.member.url.href === parsed.url.href));
  if (found) return found;
  throw refuse(
    404,
    'TSXP_MANAGER_NOT_FOUND',
    `balancers.${live.name}.members`,
    `balancer '${live.name}' has no member ${JSON.stringify(ref)}`,
    `name a member by its index (0..${live.members.length - 1}), its route or its URL, as GET <route>/api lists them`,
  );
}

/** A live balancer by name (names are case-insensitive, as in Apache). */
export function findBalancer(balancers: readonly LiveBalancer[], name: string): LiveBalancer {
  const found = balancers.find((b) => b.name.toLowerCase() === name.toLowerCase());
  if (found) return found;
  throw refuse(
    404,
    'TSXP_MANAGER_NOT_FOUND',
    `balancers.${name}`,
    `there is no balancer ${JSON.stringify(name)}`,
    `known balancers: ${balancers.map((b) => b.name).join(', ') || '(none)'}`,
  );
}
