/**
 * Member state survives a saved config in `tsx-proxy dev` (real file write, real reload): a
 * member in error stays in error with the same error time, byrequests goes on with Apache's
 * sequence where it was instead of starting again, and a member the save removes drains (its
 * in-flight response finishes, then its connections close).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type CliProcess, ensureBuilt, get, spawnCli } from './cli-helpers.js';
import { type Backend, closedPort, startBackend, until } from './proxy-support.js';

beforeAll(ensureBuilt, 120_000);

const tmp = mkdtempSync(join(tmpdir(), 'tsxp-reload-state-'));
const running: CliProcess[] = [];
const backends: Backend[] = [];
afterAll(async () => {
  for (const p of running) p.signal('SIGKILL');
  for (const b of backends) await b.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function named(name: string, hold?: Promise<void>): Promise<Backend> {
  const b = await startBackend((req, res) => {
    req.resume();
    if (hold && req.url === '/hold') {
      res.write(`${name} starts, `);
      void hold.then(() => res.end(`${name} ends`));
      return;
    }
    res.end(name);
  });
  backends.push(b);
  return b;
}

interface Members {
  readonly a: string;
  readonly b: string;
  readonly dead: string;
  readonly good: string;
  readonly drain: string;
}

function configText(m: Members, extraRoute: string): string {
  return `import { balancer, defineConfig, route } from 'tsx-proxy';

// Apache's byrequests with loadfactors 1 and 3: B A B B, B A B B, ...
const weighted = balancer('weighted').member('${m.a}', { loadfactor: 1 }).member('${m.b}', { loadfactor: 3 });
const pair = balancer('pair').member('${m.dead}').member('${m.good}');
const drain = balancer('drain').member('${m.drain}');

export default defineConfig({
  routes: [
    route('/balancer-manager').manager(),
    route('/weighted/').to(weighted),
    route('/pair/').to(pair),
    route('/drain/').to(drain),${extraRoute}
  ],
});
`;
}

interface MemberView {
  url: string;
  status: string;
  elected: number;
  errors: number;
  errorTime: string | null;
}

async function members(url: string, balancer: string): Promise<MemberView[]> {
  const res = await get(`${url}/balancer-manager/api/balancers/${balancer}/members`);
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as MemberView[];
}

async function bodies(url: string, path: string, n: number): Promise<string> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await get(`${url}${path}`)).body);
  return out.join(' ');
}

test('a saved config keeps error state and byrequests counters; a removed member drains', async () => {
  let release!: () => void;
  const hold = new Promise<void>((r) => {
    release = r;
  });
  const [a, b, good, slow, fresh] = [
    await named('A'),
    await named('B'),
    await named('good'),
    await named('slow', hold),
    await named('fresh'),
  ];
  const dead = `http://127.0.0.1:${await closedPort()}`;
  const file = join(tmp, 'proxy.config.ts');
  const v1 = { a: a.url, b: b.url, dead, good: good.url, drain: slow.url };
  writeFileSync(file, configText(v1, ''));
  const dev = spawnCli(['dev', '--config', file, '--port', '0']);
  running.push(dev);
  const [, url] = await dev.waitFor(/listen\s+(http:\/\/127\.0\.0\.1:\d+)/);
  const failovers = () =>
    dev
      .stderr()
      .split('\n')
      .filter((l) => l.includes('failing over')).length;

  expect(await bodies(url!, '/weighted/', 3)).toBe('B A B');
  // The dead member is tried first, fails over to the good one, and is now in error.
  expect(await bodies(url!, '/pair/', 1)).toBe('good');
  expect(failovers()).toBe(1);
  const [deadBefore] = await members(url!, 'pair');
  expect(deadBefore!.status).toContain('Err');
  // A response in flight from the member the next save removes.
  const held = get(`${url}/drain/hold`);
  await until(() => slow.sockets.size > 0);

  writeFileSync(file, configText({ ...v1, drain: fresh.url }, "\n    route('/added/').deny(),"));
  const [line] = await dev.waitFor(/reloaded \/.* in \d+ ms: .*\n/);
  expect(line).toContain('1 route added (/added/)');
  expect(line).toMatch(new RegExp(`1 member added \\(drain\\|${fresh.url}/?\\)`));
  expect(line).toMatch(new RegExp(`1 member removed \\(drain\\|${slow.url}/?\\)`));

  // Apache's sequence goes on where it was (a fresh balancer would answer B A B B B).
  expect(await bodies(url!, '/weighted/', 5)).toBe('B B A B B');
  expect((await members(url!, 'weighted')).map((m) => m.elected)).toEqual([2, 6]);
  // Still in error: not tried again, same error time.
  expect(await bodies(url!, '/pair/', 4)).toBe('good good good good');
  expect(failovers()).toBe(1);
  const [deadAfter] = await members(url!, 'pair');
  expect(deadAfter).toMatchObject({ status: deadBefore!.status, errorTime: deadBefore!.errorTime });
  expect(deadAfter!.errorTime).not.toBeNull();

  // New requests go to the new member; the removed one finishes its response, then lets go.
  expect(await bodies(url!, '/drain/x', 2)).toBe('fresh fresh');
  release();
  expect(await held).toEqual({ status: 200, body: 'slow starts, slow ends' });
  await until(() => slow.sockets.size === 0);

  expect(
    dev
      .stderr()
      .split('\n')
      .filter((l) => / error /.test(l)),
  ).toEqual([]);
  dev.signal('SIGINT');
  expect(await dev.exited).toBe(0);
});
