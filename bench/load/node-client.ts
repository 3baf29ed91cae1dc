import type { CpuPlan } from '../environment.js';
import { runToCompletion } from '../process/spawn.js';
import type { LoadDriver, LoadResult, LoadSpec } from './types.js';

/** Runs `script` (a Node load client printing one JSON LoadResult line) in a child on the load CPU. */
export function nodeLoadDriver(description: string, script: string, cpu: CpuPlan): LoadDriver {
  return {
    description,
    async run(spec: LoadSpec): Promise<LoadResult> {
      const [command, args] = cpu.wrap('load', process.execPath, [script, JSON.stringify(spec)]);
      const { code, stdout, stderr } = await runToCompletion(command, args, {
        timeoutMs: (spec.durationSec + 30) * 1000,
      });
      const line = stdout.trim().split('\n').pop();
      if (code !== 0 || !line?.startsWith('{'))
        throw new Error(`${description} failed (exit ${code}): ${stderr}`);
      return JSON.parse(line) as LoadResult;
    },
  };
}
