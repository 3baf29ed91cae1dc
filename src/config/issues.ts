import type { Site } from '../dsl/spec.js';
import type { ConfigIssue } from './types.js';

/**
 * Every config issue code, documented once (the README's table is checked against this list).
 */
export const ISSUE_CODES = {
  TSXP_CONFIG_SHAPE:
    'The default export is not a defineConfig(...) value, or a top-level option has the wrong type.',
  TSXP_UNKNOWN_OPTION: 'An option name that tsx-proxy does not know (a typo in a JavaScript config).',
  TSXP_BAD_VALUE: 'An option has a value of the wrong type or outside its range.',
  TSXP_BAD_DURATION: 'A duration is neither a number of seconds nor a string such as 500ms, 5s, 2m, 1h.',
  TSXP_BAD_LISTEN: 'A listen address is not a port number 0..65535 or { host, port }.',
  TSXP_BAD_ROUTE: 'A route match is neither a path starting with / nor a RegExp, or has no action.',
  TSXP_ACTION_ARGS: 'deny() or manager() was given a target, which they do not take.',
  TSXP_BAD_URL: 'An upstream URL is malformed, has a query string or credentials.',
  TSXP_ENCODED_TARGET:
    'An upstream URL path holds a %-escape, which is sent encoded again, as Apache does (warning).',
  TSXP_UNSUPPORTED_SCHEME: 'An upstream URL scheme is not http, https, ws or wss.',
  TSXP_REGEX_GROUP: 'A regex route target uses $n but the regex has fewer groups.',
  TSXP_SHADOWED_ROUTE:
    'A route can never match because an earlier route matches everything it would (warning).',
  TSXP_DUPLICATE_BALANCER:
    'Two different balancers have the same name (names are case-insensitive, as in Apache).',
  TSXP_EMPTY_BALANCER: 'A balancer used by a route has no members.',
  TSXP_DUPLICATE_MEMBER: 'A balancer lists the same member URL twice.',
  TSXP_LOADFACTOR_RANGE: 'A member loadfactor is outside 1..100.',
  TSXP_LBSET_RANGE: 'A member lbset is outside 0..99.',
  TSXP_BAD_STATUS: 'A member status is not a string of +/- and the letters D S I R H E N C.',
  TSXP_BAD_STICKY: 'stickysession, stickysessionsep or routeCookie is malformed.',
  TSXP_BAD_FAILONSTATUS: 'A failonstatus code is outside 100..599.',
  TSXP_PARAM_NOT_HERE:
    'A parameter is given where it has no meaning (e.g. connection parameters on a balancer target).',
  TSXP_BAD_ALLOW: 'A manager allow entry is not an IP address or CIDR block.',
  TSXP_BAD_HEALTHCHECK: 'A health check parameter is outside its range.',
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;

/** Collects issues while compiling; every issue names its path and carries a fix hint. */
export class IssueList {
  readonly items: ConfigIssue[] = [];

  error(code: IssueCode, path: string, message: string, hint: string, site?: Site): void {
    this.items.push({ severity: 'error', code, path, message, hint, site });
  }

  warn(code: IssueCode, path: string, message: string, hint: string, site?: Site): void {
    this.items.push({ severity: 'warning', code, path, message, hint, site });
  }

  get errors(): ConfigIssue[] {
    return this.items.filter((i) => i.severity === 'error');
  }

  get warnings(): ConfigIssue[] {
    return this.items.filter((i) => i.severity === 'warning');
  }
}

/** One issue as text: where, what, how to fix. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.site ? `${issue.site}: ` : '';
  return `${where}${issue.severity} ${issue.code} at ${issue.path}: ${issue.message}\n  fix: ${issue.hint}`;
}

/** Thrown by compile() when a config has errors; `issues` holds all of them, warnings included. */
export class ConfigError extends Error {
  readonly code = 'TSXP_CONFIG_INVALID';
  readonly issues: readonly ConfigIssue[];
  readonly file: string | undefined;

  constructor(issues: readonly ConfigIssue[], file?: string) {
    const errors = issues.filter((i) => i.severity === 'error');
    const head = `${file ? `${file}: ` : ''}${errors.length} config error${errors.length === 1 ? '' : 's'}`;
    super(`${head}\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
    this.file = file;
  }
}

/** Edit distance, for "did you mean" hints on misspelt option names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Reports option names not in `known`, suggesting the nearest known one. */
export function checkKnownKeys(
  issues: IssueList,
  value: object,
  known: readonly string[],
  path: string,
  what: string,
  site?: Site,
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = known
      .map((k) => [k, distance(key.toLowerCase(), k.toLowerCase())] as const)
      .sort((x, y) => x[1] - y[1])[0];
    const hint =
      near && near[1] <= 3 ? `did you mean '${near[0]}'?` : `known ${what} options: ${known.join(', ')}`;
    issues.error('TSXP_UNKNOWN_OPTION', `${path}.${key}`, `unknown ${what} option '${key}'`, hint, site);
  }
}
