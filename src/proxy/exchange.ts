/**
 * One proxied HTTP request: member selection with Apache's failover loop, the undici dispatch
 * (v2 handler API) streaming the response straight into `res` with backpressure, and the
 * bookkeeping the balancer needs (outcome, busy, bytes). One object per request: it is the
 * undici handler itself, and Node event listeners are shared functions finding it on `res`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Dispatcher, Pool } from 'undici';
import type { BalancerWait, MemberState, Selection } from '../balancer/types.js';
import type { CompiledMember } from '../config/types.js';
import type { ExchangeContext, RoutePlan } from './context.js';
import { AbandonableHandler } from './abandonable-handler.js';
import { ExchangeBalancerRequest } from './balancer-request.js';
import {
  acquireTimeout,
  classifyUpstreamError,
  logRequest,
  reportInternalError,
  type UpstreamFailure,
} from './errors.js';
import { sendStatus } from './local-response.js';
import { memberPing } from './ping.js';
import { TimedAttempt, unwatchTimeout, upstreamTimeout, watchTimeout } from './proxy-timeout.js';
import { bodyBytesMoved } from './scavenge-pacer.js';
import { openTunnel, switchingProtocols } from './tunnel.js';
import { COALESCED_BODY_BYTES, holdWritesThisTurn } from './write-coalescing.js';
import { joinMemberPath } from '../router/upstream-path.js';

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;

const kExchange = Symbol('tsx-proxy.exchange');
type Tagged = ServerResponse & { [kExchange]?: ProxyExchange };

/** Phases of the current attempt. */
const SELECTING = 0;
const DISPATCHED = 1;
const SENDING = 2;
const RESPONDING = 3;
const DONE = 4;

/** Balancer time: the base the health checks use too. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

const CLIENT_GONE = Object.assign(new Error('client closed the connection'), { code: 'TSXP_CLIENT_GONE' });
const NO_BYTES = { transferred: 0, read: 0 } as const;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

function onResClose(this: Tagged): void {
  const exchange = this[kExchange];
  try {
    exchange?.clientClosed();
  } catch (err) {
    exchange?.internalError(err);
  }
}

function onResDrain(this: Tagged): void {
  this[kExchange]?.drained();
}

/** Everything an exchange is started with, decided by the request handler. */
export interface ExchangeInit {
  readonly plan: RoutePlan;
  /** Upstream path and query: the whole of it for a URL target, what follows the member's path for a balancer. */
  readonly path: string;
  readonly headers: string[];
  readonly hasBody: boolean;
  readonly clientIp: string;
  readonly startedAt: number;
  /**
   * For an `Upgrade` request: the protocol asked for and the bytes the client sent after its
   * headers. `res` then writes on the raw socket and a 101 becomes a tunnel.
   */
  readonly upgrade?: { readonly protocol: string; readonly head: Buffer };
}

/** One proxied request from start to finish; also its undici handler. Create, then `start()`. */
export class ProxyExchange extends TimedAttempt implements Dispatcher.DispatchHandler {
  readonly #ctx: ExchangeContext;
  readonly #req: IncomingMessage;
  readonly #res: Tagged;
  readonly #plan: RoutePlan;
  readonly #path: string;
  readonly #headers: string[];
  readonly #hasBody: boolean;
  readonly #clientIp: string;
  readonly #startedAt: number;
  readonly #upgrade: ExchangeInit['upgrade'];
  /** Send `100 Continue` to the client once the upstream takes the body. */
  expectContinue = false;

  #phase = SELECTING;
  #member: CompiledMember | undefined;
  #state: MemberState | undefined;
  /** Members of earlier, failed attempts (each counted busy until the request ends, as in Apache). */
  #failedOver: MemberState[] | undefined;
  #tries = 0;
  #controller: Controller | undefined;
  #abandonable: AbandonableHandler | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wait: BalancerWait | undefined;
  #balancerRequest: ExchangeBalancerRequest | undefined;
  #setCookie: string | undefined;
  #clientGone = false;
  #finished = false;
  /** The generation no longer waits for this exchange (it ended, or became a tunnel). */
  #leftGeneration = false;
  #drainListener = false;
  #bodyStarted = false;
  #read = 0;
  /** Request body bytes sent upstream (balancer routes: bytraffic counts them). */
  #bodyBytes = 0;
  #countingBody = false;
  /** The current attempt's request went out (undici started writing it). */
  #sent = false;
  /** Bytes sent upstream over a tunnel, request head included. */
  #tunnelBytes = 0;
  /** When the timeout watch last saw progress (its clock), or -1: progress since its last look. */
  #quietSince = -1;
  /** Response bytes the timeout watch saw at its last look. */
  #readSeen = 0;

