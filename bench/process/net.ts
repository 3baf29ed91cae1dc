import * as http from 'node:http';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from './spawn.js';

/** An unused loopback port, for peers whose config needs a fixed port (Apache, nginx, HAProxy). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Status and body size of one request, on a fresh connection (no keep-alive left behind). */
export function probe(
  url: string,
  opts: { method?: string; bodyBytes?: number; timeoutMs?: number } = {},
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const body = opts.bodyBytes ? Buffer.alloc(opts.bodyBytes, 120) : undefined;
    const req = http.request(url, { method: opts.method ?? 'GET', agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 5000, () => req.destroy(new Error(`timeout on ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Waits until `url` answers 200 through a freshly started process; throws with the process's
 * output when it exits first, keeps answering another status for `wrongStatusMs`, or the
 * deadline passes.
 */
export async function waitUntilServing(
  url: string,
  proc: ManagedProcess | undefined,
  timeoutMs = 20_000,
  wrongStatusMs = 3000,
) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let wrongSince: number | undefined;
  while (Date.now() < deadline) {
    if (proc && !proc.running()) break;
    try {
      const { status } = await probe(url, { timeoutMs: 2000 });
      if (status === 200) return;
      last = `status ${status}`;
      wrongSince ??= Date.now();
      if (Date.now() - wrongSince > wrongStatusMs) break;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  const output = proc?.output().trim() ?? '';
  const lines = output.split('\n').filter((line) => /\w/.test(line) && !/^\s+at /.test(line));
  const cause = lines.find((line) => /error|alert|emerg|cannot/i.test(line)) ?? lines.at(-1) ?? '';
  const why = proc && !proc.running() ? `exited: ${cause.trim()}` : `not serving (${last})`;
  throw new Error(`${why}${output ? `\n${output.slice(-2000)}` : ''}`);
}
