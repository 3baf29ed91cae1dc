import type { CpuPlan } from '../environment.js';
import { type ManagedProcess, spawnManaged } from '../process/spawn.js';
import { upstreamPaths } from './routes.js';

/** The running bench upstream: one process, one port per balancer member. */
export interface Upstream {
  /** `http://127.0.0.1:<port>` of each member. */
  readonly origins: readonly string[];
  /** Requests each member has served so far. */
  counts(): Promise<number[]>;
  stop(): Promise<void>;
}

/** Starts the upstream process on the load CPU (see CpuPlan) and waits for its ports. */
export async function startUpstream(script: string, cpu: CpuPlan, members: number): Promise<Upstream> {
  let ready: (ports: number[]) => void = () => {};
  const portsReady = new Promise<number[]>((resolve) => {
    ready = resolve;
  });
  const [command, args] = cpu.wrap('load', process.execPath, [script, '--members', String(members)]);
  const proc: ManagedProcess = spawnManaged(command, args, {
    onLine: (line) => {
      if (line.startsWith('READY ')) ready((JSON.parse(line.slice(6)) as { ports: number[] }).ports);
    },
  });
  const ports = await Promise.race([
    portsReady,
    proc.exited.then(() => {
      throw new Error(`upstream exited:\n${proc.output()}`);
    }),
  ]);
  const origins = ports.map((port) => `http://127.0.0.1:${port}`);
  return {
    origins,
    counts: () =>
      Promise.all(
        origins.map(async (origin) => {
          const res = await fetch(origin + upstreamPaths.count);
          return Number(await res.text());
        }),
      ),
    stop: () => proc.stop(),
  };
}
