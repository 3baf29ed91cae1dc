/**
 * The contract between the running proxy (src/runtime, src/proxy) and what drives it
 * (src/cli, src/testing). The proxy never prints: it reports events to a `ProxyLogger`.
 */
import type { ConfigSpec } from '../dsl/spec.js';
import type { ProxyConfig } from '../config/types.js';

/** One finished request, as the access log shows it. */
export interface RequestEvent {
  readonly method: string;
  readonly path: string;
  /** Route label (`/images/`, `~ /regex/`), or undefined when no route matched. */
  readonly route: string | undefined;
  /** Member URL that served it, when proxied. */
  readonly member: string | undefined;
  readonly status: number;
  readonly durationMs: number;
  readonly clientIp: string;
}

/** An upstream or proxy error, always naming the route and member when known. */
export interface ErrorEvent {
  /** Stable code: TSXP_UPSTREAM_CONNECT, TSXP_UPSTREAM_TIMEOUT, TSXP_UPSTREAM_RESET, TSXP_NO_MEMBER, ... */
  readonly code: string;
  readonly message: string;
  readonly route: string | undefined;
  readonly member: string | undefined;
  readonly status: number | undefined;
}

export interface ProxyLogger {
  request(event: RequestEvent): void;
  error(event: ErrorEvent): void;
  /** Anything else worth one line (listening, reload, member state changes). */
  info(message: string): void;
  warn(message: string): void;
}

export interface StartOptions {
  /** Overrides the first `listen` entry's port (0: an ephemeral port). */
  readonly port?: number;
  /** Overrides the first `listen` entry's host. */
  readonly host?: string;
  readonly logger?: ProxyLogger;
  /** Host name used as the default `serverName`. */
  readonly hostname?: string;
  /**
   * Whether `logger.request` is called for every request when the config's `accessLog` is not
   * set (the config wins). Default true; `start` passes false to keep the hot path lean.
   */
  readonly accessLog?: boolean;
}

/** A running proxy. */
export interface RunningProxy {
  /** `http://host:port` of the first listener. */
  readonly url: string;
  /** Every listener's URL. */
  readonly urls: readonly string[];
  /** The config being served now. */
  readonly config: ProxyConfig;
  /** Swaps in a new config without dropping requests; throws ConfigError and keeps the old one when invalid. */
  reload(config: ConfigSpec | ProxyConfig): Promise<void>;
  /** Stops accepting, lets in-flight requests finish (bounded by the grace period), frees every socket and timer. */
  close(): Promise<void>;
}
