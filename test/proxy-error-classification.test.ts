import { errors } from 'undici';
import { expect, test } from 'vitest';
import { classifyUpstreamError } from '../src/proxy/errors.js';

function sysError(code: string): Error {
  return Object.assign(new Error(`${code} 127.0.0.1:1`), { code });
}

test.each([
  // [error, request already written?, status, code, balancer outcome]
  [sysError('ECONNREFUSED'), false, 503, 'TSXP_UPSTREAM_CONNECT', 'connect-failed'],
  [new errors.ConnectTimeoutError(), false, 503, 'TSXP_UPSTREAM_CONNECT', 'connect-failed'],
  [sysError('EHOSTUNREACH'), false, 503, 'TSXP_UPSTREAM_CONNECT', 'connect-failed'],
  [sysError('ENOTFOUND'), false, 500, 'TSXP_UPSTREAM_DNS', 'failed'],
  [new errors.HeadersTimeoutError(), true, 504, 'TSXP_UPSTREAM_TIMEOUT', 'timeout'],
  [new errors.BodyTimeoutError(), true, 504, 'TSXP_UPSTREAM_TIMEOUT', 'timeout'],
  [new errors.SocketError('other side closed'), true, 502, 'TSXP_UPSTREAM_RESET', 'failed'],
  [sysError('ECONNRESET'), true, 502, 'TSXP_UPSTREAM_RESET', 'failed'],
  [new errors.ResponseContentLengthMismatchError(), true, 502, 'TSXP_UPSTREAM_INVALID', 'failed'],
  [new errors.ClientDestroyedError(), false, 503, 'TSXP_UPSTREAM_CLOSED', undefined],
  [new errors.InvalidArgumentError('invalid header'), false, 400, 'TSXP_BAD_UPSTREAM_REQUEST', undefined],
  [sysError('ERR_TLS_CERT_ALTNAME_INVALID'), false, 502, 'TSXP_UPSTREAM_TLS', 'failed'],
  [sysError('DEPTH_ZERO_SELF_SIGNED_CERT'), false, 502, 'TSXP_UPSTREAM_TLS', 'failed'],
] as const)('%s (sent: %s) answers %i with %s', (err, sent, status, code, outcome) => {
  const f = classifyUpstreamError(err, sent);
  expect(f.status).toBe(status);
  expect(f.code).toBe(code);
  expect(f.outcome?.type).toBe(outcome);
});

test('a socket error before the request went out is a failed connect (503, fails over); after, a reset (502)', () => {
  expect(classifyUpstreamError(new errors.SocketError('closed'), false)).toMatchObject({
    status: 503,
    outcome: { type: 'connect-failed' },
  });
  expect(classifyUpstreamError(new errors.SocketError('closed'), true)).toMatchObject({
    status: 502,
    outcome: { type: 'failed' },
  });
});
