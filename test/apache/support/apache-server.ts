/**
 * Runs a real Apache httpd 2.4 (Debian's `apache2`) for the differential suite: its own
 * ServerRoot, pid file, error log and shared memory in a temp dir, one process (`-X`), loopback.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigSpec } from '../../../src/dsl/spec.js';
import { apacheConfig } from './apache-config.js';

const BINARIES = ['/usr/sbin/apache2', '/usr/sbin/httpd', '/usr/local/apache2/bin/httpd'];
const MODULE_DIRS = ['/usr/lib/apache2/modules', '/usr/lib64/httpd/modules', '/usr/local/apache2/modules'];

/** An installed Apache httpd usable by the suite. */
export interface ApacheInstall {
  readonly binary: string;
  readonly modulesDir: string;
  /** First line of `apache2 -v`, e.g. `Server version: Apache/2.4.62 (Debian)`. */
  readonly versionLine: string;
  /** `[major, minor, patch]` from the version line. */
  readonly version: readonly [number, number, number];
}

/** The installed Apache, or the reason the suite cannot run. */
export function findApache(): ApacheInstall | { readonly missing: string } {
  const binary = BINARIES.find((b) => existsSync(b));
  if (!binary)
    return { missing: `no Apache httpd binary at ${BINARIES.join(', ')} (apt-get install apache2)` };
  const modulesDir = MODULE_DIRS.find((d) => existsSync(join(d, 'mod_proxy_balancer.so')));
  if (!modulesDir) return { missing: `no mod_proxy_balancer.so in ${MODULE_DIRS.join(', ')}` };
  const versionLine = execFileSync(binary, ['-v'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  const m = /Apache\/(\d+)\.(\d+)\.(\d+)/.exec(versionLine);
  if (!m) return { missing: `cannot read the version from '${versionLine}'` };
  const version = [Number(m[1]), Number(m[2]), Number(m[3])] as const;
  if (version[0] !== 2 || version[1] !== 4) return { missing: `${versionLine} is not httpd 2.4` };
  return { binary, modulesDir, versionLine, version };
}

/** A running Apache. */
export interface RunningApache {
  /** `http://127.0.0.1:port` */
  readonly url: string;
  /** The generated httpd.conf, for failure messages. */
  readonly configText: string;
  /** Contents of its error log so far. */
  errorLog(): string;
  /** Stops the process and removes its directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Apache will not serve as root: switch to the distribution's web user (or nobody). */
function serviceUser(): { name: string; group: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8');
  return /^www-data:/m.test(passwd)
    ? { name: 'www-data', group: 'www-data' }
    : { name: 'nobody', group: 'nogroup' };
}

async function waitUntilListening(child: ChildProcess, port: number, log: () => string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  for (let i = 0; i < 200; i++) {
    if (exited) break;
    if (await accepts(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`Apache did not start (${exited ?? 'not listening after 5 s'}):\n${log()}`);
}

/**
 * Starts Apache with the translation of `spec` (see `apacheConfig`) on a free loopback port.
 * @example
 * const apache = await startApache(install, defineConfig({ routes: [route('/a/').to(b, { path: '/' })] }));
 * await fetch(`${apache.url}/a/`); await apache.stop();
 */
export async function startApache(install: ApacheInstall, spec: ConfigSpec): Promise<RunningApache> {
  const dir = mkdtempSync(join(tmpdir(), 'tsxp-apache-'));
  const port = await freePort();
  const configText = apacheConfig(spec, {
    dir,
    port,
    modulesDir: install.modulesDir,
    user: serviceUser(),
    logLevel: process.env.TSXP_APACHE_LOGLEVEL ?? 'warn',
  });
  const configFile = join(dir, 'httpd.conf');
  writeFileSync(configFile, configText);
  const errorLog = () => {
    const file = join(dir, 'error.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  let stderr = '';
  const child = spawn(install.binary, ['-X', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  await waitUntilListening(child, port, () => `${stderr}${errorLog()}\n${configText}`);
  return {
    url: `http://127.0.0.1:${port}`,
    configText,
    errorLog,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
