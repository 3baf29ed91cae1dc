/**
 * The two sockets of an upgraded connection (WebSocket or any `Upgrade`) joined both ways.
 * An end on one side is passed on (half-close, so closing handshakes complete); an error or a
 * close on one side ends the other, which is destroyed if it lingers, so no socket leaks.
 */
import type { Duplex } from 'node:stream';
import { endSocket } from './end-socket.js';

/**
 * Pipes `client` and `upstream` into each other, after writing `head` (bytes the client sent
 * after its request headers) upstream. `onClose` runs once, when both sockets are closed.
 */
export function openTunnel(client: Duplex, upstream: Duplex, head: Buffer, onClose: () => void): void {
  let open = 2;
  const closed = (other: Duplex) => () => {
    if (!other.destroyed) endSocket(other);
    if (--open === 0) onClose();
  };
  const failed = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', failed);
  upstream.on('error', failed);
  client.on('close', closed(upstream));
  upstream.on('close', closed(client));
  if (head.length > 0) upstream.write(head);
  upstream.pipe(client);
  client.pipe(upstream);
}

/** The raw `101 Switching Protocols` head for the client, from a flat `[name, value, ...]` list. */
export function switchingProtocols(headers: readonly (string | string[])[]): string {
  let head = 'HTTP/1.1 101 Switching Protocols\r\n';
  for (let i = 0; i < headers.length; i += 2) {
    const value = headers[i + 1]!;
    for (const v of Array.isArray(value) ? value : [value]) head += `${headers[i]}: ${v}\r\n`;
  }
  return `${head}\r\n`;
}
