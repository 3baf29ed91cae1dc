import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A place in a source file; `line` and `column` are 1-based, as editors show them. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Lines shown before and after the offending line in a code frame. */
const CONTEXT = 2;

/**
 * A few source lines around `line`, with a gutter, a `>` on the offending line and a caret
 * under `column`. Empty when the line does not exist.
 */
export function codeFrame(source: string, line: number, column: number): string {
  const lines = source.split(/\r?\n/);
  // A final newline does not start a line worth showing.
  if (lines.at(-1) === '') lines.pop();
  if (line < 1 || line > lines.length) return '';
  const first = Math.max(1, line - CONTEXT);
  const last = Math.min(lines.length, line + CONTEXT);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = (lines[n - 1] ?? '').replace(/\t/g, '  ');
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`);
    if (n === line) {
      // Tabs are shown as two spaces, so the caret has to move with them.
      const before = (lines[n - 1] ?? '').slice(0, Math.max(0, column - 1)).replace(/\t/g, '  ');
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(before.length)}^`);
    }
  }
  return out.join('\n');
}

/** The code frame of a location, read from disk; empty when the file cannot be read. */
export function frameAt(loc: SourceLocation): string {
  try {
    return codeFrame(readFileSync(loc.file, 'utf8'), loc.line, loc.column);
  } catch {
    return '';
  }
}

/** Parses `file:line:column` (a path or a `file://` URL), as issue sites and stack frames give it. */
export function parseLocation(text: string | undefined): SourceLocation | undefined {
  const m = text && /^(.*?):(\d+):(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
  const line = Number(m[2]);
  let column = Number(m[3]);
  // Locations from the running bundle count the meta prefix that shares line 1 with the file.
  const shift = metaPrefix(file).length;
  if (line === 1 && column > shift) column -= shift;
  return { file, line, column };
}

/**
 * Each bundled file sees its own location in `import.meta.url`, `__dirname` and friends (as
 * Vite does), not the bundle's. The declarations share line 1 with the file so that line
 * numbers stay right; columns on line 1 are corrected by its length.
 */
export function metaPrefix(file: string): string {
  return (
    `const __tsxp_import_meta_url = ${JSON.stringify(pathToFileURL(file).href)}, ` +
    `__tsxp_dirname = ${JSON.stringify(dirname(file))}, __tsxp_filename = ${JSON.stringify(file)};`
  );
}

/** Every `file:line:column` of a V8 stack, in order (frames without a location are skipped). */
export function stackLocations(stack: string): SourceLocation[] {
  const out: SourceLocation[] = [];
  for (const frame of stack.split('\n')) {
    const m = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(frame);
    if (!m) continue;
    const loc = parseLocation(`${m[1]}:${m[2]}:${m[3]}`);
    if (loc) out.push(loc);
  }
  return out;
}

/** A file name as the user wants to read it: relative to the working folder when inside it. */
export function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** `file:line:column` for display. */
export function displayLocation(loc: SourceLocation): string {
  return `${displayPath(loc.file)}:${loc.line}:${loc.column}`;
}
