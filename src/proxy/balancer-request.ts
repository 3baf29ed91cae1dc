/** A proxied request as the balancer engine reads it (method, sticky URL, cookie, client, headers). */
import type { IncomingMessage } from 'node:http';
import type { BalancerRequest } from '../balancer/types.js';

/** The `BalancerRequest` of one proxied request, created once and reused for failover attempts. */
export class ExchangeBalancerRequest implements BalancerRequest {
  readonly method: string;
  readonly url: string;
  readonly cookie: string | undefined;
  readonly clientIp: string;
  readonly #req: IncomingMessage;

  /** `url`: the balancer-relative path and query, where Apache looks for sticky URL parameters. */
  constructor(req: IncomingMessage, url: string, clientIp: string) {
    this.#req = req;
    this.method = req.method ?? 'GET';
    this.url = url;
    this.cookie = req.headers.cookie;
    this.clientIp = clientIp;
  }

  header(name: string): string | undefined {
    const v = this.#req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }
}
