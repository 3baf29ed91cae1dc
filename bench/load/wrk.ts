import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CpuPlan } from '../environment.js';
import { runToCompletion } from '../process/spawn.js';
import type { LoadDriver, LoadResult, LoadSpec } from './types.js';

const MARK = 'BENCH_JSON ';

/** The Lua script: sets method and body, and prints the summary as one JSON line. */
function script(spec: LoadSpec): string {
  const body =
    spec.method === 'POST'
      ? `wrk.method = "POST"\nwrk.body = string.rep("x", ${spec.bodyBytes})\n` +
        `wrk.headers["Content-Type"] = "application/octet-stream"\n`
      : '';
  return `${body}done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${MARK}{"requests":%d,"durationUs":%d,"bytes":%d,"errors":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;
}

/** wrk (one thread: it shares one CPU with the upstream) driven through a Lua `done` hook. */
export function wrkDriver(wrk: string, version: string, cpu: CpuPlan, workDir: string): LoadDriver {
  return {
    description: `${version} (1 thread)`,
    async run(spec: LoadSpec): Promise<LoadResult> {
      const file = path.join(workDir, `wrk-${spec.method}-${spec.bodyBytes}.lua`);
      writeFileSync(file, script(spec));
      const [command, args] = cpu.wrap('load', wrk, [
        '-t1',
        `-c${spec.connections}`,
        `-d${spec.durationSec}s`,
        '--timeout',
        '10s',
        '-s',
        file,
        spec.url,
      ]);
      const { code, stdout, stderr } = await runToCompletion(command, args, {
        timeoutMs: (spec.durationSec + 30) * 1000,
      });
      const line = stdout.split('\n').find((l) => l.startsWith(MARK));
      if (!line) throw new Error(`wrk failed (exit ${code}): ${stderr || stdout}`);
      const r = JSON.parse(line.slice(MARK.length)) as Record<string, number>;
      const requests = r.requests ?? 0;
      return {
        requests,
        requestsPerSec: requests / ((r.durationUs ?? 1) / 1e6),
        p50Ms: (r.p50Us ?? 0) / 1000,
        p99Ms: (r.p99Us ?? 0) / 1000,
        errors: r.errors ?? 0,
        bytesPerResponse: requests > 0 ? (r.bytes ?? 0) / requests : 0,
      };
    },
  };
}
