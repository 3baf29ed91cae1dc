/** Closing raw sockets the proxy answered or tunnelled, without leaving them half-open. */
import type { Duplex } from 'node:stream';

/** How long a socket may stay open after the proxy ended its side. */
const LINGER_MS = 5_000;

/**
 * Ends `socket` (after `data`, if given), and destroys it if the peer has not closed its side
 * within the linger time: the listener allows half-open sockets, so a peer that never closes
 * would otherwise hold one forever.
 */
export function endSocket(socket: Duplex, data?: string): void {
  if (data === undefined) socket.end();
  else socket.end(data);
  (socket as Duplex & { setTimeout?: (ms: number, cb: () => void) => void }).setTimeout?.(LINGER_MS, () =>
    socket.destroy(),
  );
}
