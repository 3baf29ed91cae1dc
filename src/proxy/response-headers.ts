/**
 * The response headers sent to the client, as Apache's mod_proxy_http passes them
 * (`ap_proxy_clear_connection`, `process_proxy_header`): hop-by-hop headers and those named in
 * `Connection` dropped, `Location`/`Content-Location`/`URI`/`Destination` and `Set-Cookie`
 * mapped back through the route, an extra `Via` line, then the config's Header operations
 * (mod_headers runs after the proxy, so they see the final response).
 */
import type { ProxyConfig } from '../config/types.js';
import { connectionTokens } from './request-headers.js';

const COPY = 0;
const DROP = 1;
const LOCATION = 2;
const COOKIE = 3;
const SLOT = 16;

/** Rewrites of one route's response headers (ProxyPassReverse and its cookie variants). */
export interface ReverseMapper {
  /**
   * Maps a `Location`-like value back to the public URL (`host`: the client's `Host`, for a
   * result that has to be made absolute), or returns it unchanged.
   */
  location(value: string, host: string | undefined): string;
  /** Maps one `Set-Cookie` value (path and domain), or returns it unchanged. */
  cookie(value: string): string;
}

interface Slot {
  readonly name: string;
  readonly clear: boolean;
  readonly set: string | undefined;
  readonly append: string | undefined;
}

/** Dropped from every response (Apache 7.6); `Upgrade`/`Connection` are kept on a 101 by the upgrade path. */
const HOP_BY_HOP = [
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'te',
  'trailer',
  'upgrade',
  'transfer-encoding',
];

type HeaderValue = string | string[] | undefined;

/** Response header rules of one config generation, precomputed once. */
export class ResponseHeaderRules {
  readonly #codes = new Map<string, number>();
  readonly #slots: Slot[] = [];

  constructor(config: ProxyConfig) {
    for (const name of HOP_BY_HOP) this.#codes.set(name, DROP);
    for (const name of ['location', 'content-location', 'uri', 'destination'])
      this.#codes.set(name, LOCATION);
    this.#codes.set('set-cookie', COOKIE);
    const ops = config.headers.response;
    const slots = new Map<string, { clear: boolean; set?: string; append?: string }>();
    for (const name of ops.unset) slots.set(name, { clear: true });
    for (const [name, value] of ops.set) slots.set(name, { clear: true, set: value });
    for (const [name, value] of ops.append) {
      const s = slots.get(name) ?? { clear: false };
      s.append = s.append === undefined ? value : `${s.append}, ${value}`;
      slots.set(name, s);
    }
    for (const [name, s] of slots) {
      // An operation on a hop-by-hop header would be undone by Node or break framing.
      if (this.#codes.get(name) === DROP) continue;
      this.#codes.set(name, SLOT + this.#slots.length);
      this.#slots.push({ name, clear: s.clear, set: s.set, append: s.append });
    }
  }

  /**
   * The flat `[name, value, ...]` array for `res.writeHead` from undici's parsed headers.
   * `mapper` is the route's reverse mapping, or undefined when it has none (`host`: the
   * client's `Host`); `via` the extra `Via` line (ProxyVia on); `keepUpgrade` keeps `Upgrade`
   * and `Connection` (a 101).
   */
  build(
    headers: Record<string, HeaderValue>,
    mapper: ReverseMapper | undefined,
    host: string | undefined,
    via: string | undefined,
    keepUpgrade: boolean,
  ): (string | string[])[] {
    const out: (string | string[])[] = [];
    const conn = headers.connection;
    const named = typeof conn === 'string' ? connectionTokens(conn) : undefined;
    let collected: (string | undefined)[] | undefined;
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined) continue;
      const code = this.#codes.get(name) ?? COPY;
      if (code === COPY) {
        if (named?.has(name)) continue;
        out.push(name, value);
      } else if (code === DROP) {
        if (keepUpgrade && (name === 'upgrade' || name === 'connection')) out.push(name, value);
      } else if (code === LOCATION) {
        if (named?.has(name)) continue;
        out.push(name, mapper ? mapValue(value, (v) => mapper.location(v, host)) : value);
      } else if (code === COOKIE) {
        if (named?.has(name)) continue;
        out.push(name, mapper ? mapValue(value, mapper.cookie) : value);
      } else {
        collected ??= [];
        collected[code - SLOT] = Array.isArray(value) ? value.join(', ') : value;
      }
    }
    if (via !== undefined) out.push('via', via);
    for (let i = 0; i < this.#slots.length; i++) {
      const s = this.#slots[i]!;
      let value = s.clear || !collected ? undefined : collected[i];
      if (s.set !== undefined) value = s.set;
      if (s.append !== undefined) value = value === undefined ? s.append : `${value}, ${s.append}`;
      if (value !== undefined) out.push(s.name, value);
    }
    return out;
  }
}

function mapValue(value: string | string[], map: (v: string) => string): string | string[] {
  return Array.isArray(value) ? value.map(map) : map(value);
}
