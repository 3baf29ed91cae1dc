/**
 * A generation: one compiled config with its router, live balancers and request path. A reload
 * builds a new one, carrying member state (counters, error state, manager changes) and pools
 * over by key, and the runtime swaps one reference.
 */
import { createLiveBalancer } from '../balancer/index.js';
import { type HealthChecks, startHealthChecks } from '../health/index.js';
import type { LiveBalancer, MemberState } from '../balancer/types.js';
import type { ProxyConfig } from '../config/types.js';
import type { RouteHandler } from '../proxy/context.js';
import type { PoolRegistry } from '../proxy/pools.js';
import { ProxyGeneration } from '../proxy/proxy-generation.js';
import type { ProxyLogger } from './types.js';
import { decideFor } from './decide.js';
import type { Duplex } from 'node:stream';

export interface GenerationDeps {
  readonly pools: PoolRegistry;
  readonly logger: ProxyLogger;
  readonly accessLog: boolean;
  readonly handlers: { readonly manager?: RouteHandler };
  readonly trackTunnel: (socket: Duplex) => void;
}

/** One config generation: compiled config, live balancers (state carried from `previous`), request path. */
export class Generation {
  readonly config: ProxyConfig;
  readonly balancers: ReadonlyMap<string, LiveBalancer>;
  readonly proxy: ProxyGeneration;
  #health: HealthChecks | undefined;

  constructor(config: ProxyConfig, deps: GenerationDeps, previous: Generation | undefined) {
    this.config = config;
    const states = previous?.memberStates();
    const balancers = new Map<string, LiveBalancer>();
    for (const [name, compiled] of config.balancers)
      balancers.set(name, createLiveBalancer(compiled, states));
    this.balancers = balancers;
    this.proxy = new ProxyGeneration({
      config,
      decide: decideFor(config),
      balancers,
      pools: deps.pools,
      logger: deps.logger,
      accessLog: config.accessLog ?? deps.accessLog,
      handlers: deps.handlers,
      trackTunnel: deps.trackTunnel,
    });
  }

  /** Live state of every balancer member, by key (`balancer|url`). */
  memberStates(): Map<string, MemberState> {
    const states = new Map<string, MemberState>();
    for (const b of this.balancers.values()) for (const m of b.members) states.set(m.key, m);
    return states;
  }

  /**
   * Starts active health checks of this generation's members. Called once the generation is
   * complete (manager state restored), so members added at runtime are checked too.
   */
  startHealthChecks(logger: ProxyLogger): void {
    this.#health = startHealthChecks([...this.balancers.values()], { logger });
  }

  /** Starts the health check of a member the balancer manager added to this generation. */
  checkAddedMember(member: MemberState): void {
    this.#health?.add(member);
  }

  /** Stops the health checks: no timer or probe socket is left behind. */
  stopHealthChecks(): void {
    this.#health?.stop();
  }

  /** No longer current: resolves when its last request has ended and its pools are let go. */
  retire(): Promise<void> {
    this.stopHealthChecks();
    return this.proxy.retire();
  }
}
