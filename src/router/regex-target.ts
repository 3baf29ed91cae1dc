/**
 * ProxyPassMatch substitution (`ap_pregsub`, as `ap_proxy_trans_match` uses it): `$0`..`$9`
 * take the groups of the match (an unmatched group gives nothing), a backslash takes the next
 * char literally, and when the result equals the target unchanged the whole path is appended.
 */

/** A regex route's target path, split once into literal text and group numbers. */
export interface TargetTemplate {
  readonly source: string;
  readonly parts: readonly (string | number)[];
  /** No `$n` and no `\`: substitution can never change it, so the whole path is always appended. */
  readonly literal: boolean;
}

/** Splits a target path into literal text and `$n` references, as `ap_pregsub` reads it. */
export function compileTemplate(source: string): TargetTemplate {
  const parts: (string | number)[] = [];
  let text = '';
  let special = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '$' && next !== undefined && next >= '0' && next <= '9') {
      if (text) parts.push(text);
      text = '';
      parts.push(Number(next));
      special = true;
      i++;
    } else if (c === '\\' && next !== undefined) {
      text += next;
      special = true;
      i++;
    } else {
      text += c;
    }
  }
  if (text) parts.push(text);
  return { source, parts, literal: !special };
}

/**
 * The upstream path for a ProxyPassMatch route: the substituted target, or (Apache's rule) the
 * target followed by the whole matched path when substitution left the target unchanged.
 * `literalText` converts literal template text into the subject's representation.
 */
export function substituteTarget(
  t: TargetTemplate,
  m: RegExpExecArray,
  subject: string,
  literalText: (s: string) => string = (s) => s,
): string {
  const source = literalText(t.source);
  if (t.literal) return source + subject;
  let out = '';
  for (const part of t.parts) out += typeof part === 'number' ? (m[part] ?? '') : literalText(part);
  return out === source ? source + subject : out;
}
