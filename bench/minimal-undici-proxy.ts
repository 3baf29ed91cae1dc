/**
 * The floor of what Node can do as a reverse proxy: node:http in, one undici pool out, `dispatch`
 * with a v2 handler streaming the response with backpressure. No routing, no features.
 */
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { BalancedPool, type Dispatcher, Pool } from 'undici';
import { exitOnSignal, serverArgs } from './servers/server-args.js';

const { port, upstreams } = serverArgs();
exitOnSignal();
const upstream = upstreams.length === 1 ? new Pool(upstreams[0]!) : new BalancedPool(upstreams);
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
]);
const DROPPED = new Set([...HOP_BY_HOP, 'host', 'upgrade']);

function requestHeaders(raw: string[]): string[] {
  const headers: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!DROPPED.has(raw[i]!.toLowerCase())) headers.push(raw[i]!, raw[i + 1]!);
  }
  return headers;
}

const server = http.createServer((req, res) => {
  const hasBody =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  const options = { method: req.method!, path: req.url!, headers: requestHeaders(req.rawHeaders) };
  upstream.dispatch({ ...options, body: hasBody ? req : null }, {
    onRequestStart(controller) {
      res.once('close', () => res.writableFinished || controller.abort(new Error('client went away')));
    },
    onResponseStart(_controller, status, headers) {
      for (const name of HOP_BY_HOP) delete headers[name];
      res.writeHead(status, headers);
    },
    onResponseData(controller, chunk) {
      if (res.write(chunk)) return;
      controller.pause();
      res.once('drain', () => controller.resume());
    },
    onResponseEnd: () => res.end(),
    onResponseError(_controller, error) {
      if (res.headersSent) res.destroy(error);
      else res.writeHead(502).end();
    },
  } satisfies Dispatcher.DispatchHandler);
});

server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
  const options = { path: req.url!, method: req.method!, headers: requestHeaders(req.rawHeaders) };
  upstream.upgrade({ ...options, protocol: req.headers.upgrade ?? 'websocket' }).then(
    ({ headers, socket: upstreamSocket }) => {
      const lines = Object.entries(headers).flatMap(([k, v]) =>
        (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}`),
      );
      socket.write(`HTTP/1.1 101 Switching Protocols\r\n${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('error', () => upstreamSocket.destroy());
    },
    () => socket.destroy(),
  );
});
server.keepAliveTimeout = 600_000;
server.listen(port, '127.0.0.1');
