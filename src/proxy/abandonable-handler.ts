/**
 * An undici handler that forwards to another until the attempt is abandoned (the `acquire`
 * wait ran out while the request was still queued): from then on it aborts the request as soon
 * as undici starts it and drops every callback, so the exchange can move on to another member.
 */
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';

type Controller = Dispatcher.DispatchController;
type Headers = Record<string, string | string[] | undefined>;
type Target = Required<
  Pick<
    Dispatcher.DispatchHandler,
    | 'onRequestStart'
    | 'onResponseStart'
    | 'onRequestUpgrade'
    | 'onResponseData'
    | 'onResponseEnd'
    | 'onResponseError'
  >
>;

/** Wraps an exchange's handler for one attempt that may be abandoned; set `abandoned` to let go. */
export class AbandonableHandler implements Dispatcher.DispatchHandler {
  abandoned = false;
  readonly #target: Target;
  readonly #reason: Error;

  constructor(target: Target, reason: Error) {
    this.#target = target;
    this.#reason = reason;
  }

  onRequestStart(c: Controller, context: unknown): void {
    if (this.abandoned) c.abort(this.#reason);
    else this.#target.onRequestStart(c, context);
  }

  onResponseStart(c: Controller, status: number, headers: Headers, message?: string): void {
    if (!this.abandoned) this.#target.onResponseStart(c, status, headers, message);
  }

  onRequestUpgrade(c: Controller, status: number, headers: Headers, socket: Duplex): void {
    if (this.abandoned) socket.destroy();
    else this.#target.onRequestUpgrade(c, status, headers, socket);
  }

  onResponseData(c: Controller, chunk: Buffer): void {
    if (!this.abandoned) this.#target.onResponseData(c, chunk);
  }

  onResponseEnd(c: Controller, trailers: Headers): void {
    if (!this.abandoned) this.#target.onResponseEnd(c, trailers);
  }

  onResponseError(c: Controller, err: Error): void {
    if (!this.abandoned) this.#target.onResponseError(c, err);
  }
}
