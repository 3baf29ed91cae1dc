/**
 * WebSocket echo load (a child process): `connections` sockets, each sending one message and
 * waiting for its echo before sending the next, for `durationSec`. argv[2]: a JSON LoadSpec;
 * prints one JSON LoadResult line. Latency is one round trip.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { percentile } from '../stats.js';
import type { LoadResult, LoadSpec } from './types.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const message = Buffer.alloc(spec.bodyBytes, 'w');
let samples = new Float64Array(1 << 16);
let count = 0;
let errors = 0;
let running = true;

function record(ms: number): void {
  if (count === samples.length) {
    const grown = new Float64Array(samples.length * 2);
    grown.set(samples);
    samples = grown;
  }
  samples[count++] = ms;
}

function open(): Promise<WebSocket | undefined> {
  return new Promise((resolve) => {
    const ws = new WebSocket(spec.url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', () => {
      errors++;
      resolve(undefined);
    });
  });
}

function loop(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    let sentAt = 0;
    const send = () => {
      sentAt = performance.now();
      ws.send(message);
    };
    ws.on('message', () => {
      record(performance.now() - sentAt);
      if (running) send();
      else resolve();
    });
    ws.on('close', () => resolve());
    ws.on('error', () => {
      errors++;
      resolve();
    });
    send();
  });
}

const sockets = (await Promise.all(Array.from({ length: spec.connections }, open))).filter(
  (ws): ws is WebSocket => ws !== undefined,
);
const started = performance.now();
const loops = sockets.map(loop);
await sleep(spec.durationSec * 1000);
running = false;
const elapsedSec = (performance.now() - started) / 1000;
const total = count;
await Promise.race([Promise.all(loops), sleep(2000)]);
for (const ws of sockets) ws.terminate();

const sorted = samples.subarray(0, count).sort();
const result: LoadResult = {
  requests: total,
  requestsPerSec: total / elapsedSec,
  p50Ms: percentile(sorted, 50),
  p99Ms: percentile(sorted, 99),
  errors,
  bytesPerResponse: message.length,
};
console.log(JSON.stringify(result));
process.exit(0);
