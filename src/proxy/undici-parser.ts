/**
 * Compiles undici's HTTP parser (llhttp, WebAssembly) with V8's optimizing compiler before the
 * serving process (`start`, `dev`) takes traffic.
 *
 * Why: by default V8 compiles WebAssembly lazily with its baseline compiler and re-compiles the
 * hot functions with the optimizing one once traffic arrives. llhttp's parser is one very large
 * function, and that background re-compile took 25-35 MiB of compiler memory in the first
 * fraction of a second under load, the moment the proxy's own memory peaks too: it was the
 * largest single item of peak RSS under 1 MiB GET load (about 120 -> 104 MiB without it).
 * Compiled here, at start-up, it is done and freed before the first request.
 *
 * undici compiles llhttp from the same bytes on its first connection, and V8 keeps one compiled
 * module per distinct bytes in the process (its native module cache), so undici gets this
 * module's code: fully optimized, and without compiling. The module is held here so that the
 * cache keeps it. The variant (SIMD or not) follows undici's own choice in
 * `lib/dispatcher/client-h1.js`; test/undici-parser-is-precompiled.test.ts checks that undici
 * loads the module compiled here, so an undici upgrade that moves the files fails the suite.
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';

const require = createRequire(import.meta.url);

/** The one WebAssembly call used here: the project's `lib` declares no WebAssembly values. */
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: { compile(bytes: Uint8Array): Promise<object> };
};

/** undici's llhttp builds: the SIMD one unless undici would not use it, then the plain one. */
export function undiciParserModules(): readonly string[] {
  const plain = 'undici/lib/llhttp/llhttp-wasm.js';
  const simd = 'undici/lib/llhttp/llhttp_simd-wasm.js';
  const override = process.env.UNDICI_NO_WASM_SIMD;
  if (override === '1') return [plain];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const oldPpc = process.arch === 'ppc64' && (major < 24 || (major === 24 && minor < 12));
  return oldPpc && override !== '0' ? [plain] : [simd, plain];
}

let compiled: Promise<object> | undefined;

/**
 * Compiles llhttp once per process, off the main thread; resolves when done. `optimize` sets
 * V8's flags for it (and back): false leaves the module to whatever compilers the user chose.
 */
export function precompileUndiciParser(optimize: boolean): Promise<object> {
  compiled ??= compile(optimize);
  return compiled;
}

async function compile(optimize: boolean): Promise<object> {
  // Node 24 does not count a pending WebAssembly compile as keeping the process alive: a
  // `start` whose config had loaded before the compile ended exited (13, unsettled await).
  const alive = setInterval(() => {}, 60_000);
  if (optimize) setFlagsFromString('--no-liftoff --no-wasm-lazy-compilation');
  try {
    const [first, ...fallbacks] = undiciParserModules();
    try {
      return await WebAssembly.compile(require(first!));
    } catch (error) {
      // As undici does: a build this machine cannot compile (SIMD) falls back to the plain one.
      if (fallbacks.length === 0) throw error;
      return await WebAssembly.compile(require(fallbacks[0]!));
    }
  } finally {
    clearInterval(alive);
    if (optimize) setFlagsFromString('--liftoff --wasm-lazy-compilation');
  }
}
