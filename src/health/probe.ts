/**
 * One active health check of one member, over its own connection settings: a fresh connection
 * each time (Apache closes its check connections too), `connectiontimeout` for the connect, the
 * member `timeout` between reads, the whole check bounded by the check's `timeout`. The socket is
 * always destroyed when the check ends, whatever ended it.
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { HealthResponse } from '../dsl/params.js';
import type { CompiledHealthCheck, CompiledMember } from '../config/types.js';
import type { CheckResult } from './health-state.js';
import { healthRequest } from './health-request.js';
import { type ReadOutcome, ResponseReader } from './response-reader.js';

/** What one check found; `error` says why it failed. */
export interface ProbeResult extends CheckResult {
  readonly durationMs: number;
}

/** Apache's pass criterion: the `expect` predicate if given, else a status in 200..399. */
function judge(check: CompiledHealthCheck, res: HealthResponse): string | undefined {
  if (!check.expect) return res.status >= 200 && res.status <= 399 ? undefined : `HTTP ${res.status}`;
  let verdict: unknown;
  try {
    verdict = check.expect(res);
  } catch (err) {
    return `expect(res) threw: ${err instanceof Error ? err.message : String(err)} (HTTP ${res.status})`;
  }
  if (verdict === true) return undefined;
  if (verdict === false) return `expect(res) returned false (HTTP ${res.status})`;
  return `expect(res) returned ${verdict instanceof Promise ? 'a Promise' : typeof verdict}, not a boolean`;
}

/**
 * Runs one health check of `member` and resolves with its result; never rejects. `TCP` only
 * connects; HTTP methods send Apache's exact request (see `healthRequest`), over TLS for `https:`
 * members (certificates verified). Aborting `signal` ends the check at once, socket destroyed.
 * @example
 * const result = await probeMember(member, member.healthCheck!);
 * if (!result.ok) console.log(result.error); // 'connect ECONNREFUSED 127.0.0.1:8081'
 */
export function probeMember(
  member: CompiledMember,
  check: CompiledHealthCheck,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const started = performance.now();
  const { url } = member;
  const request = healthRequest(url, check);
  const secure = request !== undefined && (url.scheme === 'https' || url.scheme === 'wss');

  return new Promise((resolve) => {
    const host = url.hostname;
    const socket: Socket = secure
      ? tlsConnect({
          host,
          port: url.port,
          servername: isIP(host) ? undefined : host,
          ALPNProtocols: ['http/1.1'],
        })
      : netConnect({ host, port: url.port });
    let connectTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (error: string | undefined, status?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(connectTimer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ ok: error === undefined, status, error, durationMs: performance.now() - started });
    };
    const onAbort = () => finish('health check stopped');
    const deadline = setTimeout(() => finish(`timed out after ${check.timeoutMs} ms`), check.timeoutMs);
    if (member.connectTimeoutMs < check.timeoutMs) {
      const ms = member.connectTimeoutMs;
      connectTimer = setTimeout(() => finish(`connect timed out after ${ms} ms`), ms);
    }
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('error', (err) => finish(err.message));
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      if (request === undefined) finish(undefined);
    });
    if (request === undefined) return;

    const reader = new ResponseReader(check.method === 'GET');
    const conclude = (outcome: ReadOutcome) => {
      if (!outcome.ok) finish(outcome.error, outcome.status);
      else finish(judge(check, outcome.response), outcome.response.status);
    };
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      socket.setTimeout(member.timeoutMs, () => finish(`no data from the member for ${member.timeoutMs} ms`));
      socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      const outcome = reader.push(chunk);
      if (outcome) conclude(outcome);
    });
    socket.on('end', () => conclude(reader.end()));
  });
}
