import type { StatusLetter } from '../dsl/params.js';

const LETTERS = new Set<string>(['D', 'S', 'I', 'R', 'H', 'E', 'N', 'C']);

/**
 * Applies an Apache `status=` string to a set of flags: `+` sets, `-` clears, the mode carries
 * to following letters, the default mode is set, letters are case-insensitive. Returns the
 * offending character when the string is malformed.
 */
export function applyStatus(
  flags: ReadonlySet<StatusLetter>,
  status: string,
): { ok: true; flags: Set<StatusLetter> } | { ok: false; bad: string } {
  const out = new Set(flags);
  let set = true;
  let dangling = false;
  for (const ch of status) {
    if (ch === '+' || ch === '-') {
      set = ch === '+';
      dangling = true;
      continue;
    }
    const letter = ch.toUpperCase();
    if (!LETTERS.has(letter)) return { ok: false, bad: ch };
    dangling = false;
    if (set) out.add(letter as StatusLetter);
    else out.delete(letter as StatusLetter);
  }
  if (dangling || status.length === 0) return { ok: false, bad: status.slice(-1) || '(empty)' };
  return { ok: true, flags: out };
}
