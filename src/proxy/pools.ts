/**
 * One undici `Pool` per upstream origin and connection settings, shared by every config
 * generation that uses it, closed once no generation holds it any more.
 */
import { Pool } from './undici-pool.js';
import type { CompiledMember } from '../config/types.js';

/** The settings that shape a pool; the rest (timeouts, disablereuse) is set per request. */
function poolKey(m: CompiledMember): string {
  return `${m.url.origin}|${m.max}|${m.ttlMs}|${m.connectTimeoutMs}|${m.keepalive ? 1 : 0}`;
}

function createPool(m: CompiledMember): Pool {
  return new Pool(m.url.origin, {
    connections: m.max,
    // Apache's `ttl`: idle kept-alive connections close after it; a backend's own shorter
    // `Keep-Alive: timeout=` hint still wins, which avoids reusing a connection it is closing.
    keepAliveTimeout: m.ttlMs,
    keepAliveMaxTimeout: m.ttlMs,
    connect: { timeout: m.connectTimeoutMs, keepAlive: m.keepalive },
  });
}

interface Entry {
  readonly pool: Pool;
  refs: number;
}

/** Pools by key with reference counts: a generation retains the pools it uses and releases them when retired. */
export class PoolRegistry {
  readonly #entries = new Map<string, Entry>();
  /** Released pools still finishing their requests. */
  readonly #closing = new Set<Pool>();

  /** The pool for a member (created on first use); counts one reference for the generation whose keys are `held`, once. */
  retain(member: CompiledMember, held: Set<string>): Pool {
    const key = poolKey(member);
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { pool: createPool(member), refs: 0 };
      this.#entries.set(key, entry);
    }
    if (!held.has(key)) {
      held.add(key);
      entry.refs++;
    }
    return entry.pool;
  }

  /** Drops the references in `held`; a pool nobody holds closes once its requests are done. */
  release(held: Iterable<string>): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const key of held) {
      const entry = this.#entries.get(key);
      if (!entry || --entry.refs > 0) continue;
      this.#entries.delete(key);
      const pool = entry.pool;
      this.#closing.add(pool);
      closing.push(
        pool.close().then(
          () => void this.#closing.delete(pool),
          () => void this.#closing.delete(pool),
        ),
      );
    }
    return Promise.all(closing).then(() => {});
  }

  /** Destroys every pool at once (end of the grace period): in-flight requests fail. */
  destroyAll(): Promise<void> {
    const all = [...[...this.#entries.values()].map((e) => e.pool), ...this.#closing];
    this.#entries.clear();
    this.#closing.clear();
    const pools = all.map((pool) => pool.destroy().catch(() => {}));
    return Promise.all(pools).then(() => {});
  }

  /** Number of live pools (for tests and the manager). */
  get size(): number {
    return this.#entries.size;
  }
}
