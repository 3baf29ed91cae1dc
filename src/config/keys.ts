import type {
  BalancerParams,
  ConnectionParams,
  HealthCheck,
  ManagerOptions,
  MemberParams,
  RouteCookie,
  RouteOptions,
  TargetParams,
} from '../dsl/params.js';
import type { ConfigInput } from '../dsl/spec.js';

/**
 * The option names of each DSL type, as runtime lists for unknown-key checks and the README's
 * reference. `Exact` makes tsc fail when a list and its type drift apart.
 */
type Exact<T, K extends readonly PropertyKey[]> = [Exclude<keyof T, K[number]>] extends [never]
  ? [Exclude<K[number], keyof T>] extends [never]
    ? K
    : never
  : never;

function keys<T>() {
  return <const K extends readonly (keyof T)[]>(k: Exact<T, K>): K => k;
}

export const CONNECTION_KEYS = keys<ConnectionParams>()([
  'retry',
  'timeout',
  'connectiontimeout',
  'ttl',
  'max',
  'smax',
  'acquire',
  'keepalive',
  'disablereuse',
  'ping',
]);

export const MEMBER_KEYS = keys<MemberParams>()([
  ...CONNECTION_KEYS,
  'loadfactor',
  'lbset',
  'status',
  'route',
  'redirect',
  'healthCheck',
]);

export const TARGET_KEYS = keys<TargetParams>()([
  ...CONNECTION_KEYS,
  'reverse',
  'preserveHost',
  'nocanon',
  'path',
  'reverseCookieDomain',
  'reverseCookiePath',
]);

export const BALANCER_KEYS = keys<BalancerParams>()([
  'lbmethod',
  'maxattempts',
  'nofailover',
  'failonstatus',
  'failontimeout',
  'forcerecovery',
  'stickysession',
  'stickysessionsep',
  'scolonpathdelim',
  'timeout',
  'growth',
  'nonce',
  'routeCookie',
  'hashkey',
]);

export const HEALTH_KEYS = keys<HealthCheck>()([
  'method',
  'uri',
  'interval',
  'passes',
  'fails',
  'timeout',
  'expect',
]);
export const ROUTE_COOKIE_KEYS = keys<RouteCookie>()([
  'name',
  'path',
  'maxAge',
  'httpOnly',
  'secure',
  'sameSite',
]);
export const ROUTE_OPTION_KEYS = keys<RouteOptions>()(['host', 'methods']);
export const MANAGER_KEYS = keys<ManagerOptions>()(['allow', 'nonce', 'persist']);
export const CONFIG_KEYS = keys<ConfigInput>()([
  'listen',
  'routes',
  'preserveHost',
  'timeout',
  'serverName',
  'via',
  'addForwardedHeaders',
  'headers',
  'accessLog',
  'gracePeriod',
]);
