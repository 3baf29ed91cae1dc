import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Finds an executable on PATH (plus the sbin folders, where apache2, nginx and haproxy live). */
export function findCommand(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * Which CPU each role runs on. The machine has two cores: every proxy gets one, the load
 * generator and the upstream share the other, so a proxy never competes with its own load.
 */
export interface CpuPlan {
  readonly pinned: boolean;
  readonly proxyCpu: number;
  readonly loadCpu: number;
  /** One line for the report header. */
  readonly description: string;
  /** Prefixes a command with `taskset -c <cpu>` for its role (no-op when pinning is off). */
  wrap(role: 'proxy' | 'load', command: string, args: readonly string[]): [string, string[]];
}

function allowedCpus(): number[] {
  const status = readFileSync('/proc/self/status', 'utf8');
  const list = /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1];
  if (!list) return os.cpus().map((_, i) => i);
  return list.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number) as [number, number | undefined];
    return Array.from({ length: (to ?? from) - from + 1 }, (_: unknown, i: number) => from + i);
  });
}

/** Decides the pinning and moves this (orchestrating) process onto the load CPU. */
export function planCpus(): CpuPlan {
  const taskset = findCommand('taskset');
  const cpus = allowedCpus();
  const loadCpu = cpus[0] ?? 0;
  const proxyCpu = cpus[cpus.length - 1] ?? 0;
  const why = !taskset ? 'taskset not found' : cpus.length < 2 ? 'fewer than 2 CPUs' : undefined;
  if (why || !taskset) {
    return {
      pinned: false,
      proxyCpu,
      loadCpu,
      description: `not pinned (${why}): numbers are less meaningful`,
      wrap: (_role, command, args) => [command, [...args]],
    };
  }
  try {
    execFileSync(taskset, ['-a', '-p', '-c', String(loadCpu), String(process.pid)], { stdio: 'ignore' });
  } catch {}
  return {
    pinned: true,
    proxyCpu,
    loadCpu,
    description: `each proxy on CPU ${proxyCpu}; load generator, upstream and this harness on CPU ${loadCpu} (taskset -c)`,
    wrap: (role, command, args) => [
      taskset,
      ['-c', String(role === 'proxy' ? proxyCpu : loadCpu), command, ...args],
    ],
  };
}

/** One line describing the machine, for the report header. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${model}, ${cpus.length} CPUs, ${gib} GiB RAM, ${os.type()} ${os.release()} (${os.arch()})`;
}

/** First line of `command args` output (stdout, else stderr: nginx -v writes there), for version strings. */
export function versionOf(command: string, args: readonly string[]): string | undefined {
  const { stdout, stderr } = spawnSync(command, [...args], { encoding: 'utf8', timeout: 10_000 });
  return `${stdout ?? ''}${stderr ?? ''}`.trim().split('\n')[0]?.trim() || undefined;
}

/** Version of an installed npm package (read from node_modules, so `exports` maps do not matter). */
export function packageVersion(name: string): string {
  try {
    const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}
