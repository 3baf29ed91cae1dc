/**
 * A differential scenario: one balancer built with the DSL, the backends behind it, a sequence
 * of requests and backend changes, and the outcome real Apache must produce.
 */
import type { Balancer } from '../../../src/dsl/balancer.js';
import type { Behaviour } from './backends.js';

/** One client request, sent to the scenario's route (`/<scenario>/<path>`). */
export interface DiffRequest {
  /** Default `GET` (`POST` when `bodySize` is given). */
  readonly method?: string;
  /** Path and query after the route prefix. Default `''`. */
  readonly path?: string;
  /** `Cookie` header. */
  readonly cookie?: string;
  /** Request body bytes. */
  readonly bodySize?: number;
  /** Response body bytes the backend should send. */
  readonly responseSize?: number;
}

export type Step =
  | { readonly kind: 'request'; readonly request: DiffRequest }
  | { readonly kind: 'down' | 'up'; readonly backend: string }
  | { readonly kind: 'behave'; readonly backend: string; readonly behaviour: Behaviour }
  | { readonly kind: 'wait'; readonly ms: number };

export interface Scenario {
  /** Also the balancer's name and the route prefix, so keep it URL-safe. */
  readonly name: string;
  /** Where in apache-semantics.md §10 (or the issue) the expectation comes from. */
  readonly source: string;
  /** Local names of the backends; each starts up, answering 200 with its name. */
  readonly backends: readonly string[];
  /** Adds the members (by backend URL) and parameters to the scenario's balancer. */
  readonly build: (b: Balancer, url: (backend: string) => string) => Balancer;
  readonly steps: readonly Step[];
  /**
   * What Apache must produce, one token per request, space-separated: the backend that served
   * it (`A`), `-` when none did, then `:status` unless it is 200 (`A:500`, `-:503`).
   */
  readonly expected: string;
  /**
   * Apache's `BALANCER_ROUTE_CHANGED` per request (`1` or `-`), space-separated, when the
   * scenario checks it.
   */
  readonly expectedRouteChanged?: string;
}

/** `n` identical requests. */
export function requests(n: number, request: DiffRequest = {}): Step[] {
  return Array.from({ length: n }, () => ({ kind: 'request' as const, request }));
}

/** One request. */
export function request(r: DiffRequest = {}): Step {
  return { kind: 'request', request: r };
}

/** Closes a backend's port (connects are refused) until `up`. */
export function down(backend: string): Step {
  return { kind: 'down', backend };
}

/** Listens again on a backend's port. */
export function up(backend: string): Step {
  return { kind: 'up', backend };
}

/** Changes how a backend answers from now on. */
export function behave(backend: string, behaviour: Behaviour): Step {
  return { kind: 'behave', backend, behaviour };
}

/** Lets time pass (retry intervals are whole seconds in Apache). */
export function wait(ms: number): Step {
  return { kind: 'wait', ms };
}

/** `pattern` repeated `times`, space-separated: `cycle('B A B B', 2)` → `'B A B B B A B B'`. */
export function cycle(pattern: string, times: number): string {
  return Array.from({ length: times }, () => pattern).join(' ');
}
