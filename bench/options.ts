import * as path from 'node:path';
import { parseArgs } from 'node:util';

/** What `npm run bench -- <flags>` asked for. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Scenario names to run; undefined: all of them. */
  readonly only: readonly string[] | undefined;
  /** Peer names to run; undefined: every peer available here. */
  readonly peers: readonly string[] | undefined;
  /** Seconds of load per measurement. */
  readonly durationSec: number;
  /** Seconds of load sent to each proxy once per scenario before round 1 (JIT, pools, caches). */
  readonly warmupSec: number;
  /**
   * Seconds of unmeasured load right before each measurement: a proxy has idled while the other
   * peers took their turn, and its first second back is a transient, not its steady state.
   */
  readonly settleSec: number;
  readonly rounds: number;
  /** Force a load generator instead of "wrk when installed, else autocannon". */
  readonly load: 'wrk' | 'autocannon' | undefined;
  /** Keep the temp folder (generated configs, peer logs) for inspection. */
  readonly keep: boolean;
  /** Folder where each Node proxy writes a CPU profile per scenario (`node --cpu-prof`), when asked. */
  readonly profileDir: string | undefined;
}

export const usage = `Usage: npm run bench -- [options]
  --quick             smoke test: 1 round of 1 s per proxy
  --only <names>      comma-separated scenarios to run (see the list below)
  --peers <names>     comma-separated peers to run (direct is always included)
  --duration <s>      seconds of load per measurement (default 4)
  --rounds <n>        interleaved rounds (default 5)
  --settle <s>        seconds of unmeasured load right before each measurement (default 1, 0: none)
  --load <tool>       wrk or autocannon (default: wrk when installed)
  --keep              keep the temp folder with generated configs and logs
  --profile <dir>     write a CPU profile of every Node proxy per scenario (node --cpu-prof) into <dir>
  --help`;

function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
}

function number(value: string | undefined, flag: string, fallback: number, zeroAllowed = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed)) {
    throw new Error(`${flag} expects a ${zeroAllowed ? 'non-negative' : 'positive'} number, got "${value}"`);
  }
  return n;
}

/** Parses the bench's command line; throws with a readable message on a bad flag. */
export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      peers: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      settle: { type: 'string' },
      load: { type: 'string' },
      keep: { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  if (values.load !== undefined && values.load !== 'wrk' && values.load !== 'autocannon') {
    throw new Error(`--load expects wrk or autocannon, got "${values.load}"`);
  }
  const quick = values.quick === true;
  // wrk takes whole seconds.
  const durationSec = Math.max(1, Math.round(number(values.duration, '--duration', quick ? 1 : 4)));
  const rounds = Math.round(number(values.rounds, '--rounds', quick ? 1 : 5));
  const settleSec = Math.round(number(values.settle, '--settle', quick ? 0 : 1, true));
  return {
    quick,
    only: list(values.only),
    peers: list(values.peers),
    durationSec,
    warmupSec: quick ? 1 : 2,
    settleSec,
    rounds,
    load: values.load,
    keep: values.keep === true,
    profileDir: values.profile === undefined ? undefined : path.resolve(values.profile),
  };
}
