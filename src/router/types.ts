/** What the router is asked and what it answers. */
import type {
  CompiledDenyRoute,
  CompiledManagerRoute,
  CompiledProxyRoute,
  CompiledRoute,
  CompiledTarget,
} from '../config/types.js';

/** One request as the router sees it. */
export interface RouteRequest {
  /** Request method as received (Node gives it in upper case). */
  readonly method: string;
  /** `Host` header value as received, port included, or undefined when the request had none. */
  readonly host?: string | undefined;
  /** Raw request-target: `path?query`, exactly as on the request line. */
  readonly url: string;
}

/** Proxy the request. */
export interface ProxyDecision {
  readonly kind: 'proxy';
  readonly route: CompiledProxyRoute;
  /** `route.target`, for convenience. */
  readonly target: CompiledTarget;
  /**
   * Upstream request-target (path and raw query) canonicalised as Apache does. For a URL
   * target it is complete (the upstream URL is the target's origin followed by it); for a
   * balancer it is the balancer-relative part that `joinMemberPath` puts after the chosen
   * member's own path.
   */
  readonly path: string;
}

/** The route refuses the request (Apache's `ProxyPass path !`); answered with 403. */
export interface DenyDecision {
  readonly kind: 'deny';
  readonly route: CompiledDenyRoute;
}

/** The balancer manager serves the request. */
export interface ManagerDecision {
  readonly kind: 'manager';
  readonly route: CompiledManagerRoute;
}

/** No route matches: not proxied (answered with 404). */
export interface NoneDecision {
  readonly kind: 'none';
}

/** Stable codes of refused request targets. */
export type RejectCode =
  | 'TSXP_BAD_PATH'
  | 'TSXP_ENCODED_SLASH'
  | 'TSXP_NUL_IN_PATH'
  | 'TSXP_BAD_QUERY'
  | 'TSXP_BAD_TARGET';

/** Every reject code, documented once. */
export const REJECT_CODES: Readonly<Record<RejectCode, string>> = {
  TSXP_BAD_PATH:
    "400: the path has an invalid %-escape, a '..' above the root or a '#' (Apache: same, before any route).",
  TSXP_ENCODED_SLASH: '404: the path has an encoded slash %2F (Apache with AllowEncodedSlashes Off).',
  TSXP_NUL_IN_PATH: '404: the path has an encoded NUL %00.',
  TSXP_BAD_QUERY:
    '403: the query (or a nocanon path) to forward holds a raw control character or space (Apache: same).',
  TSXP_BAD_TARGET:
    "400: the request-target is not a path (absolute-form, or '*' with a method other than OPTIONS).",
};

/** The request is refused before (or, for TSXP_BAD_QUERY, while) routing, as Apache refuses it. */
export interface RejectDecision {
  readonly kind: 'reject';
  readonly status: 400 | 403 | 404;
  readonly code: RejectCode;
  /** A short human-readable reason, for the log line and the response body. */
  readonly reason: string;
  /** The route that matched, for a refusal found while building the upstream request. */
  readonly route: CompiledRoute | undefined;
}

export type RouteDecision = ProxyDecision | DenyDecision | ManagerDecision | NoneDecision | RejectDecision;

/** A compiled route table. */
export interface Router {
  /** The decision for one request: the first route that matches wins. */
  decide(req: RouteRequest): RouteDecision;
}
