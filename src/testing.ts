/**
 * `tsx-proxy/testing`: assert routing and balancing in your own tests.
 * - `resolveRoute`: the pure routing decision for one request (no network).
 * - `simulate`: a balancer's pick sequence, computed by the very engine the proxy runs.
 * - `startProxy`: a real running proxy on loopback for integration tests.
 */
export type { ResolvedBalancer, ResolvedRoute, ResolveRequest } from './testing/resolve-route.js';
export { resolveRoute } from './testing/resolve-route.js';
export type {
  MemberSnapshot,
  Scenario,
  ScenarioEvent,
  SimPick,
  SimRequest,
  SimResult,
} from './testing/simulate.js';
export { simulate } from './testing/simulate.js';
export type { ProxyLogger, RunningProxy, StartOptions } from './runtime/types.js';
export { startProxy } from './testing/start-proxy.js';
