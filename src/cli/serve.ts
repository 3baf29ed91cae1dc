import { hostname } from 'node:os';
import { formatIssueWithFrame, formatLoadError, type LoadedConfig, loadConfig } from '../config/load.js';
import { displayPath } from '../config/load-frame.js';
import { watchConfig } from '../config/watch.js';
import { paceScavenges } from '../proxy/scavenge-pacer.js';
import { precompileUndiciParser } from '../proxy/undici-parser.js';
import { startProxy } from '../runtime/start-proxy.js';
import type { ProxyLogger, RunningProxy } from '../runtime/types.js';
import { colorsFor } from './colors.js';
import { describeChanges } from './config-diff.js';
import { type DemoBackends, startDemoBackends } from './demo.js';
import { createCliLogger } from './logger.js';
import { holdMemoryReducer } from './memory-reducer-hold.js';
import { nodeFlagGiven } from './node-flags.js';
import { count } from './table.js';
import { capYoungGeneration } from './young-generation.js';

export interface ServeOptions {
  readonly config: string;
  readonly port?: number;
  readonly host?: string;
  /** `start`: production, no watcher, access log off unless the config turns it on; `dev`: watcher, access log on, banner. */
  readonly mode: 'start' | 'dev';
  /** Start the demo backends first (`dev --demo`). */
  readonly demo?: boolean;
}

function load(options: ServeOptions): Promise<LoadedConfig> {
  return loadConfig(options.config, {
    mode: options.mode,
    hostname: hostname(),
    keepBundler: options.mode === 'dev',
  });
}

function printError(error: unknown): void {
  const { code, address, port } = error as { code?: string; address?: string; port?: number };
  const text =
    code === 'EADDRINUSE' || code === 'EACCES'
      ? `cannot listen on ${address}:${port}: ${code === 'EADDRINUSE' ? 'the address is in use' : 'permission denied'}; choose another with --port (or change listen in the config)`
      : formatLoadError(error, { color: colorsFor(process.stderr).isColorSupported });
  process.stderr.write(`${text}\n`);
}

/** The runtime logs the config's own warnings; what esbuild noticed in the source is ours to print. */
function printBundleWarnings(loaded: LoadedConfig): void {
  const color = colorsFor(process.stderr).isColorSupported;
  const bundleWarnings = loaded.warnings.filter((w) => !loaded.config.warnings.includes(w));
  for (const w of bundleWarnings) process.stderr.write(`${formatIssueWithFrame(w, { color })}\n`);
}

/** A running `start`/`dev` session: the proxy, and how to reload and stop it. */
class Session {
  readonly #options: ServeOptions;
  readonly #logger: ProxyLogger;
  readonly #proxy: RunningProxy;
  /** What else to close on stop (demo backends, the watcher), in order. */
  readonly #closers: (() => Promise<void>)[] = [];
  #reloading: Promise<unknown> = Promise.resolve();
  #stopping = false;

  constructor(options: ServeOptions, logger: ProxyLogger, proxy: RunningProxy) {
    this.#options = options;
    this.#logger = logger;
    this.#proxy = proxy;
  }

  get proxy(): RunningProxy {
    return this.#proxy;
  }

  onStop(close: () => Promise<void>): void {
    this.#closers.push(close);
  }

  /**
   * Reloads the config file through the runtime's reload path, one reload at a time. A bad
   * config prints its error and the running config keeps serving (the result is then undefined).
   */
  reload(why: string): Promise<LoadedConfig | undefined> {
    const next = this.#reloading.then(() => this.#reloadNow(why));
    this.#reloading = next;
    return next;
  }

