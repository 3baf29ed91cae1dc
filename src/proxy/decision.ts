/**
 * What the request path needs from the router for one request: the router's own decision
 * (src/router/types.ts), asked with three arguments.
 */
import type { RouteDecision } from '../router/types.js';

export type Decision = RouteDecision;

/** The router of one generation: method, raw request target and Host header to a decision. */
export type Decide = (method: string, url: string, host: string | undefined) => Decision;
