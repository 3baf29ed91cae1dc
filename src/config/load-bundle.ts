import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Message, type Plugin, stop } from 'esbuild';
import { LoadError, type LoadProblem } from './load-error.js';
import { metaPrefix, type SourceLocation } from './load-frame.js';

/** tsx-proxy's own source root: `src/` when running from source, `dist/` when built. */
export const OWN_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** The running tsx-proxy's public entry, which `import 'tsx-proxy'` in a config resolves to. */
const OWN_ENTRY = join(OWN_ROOT, `index${extname(fileURLToPath(import.meta.url))}`);

/** What bundling a config produced. */
export interface ConfigBundle {
  /** The ESM code, with an inline source map pointing back at the original files. */
  readonly code: string;
  /** Absolute paths of the user's local files in the bundle (no node_modules, no tsx-proxy). */
  readonly inputs: string[];
  /** Problems esbuild warned about (duplicate object keys and the like). */
  readonly warnings: readonly LoadProblem[];
}

const META = {
  'import.meta.url': '__tsxp_import_meta_url',
  'import.meta.dirname': '__tsxp_dirname',
  'import.meta.filename': '__tsxp_filename',
  __dirname: '__tsxp_dirname',
  __filename: '__tsxp_filename',
};

function loaderOf(file: string): 'ts' | 'tsx' | 'jsx' | 'js' {
  if (/\.[cm]?ts$/.test(file)) return 'ts';
  if (file.endsWith('.tsx')) return 'tsx';
  return file.endsWith('.jsx') ? 'jsx' : 'js';
}

const plugin: Plugin = {
  name: 'tsx-proxy-config',
  setup(b) {
    // Only this exact specifier: the config gets the builders of the tsx-proxy that runs it, so
    // a config in a folder with no node_modules works; `tsx-proxy/testing` stays external.
    b.onResolve({ filter: /^tsx-proxy$/ }, () => ({ path: OWN_ENTRY }));
    b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => ({
      contents: metaPrefix(args.path) + (await readFile(args.path, 'utf8')),
      loader: loaderOf(args.path),
    }));
  },
};

/** esbuild's 0-based byte column on a line of `file` → a 1-based character column. */
function toLocation(file: string, line: number, byteColumn: number): SourceLocation {
  let column = byteColumn;
  let text = '';
  try {
    text = readFileSync(file, 'utf8').split(/\r?\n/)[line - 1] ?? '';
  } catch {
    // The frame will be empty too; keep esbuild's column.
  }
  if (line === 1) column -= Buffer.byteLength(metaPrefix(file));
  const chars = Buffer.from(text).subarray(0, Math.max(0, column)).toString('utf8').length;
  return { file, line, column: chars + 1 };
}

function toProblem(message: Message, severity: 'error' | 'warning', cwd: string): LoadProblem {
  const loc = message.location;
  const file = loc ? resolve(cwd, loc.file) : undefined;
  const note = message.notes.find((n) => n.text)?.text;
  const unresolved = /^Could not resolve/.test(message.text);
  return {
    severity,
    code: severity === 'warning' ? 'TSXP_BUNDLE_WARNING' : undefined,
    path: undefined,
    message: message.text,
    hint: unresolved
      ? `${note ? `${note} ` : ''}check the import path; npm packages must be installed where the config lives`
      : note,
    location: file && loc ? toLocation(file, loc.line, loc.column) : undefined,
  };
}

function isOwnOrPackage(file: string): boolean {
  return file.startsWith(OWN_ROOT + sep) || file.includes(`${sep}node_modules${sep}`);
}

/**
 * Bundles a config file and the local files it imports into one ESM module (npm packages stay
 * external, `tsx-proxy` is bundled in). `outFile` is where the bundle will be written: source
 * map paths are made relative to it. Throws `LoadError` on syntax or resolution errors.
 */
/** Bundles under way in this process. */
let inFlight = 0;

export async function bundleConfig(
  file: string,
  outFile: string,
  keepBundler: boolean,
): Promise<ConfigBundle> {
  const cwd = dirname(file);
  inFlight++;
  try {
    const result = await build({
      absWorkingDir: cwd,
      entryPoints: [file],
      outfile: outFile,
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      metafile: true,
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      define: META,
      plugins: [plugin],
    });
    const inputs = Object.keys(result.metafile.inputs)
      .map((key) => resolve(cwd, key))
      .filter((f) => !isOwnOrPackage(f));
    return {
      code: result.outputFiles[0]!.text,
      inputs,
      warnings: result.warnings.map((w) => toProblem(w, 'warning', cwd)),
    };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors)) throw error;
    const problems = errors.map((m) => toProblem(m, 'error', cwd));
    const reason = errors.some((m) => /^Could not resolve/.test(m.text)) ? 'bundle' : 'syntax';
    throw new LoadError(reason, file, problems, { cause: error });
  } finally {
    // Stopping while another bundle is being built would fail that build.
    if (--inFlight === 0 && !keepBundler) await stop();
  }
}
