import pc from 'picocolors';
import { ConfigError } from './issues.js';
import { displayLocation, displayPath, frameAt, parseLocation, type SourceLocation } from './load-frame.js';
import type { ConfigIssue } from './types.js';

/** What went wrong while loading a config file. */
export type LoadFailure =
  /** The file could not be read or bundled (missing file, unresolvable import). */
  | 'bundle'
  /** esbuild could not parse it. */
  | 'syntax'
  /** Evaluating the config threw. */
  | 'evaluate'
  /** No default export, or the default export is not a `defineConfig` value. */
  | 'export'
  /** The config compiled with errors (see `issues`). */
  | 'invalid';

/** One problem in a config file, with where it is and how to fix it when known. */
export interface LoadProblem {
  readonly severity: 'error' | 'warning';
  /** `TSXP_*` code of a validation issue; undefined for syntax, bundle and evaluation problems. */
  readonly code: string | undefined;
  /** Config path of a validation issue (`routes[2].target`). */
  readonly path: string | undefined;
  readonly message: string;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;
}

/**
 * Thrown by `loadConfig` for every failure: the message already names `file:line:column` and
 * shows a code frame of each problem; `formatLoadError` renders the same text in colour.
 */
export class LoadError extends Error {
  readonly code = 'TSXP_CONFIG_LOAD';
  readonly reason: LoadFailure;
  /** The config file being loaded. */
  readonly file: string;
  /** Every problem found (for `invalid`: each validation issue, warnings included). */
  readonly problems: readonly LoadProblem[];
  /** The validation issues when `reason` is `invalid`, else empty. */
  readonly issues: readonly ConfigIssue[];

  constructor(
    reason: LoadFailure,
    file: string,
    problems: readonly LoadProblem[],
    options: { cause?: unknown; issues?: readonly ConfigIssue[] } = {},
  ) {
    super(renderProblems(file, problems, plain), { cause: options.cause });
    this.name = 'LoadError';
    this.reason = reason;
    this.file = file;
    this.problems = problems;
    this.issues = options.issues ?? [];
  }
}

/** Builds the problem of a validation issue, falling back to `fallback` for issues without a site. */
export function issueProblem(issue: ConfigIssue, fallback?: SourceLocation): LoadProblem {
  return {
    severity: issue.severity,
    code: issue.code,
    path: issue.path,
    message: issue.message,
    hint: issue.hint,
    location: parseLocation(issue.site) ?? fallback,
  };
}

type Colors = Pick<typeof pc, 'red' | 'yellow' | 'bold' | 'dim' | 'cyan'>;
const plain: Colors = pc.createColors(false);

function renderProblem(problem: LoadProblem, c: Colors): string {
  const where = problem.location ? `${displayLocation(problem.location)} ` : '';
  const label = problem.severity === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning'));
  const code = problem.code ? ` ${problem.code}` : '';
  const path = problem.path ? ` at ${problem.path}` : '';
  const lines = [`${c.cyan(where)}${label}${code}${c.dim(path)}: ${problem.message}`];
  const frame = problem.location ? frameAt(problem.location) : '';
  if (frame) lines.push(c.dim(frame));
  if (problem.hint) lines.push(`  ${c.bold('fix:')} ${problem.hint}`);
  return lines.join('\n');
}

function renderProblems(file: string, problems: readonly LoadProblem[], c: Colors): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const head = `${displayPath(file)}: ${errors} error${errors === 1 ? '' : 's'} in the config`;
  return [c.bold(head), ...problems.map((p) => renderProblem(p, c))].join('\n\n');
}

/** Colour choice of the formatters: `true`/`false`, or undefined to follow the terminal. */
export interface FormatOptions {
  readonly color?: boolean;
}

function colors(options: FormatOptions): Colors {
  return options.color === undefined ? pc : options.color ? pc.createColors(true) : plain;
}

/**
 * Renders a config validation issue (typically a warning of a loaded config) with its
 * `file:line:column`, code frame and fix.
 */
export function formatIssueWithFrame(issue: ConfigIssue, options: FormatOptions = {}): string {
  return renderProblem(issueProblem(issue), colors(options));
}

/**
 * Renders any error of loading or reloading a config as the CLI prints it: a `LoadError` or a
 * `ConfigError` with every problem's location, code frame and fix; anything else by its stack.
 */
export function formatLoadError(error: unknown, options: FormatOptions = {}): string {
  const c = colors(options);
  if (error instanceof LoadError) return renderProblems(error.file, error.problems, c);
  if (error instanceof ConfigError) {
    const problems = error.issues.map((i) => issueProblem(i));
    return renderProblems(error.file ?? 'config', problems, c);
  }
  if (error instanceof Error) return c.red(error.stack ?? error.message);
  return c.red(String(error));
}
