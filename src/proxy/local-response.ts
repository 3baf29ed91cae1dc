/**
 * Answers the proxy gives itself (errors, refusals, 404 for no route): short plain-text bodies,
 * on a `ServerResponse` or, for upgrade and CONNECT requests, written raw on the socket.
 */
import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { endSocket } from './end-socket.js';

function bodyOf(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Error'}\n`;
}

/**
 * Sends a short text answer, unless the response has already started (then the connection is
 * destroyed so that the client cannot take a partial body for a complete one).
 */
export function sendStatus(
  res: ServerResponse,
  status: number,
  headers?: Readonly<Record<string, string>>,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = bodyOf(status);
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Writes a complete `Connection: close` answer on a raw socket and ends it. */
export function writeRawStatus(
  socket: Duplex,
  status: number,
  headers?: Readonly<Record<string, string>>,
): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = bodyOf(status);
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n`;
  for (const [name, value] of Object.entries(headers ?? {})) head += `${name}: ${value}\r\n`;
  head += `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  endSocket(socket, head + body);
}
