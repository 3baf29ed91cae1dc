/**
 * What an upstream failure means for the client and for the balancer: the status answered,
 * the stable `TSXP_*` code logged, and the attempt outcome the balancer records.
 */
import type { AttemptOutcome } from '../balancer/types.js';
import type { ProxyLogger, RequestEvent } from '../runtime/types.js';

/** Every error code the data path logs, documented once (the README's table lists them). */
export const PROXY_ERROR_CODES = {
  TSXP_UPSTREAM_CONNECT:
    '503: the upstream refused the connection, or connecting timed out (`connectiontimeout`); a balancer fails over.',
  TSXP_ACQUIRE_TIMEOUT: '503: every connection to the upstream was busy for longer than its `acquire` time.',
  TSXP_PING_FAILED:
    '503: a member with `ping` did not answer its check within `ping`, twice (the second time on a new connection); the request body was not sent, a balancer fails over.',
  TSXP_NO_USABLE_MEMBER: '503: no balancer member can take the request (all in error, disabled or stopped).',
  TSXP_STICKY_ROUTE_UNUSABLE:
    "503: the sticky session's member is unusable and the balancer has `nofailover`.",
  TSXP_UPSTREAM_CLOSED: '503: the connection pool was closed (the proxy is stopping).',
  TSXP_UPSTREAM_DNS: "500: the upstream's host name did not resolve (Apache answers 500 too).",
  TSXP_UPSTREAM_TLS: '502: the TLS handshake with the upstream failed (certificate or protocol).',
  TSXP_UPSTREAM_RESET: '502: the upstream closed or reset the connection before a complete response.',
  TSXP_UPSTREAM_INVALID: '502: the upstream sent something that is not a valid HTTP/1.1 response.',
  TSXP_UPSTREAM_TIMEOUT:
    '504: the upstream did not answer within `timeout` (Apache answers 502; see the README).',
  TSXP_UPSTREAM_ABORTED:
    'The upstream failed after the response started: the client connection is closed, never a truncated body that looks complete.',
  TSXP_BAD_UPSTREAM_REQUEST: '400: the request cannot be forwarded as it is (a header undici refuses).',
  TSXP_INTERNAL: '500: an unexpected error in the proxy itself (a bug: please report it).',
} as const;

export type ProxyErrorCode = keyof typeof PROXY_ERROR_CODES;

/** One upstream failure, classified. */
export interface UpstreamFailure {
  readonly code: ProxyErrorCode;
  readonly status: number;
  /** What the balancer records, or undefined when the member is not to blame. */
  readonly outcome: AttemptOutcome | undefined;
  readonly message: string;
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
// Proxied requests time out with our code (proxy-timeout.ts); undici's own are for a ping's request.
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'TSXP_UPSTREAM_TIMEOUT']);
const INVALID = new Set([
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_NOT_SUPPORTED',
]);
const CLOSED = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

function isTls(code: string): boolean {
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
  );
}

/**
 * Classifies an undici error. `requestSent`: undici had started writing the request (the
 * connection existed), so a socket error is a reset, not a failed connect.
 */
export function classifyUpstreamError(err: Error, requestSent: boolean): UpstreamFailure {
  const code = String((err as { code?: unknown }).code ?? '');
  const detail = code ? `${code}: ${err.message}` : err.message;
  if (DNS.has(code)) {
    return {
      code: 'TSXP_UPSTREAM_DNS',
      status: 500,
      outcome: { type: 'failed', reason: detail, status: 500 },
      message: `upstream host not found (${detail})`,
    };
  }
  if (isTls(code)) {
    return {
      code: 'TSXP_UPSTREAM_TLS',
      status: 502,
      outcome: { type: 'failed', reason: detail },
      message: `TLS handshake with the upstream failed (${detail})`,
    };
  }
  if (TIMEOUT.has(code)) {
    return {
      code: 'TSXP_UPSTREAM_TIMEOUT',
      status: 504,
      outcome: { type: 'timeout' },
      message: `upstream timed out (${detail})`,
    };
  }
  if (CLOSED.has(code)) {
    return { code: 'TSXP_UPSTREAM_CLOSED', status: 503, outcome: undefined, message: detail };
  }
  if (code === 'UND_ERR_INVALID_ARG') {
    return { code: 'TSXP_BAD_UPSTREAM_REQUEST', status: 400, outcome: undefined, message: detail };
  }
  if (code.startsWith('HPE_') || err.name === 'HTTPParserError' || INVALID.has(code)) {
    return {
      code: 'TSXP_UPSTREAM_INVALID',
      status: 502,
      outcome: { type: 'failed', reason: detail },
      message: `invalid response from upstream (${detail})`,
    };
  }
  if (!requestSent) {
    return {
      code: 'TSXP_UPSTREAM_CONNECT',
      status: 503,
      outcome: { type: 'connect-failed', reason: detail },
      message: `cannot connect to upstream (${detail})`,
    };
  }
  return {
    code: 'TSXP_UPSTREAM_RESET',
    status: 502,
    outcome: { type: 'failed', reason: detail },
    message: `upstream connection failed (${detail})`,
  };
}

/** The acquire timeout, as Apache counts it: a proxy-generated 503 that fails over. */
export function acquireTimeout(ms: number): UpstreamFailure {
  const reason = `no free connection within acquire=${ms}ms`;
  return {
    code: 'TSXP_ACQUIRE_TIMEOUT',
    status: 503,
    outcome: { type: 'connect-failed', reason },
    message: reason,
  };
}

/** A member that did not answer its `ping` check: a proxy-generated 503 that fails over, as in Apache. */
export function pingFailed(ms: number, detail: string): UpstreamFailure {
  const reason = `no answer to the ping check within ping=${ms}ms (${detail})`;
  return {
    code: 'TSXP_PING_FAILED',
    status: 503,
    outcome: { type: 'connect-failed', reason },
    message: reason,
  };
}

/** Logs a bug met while serving (never thrown into the event loop), without letting a broken logger throw. */
export function reportInternalError(logger: ProxyLogger, err: unknown): void {
  try {
    logger.error({
      code: 'TSXP_INTERNAL',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
      route: undefined,
      member: undefined,
      status: 500,
    });
  } catch {
    // The logger itself failed: nothing left to report to.
  }
}

/** The access-log line of one request; a logger that throws is reported, not propagated. */
export function logRequest(logger: ProxyLogger, event: RequestEvent): void {
  try {
    logger.request(event);
  } catch (err) {
    reportInternalError(logger, err);
  }
}
