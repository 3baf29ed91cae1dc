import { expect, test } from 'vitest';
import { runChildScript } from './child-script.js';

async function runChild(script: string): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await runChildScript(script, 60_000);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout);
}

// V8's flags are process-wide, so each case runs in a process of its own. V8's own minor-GC
// entries marked forced (what a requested scavenge is) show the requested scavenges are real
// ones; the scavenges V8 runs by itself (Node 22 runs two here while the child starts) are not.
const PACED_BY_BYTES = `
import { PerformanceObserver, constants } from 'node:perf_hooks';
const { PACE_BYTES, bodyBytesMoved, paceScavenges, requestedScavenges } = await import('./src/proxy/scavenge-pacer.ts');
let scavenges = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const { kind, flags } = e.detail;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR && flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) scavenges++;
  }
}).observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
const move = (bytes) => { for (let i = 0; i < 16; i++) bodyBytesMoved(bytes / 16); };
move(4 * PACE_BYTES);
await settle();
const before = { scavenges, requested: requestedScavenges() };
const paced = paceScavenges();
scavenges = 0;
move(4 * PACE_BYTES);
await settle();
console.log(JSON.stringify({ before, paced, scavenges, requested: requestedScavenges(), gcVisible: typeof globalThis.gc }));
`;

test('pacing asks V8 for one scavenge per 16 MiB of body bytes, and V8 runs them', async () => {
  expect(await runChild(PACED_BY_BYTES)).toEqual({
    before: { scavenges: 0, requested: 0 },
    paced: true,
    scavenges: 4,
    requested: 4,
    // The user's code does not get a global gc() out of it.
    gcVisible: 'undefined',
  });
});

// Through the proxy, on real sockets: a 50 MiB download paces as it streams (3 scavenges), and a
// 32 MiB upload (content-length) counts when its exchange ends (one more: a scavenge frees all).
const PACED_BY_PROXY = `
import { createServer, request } from 'node:http';
const { paceScavenges, requestedScavenges } = await import('./src/proxy/scavenge-pacer.ts');
const { startProxy } = await import('./src/runtime/start-proxy.ts');
const { defineConfig, route } = await import('./src/index.ts');
const MiB = 1024 * 1024;
const block = Buffer.alloc(MiB, 120);
const backend = createServer((req, res) => {
  if (req.method === 'POST') {
    let n = 0;
    req.on('data', (c) => { n += c.length; });
    req.on('end', () => res.end(String(n)));
    return;
  }
  let left = 50;
  const more = () => { while (left > 0) { left--; if (!res.write(block)) return void res.once('drain', more); } res.end(); };
  more();
});
await new Promise((resolve) => backend.listen(0, '127.0.0.1', resolve));
const quiet = { request() {}, error() {}, info() {}, warn() {} };
const proxy = await startProxy(defineConfig({ routes: [route('/').to('http://127.0.0.1:' + backend.address().port + '/')] }), { port: 0, logger: quiet });
paceScavenges();
const call = (method, body) => new Promise((resolve, reject) => {
  const req = request(proxy.url + '/', { method, headers: body ? { 'content-length': String(body.length * 32) } : {} }, (res) => {
    let n = 0; let text = '';
    res.on('data', (c) => { n += c.length; if (n < 100) text += c; });
    res.on('end', () => resolve({ bytes: n, text }));
  });
  req.on('error', reject);
  if (body) { let left = 32; const more = () => { while (left > 0) { left--; if (!req.write(body)) return void req.once('drain', more); } req.end(); }; more(); }
  else req.end();
});
const download = await call('GET');
const afterDownload = requestedScavenges();
const upload = await call('POST', block);
const afterUpload = requestedScavenges();
await proxy.close();
backend.close();
console.log(JSON.stringify({ downloaded: download.bytes / MiB, afterDownload, uploaded: Number(upload.text) / MiB, afterUpload }));
`;

test('the bodies a proxy moves, both ways, pace the scavenges', async () => {
  expect(await runChild(PACED_BY_PROXY)).toEqual({
    downloaded: 50,
    afterDownload: 3,
    uploaded: 32,
    afterUpload: 4,
  });
});
