/**
 * Runs a TypeScript module text in a child Node process (through tsx, from the repo root): to
 * prove that something lets its process exit on its own (no timer, socket or pool left behind),
 * or to try a process-wide setting (V8's flags) away from the test runner's process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repo root, with a trailing slash, for `import()` paths inside child scripts. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ChildExit {
  readonly code: number | null;
  /** True when the child had to be killed: it did not exit on its own within the bound. */
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `script` and resolves when it exits, killing it after `boundMs` (a generous bound, not a
 * timing assertion). `nodeArgs` go to node before the script (V8 flags, for instance); `env` is
 * the child's environment (settings node reads only at start-up, such as NODE_EXTRA_CA_CERTS).
 */
export function runChildScript(
  script: string,
  boundMs = 15_000,
  nodeArgs: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChildExit> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    const bound = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.on('exit', (code, signal) => {
      clearTimeout(bound);
      resolve({ code, killed: signal === 'SIGKILL', stdout, stderr });
    });
  });
}
