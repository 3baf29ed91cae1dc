import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const live = new Set<ManagedProcess>();
const OUTPUT_LIMIT = 16_384;

/** A child process the bench started and must stop. */
export interface ManagedProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<number | null>;
  running(): boolean;
  /** The last few KiB of stdout and stderr, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a long-running child (a proxy, the upstream); its output is kept for diagnostics. */
export function spawnManaged(
  command: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; logFile?: string } = {},
): ManagedProcess {
  const child = spawn(command, [...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let partial = '';
  const log = opts.logFile ? createWriteStream(opts.logFile) : undefined;
  const collect = (chunk: Buffer) => {
    log?.write(chunk);
    const text = chunk.toString('utf8');
    output = (output + text).slice(-OUTPUT_LIMIT);
    if (!opts.onLine) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) opts.onLine(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      output += `\n${error.message}`;
      exitCode = null;
      resolve(null);
    });
    child.on('exit', (code) => {
      exitCode = code;
      log?.end();
      resolve(code);
    });
  });
  const managed: ManagedProcess = {
    pid: child.pid ?? -1,
    child,
    exited,
    running: () => exitCode === undefined,
    output: () => output,
    async stop(graceMs = 5000) {
      live.delete(managed);
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  exited.then(() => live.delete(managed));
  live.add(managed);
  return managed;
}

/** Runs a child to completion and returns its output (load generators, builds). */
export async function runToCompletion(
  command: string,
  args: readonly string[],
  opts: { cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, [...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
  const [code] = (await Promise.race([
    once(child, 'exit'),
    once(child, 'error').then(([e]) => [null, e]),
  ])) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Stops every child still running (on exit or Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(2000)));
}
