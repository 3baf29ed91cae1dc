import * as path from 'node:path';
import type { ChildName } from '../process/children.js';
import { freePort, waitUntilServing } from '../process/net.js';
import { spawnManaged } from '../process/spawn.js';
import { upstreamPaths } from '../upstream/routes.js';
import type { PeerStartContext, RunningPeer } from './types.js';

/**
 * Starts one of the bench's compiled Node proxies (see servers/) pinned to the proxy CPU:
 * `node <script> --port <p> --upstream <origin>... [--websocket]`.
 */
export async function startNodeServer(child: ChildName, ctx: PeerStartContext): Promise<RunningPeer> {
  const port = await freePort();
  const args = [
    ...ctx.nodeFlags,
    ctx.children[child],
    '--port',
    String(port),
    ...ctx.members.flatMap((m) => ['--upstream', m]),
  ];
  if (ctx.websocket) args.push('--websocket');
  const [command, commandArgs] = ctx.cpu.wrap('proxy', process.execPath, args);
  const proc = spawnManaged(command, commandArgs, { logFile: path.join(ctx.workDir, 'output.log') });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(url + upstreamPaths.small, proc);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return { url, pid: proc.pid, output: () => proc.output(), stop: () => proc.stop() };
}
