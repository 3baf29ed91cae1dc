export type { Balancer } from './dsl/balancer.js';
export { balancer } from './dsl/balancer.js';
export { defineConfig } from './dsl/define-config.js';
export type * from './dsl/params.js';
export type { Route, RouteBuilder } from './dsl/route.js';
export { route } from './dsl/route.js';
export type * from './dsl/spec.js';
export type * from './config/types.js';