  constructor(ctx: ExchangeContext, req: IncomingMessage, res: ServerResponse, init: ExchangeInit) {
    super();
    this.#ctx = ctx;
    this.#req = req;
    this.#res = res as Tagged;
    this.#plan = init.plan;
    this.#path = init.path;
    this.#headers = init.headers;
    this.#hasBody = init.hasBody;
    this.#clientIp = init.clientIp;
    this.#startedAt = init.startedAt;
    this.#upgrade = init.upgrade;
  }

  /** Starts the exchange: select a member (or take the URL target's) and dispatch. */
  start(): void {
    const res = this.#res;
    res[kExchange] = this;
    // `on`, not `once`: 'close' fires once anyway, and `once` allocates a wrapper per request.
    res.on('close', onResClose);
    this.#ctx.begin();
    if (this.#plan.balancer) {
      this.#select();
    } else this.#dispatch(this.#plan.member!);
  }

  #select(): void {
    const balancer = this.#plan.balancer!;
    this.#balancerRequest ??= new ExchangeBalancerRequest(this.#req, this.#path, this.#clientIp);
    const selection = balancer.select(this.#balancerRequest, now());
    if (selection.ok) {
      this.#chose(selection);
      return;
    }
    if (selection.code === 'TSXP_NO_USABLE_MEMBER') {
      const wait = balancer.beginWait();
      if (wait) {
        this.#wait = wait;
        this.#poll(selection, wait.polls);
        return;
      }
    }
    this.#fail({ code: selection.code, status: 503, outcome: undefined, message: selection.reason });
  }

