/**
 * A bad save never takes `tsx-proxy dev` down: a syntax error, a validation error, a config
 * that throws and an imported file that throws each print one message naming file:line with a
 * code frame, the previous config keeps serving, and the next good save reloads normally.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type CliProcess, ensureBuilt, get, namedBackends, spawnCli } from './cli-helpers.js';
import { until } from './proxy-support.js';

beforeAll(ensureBuilt, 120_000);

const tmp = mkdtempSync(join(tmpdir(), 'tsxp-reload-bad-'));
const running: CliProcess[] = [];
afterAll(() => {
  for (const p of running) p.signal('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

const file = join(tmp, 'proxy.config.ts');
const helper = join(tmp, 'routes.ts');
const GOOD_HELPER = "export const prefix = '/';\n";

function goodConfig(target: string): string {
  return [
    "import { defineConfig, route } from 'tsx-proxy';",
    "import { prefix } from './routes.js';",
    '',
    `export default defineConfig({ routes: [route(prefix).to('${target}/')] });`,
    '',
  ].join('\n');
}

interface BadSave {
  readonly what: string;
  readonly file: string;
  readonly text: string;
  /** The line the message must point at, and what it must say. */
  readonly line: string;
  readonly says: RegExp;
}

function badSaves(target: string): BadSave[] {
  const config = goodConfig(target);
  return [
    {
      what: 'a syntax error',
      file,
      text: `${config}export const oops = ;\n`,
      line: 'export const oops = ;',
      says: /error: Unexpected ";"/,
    },
    {
      what: 'a validation error',
      file,
      text: config.replace(`'${target}/'`, "'gopher://127.0.0.1:70/'"),
      line: "export default defineConfig({ routes: [route(prefix).to('gopher://127.0.0.1:70/')] });",
      says: /error TSXP_UNSUPPORTED_SCHEME at routes\[0\]\.target: .*\n(.*\n)*\s+fix: use http:\/\//,
    },
    {
      what: 'a config that throws',
      file,
      text: config.replace(
        'export default',
        "const upstream = process.env.TSXP_TEST_UNSET_UPSTREAM;\nif (!upstream) throw new Error('TSXP_TEST_UNSET_UPSTREAM is not set');\nexport default",
      ),
      line: "if (!upstream) throw new Error('TSXP_TEST_UNSET_UPSTREAM is not set');",
      says: /error: evaluating the config threw Error: TSXP_TEST_UNSET_UPSTREAM is not set/,
    },
    {
      what: 'an imported file that throws',
      file: helper,
      text: "const raw = '{not json';\nexport const prefix: string = JSON.parse(raw);\n",
      line: 'export const prefix: string = JSON.parse(raw);',
      says: /error: evaluating the config threw SyntaxError: .*JSON/,
    },
  ];
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, 'gm'))?.length ?? 0;

test('each bad save prints one message with file:line and keeps the old routes serving; the fix reloads', async () => {
  const names = ['alpha', 'beta', 'gamma', 'delta'];
  const backends = await namedBackends(names);
  try {
    writeFileSync(helper, GOOD_HELPER);
    writeFileSync(file, goodConfig(backends.urls[0]!));
    const dev = spawnCli(['dev', '--config', file, '--port', '0']);
    running.push(dev);
    const [, url] = await dev.waitFor(/listen\s+(http:\/\/127\.0\.0\.1:\d+)/);
    const reloads = () => count(dev.stdout(), /^.* reloaded /);
    let serving = 0;
    expect((await get(`${url}/x`)).body).toBe('served by alpha /x');

    for (let i = 0; i < badSaves('').length; i++) {
      const bad = badSaves(backends.urls[serving]!)[i]!;
      const from = dev.stderr().length;
      const reloaded = reloads();
      writeFileSync(bad.file, bad.text);
      await until(() => dev.stderr().slice(from).includes('still serving the previous config'));
      const said = dev.stderr().slice(from);
      const lineNo = bad.text.split('\n').indexOf(bad.line) + 1;
      // One message: one located problem, its code frame, and one "still serving" line.
      expect(count(said, /^\S+:\d+:\d+ error/), `${bad.what}:\n${said}`).toBe(1);
      expect(said, bad.what).toContain(`${bad.file}:${lineNo}:`);
      expect(said, bad.what).toContain(`> ${lineNo} | ${bad.line}`);
      expect(said, bad.what).toMatch(bad.says);
      expect(count(said, /failed; still serving the previous config$/)).toBe(1);
      expect(reloads()).toBe(reloaded);
      expect((await get(`${url}/still`)).body, bad.what).toBe(`served by ${names[serving]} /still`);

      // The fix reloads: the helper back to its good text, or the config to a new target.
      if (bad.file === helper) {
        writeFileSync(helper, GOOD_HELPER);
      } else {
        serving++;
        writeFileSync(file, goodConfig(backends.urls[serving]!));
      }
      await until(() => reloads() > reloaded);
      const line = dev
        .stdout()
        .split('\n')
        .findLast((l) => l.includes(' reloaded '));
      expect(line, bad.what).toMatch(
        bad.file === helper
          ? /routes\.ts changed\) in \d+ ms: no route, balancer or member changes$/
          : /proxy\.config\.ts changed\) in \d+ ms: 1 route changed \(\/\)$/,
      );
      expect((await get(`${url}/fixed`)).body, bad.what).toBe(`served by ${names[serving]} /fixed`);
    }
    expect(serving).toBe(3);
    // Nothing evaluated was left behind next to the config.
    expect(readdirSync(tmp).sort()).toEqual(['proxy.config.ts', 'routes.ts']);
    dev.signal('SIGINT');
    expect(await dev.exited).toBe(0);
  } finally {
    await backends.close();
  }
});
