/**
 * Runs the real `bin/tsx-proxy.js` (which runs dist/), building dist/ first when it is missing
 * or older than src/. Several CLI test files may start at once: a lock directory makes them
 * build one at a time, and each re-checks freshness after waiting.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'tsx-proxy.js');
const BUILT = join(ROOT, 'dist', 'cli', 'main.js');
/** Left by a failed build, so that the test files waiting for it rebuild (and fail) too. */
const FAILED = join(ROOT, 'dist', '.build-failed');
const LOCK = join(tmpdir(), `tsxp-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
const LOCK_STALE_MS = 120_000;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  try {
    return !existsSync(FAILED) && statSync(BUILT).mtimeMs >= newestSource(join(ROOT, 'src'));
  } catch {
    return false;
  }
}

function takeLock(): boolean {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
    } catch {
      // Someone else removed it: try again on the next round.
    }
    return false;
  }
}

function build(): Promise<void> {
  return new Promise((done, fail) => {
    execFile('npm', ['run', 'build'], { cwd: ROOT, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (!error) {
        rmSync(FAILED, { force: true });
        return done();
      }
      mkdirSync(dirname(FAILED), { recursive: true });
      writeFileSync(FAILED, `${stdout}\n${stderr}`);
      const said = `${stdout}\n${stderr}`
        .split('\n')
        .filter((l) => /error TS|error:/.test(l))
        .slice(0, 20)
        .join('\n');
      fail(
        new Error(
          `\`npm run build\` failed, so the CLI in dist/ may be stale or broken. If another part of ` +
            `src/ is being edited right now, rerun when it compiles. tsc said:\n${said}`,
        ),
      );
    });
  });
}

/**
 * Makes sure dist/ is built from the current src/ (builds at most once at a time).
 * `TSXP_TEST_USE_DIST=1` skips the build and tests dist/ as it is.
 */
export async function ensureBuilt(): Promise<void> {
  if (process.env.TSXP_TEST_USE_DIST === '1') return;
  for (;;) {
    if (isFresh()) return;
    if (takeLock()) {
      try {
        if (!isFresh()) await build();
        return;
      } finally {
        rmSync(LOCK, { recursive: true, force: true });
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for the CLI: no colours, so output can be matched as text. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  return env;
}

/** Runs `node bin/tsx-proxy.js ...args` to completion. */
export function runCli(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? ROOT, env: cliEnv(), maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code as number | null) : 0;
        done({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

/** A long-running CLI process (`start`, `dev`) whose output can be awaited line by line. */
export interface CliProcess {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout (or stderr), rejects when the process exits first. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  signal(name: NodeJS.Signals): void;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

/** Spawns `node bin/tsx-proxy.js ...args` and keeps it running. */
export function spawnCli(args: readonly string[], options: { cwd?: string } = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: cliEnv() });
  const out = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    out.stdout += s;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    out.stderr += s;
    notify();
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    child.on('exit', (code) => {
      exitCode = code;
      notify();
      done(code);
    }),
  );
  return {
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    signal: (name) => child.kill(name),
    waitFor(pattern, stream = 'stdout') {
      return new Promise((done, fail) => {
        const check = () => {
          const m = out[stream].match(pattern);
          if (m) {
            waiters.delete(check);
            done(m);
          } else if (exitCode !== undefined) {
            waiters.delete(check);
            fail(
              new Error(
                `tsx-proxy exited (${exitCode}) before printing ${pattern}\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`,
              ),
            );
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** One GET on a fresh connection (no keep-alive, so a stopping proxy has nothing idle to wait for). */
export function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    httpGet(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => {
        body += s;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    }).on('error', fail);
  });
}

/** Loopback backends on ephemeral ports that answer `served by <name>`. */
export async function namedBackends(
  names: readonly string[],
): Promise<{ urls: string[]; close(): Promise<void> }> {
  const servers = names.map((name) =>
    createServer((req, res) => {
      req.resume();
      res.end(`served by ${name} ${req.url}`);
    }),
  );
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))));
  return {
    urls: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`),
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
