import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitUntilServing } from '../process/net.js';
import { spawnManaged } from '../process/spawn.js';
import { upstreamPaths } from '../upstream/routes.js';
import type { PeerStartContext, RunningPeer } from './types.js';

/**
 * Writes a generated config into the peer's work folder and runs the server in the foreground,
 * pinned to the proxy CPU (children such as Apache's worker process inherit the pinning).
 */
export async function startExternal(
  ctx: PeerStartContext,
  spec: {
    binary: string;
    configFile: string;
    config: string;
    args: (configPath: string) => string[];
    port: number;
  },
): Promise<RunningPeer> {
  const configPath = path.join(ctx.workDir, spec.configFile);
  writeFileSync(configPath, spec.config);
  const [command, args] = ctx.cpu.wrap('proxy', spec.binary, spec.args(configPath));
  const proc = spawnManaged(command, args, {
    cwd: ctx.workDir,
    logFile: path.join(ctx.workDir, 'output.log'),
  });
  const url = `http://127.0.0.1:${spec.port}`;
  try {
    await waitUntilServing(url + upstreamPaths.small, proc);
  } catch (error) {
    await proc.stop();
    throw new Error(`${(error as Error).message}\n(config: ${configPath})`);
  }
  return { url, pid: proc.pid, output: () => proc.output(), stop: () => proc.stop() };
}
