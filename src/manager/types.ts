/**
 * The contract between the balancer manager and the running proxy that serves it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveBalancer, MemberState } from '../balancer/types.js';
import type { ProxyConfig } from '../config/types.js';
import type { ProxyLogger } from '../runtime/types.js';
import type { ManagerJournal } from './journal.js';

/** What the data path knows of a request routed to the manager. */
export interface ManagerRequestInfo {
  /** Client address as the socket reports it (IPv4-mapped IPv6 forms are understood). */
  readonly clientIp: string;
  /** Path after the route prefix: `''` or `/` for the page, `/api...` for the JSON API. */
  readonly path: string;
  /** Query string without the `?`. */
  readonly query: string;
}

/** Serves one request to a manager route; never throws (errors become responses). */
export type ManagerHandler = (req: IncomingMessage, res: ServerResponse, info: ManagerRequestInfo) => void;

/** What the manager reads from the running proxy. */
export interface ManagerContext {
  /** The compiled config of the generation serving now (server name, default timeout, pristine values). */
  config(): ProxyConfig;
  /** The live balancers of the generation serving now, so a change applies to the next request. */
  balancers(): readonly LiveBalancer[];
  /** Where each change is reported, one line each. */
  readonly logger: ProxyLogger;
  /** Wall clock in milliseconds (the clock the engine's `errorTime` uses). */
  now(): number;
  /**
   * Runtime changes of this running proxy: one journal for the proxy's whole life, shared by
   * every generation, so changes survive reloads (and, with `persist`, restarts).
   */
  readonly journal: ManagerJournal;
  /** Called once the manager has added `member`: the running proxy starts its health check. */
  memberAdded(member: MemberState): void;
  /** Version shown in the page header. */
  readonly version?: string;
}
