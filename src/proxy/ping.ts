/**
 * Apache's member `ping`: before a request body is committed to a member, make sure the member
 * answers. Apache sends such a request with `Expect: 100-continue` and waits `ping` for the
 * interim answer; undici refuses an `Expect` header on HTTP/1.1 (its `expectContinue` is HTTP/2
 * only), so the proxy asks first instead: an `OPTIONS` request with `Max-Forwards: 0`, through
 * the member's own pool (so it tests the keep-alive connection the request then reuses, with the
 * member's connect settings), answered within `ping`. As Apache does, a check that gets no answer
 * is tried once more (undici has closed the silent connection, so the retry opens a new one); a
 * second silence is a proxy-generated 503, so a balancer fails over with the body not yet sent.
 *
 * Cheap: a member heard from (any response) within the last `ping` is not checked, so steady
 * traffic never triggers a check; concurrent requests share the check in progress.
 */
import type { Dispatcher, Pool } from 'undici';
import type { CompiledMember } from '../config/types.js';
import { classifyUpstreamError, pingFailed, type UpstreamFailure } from './errors.js';

type Controller = Dispatcher.DispatchController;

/** How one `OPTIONS` exchange went: `silent` when the request went out but no valid answer came. */
type Answer =
  | { readonly type: 'answered' }
  | { readonly type: 'silent'; readonly detail: string }
  | { readonly type: 'failed'; readonly failure: UpstreamFailure };

/** Ends a check that got no answer in time; undici then closes its connection. */
const NO_ANSWER = Object.assign(new Error('no response'), { code: 'TSXP_PING_FAILED' });

/**
 * One `OPTIONS` exchange, answered within `ms` of being sent (connecting is bounded by the
 * member's `connectiontimeout`, as in Apache). Own timer: undici's `headersTimeout` ticks at
 * half-second resolution, too coarse for a ping.
 */
class PingHandler implements Dispatcher.DispatchHandler {
  readonly #ms: number;
  readonly #done: (answer: Answer) => void;
  #timer: NodeJS.Timeout | undefined;
  #sent = false;
  #answered = false;

  constructor(ms: number, done: (answer: Answer) => void) {
    this.#ms = ms;
    this.#done = done;
  }

  onRequestStart(controller: Controller, _context: unknown): void {
    this.#sent = true;
    this.#timer = setTimeout(() => controller.abort(NO_ANSWER), this.#ms);
  }

  onResponseStart(_controller: Controller, _status: number): void {
    this.#answered = true;
  }

  onResponseData(): void {}

  onResponseEnd(): void {
    this.#settle({ type: 'answered' });
  }

  onResponseError(_controller: Controller, err: Error): void {
    if (this.#answered) {
      this.#settle({ type: 'answered' });
      return;
    }
    if (err === NO_ANSWER) {
      this.#settle({ type: 'silent', detail: err.message });
      return;
    }
    // Not even connected: the request itself would have failed so, and is reported as such.
    const failure = classifyUpstreamError(err, this.#sent);
    if (!this.#sent || failure.outcome === undefined) this.#settle({ type: 'failed', failure });
    else this.#settle({ type: 'silent', detail: failure.message });
  }

  #settle(answer: Answer): void {
    clearTimeout(this.#timer);
    // undici frees the connection one event-loop turn after a response ends; settling after that
    // lets the waiting request take that very connection, the one just tested.
    setImmediate(() => setImmediate(this.#done, answer));
  }
}

/** Sends one `OPTIONS` check through `pool`. */
function ask(pool: Pool, member: CompiledMember, ms: number): Promise<Answer> {
  return new Promise((resolve) => {
    pool.dispatch(
      {
        method: 'OPTIONS',
        // undici refuses Apache's `OPTIONS *` (a path must start with `/`): ask the member's path.
        path: member.url.path || '/',
        headers: ['host', member.url.hostHeader, 'max-forwards', '0'],
        reset: member.disablereuse ? true : undefined,
      },
      new PingHandler(ms, resolve),
    );
  });
}

/** The ping state of one pool's member: when it was last heard from, and the check in progress. */
export class MemberPing {
  readonly #pool: Pool;
  #heardAt = Number.NEGATIVE_INFINITY;
  #check: Promise<UpstreamFailure | undefined> | undefined;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** The member answered something (a response started). */
  heard(): void {
    this.#heardAt = performance.now();
  }

  /**
   * Undefined when the member was heard from within `ms` (send at once); otherwise the check in
   * progress, shared by every request arriving meanwhile, resolving with the failure to report
   * for the attempt, or undefined when the member answered. Never rejects.
   */
  check(member: CompiledMember, ms: number): Promise<UpstreamFailure | undefined> | undefined {
    if (performance.now() - this.#heardAt < ms) return undefined;
    this.#check ??= this.#run(member, ms);
    return this.#check;
  }

  async #run(member: CompiledMember, ms: number): Promise<UpstreamFailure | undefined> {
    let answer = await ask(this.#pool, member, ms);
    if (answer.type === 'silent') answer = await ask(this.#pool, member, ms);
    this.#check = undefined;
    if (answer.type === 'answered') {
      this.heard();
      return undefined;
    }
    return answer.type === 'failed' ? answer.failure : pingFailed(ms, answer.detail);
  }
}

const pings = new WeakMap<Pool, MemberPing>();

/**
 * The ping state of the member behind `pool`. Kept per pool, so it lives as long as the
 * connections it speaks for (across reloads that keep them) and is dropped with them.
 */
export function memberPing(pool: Pool): MemberPing {
  let ping = pings.get(pool);
  if (!ping) {
    ping = new MemberPing(pool);
    pings.set(pool, ping);
  }
  return ping;
}
