import { constants, existsSync, readFileSync } from 'node:fs';
import { access, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigSpec } from '../dsl/spec.js';
import { compileWithIssues } from './compile.js';
import { bundleConfig } from './load-bundle.js';
import { issueProblem, LoadError, type LoadProblem } from './load-error.js';
import { parseLocation, type SourceLocation, stackLocations } from './load-frame.js';
import type { ConfigIssue, ProxyConfig } from './types.js';

export { type FormatOptions, formatIssueWithFrame, formatLoadError, LoadError } from './load-error.js';
export type { LoadFailure, LoadProblem } from './load-error.js';
export type { SourceLocation } from './load-frame.js';

/** Config file extensions the loader accepts. */
export const CONFIG_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

export interface LoadOptions {
  /** Passed to a config whose default export is a function of `{ mode }` (e.g. `'dev'`, `'start'`). */
  readonly mode?: string;
  /** Default `serverName` of the compiled config (the CLI passes the machine's host name). */
  readonly hostname?: string;
  /**
   * Keep esbuild's service process running for the next load (`dev`: faster reloads). Default
   * false: it is stopped after bundling, so a production proxy does not carry its ~13 MiB; a
   * later load (SIGHUP) starts it again.
   */
  readonly keepBundler?: boolean;
}

export interface LoadedConfig {
  /** The compiled, validated config. */
  readonly config: ProxyConfig;
  /** What the config file's default export produced. */
  readonly spec: ConfigSpec;
  /** Absolute paths of the config file and every local file it imports (what to watch). */
  readonly inputs: string[];
  /** Compile warnings (shadowed routes, ...) and esbuild warnings, each with its site. */
  readonly warnings: ConfigIssue[];
}

let bundleCount = 0;

/** Next to the config, so that its bare imports resolve from its folder; else the temp folder. */
async function bundlePath(file: string): Promise<string> {
  const name = `${basename(file)}.timestamp-${Date.now()}-${process.pid}-${++bundleCount}.mjs`;
  try {
    await access(dirname(file), constants.W_OK);
    return join(dirname(file), name);
  } catch {
    return join(tmpdir(), name);
  }
}

/** A problem of the file as a whole (no config path, no issue code). */
function problem(message: string, hint: string | undefined, location?: SourceLocation): LoadProblem {
  return { severity: 'error', code: undefined, path: undefined, message, hint, location };
}

/** Where the source text first matches `pattern`, for problems that have no stack to go by. */
function locate(file: string, pattern: RegExp): SourceLocation | undefined {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const index = lines.findIndex((l) => pattern.test(l));
  if (index < 0) return undefined;
  return { file, line: index + 1, column: lines[index]!.search(pattern) + 1 };
}

/** An exception thrown by the config, located at its first stack frame in the user's own files. */
function evaluationError(file: string, error: unknown, inputs: readonly string[]): LoadError {
  // Read the stack at once: it is mapped through the bundle's source map, which goes with the file.
  const stack = error instanceof Error ? String(error.stack) : '';
  const at = stackLocations(stack).find((loc) => inputs.includes(loc.file));
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Thrown from inside a package: its own frames are the best lead.
  const frames = at ? '' : `\n${stack.split('\n').slice(1, 6).join('\n')}`;
  return new LoadError(
    'evaluate',
    file,
    [problem(`evaluating the config threw ${what}${frames}`, undefined, at)],
    {
      cause: error,
    },
  );
}

async function evaluate(
  file: string,
  out: string,
  code: string,
  inputs: readonly string[],
): Promise<unknown> {
  await writeFile(out, code);
  try {
    return await import(pathToFileURL(out).href);
  } catch (error) {
    throw evaluationError(file, error, inputs);
  } finally {
    await rm(out, { force: true });
  }
}

function noDefaultExport(file: string): LoadError {
  const named = locate(file, /export\s+(const|let|var)\s+\w+\s*=\s*defineConfig\s*\(/);
  const message = named
    ? 'the config is a named export, not the default export'
    : 'the config has no default export';
  const hint = 'write export default defineConfig({ routes: [...] })';
  return new LoadError('export', file, [problem(message, hint, named ?? { file, line: 1, column: 1 })]);
}

/**
 * Loads a config file (`.ts`, `.mts`, `.js`, `.mjs`): bundles it and the local files it imports
 * with esbuild (npm packages stay external; `tsx-proxy` resolves to the running tsx-proxy),
 * evaluates it, and compiles its default export. The default export may also be a function of
 * `{ mode }` returning the config. Throws `LoadError` (code `TSXP_CONFIG_LOAD`) naming
 * `file:line:column` with a code frame for a syntax error, an unresolvable import, an exception
 * while evaluating, a missing default export, or validation errors.
 * @example const { config, inputs } = await loadConfig('proxy.config.ts', { mode: 'dev' });
 */
export async function loadConfig(file: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const path = resolve(file);
  if (!existsSync(path)) {
    const hint = 'create one with `tsx-proxy init`, or pass --config <path>';
    throw new LoadError('bundle', path, [problem(`config file not found: ${path}`, hint)]);
  }
  if (!(CONFIG_EXTENSIONS as readonly string[]).includes(extname(path))) {
    const hint = `name it proxy.config.ts (or ${CONFIG_EXTENSIONS.join(', ')})`;
    throw new LoadError('bundle', path, [problem(`unsupported config file type '${extname(path)}'`, hint)]);
  }
  const out = await bundlePath(path);
  const bundle = await bundleConfig(path, out, opts.keepBundler ?? false);
  // Stack traces (and the builders' call sites) point at the user's .ts lines while the config
  // runs; not after: Node's streams read the stack of every socket error, and mapping each one
  // through the source map cost a failing upstream's 503s a fifth of their rate.
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(true);
  let exported: unknown;
  try {
    const mod = (await evaluate(path, out, bundle.code, bundle.inputs)) as { default?: unknown };
    if (mod.default === undefined) throw noDefaultExport(path);
    exported = mod.default;
    if (typeof exported === 'function') {
      try {
        exported = await exported({ mode: opts.mode ?? 'start' });
      } catch (error) {
        throw evaluationError(path, error, bundle.inputs);
      }
    }
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
  const { config, issues } = compileWithIssues(exported as ConfigSpec, {
    file: path,
    hostname: opts.hostname,
  });
  // Issues without a builder site (listen, top-level options) point at defineConfig's call, or
  // for a value that is not a config at all, at the default export.
  const fallback =
    parseLocation((exported as { site?: string } | null)?.site) ?? locate(path, /export\s+default\b/);
  if (!config) {
    const problems = issues.map((i) => issueProblem(i, fallback));
    const reason = issues.some((i) => i.code === 'TSXP_CONFIG_SHAPE' && i.path === '(default export)')
      ? 'export'
      : 'invalid';
    throw new LoadError(reason, path, problems, { issues });
  }
  const bundleWarnings: ConfigIssue[] = bundle.warnings.map((w) => ({
    severity: 'warning',
    code: w.code ?? 'TSXP_BUNDLE_WARNING',
    path: '(source)',
    message: w.message,
    hint: w.hint ?? 'see the code at this line',
    site: w.location ? `${w.location.file}:${w.location.line}:${w.location.column}` : undefined,
  }));
  return {
    config,
    spec: exported as ConfigSpec,
    inputs: bundle.inputs,
    warnings: [...bundleWarnings, ...config.warnings],
  };
}
