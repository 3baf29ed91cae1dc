/**
 * How the manager writes values for people: the page, log lines and error messages.
 */
import { displayStatus } from '../balancer/member-state.js';
import type { MemberState } from '../balancer/types.js';
import type { BalancerField, MemberField } from './fields.js';

/** Apache's Factor column: lbfactor / 100 with `%.2f` (a configured 2.3 shows as 2.29). */
export function factorText(lbfactor: number): string {
  return (lbfactor / 100).toFixed(2);
}

/** Seconds from milliseconds, without a useless `.0`. */
export function secondsText(ms: number): string {
  return String(Math.round(ms) / 1000);
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * A byte count for people, 1024-based as Apache's `apr_strfsize`: `0 B`, `973 B`, `1.2 KiB`,
 * `34 MiB` (one decimal below 10).
 */
export function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 9.95 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

/** Apache's status string without its trailing space: `Init Ok`, `Init Dis`, `Init Stby Ok`. */
export function statusWords(state: MemberState): string {
  return displayStatus(state).trim();
}

/** Flag letters in Apache's display order (`proxy_wstat_tbl`), e.g. `DH`; empty when none. */
export function statusLetters(state: MemberState): string {
  return ['I', 'N', 'D', 'S', 'E', 'H', 'R', 'C'].filter((f) => state.flags.has(f as never)).join('');
}

/** The name a setting goes by for people (Apache's parameter name). */
export function settingLabel(field: BalancerField | MemberField): string {
  return field === 'lbfactor' ? 'loadfactor' : field === 'timeoutMs' ? 'timeout' : field;
}

/** A setting's value for people: `2.29`, `5 s`, `On`, `'n1'`, `(none)`. */
export function settingValueText(field: BalancerField | MemberField, value: unknown): string {
  switch (field) {
    case 'lbfactor':
      return factorText(value as number);
    case 'timeoutMs':
      return `${secondsText(value as number)} s`;
    case 'nofailover':
      return value ? 'On' : 'Off';
    case 'stickysession':
    case 'route':
    case 'redirect':
      return value === '' ? '(none)' : `'${value}'`;
    default:
      return String(value);
  }
}

/** A setting as a log line or message names it: `loadfactor 2.29`, `timeout 5 s`, `stickysession (none)`. */
export function describeSetting(field: BalancerField | MemberField, value: unknown): string {
  return `${settingLabel(field)} ${settingValueText(field, value)}`;
}

/** A change in words: `loadfactor 1.00 → 3.00`. */
export function describeChange(field: BalancerField | MemberField, before: unknown, after: unknown): string {
  return `${settingLabel(field)} ${settingValueText(field, before)} → ${settingValueText(field, after)}`;
}

/** How long ago, for people: `12 s ago`, `3 min ago`, `2 h ago`. */
export function agoText(then: number, now: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}
