/**
 * The running proxy: listeners, the current generation, reloads that swap it without dropping
 * a request, and a graceful stop.
 */
import { hostname as osHostname } from 'node:os';
import type { Duplex } from 'node:stream';
import { compile } from '../config/compile.js';
import type { ProxyConfig } from '../config/types.js';
import type { ConfigSpec } from '../dsl/spec.js';
import type { RouteHandler } from '../proxy/context.js';
import { type Listener, listen, type RequestSink } from '../proxy/listener.js';
import { PoolRegistry } from '../proxy/pools.js';
import { createManagerJournal, managerRouteHandler } from '../manager/index.js';
import { Generation } from './generation.js';
import type { ProxyLogger, RunningProxy, StartOptions } from './types.js';

type Address = { readonly host: string; readonly port: number };

/** Logs errors and warnings to stderr; the CLI and tests pass their own logger. */
const DEFAULT_LOGGER: ProxyLogger = {
  request() {},
  info() {},
  warn(message) {
    console.error(`tsx-proxy warning: ${message}`);
  },
  error(e) {
    console.error(`tsx-proxy ${e.code} route ${e.route ?? '-'} member ${e.member ?? '-'}: ${e.message}`);
  },
};

function sameAddress(a: Address, b: Address): boolean {
  return a.host === b.host && a.port === b.port;
}

class Runtime implements RunningProxy {
  readonly #opts: StartOptions;
  readonly #logger: ProxyLogger;
  readonly #pools = new PoolRegistry();
  readonly #tunnels = new Set<Duplex>();
  readonly #handlers: { manager?: RouteHandler } = {};
  /** Balancer-manager changes, kept across reloads (and restarts, with `persist`). */
  readonly #journal = createManagerJournal();
  #generation!: Generation;
  #listeners: Listener[] = [];
  /** What the listeners read on every request. */
  readonly #sink: { current: RequestSink };
  #closing: Promise<void> | undefined;
  /** Reloads run one at a time, in order. */
  #reloading: Promise<void> = Promise.resolve();

  constructor(opts: StartOptions) {
    this.#opts = opts;
    this.#logger = opts.logger ?? DEFAULT_LOGGER;
    this.#sink = { current: undefined as unknown as RequestSink };
    this.#handlers.manager = managerRouteHandler({
      config: () => this.#generation.config,
      balancers: () => [...this.#generation.balancers.values()],
      logger: this.#logger,
      now: Date.now,
      journal: this.#journal,
      memberAdded: (member) => this.#generation.checkAddedMember(member),
    });
  }

  get url(): string {
    return this.#listeners[0]!.url;
  }

  get urls(): readonly string[] {
    return this.#listeners.map((l) => l.url);
  }

  get config(): ProxyConfig {
    return this.#generation.config;
  }

  #compile(config: ConfigSpec | ProxyConfig): ProxyConfig {
    return compile(config, { hostname: this.#opts.hostname ?? osHostname() });
  }

  /** The listen addresses of a config, with the CLI's `--port`/`--host` applied to the first. */
  #addresses(config: ProxyConfig): Address[] {
    const list = config.listen.map((a) => ({ host: a.host, port: a.port }));
    const first = list[0] ?? { host: '127.0.0.1', port: 8080 };
    list[0] = { host: this.#opts.host ?? first.host, port: this.#opts.port ?? first.port };
    return list;
  }

  #build(config: ProxyConfig, previous: Generation | undefined): Generation {
    const generation = new Generation(
      config,
      {
        pools: this.#pools,
        logger: this.#logger,
        accessLog: this.#opts.accessLog ?? true,
        handlers: this.#handlers,
        trackTunnel: (socket) => this.#track(socket),
      },
      previous,
    );
    this.#journal.restore(config, [...generation.balancers.values()], this.#logger);
    generation.startHealthChecks(this.#logger);
    return generation;
  }

  #track(socket: Duplex): void {
    this.#tunnels.add(socket);
    socket.once('close', () => this.#tunnels.delete(socket));
  }

  async start(config: ConfigSpec | ProxyConfig): Promise<void> {
    const compiled = this.#compile(config);
    this.#generation = this.#build(compiled, undefined);
    this.#sink.current = this.#generation.proxy;
    try {
      for (const address of this.#addresses(compiled))
        this.#listeners.push(await listen(address, this.#sink));
    } catch (err) {
      await this.#shutdown(0);
      throw err;
    }
    for (const w of compiled.warnings) this.#logger.warn(`${w.code} ${w.path}: ${w.message}`);
  }

  reload(config: ConfigSpec | ProxyConfig): Promise<void> {
    const next = this.#reloading.then(() => this.#reload(config));
    this.#reloading = next.catch(() => {});
    return next;
  }

  async #reload(config: ConfigSpec | ProxyConfig): Promise<void> {
    if (this.#closing) throw new Error('tsx-proxy is stopping; reload refused');
    const compiled = this.#compile(config);
    const addresses = this.#addresses(compiled);
    // Bind new addresses before swapping anything, so a failed bind leaves the old config serving.
    const kept: (Listener | undefined)[] = addresses.map((a) =>
      this.#listeners.find((l) => sameAddress(l.configured, a)),
    );
    const bound: Listener[] = [];
    try {
      for (let i = 0; i < addresses.length; i++) {
        if (kept[i]) continue;
        const listener = await listen(addresses[i]!, this.#sink);
        kept[i] = listener;
        bound.push(listener);
      }
    } catch (err) {
      await Promise.all(bound.map((l) => l.close()));
      throw err;
    }
    const previous = this.#generation;
    const generation = this.#build(compiled, previous);
    this.#generation = generation;
    this.#sink.current = generation.proxy;
    const dropped = this.#listeners.filter((l) => !kept.includes(l));
    this.#listeners = kept as Listener[];
    for (const l of dropped) void l.close();
    void previous.retire();
    for (const w of compiled.warnings) this.#logger.warn(`${w.code} ${w.path}: ${w.message}`);
  }

  close(): Promise<void> {
    this.#closing ??= this.#reloading.then(() => this.#shutdown(this.#generation?.config.gracePeriodMs ?? 0));
    return this.#closing;
  }

  async #shutdown(graceMs: number): Promise<void> {
    this.#generation?.stopHealthChecks();
    const closed = Promise.all(this.#listeners.map((l) => l.close()));
    // Upgraded connections have no request to finish: close them gracefully now.
    for (const socket of this.#tunnels) socket.end();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const result = await Promise.race([closed.then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    if (result === 'late') {
      // Cut what is left; nothing more is awaited, so close() always resolves.
      for (const l of this.#listeners) l.destroy();
      for (const socket of this.#tunnels) socket.destroy();
    } else {
      await this.#generation?.retire();
    }
    await this.#pools.destroyAll();
    // A manager change or a restore may still be writing the `persist` file.
    await this.#journal.settled();
  }
}

/**
 * Starts a proxy serving `config` on its `listen` addresses (the first overridden by
 * `opts.port` / `opts.host`). Resolves once every listener is bound.
 * @example
 * const proxy = await startProxy(config, { port: 0 });
 * await fetch(`${proxy.url}/api/users`);
 * await proxy.close();
 */
export async function startProxy(
  config: ConfigSpec | ProxyConfig,
  opts: StartOptions = {},
): Promise<RunningProxy> {
  const runtime = new Runtime(opts);
  await runtime.start(config);
  return runtime;
}
