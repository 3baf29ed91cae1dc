/**
 * Hot reload under load, through the real `tsx-proxy dev` (a child process watching a real
 * file): 20 saves change targets, add and remove routes and balancer members, while fast, slow
 * and streaming requests keep flowing on keep-alive and fresh connections. No request fails, and
 * each one is served by the config that was current when it started.
 *
 * Every config version `v` routes to upstream paths under `/v<v>/`, so the backend that answers
 * knows which version routed the request. A request started after the reload of `v` was logged
 * must be served by `v` or later; it cannot be served by a version written after the backend
 * received it.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BIN, cliEnv, ensureBuilt, ROOT } from './cli-helpers.js';
import { type Backend, startBackend } from './proxy-support.js';

beforeAll(ensureBuilt, 120_000);

const SAVES = 20;
const NAMES = ['A', 'B', 'C', 'D'] as const;
type Name = (typeof NAMES)[number];
/** Balancer members of each version, in turn: members come and go between consecutive saves. */
const MEMBER_SETS: readonly (readonly Name[])[] = [
  ['A', 'B'],
  ['A', 'B', 'C'],
  ['B', 'C'],
  ['B', 'C', 'D'],
  ['A', 'D'],
  ['A', 'B', 'C', 'D'],
  ['C'],
];
const STREAM_CHUNKS = 6;
const STREAM_GAP_MS = 50;

const membersOf = (v: number) => MEMBER_SETS[v % MEMBER_SETS.length]!;
const directOf = (v: number): Name => NAMES[v % NAMES.length]!;

const tmp = mkdtempSync(join(tmpdir(), 'tsxp-reload-load-'));
const backends = new Map<Name, Backend>();
let child: ChildProcessWithoutNullStreams | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  for (const b of backends.values()) await b.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** What a backend saw of each request, by the client's `x-req-id`. */
const receipts = new Map<string, { backend: Name; url: string; at: number }>();
let slowTurn = 0;

function answer(name: Name, url: string): string {
  if (!url.endsWith('/stream')) return `${name} ${url}`;
  return Array.from({ length: STREAM_CHUNKS }, (_, i) => `${name} ${url} ${i}\n`).join('');
}

/** `/v<n>/fast` at once, `/v<n>/slow` after 200-500 ms, `/v<n>/stream` chunked over ~300 ms. */
function startNamedBackend(name: Name): Promise<Backend> {
  return startBackend((req, res) => {
    req.resume();
    const url = req.url!;
    receipts.set(String(req.headers['x-req-id']), { backend: name, url, at: performance.now() });
    if (url.endsWith('/stream')) {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': name });
      let i = 0;
      const timer = setInterval(() => {
        res.write(`${name} ${url} ${i}\n`);
        if (++i === STREAM_CHUNKS) {
          clearInterval(timer);
          res.end();
        }
      }, STREAM_GAP_MS);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const send = () => res.writeHead(200, { 'x-backend': name }).end(answer(name, url));
    if (url.endsWith('/slow')) setTimeout(send, 200 + ((slowTurn++ * 97) % 300));
    else send();
  });
}

function configText(v: number): string {
  const url = (n: Name) => backends.get(n)!.url;
  const members = membersOf(v)
    .map((n) => `\n  .member('${url(n)}'${n === 'A' ? `, { loadfactor: ${1 + (v % 3)} }` : ''})`)
    .join('');
  // A route that exists in one save out of three: added, then removed again.
  const extra = v % 3 === 0 ? `\n    route('/extra/').to('${url('D')}/'),` : '';
  return `import { balancer, defineConfig, route } from 'tsx-proxy';

const pool = balancer('pool')${members};

export default defineConfig({
  routes: [
    route('/marker-v${v}/').deny(),${extra}
    route('/api/').to(pool, { path: '/v${v}/' }),
    route('/direct/').to('${url(directOf(v))}/v${v}/'),
  ],
});
`;
}

interface Outcome {
  readonly path: string;
  readonly id: string;
  readonly fresh: boolean;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });
let nextId = 0;

function send(base: string, path: string, fresh: boolean): Promise<Outcome> {
  const id = `r${++nextId}`;
  const startedAt = performance.now();
  return new Promise((done) => {
    const finish = (rest: Partial<Outcome>) =>
      done({ path, id, fresh, startedAt, endedAt: performance.now(), ...rest });
    const req = request(`${base}${path}`, { agent: fresh ? false : keepAlive, headers: { 'x-req-id': id } });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => {
        body += s;
      });
      res.on('end', () => finish({ status: res.statusCode ?? 0, body }));
      res.on('error', (e) => finish({ error: e.message }));
    });
    req.on('error', (e) => finish({ error: `${(e as { code?: string }).code ?? ''} ${e.message}` }));
    req.end();
  });
}

/** The latest version whose time in `times` is before `t` (version 1 serves from the start). */
function versionBefore(times: ReadonlyMap<number, number>, t: number): number {
  let latest = 1;
  for (const [v, at] of times) if (at < t && v > latest) latest = v;
  return latest;
}

