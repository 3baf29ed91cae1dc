import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { runToCompletion } from './process/spawn.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** True when dist/ is missing or older than the newest file in src/. */
export function buildIsStale(repo: string): boolean {
  const marker = path.join(repo, 'dist', 'index.js');
  return !existsSync(marker) || newestMtime(path.join(repo, 'src')) > statSync(marker).mtimeMs;
}

/**
 * Runs `npm run build` when dist/ is stale (the CLI runs from dist/). A failed build is reported
 * and the bench goes on with whatever dist/ holds: the tsx-proxy peer then says what went wrong.
 */
export async function ensureBuild(repo: string, log: (line: string) => void): Promise<void> {
  if (!buildIsStale(repo)) return;
  log('dist/ is missing or older than src/: running npm run build');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { code, stdout, stderr } = await runToCompletion(npm, ['run', 'build'], {
    cwd: repo,
    timeoutMs: 300_000,
  });
  if (code !== 0)
    log(`npm run build failed (exit ${code}); using dist/ as it is:\n${(stdout + stderr).slice(-1500)}`);
}
