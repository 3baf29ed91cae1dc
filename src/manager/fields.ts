/**
 * The settings the balancer manager can change, each with how to read it from the compiled
 * config (the value a change overrides) and from live state, and how to apply it. One table
 * serves the change requests, the journal and its re-application after a restart or reload.
 */
import type { LiveBalancer, MemberState } from '../balancer/types.js';
import type { CompiledBalancer, CompiledMember } from '../config/types.js';
import type { LbMethod, StatusLetter } from '../dsl/params.js';

/** Status flags the manager may set or clear (Apache's `w_status_I/N/D/H/R/S/C`; never `E`). */
export type ManagerFlag = Extract<StatusLetter, 'I' | 'N' | 'D' | 'H' | 'R' | 'S' | 'C'>;

/** In the order Apache's member form lists them. */
export const MANAGER_FLAGS: readonly ManagerFlag[] = ['I', 'N', 'D', 'H', 'R', 'S', 'C'];

/** What each flag means, for the page and error messages. */
export const FLAG_NAMES: { readonly [F in ManagerFlag]: string } = {
  I: 'ignore errors',
  N: 'drain',
  D: 'disabled',
  H: 'hot standby',
  R: 'hot spare',
  S: 'stopped',
  C: 'health check failed',
};

/** Balancer settings as the manager names them; stickysession is `''` when off. */
export interface BalancerSettings {
  readonly lbmethod: LbMethod;
  readonly maxattempts: number;
  readonly nofailover: boolean;
  readonly stickysession: string;
  /** Apache's balancer `timeout`, in milliseconds. */
  readonly timeoutMs: number;
}

export type BalancerField = keyof BalancerSettings;

export const BALANCER_FIELDS: readonly BalancerField[] = [
  'lbmethod',
  'maxattempts',
  'nofailover',
  'stickysession',
  'timeoutMs',
];

/** `COOKIE` or `COOKIE|param`, as written in a config. */
export function stickyText(sticky: CompiledBalancer['sticky']): string {
  if (!sticky) return '';
  return sticky.param === sticky.cookie ? sticky.cookie : `${sticky.cookie}|${sticky.param}`;
}

/** The balancer's settings as the manager shows and changes them. */
export function balancerSettings(balancer: CompiledBalancer): BalancerSettings {
  return {
    lbmethod: balancer.lbmethod,
    maxattempts: balancer.maxattempts,
    nofailover: balancer.nofailover,
    stickysession: stickyText(balancer.sticky),
    timeoutMs: balancer.timeoutMs,
  };
}

/** The compiled form of a validated `stickysession` text (`''` turns stickiness off). */
function stickyFromText(text: string): CompiledBalancer['sticky'] {
  if (text === '') return undefined;
  const [cookie = '', param] = text.split('|');
  return { cookie, param: param ?? cookie };
}

/** Applies one balancer setting (a changed lbmethod is reset before the next selection, Apache's `need_reset`). */
export function applyBalancerSetting(
  live: LiveBalancer,
  field: BalancerField,
  value: BalancerSettings[BalancerField],
): void {
  if (field === 'stickysession') live.configure({ sticky: stickyFromText(value as string) });
  else live.configure({ [field]: value });
}

/** Member settings as the manager names them; `status` holds only the manager's flags. */
export interface MemberSettings {
  readonly lbfactor: number;
  readonly lbset: number;
  readonly route: string;
  readonly redirect: string;
}

export type MemberField = keyof MemberSettings;

export const MEMBER_FIELDS: readonly MemberField[] = ['lbfactor', 'lbset', 'route', 'redirect'];

/** A member setting from compiled config or live state (both carry these names). */
export function memberSetting(source: CompiledMember | MemberState, field: MemberField): number | string {
  return source[field];
}

/** A flag of compiled config or live state. */
export function memberFlag(source: CompiledMember | MemberState, flag: ManagerFlag): boolean {
  return 'flags' in source ? source.flags.has(flag) : source.status.has(flag);
}

/**
 * Applies one member setting: a new lbfactor goes through the engine's `setLbfactor` (Apache's
 * `recalc_factors`: every member's lbstatus becomes its lbfactor).
 */
export function applyMemberSetting(
  live: LiveBalancer,
  state: MemberState,
  field: MemberField,
  value: number | string,
): void {
  if (field === 'lbfactor') live.setLbfactor(state, value as number);
  else if (field === 'lbset') state.lbset = value as number;
  else state[field] = value as string;
}

/**
 * Whether a saved value can be applied: the persist file may have been edited by hand, and a
 * value the engine would choke on is dropped instead. Requests never reach this: they are
 * validated by the config's rules, which these bounds mirror.
 */
export function settingIsSane(field: BalancerField | MemberField, value: unknown): boolean {
  const int = (min: number, max: number) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  switch (field) {
    case 'lbmethod':
      return value === 'byrequests' || value === 'bytraffic' || value === 'bybusyness' || value === 'byhash';
    case 'maxattempts':
    case 'lbset':
      return int(0, 99);
    case 'nofailover':
      return typeof value === 'boolean';
    case 'stickysession':
      return (
        typeof value === 'string' &&
        /^([!#$%&'*+.^_`~0-9A-Za-z-]{1,63}(\|[!#$%&'*+.^_`~0-9A-Za-z-]{1,63})?)?$/.test(value)
      );
    case 'timeoutMs':
      return typeof value === 'number' && value >= 0 && value <= 7_200_000;
    case 'lbfactor':
      return int(100, 10_000);
    case 'route':
    case 'redirect':
      return typeof value === 'string' && value.length < 64;
  }
}