test('20 saves under fast, slow and streaming load: no failed request, each served by the config current when it started', async () => {
  for (const name of NAMES) backends.set(name, await startNamedBackend(name));
  const file = join(tmp, 'proxy.config.ts');
  writeFileSync(file, configText(1));

  const writtenAt = new Map<number, number>();
  const reloadedAt = new Map<number, number>();
  const reloadLines: string[] = [];
  let stderr = '';
  let url: string | undefined;
  let exit: number | null | undefined;
  const proc = spawn(process.execPath, [BIN, 'dev', '--config', file, '--port', '0'], {
    cwd: ROOT,
    env: cliEnv(),
  });
  child = proc;
  proc.on('exit', (code) => {
    exit = code;
  });
  proc.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  createInterface({ input: proc.stdout }).on('line', (line) => {
    const now = performance.now();
    url ??= /listen\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
    const marker = /reloaded .* added \([^)]*\/marker-v(\d+)\//.exec(line);
    if (marker) {
      reloadedAt.set(Number(marker[1]), now);
      reloadLines.push(line);
    }
  });
  /** Polls until `check`; a proxy that exits first fails the test with what it printed. */
  const waitFor = async (check: () => boolean, what: string) => {
    while (!check()) {
      if (exit !== undefined) throw new Error(`tsx-proxy exited (${exit}) waiting for ${what}:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  await waitFor(() => url !== undefined, 'the listen banner');
  const base = url!;

  // Keep-alive and fresh connections; fast, slow (200-500 ms) and streaming (~300 ms) requests.
  const loops: { path: string; fresh: boolean }[] = [
    ...Array.from({ length: 4 }, () => ({ path: '/api/fast', fresh: false })),
    ...Array.from({ length: 2 }, () => ({ path: '/direct/fast', fresh: false })),
    { path: '/api/fast', fresh: true },
    { path: '/direct/fast', fresh: true },
    ...Array.from({ length: 3 }, () => ({ path: '/api/slow', fresh: false })),
    { path: '/api/stream', fresh: false },
    { path: '/api/stream', fresh: true },
    { path: '/direct/stream', fresh: false },
  ];
  const outcomes: Outcome[] = [];
  let stopAfter = Number.POSITIVE_INFINITY;
  const running = loops.map(async ({ path, fresh }) => {
    // Each loop goes on until it has finished a request started after the last reload.
    for (;;) {
      const outcome = await send(base, path, fresh);
      outcomes.push(outcome);
      if (outcome.startedAt > stopAfter) return;
    }
  });

  for (let v = 2; v <= SAVES + 1; v++) {
    writtenAt.set(v, performance.now());
    writeFileSync(file, configText(v));
    await waitFor(() => reloadedAt.has(v), `the reload of version ${v}`);
    // Let requests start on this version before the next save.
    await new Promise((r) => setTimeout(r, 100 + (v % 4) * 50));
  }
  stopAfter = reloadedAt.get(SAVES + 1)!;
  await Promise.all(running);
  keepAlive.destroy();

  const failed = outcomes
    .filter((o) => o.error !== undefined || o.status !== 200)
    .map(
      (o) =>
        `${o.id} ${o.path}${o.fresh ? ' (fresh connection)' : ''}: ${o.error ?? `${o.status} ${o.body}`}`,
    );
  expect({ failed: failed.length, first: failed.slice(0, 10) }).toEqual({ failed: 0, first: [] });

  const violations: string[] = [];
  const served = new Set<number>();
  for (const o of outcomes) {
    const receipt = receipts.get(o.id);
    const v = Number(/^\/v(\d+)\//.exec(receipt?.url ?? '')?.[1]);
    if (!receipt || !v) {
      violations.push(`${o.id} ${o.path}: no backend saw it (${o.body})`);
      continue;
    }
    served.add(v);
    const expectedUrl = `/v${v}/${o.path.split('/')[2]}`;
    if (receipt.url !== expectedUrl)
      violations.push(`${o.id}: upstream path ${receipt.url}, not ${expectedUrl}`);
    if (o.body !== answer(receipt.backend, receipt.url))
      violations.push(`${o.id}: body ${JSON.stringify(o.body)}`);
    const rightBackend = o.path.startsWith('/api/')
      ? membersOf(v).includes(receipt.backend)
      : receipt.backend === directOf(v);
    if (!rightBackend)
      violations.push(`${o.id} ${o.path}: version ${v} does not route to ${receipt.backend}`);
    const lo = versionBefore(reloadedAt, o.startedAt);
    const hi = versionBefore(writtenAt, receipt.at);
    if (v < lo || v > hi)
      violations.push(`${o.id} ${o.path}: served by version ${v}, current was ${lo}..${hi}`);
  }
  expect({ violations: violations.length, first: violations.slice(0, 10) }).toEqual({
    violations: 0,
    first: [],
  });

  // The load was real: every save reloaded, with requests in flight across reloads.
  expect(reloadLines).toHaveLength(SAVES);
  expect(reloadLines.some((l) => /member.? added/.test(l) && /member.? removed/.test(l))).toBe(true);
  expect(reloadLines.some((l) => /\/extra\//.test(l))).toBe(true);
  expect(served).toContain(1);
  expect(served).toContain(SAVES + 1);
  const acrossReload = outcomes.filter((o) =>
    [...writtenAt].some(([v, at]) => o.startedAt < at && o.endedAt > reloadedAt.get(v)!),
  );
  expect(acrossReload.filter((o) => !o.path.endsWith('/fast')).length).toBeGreaterThan(0);
  // Nothing was logged as an error or a failed reload.
  expect(stderr).toBe('');

  proc.kill('SIGINT');
  await waitFor(() => exit !== undefined, 'the exit');
  expect(exit).toBe(0);
}, 60_000);
