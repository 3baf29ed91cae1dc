/** node-http-proxy as people deploy it: keep-alive agent, X-Forwarded-* headers, WebSocket. */
import * as http from 'node:http';
import type { Socket } from 'node:net';
import httpProxy from 'http-proxy';
import { exitOnSignal, serverArgs } from './server-args.js';

const { port, upstreams } = serverArgs();
exitOnSignal();
const agent = new http.Agent({ keepAlive: true });
const proxy = httpProxy.createProxyServer({ agent, xfwd: true });
let next = 0;
const target = () => upstreams[next++ % upstreams.length]!;

proxy.on('error', (_error, _req, res) => {
  if (res instanceof http.ServerResponse && !res.headersSent) res.writeHead(502).end();
  else (res as Socket).destroy();
});

const server = http.createServer((req, res) => proxy.web(req, res, { target: target() }));
server.on('upgrade', (req, socket, head) => proxy.ws(req, socket, head, { target: target() }));
server.keepAliveTimeout = 600_000;
server.listen(port, '127.0.0.1');
