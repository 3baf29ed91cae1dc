/**
 * Stand-in for `tsx-proxy start` while the CLI does not run: loads a config file and serves it
 * with `startProxy` from the sources. Runs under tsx: `node --import tsx bench/tsx-proxy-server.ts
 * --config <file> --port <p>`.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ConfigSpec } from '../src/dsl/spec.js';
import type { RunningProxy, StartOptions } from '../src/runtime/types.js';

type StartProxy = (config: ConfigSpec, options: StartOptions) => Promise<RunningProxy>;

/** The modules that may export startProxy, most specific first (variables: they may not exist yet). */
const candidates = ['../src/runtime/start-proxy.ts', '../src/testing/start-proxy.ts', '../src/testing.ts'];

async function findStartProxy(): Promise<StartProxy> {
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      const mod = (await import(new URL(candidate, import.meta.url).href)) as { startProxy?: StartProxy };
      if (typeof mod.startProxy === 'function') return mod.startProxy;
      failures.push(`${candidate}: no startProxy export`);
    } catch (error) {
      failures.push(`${candidate}: ${(error as Error).message}`);
    }
  }
  throw new Error(`startProxy not found:\n${failures.join('\n')}`);
}

const { values } = parseArgs({
  options: { config: { type: 'string' }, port: { type: 'string', default: '0' } },
});
if (!values.config) throw new Error('--config is required');
const startProxy = await findStartProxy();
const config = ((await import(pathToFileURL(values.config).href)) as { default: ConfigSpec }).default;
const proxy = await startProxy(config, { port: Number(values.port), host: '127.0.0.1' });
console.log(`tsx-proxy (startProxy) listening on ${proxy.url}`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    proxy.close().then(() => process.exit(0));
  });
}