  /** Apache's balancer `timeout`: sleep a step, look again, up to `polls` times. */
  #poll(failed: Selection & { ok: false }, left: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#clientGone) return;
      this.#guarded(() => {
        const selection = this.#plan.balancer!.poll(this.#balancerRequest!, failed, now());
        if (selection.ok) {
          this.#endWait();
          this.#chose(selection);
        } else if (left > 1) this.#poll(failed, left - 1);
        else {
          this.#endWait();
          this.#fail({ code: failed.code, status: 503, outcome: undefined, message: failed.reason });
        }
      });
    }, this.#wait!.stepMs);
  }

  #endWait(): void {
    this.#wait?.end();
    this.#wait = undefined;
  }

  #chose(selection: Selection & { ok: true }): void {
    const state = selection.member;
    if (this.#state) {
      if (this.#failedOver) this.#failedOver.push(this.#state);
      else this.#failedOver = [this.#state];
    }
    this.#state = state;
    const cookie = this.#plan.routeCookie;
    this.#setCookie =
      cookie && selection.routeChanged && state.route
        ? `${cookie.name}=${cookie.sep}${state.route}${cookie.attributes}`
        : undefined;
    this.#dispatch(state.member);
  }

  #dispatch(member: CompiledMember): void {
    this.#member = member;
    this.#sent = false;
    this.#tries++;
    this.#phase = DISPATCHED;
    const pool = this.#ctx.pool(member);
    // Apache pings only before a body; a full pool hands out a connection just heard from.
    if (member.pingMs !== undefined && this.#hasBody && !poolIsFull(pool, member.max)) {
      const check = memberPing(pool).check(member, member.pingMs);
      if (check) {
        void check.then((failure) => this.#guarded(() => this.#pinged(member, pool, failure)));
        return;
      }
    }
    this.#send(member, pool);
  }

  /** The member's ping check ended: send the request, or fail the attempt (its body still unsent). */
  #pinged(member: CompiledMember, pool: Pool, failure: UpstreamFailure | undefined): void {
    if (this.#clientGone) return;
    if (failure) this.#attemptFailed(failure);
    else this.#send(member, pool);
  }

  #send(member: CompiledMember, pool: Pool): void {
    let handler: Dispatcher.DispatchHandler = this;
    if (member.acquireMs !== undefined && poolIsFull(pool, member.max)) {
      const guard = new AbandonableHandler(this, CLIENT_GONE);
      this.#abandonable = guard;
      handler = guard;
      this.#timer = setTimeout(
        () => this.#guarded(() => this.#acquireExpired(member.acquireMs!)),
        member.acquireMs,
      );
    }
    watchTimeout(this);
    pool.dispatch(
      {
        method: this.#req.method!,
        path: this.#plan.balancer ? joinMemberPath(member.url.path, this.#path) : this.#path,
        headers: this.#headers,
        body: this.#hasBody ? this.#req : null,
        // The member's timeout is the watch's (proxy-timeout.ts says why); 0 turns undici's off.
        headersTimeout: 0,
        bodyTimeout: 0,
        reset: member.disablereuse ? true : undefined,
        upgrade: this.#upgrade?.protocol,
      },
      handler,
    );
  }

  #acquireExpired(ms: number): void {
    this.#timer = undefined;
    if (this.#phase !== DISPATCHED || !this.#abandonable) return;
    this.#abandonable.abandoned = true;
    this.#abandonable = undefined;
    this.#attemptFailed(acquireTimeout(ms));
  }

  onRequestStart(controller: Controller, _context: unknown): void {
    this.#controller = controller;
    if (this.#clientGone) {
      controller.abort(CLIENT_GONE);
      return;
    }
    if (this.#timer && this.#abandonable) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#phase = SENDING;
    this.#sent = true;
    this.#quietSince = -1;
    if (this.#hasBody && this.#plan.balancer && !this.#countingBody) this.#countBody();
    if (this.expectContinue) {
      this.expectContinue = false;
      this.#res.writeContinue();
    }
  }

  onResponseStart(controller: Controller, status: number, headers: Headers, statusMessage?: string): void {
    if (this.#member!.pingMs !== undefined) memberPing(this.#ctx.pool(this.#member!)).heard();
    if (status < 200) {
      if (status === 103 && headers.link !== undefined) this.#res.writeEarlyHints({ link: headers.link });
      return;
    }
    this.#phase = RESPONDING;
    this.#quietSince = -1;
    const state = this.#state;
    if (state) this.#plan.balancer!.outcome(state, { type: 'response', status }, now());
    this.#read = 13 + (statusMessage?.length ?? 0);
    const out = this.#ctx.responseRules.build(
      headers,
      this.#plan.mapper,
      this.#req.headers.host,
      this.#ctx.via(this.#req),
      false,
    );
    if (this.#setCookie !== undefined) out.push('set-cookie', this.#setCookie);
    const res = this.#res;
    try {
      if (statusMessage) res.writeHead(status, statusMessage, out);
      else res.writeHead(status, out);
    } catch (err) {
      // Node refuses a header value the upstream sent: nothing was written yet.
      this.#phase = DONE;
      controller.abort(err as Error);
      this.#fail({
        code: 'TSXP_UPSTREAM_INVALID',
        status: 502,
        outcome: undefined,
        message: `invalid response header from upstream (${(err as Error).message})`,
      });
    }
  }

  /** The upstream switched protocols: answer the client with its 101 and join the two sockets. */
  onRequestUpgrade(_controller: Controller, status: number, headers: Headers, upstream: Duplex): void {
    const res = this.#res;
    const client = res.socket;
    if (this.#clientGone || !client || client.destroyed) {
      upstream.destroy();
      return;
    }
    this.#phase = DONE;
    unwatchTimeout(this);
    const state = this.#state;
    if (state) this.#plan.balancer!.outcome(state, { type: 'response', status }, now());
    const out = this.#ctx.responseRules.build(
      headers,
      this.#plan.mapper,
      this.#req.headers.host,
      this.#ctx.via(this.#req),
      true,
    );
    res.statusCode = 101;
    // The response object is done with: from here on the socket belongs to the tunnel.
    res.detachSocket(client);
    client.write(switchingProtocols(out));
    // A tunnel outlives generations: the one it started on may close its pools meanwhile.
    this.#leaveGeneration();
    openTunnel(client, upstream, this.#upgrade!.head, () => {
      this.#read = 13 + (upstream as Socket).bytesRead;
      this.#tunnelBytes = (upstream as Socket).bytesWritten;
      this.#finish();
    });
    this.#ctx.trackTunnel(upstream);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    // undici's parser hands over an empty chunk each time it resumes after a pause: writing it
    // would cost a cork, a tick and an empty write(2).
    if (chunk.length === 0) return;
    const res = this.#res;
    if (this.#bodyStarted) {
      if (res.socket) holdWritesThisTurn(res.socket);
    } else this.#bodyStarted = true;
    this.#read += chunk.length;
    bodyBytesMoved(chunk.length);
    // write() says false past Node's 16 KiB mark; undici pauses only past the coalescing window
    // (write-coalescing.ts). Node emits 'drain' either way once the socket has written it all.
    if (!res.write(chunk) && res.writableLength >= COALESCED_BODY_BYTES) {
      controller.pause();
      if (!this.#drainListener) {
        this.#drainListener = true;
        this.#res.on('drain', onResDrain);
      }
    }
  }

  /**
   * The timeout watch's look: the attempt waits on the upstream while its head is awaited (once
   * the request body, if any, is sent or the upstream stopped taking it) and while body data is
   * awaited with the response flowing; any other time, and any new data, restarts the wait.
   */
  checkTimeout(now: number): void {
    const phase = this.#phase;
    const waiting =
      phase === SENDING ? !this.#uploading() : phase === RESPONDING && !this.#controller!.paused;
    if (!waiting || this.#quietSince < 0 || this.#read !== this.#readSeen) {
      this.#quietSince = now;
      this.#readSeen = this.#read;
      return;
    }
    const timeoutMs = this.#member!.timeoutMs;
    if (now - this.#quietSince < timeoutMs) return;
    this.#guarded(() =>
      this.#controller!.abort(upstreamTimeout(phase === SENDING ? 'head' : 'body', timeoutMs)),
    );
  }

  /** The client is still sending the request body and the upstream takes it as it comes. */
  #uploading(): boolean {
    const req = this.#req;
    return this.#hasBody && !req.readableEnded && !req.isPaused();
  }

  /** The client took the buffered data: let undici read again. */
  drained(): void {
    this.#controller?.resume();
  }

  onResponseEnd(_controller: Controller, trailers: Headers): void {
    if (this.#phase !== RESPONDING) return;
    this.#phase = DONE;
    for (const _ in trailers) {
      this.#res.addTrailers(trailers as Record<string, string>);
      break;
    }
    this.#res.end();
  }

  onResponseError(_controller: Controller, err: Error): void {
    if (this.#clientGone || this.#phase === DONE) return;
    const sent = this.#phase >= SENDING;
    if (this.#phase === RESPONDING) {
      this.#phase = DONE;
      const failure = classifyUpstreamError(err, true);
      this.#log('TSXP_UPSTREAM_ABORTED', `${failure.message} after the response started`, undefined);
      this.#res.destroy();
      return;
    }
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#abandonable = undefined;
    this.#attemptFailed(classifyUpstreamError(err, sent));
  }

  /** Records a failed attempt and, as Apache's proxy_handler loop does, fails over or answers. */
  #attemptFailed(failure: UpstreamFailure): void {
    const state = this.#state;
    const balancer = this.#plan.balancer;
    if (state && balancer && failure.outcome) {
      balancer.outcome(state, failure.outcome, now());
      if (this.#canRetry() && balancer.shouldRetry(state, failure.outcome, this.#tries)) {
        this.#ctx.logger.warn(
          `${failure.code} route ${this.#plan.route.label} member ${state.member.url.href}: ${failure.message}; failing over`,
        );
        this.#phase = SELECTING;
        this.#select();
        return;
      }
    }
    this.#fail(failure);
  }

  /**
   * Only what could not have reached the member goes to another one: a request not sent yet,
   * or a bodiless idempotent one (its body cannot be replayed, its effects must not double).
   */
  #canRetry(): boolean {
    return this.#phase < SENDING || (!this.#hasBody && IDEMPOTENT.has(this.#req.method!));
  }

  #fail(failure: UpstreamFailure): void {
    this.#phase = DONE;
    this.#log(failure.code, failure.message, failure.status);
    const req = this.#req;
    if (this.#sent && this.#hasBody && !req.complete) {
      // undici stopped reading the body midway, maybe paused: the rest would sit unread and hold
      // the connection until a server timeout (Node discards only a body nobody started to
      // read). Discard it, and close the connection after the answer rather than wait for it.
      this.#res.shouldKeepAlive = false;
      req.resume();
    }
    sendStatus(this.#res, failure.status);
  }

  #log(code: string, message: string, status: number | undefined): void {
    this.#ctx.logger.error({
      code,
      message,
      route: this.#plan.route.label,
      member: this.#member?.url.href,
      status,
    });
  }

  /** A bug met in a Node event handler: logged, never thrown into the event loop. */
  internalError(err: unknown): void {
    reportInternalError(this.#ctx.logger, err);
  }

  /** Runs a timer's work so that a bug answers 500 instead of crashing the process. */
  #guarded(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.internalError(err);
      this.#phase = DONE;
      sendStatus(this.#res, 500);
    }
  }

  /** `res` closed: the response is complete, or the client went away (then the upstream is cancelled). */
  clientClosed(): void {
    if (this.#phase !== DONE) {
      this.#clientGone = true;
      if (this.#timer) clearTimeout(this.#timer);
      this.#endWait();
      if (this.#abandonable) this.#abandonable.abandoned = true;
      this.#controller?.abort(CLIENT_GONE);
    }
    this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    unwatchTimeout(this);
    this.#res[kExchange] = undefined;
    if (this.#hasBody) bodyBytesMoved(Number(this.#req.headers['content-length']) || 0);
    const balancer = this.#plan.balancer;
    if (balancer && this.#state) {
      balancer.release(this.#state, { transferred: this.#transferred(), read: this.#read });
      if (this.#failedOver) for (const m of this.#failedOver) balancer.release(m, NO_BYTES);
    }
    this.#leaveGeneration();
    if (this.#ctx.accessLog) {
      logRequest(this.#ctx.logger, {
        method: this.#req.method ?? '',
        path: this.#req.url ?? '',
        route: this.#plan.route.label,
        member: this.#member?.url.href,
        status: this.#res.statusCode,
        durationMs: performance.now() - this.#startedAt,
        clientIp: this.#clientIp,
      });
    }
  }

  /**
   * Counts the request body as it goes upstream: its Content-Length, or for a chunked body the
   * bytes as they flow (a passive listener, attached in the tick undici starts reading, so it
   * neither starts the flow early nor changes undici's backpressure).
   */
  #countBody(): void {
    this.#countingBody = true;
    const length = Number(this.#req.headers['content-length']);
    if (length > 0) {
      this.#bodyBytes = length;
      return;
    }
    this.#req.on('data', (chunk: Buffer) => {
      this.#bodyBytes += chunk.length;
    });
  }

  #leaveGeneration(): void {
    if (this.#leftGeneration) return;
    this.#leftGeneration = true;
    this.#ctx.end();
  }

  /** Apache's `transferred`: request line, headers and body as sent (the body as the client sent it). */
  #transferred(): number {
    if (!this.#sent) return 0;
    if (this.#tunnelBytes > 0) return this.#tunnelBytes;
    const h = this.#headers;
    let n = (this.#req.method?.length ?? 0) + (this.#member?.url.path.length ?? 0) + this.#path.length + 12;
    for (let i = 0; i < h.length; i += 2) n += h[i]!.length + h[i + 1]!.length + 4;
    return n + 2 + this.#bodyBytes;
  }
}

/** Whether every connection of the pool is busy, so a new request would queue (the `acquire` wait). */
function poolIsFull(
  pool: Dispatcher & { stats?: { free: number; connected: number } },
  max: number,
): boolean {
  const stats = pool.stats;
  return stats !== undefined && stats.free === 0 && stats.connected >= max;
}
