import { deepFreeze } from './freeze.js';
import type { BalancerParams, HealthCheck, LbMethod, MemberParams } from './params.js';
import { callSite } from './site.js';
import type { BalancerSpec, SpecSource } from './spec.js';

/**
 * A load balancer (Apache's `<Proxy balancer://name>`). Immutable: every method returns a new
 * balancer, so a base balancer can be shared and extended safely.
 */
export interface Balancer extends SpecSource<BalancerSpec> {
  /** The balancer's name (Apache's `balancer://name`). */
  readonly name: string;
  /**
   * Adds a member (Apache's `BalancerMember url params`).
   * @param url `http://`, `https://`, `ws://` or `wss://` URL of the upstream; a path is prefixed to every request.
   * @example balancer('app').member('http://10.0.0.2:8080', { loadfactor: 3, route: 'n2' })
   */
  member(url: string, params?: MemberParams): Balancer;
  /**
   * Sets the load-balancing method (Apache's `ProxySet lbmethod=`). Default `'byrequests'`.
   * @example balancer('img').lbmethod('bytraffic')
   */
  lbmethod(method: LbMethod): Balancer;
  /**
   * Sets balancer parameters (Apache's `ProxySet`); merged over earlier calls.
   * @example balancer('app').set({ stickysession: 'ROUTEID', failonstatus: [502, 503], maxattempts: 2 })
   */
  set(params: BalancerParams): Balancer;
  /**
   * Checks every member out of band (Apache's mod_proxy_hcheck); a member may override it.
   * @example balancer('app').healthCheck({ method: 'GET', uri: '/health', interval: '5s', fails: 3, passes: 2 })
   */
  healthCheck(check: HealthCheck): Balancer;
}

class BalancerBuilder implements Balancer {
  readonly #spec: BalancerSpec;

  constructor(spec: BalancerSpec) {
    this.#spec = deepFreeze(spec);
  }

  get name(): string {
    return this.#spec.name;
  }

  member(url: string, params: MemberParams = {}): Balancer {
    const member = { kind: 'member' as const, url, params: { ...params }, site: callSite() };
    return new BalancerBuilder({ ...this.#spec, members: [...this.#spec.members, member] });
  }

  lbmethod(method: LbMethod): Balancer {
    return new BalancerBuilder({ ...this.#spec, params: { ...this.#spec.params, lbmethod: method } });
  }

  set(params: BalancerParams): Balancer {
    return new BalancerBuilder({ ...this.#spec, params: { ...this.#spec.params, ...params } });
  }

  healthCheck(check: HealthCheck): Balancer {
    return new BalancerBuilder({ ...this.#spec, healthCheck: { ...check } });
  }

  toSpec(): BalancerSpec {
    return this.#spec;
  }
}

/**
 * Creates a load balancer (Apache's `<Proxy balancer://name>`), to which members are added
 * with `.member()`. Use it as a route target: `route('/app/').to(app)`.
 * @example
 * const app = balancer('app')
 *   .member('http://127.0.0.1:3001')
 *   .member('http://127.0.0.1:3002', { loadfactor: 3 })
 *   .member('http://127.0.0.1:3003', { status: '+H' })
 *   .lbmethod('byrequests');
 */
export function balancer(name: string): Balancer {
  return new BalancerBuilder({
    kind: 'balancer',
    name,
    members: [],
    params: {},
    healthCheck: undefined,
    site: callSite(),
  });
}
