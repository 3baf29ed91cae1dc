/** `startProxy` for `tsx-proxy/testing`: a real running proxy for integration tests. */
export { startProxy } from '../runtime/start-proxy.js';
export type { ErrorEvent, ProxyLogger, RequestEvent, RunningProxy, StartOptions } from '../runtime/types.js';
