import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
/** Under node_modules so the compiled files resolve undici, ws, fastify... as the sources do. */
const outDir = path.join(benchDir, '..', 'node_modules', '.cache', 'tsx-proxy-bench');

/** Child-process entry points, relative to bench/. */
export const childEntries = {
  upstream: 'upstream/server.ts',
  autocannon: 'load/autocannon-child.ts',
  wsClient: 'load/ws-echo-client.ts',
  httpProxy: 'servers/http-proxy-server.ts',
  fastify: 'servers/fastify-server.ts',
  minimalUndici: 'minimal-undici-proxy.ts',
} as const;

export type ChildName = keyof typeof childEntries;

/**
 * Compiles the bench's own child processes to plain ESM once per run, so that peers, the
 * upstream and the load generators run on bare `node`: no TypeScript loader in their memory or
 * startup, the same footing as tsx-proxy's built CLI.
 */
export async function compileChildren(): Promise<Record<ChildName, string>> {
  const names = Object.keys(childEntries) as ChildName[];
  await build({
    entryPoints: names.map((name) => path.join(benchDir, childEntries[name])),
    outdir: outDir,
    outbase: benchDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  return Object.fromEntries(
    names.map((name) => [name, path.join(outDir, childEntries[name].replace(/\.ts$/, '.mjs'))]),
  ) as Record<ChildName, string>;
}
