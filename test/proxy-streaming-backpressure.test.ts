import { connect } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { type Backend, recordingLogger, startBackend } from './proxy-support.js';

const MiB = 1024 * 1024;
const SIZE = 200 * MiB;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

let backend: Backend;
let proxy: RunningProxy;
let receivedUpload = 0;

beforeAll(async () => {
  backend = await startBackend((req, res) => {
    if (req.method === 'POST') {
      // A slow consumer: pauses the upload after every chunk.
      req.on('data', (c: Buffer) => {
        receivedUpload += c.length;
        req.pause();
        setTimeout(() => req.resume(), 1);
      });
      req.on('end', () => res.end(String(receivedUpload)));
      return;
    }
    // Writes as fast as the proxy lets it, honouring backpressure itself.
    res.writeHead(200, { 'content-length': String(SIZE) });
    let sent = 0;
    const pump = () => {
      while (sent < SIZE) {
        sent += CHUNK.length;
        if (!res.write(CHUNK)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  proxy = await startProxy(defineConfig({ routes: [route('/').to(`${backend.url}/`)] }), {
    port: 0,
    logger: recordingLogger(),
  });
  // Warm up sockets, pools and the JIT so that the measurements see the transfers only.
  const res = await fetch(`${proxy.url}/warm`, { method: 'POST', body: 'x' });
  await res.text();
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

/** Samples RSS while `work` runs; returns the peak growth over the starting RSS. */
async function peakRssGrowth(work: () => Promise<void>): Promise<number> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss()) - start;
}

test('a 200 MiB response reaches a slow reader whole, with RSS growth far below the body size', async () => {
  let received = 0;
  const growth = await peakRssGrowth(
    () =>
      new Promise<void>((resolve, reject) => {
        const url = new URL(proxy.url);
        const socket = connect(Number(url.port), url.hostname);
        socket.write('GET /big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
        let sinceBreak = 0;
        socket.on('data', (c: Buffer) => {
          received += c.length;
          sinceBreak += c.length;
          // A slow reader: a pause after every MiB.
          if (sinceBreak >= MiB) {
            sinceBreak = 0;
            socket.pause();
            setTimeout(() => socket.resume(), 4);
          }
        });
        socket.on('end', resolve);
        socket.on('error', reject);
      }),
  );
  // The response head is a few hundred bytes on top of the body.
  expect(received).toBeGreaterThan(SIZE);
  expect(received).toBeLessThan(SIZE + 1024);
  // Buffer churn alone costs some tens of MiB; a proxy that ignored backpressure holds most of
  // the body (measured: ~170 MiB) because the reader is the slowest part.
  expect(growth).toBeLessThan(SIZE / 2);
});

test('a 100 MiB upload reaches a slow upstream whole, with RSS growth far below the body size', async () => {
  const uploadSize = 100 * MiB;
  receivedUpload = 0;
  let answer = '';
  const growth = await peakRssGrowth(
    () =>
      new Promise<void>((resolve, reject) => {
        const url = new URL(proxy.url);
        const socket = connect(Number(url.port), url.hostname);
        socket.write(
          `POST /up HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: ${uploadSize}\r\n\r\n`,
        );
        let sent = 0;
        const pump = () => {
          while (sent < uploadSize) {
            sent += CHUNK.length;
            if (!socket.write(CHUNK)) {
              socket.once('drain', pump);
              return;
            }
          }
        };
        pump();
        socket.on('data', (c: Buffer) => {
          answer += c.toString();
        });
        socket.on('end', resolve);
        socket.on('error', reject);
      }),
  );
  expect(answer.endsWith(`\r\n\r\n${uploadSize}`)).toBe(true);
  expect(growth).toBeLessThan(uploadSize / 2);
});
