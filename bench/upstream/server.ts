/**
 * The bench upstream (a child process): node:http servers on `--members` ephemeral ports,
 * each answering the scenario paths and echoing WebSocket messages. Prints
 * `READY {"ports":[...]}` once listening.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { LARGE_BODY_BYTES, SMALL_BODY_BYTES, upstreamPaths } from './routes.js';

const { values } = parseArgs({ options: { members: { type: 'string', default: '2' } } });

const small = Buffer.alloc(SMALL_BODY_BYTES, 'x');
const large = Buffer.alloc(LARGE_BODY_BYTES, 'y');
const smallHeaders = ['content-type', 'text/plain', 'content-length', String(small.length)];
const largeHeaders = ['content-type', 'application/octet-stream', 'content-length', String(large.length)];

function serve(): Promise<number> {
  let count = 0;
  const server = http.createServer((req, res) => {
    if (req.url === upstreamPaths.count) {
      res.end(String(count));
      return;
    }
    count++;
    if (req.method === 'POST' || req.method === 'PUT') {
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      req.on('end', () => {
        const body = `{"received":${received}}`;
        res.writeHead(200, ['content-type', 'application/json', 'content-length', String(body.length)]);
        res.end(body);
      });
      return;
    }
    if (req.url === upstreamPaths.large) {
      res.writeHead(200, largeHeaders);
      res.end(large);
      return;
    }
    res.writeHead(200, smallHeaders);
    res.end(small);
  });
  // Idle proxy connections must stay reusable across rounds: a peer waits while the others run.
  server.keepAliveTimeout = 600_000;
  server.headersTimeout = 601_000;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      ws.on('error', () => ws.terminate());
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const ports = await Promise.all(Array.from({ length: Number(values.members) }, serve));
console.log(`READY ${JSON.stringify({ ports })}`);