  async #reloadNow(why: string): Promise<LoadedConfig | undefined> {
    if (this.#stopping) return undefined;
    const started = performance.now();
    try {
      const loaded = await load(this.#options);
      const before = this.#proxy.config;
      await this.#proxy.reload(loaded.config);
      printBundleWarnings(loaded);
      const ms = Math.round(performance.now() - started);
      const changes = describeChanges(before, loaded.config);
      this.#logger.info(`reloaded ${displayPath(this.#options.config)} (${why}) in ${ms} ms: ${changes}`);
      return loaded;
    } catch (error) {
      printError(error);
      this.#logger.warn(`reload (${why}) failed; still serving the previous config`);
      return undefined;
    }
  }

  /** Graceful stop: finish in-flight requests (bounded by the grace period), then exit 0. A second signal exits at once. */
  async stop(signal: string): Promise<void> {
    if (this.#stopping) process.exit(1);
    this.#stopping = true;
    this.#logger.info(`${signal}: stopping, letting in-flight requests finish (${signal} again exits now)`);
    await this.#reloading;
    await this.#proxy.close();
    for (const close of this.#closers) await close();
    process.exit(0);
  }
}

/** dev: reload when the config or a local file it imports changes; follow the new import list. */
async function watch(session: Session, options: ServeOptions, loaded: LoadedConfig): Promise<number> {
  const watcher = await watchConfig(options.config, loaded.inputs, {
    onChange: (changed) => {
      void session.reload(`${changed.map(displayPath).join(', ')} changed`).then(async (next) => {
        if (next) await watcher.update(next.inputs);
      });
    },
  });
  session.onStop(() => watcher.close());
  return watcher.files.length;
}

function printBanner(
  session: Session,
  options: ServeOptions,
  watched: number,
  demo: DemoBackends | undefined,
): void {
  const c = colorsFor(process.stdout);
  const { config, urls, url } = session.proxy;
  const file = displayPath(options.config);
  if (options.mode === 'start') {
    process.stdout.write(
      `tsx-proxy listening on ${urls.join(', ')} (config ${file}, ${count(config.routes.length, 'route')})\n`,
    );
    return;
  }
  const rows = [
    ['listen', urls.map((u) => c.cyan(u)).join(', ')],
    [
      'config',
      `${file} (${count(config.routes.length, 'route')}, ${count(config.balancers.size, 'balancer')})`,
    ],
    ['watch', `${count(watched, 'file')}: saving one reloads the config`],
  ];
  if (demo) {
    rows.push(['demo', demo.urls.map((u, i) => `demo-backend-${i + 1} ${u}`).join(', ')]);
    rows.push(['try', `curl ${url}/   ${c.dim('(run it a few times: each member answers in turn)')}`]);
  }
  const lines = rows.map(([k, v]) => `  ${c.dim(k!.padEnd(7))}${v}`);
  process.stdout.write(`\n${c.bold(c.green('tsx-proxy dev'))}\n${lines.join('\n')}\n\n`);
}

/**
 * `tsx-proxy start` / `tsx-proxy dev`: loads the config, starts the proxy, prints where it
 * listens, and wires the signals (SIGHUP reloads, SIGTERM/SIGINT stop gracefully); `dev` also
 * watches the config's files. Returns 1 when the proxy cannot start; otherwise the process
 * keeps serving and the result is 0.
 */
export async function runServe(options: ServeOptions): Promise<number> {
  let demo: DemoBackends | undefined;
  // The serving process's memory settings: each module says why and what it measured. Whoever
  // chose V8's WebAssembly compilers (node flags, NODE_OPTIONS) keeps their choice.
  const parserCompiled = precompileUndiciParser(!nodeFlagGiven(/liftoff|wasm[-_]lazy/));
  capYoungGeneration();
  paceScavenges();
  holdMemoryReducer();
  try {
    if (options.demo) demo = await startDemoBackends();
    const loaded = await load(options);
    await parserCompiled;
    printBundleWarnings(loaded);
    const logger = createCliLogger();
    // The config's `accessLog` wins over this default: on in dev, off in start (a leaner hot path).
    const proxy = await startProxy(loaded.config, {
      logger,
      hostname: hostname(),
      accessLog: options.mode === 'dev',
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host }),
    });
    const session = new Session(options, logger, proxy);
    const backends = demo;
    if (backends) session.onStop(() => backends.close());
    process.on('SIGTERM', () => void session.stop('SIGTERM'));
    process.on('SIGINT', () => void session.stop('SIGINT'));
    process.on('SIGHUP', () => void session.reload('SIGHUP'));
    const watched = options.mode === 'dev' ? await watch(session, options, loaded) : 0;
    printBanner(session, options, watched, demo);
    return 0;
  } catch (error) {
    printError(error);
    await demo?.close();
    return 1;
  }
}
