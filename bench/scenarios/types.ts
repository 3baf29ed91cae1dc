import type { CpuPlan } from '../environment.js';
import type { LoadDriver } from '../load/types.js';
import type { BenchOptions } from '../options.js';
import type { ChildName } from '../process/children.js';
import type { Peer } from '../peers/types.js';
import type { Upstream } from '../upstream/upstream.js';

/** What the harness hands every scenario. */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly cpu: CpuPlan;
  /** The shared upstream process (two members), started once per run. */
  readonly upstream: Upstream;
  /** Peers available on this machine and selected with --peers, in table order. */
  readonly peers: readonly Peer[];
  readonly httpLoad: LoadDriver;
  readonly wsLoad: LoadDriver;
  readonly children: Readonly<Record<ChildName, string>>;
  /** Node flags for a Node proxy process: `--cpu-prof` into --profile's folder, named after `label`. */
  nodeFlags(label: string): string[];
  /** Makes a fresh folder under the run's temp folder. */
  workDir(name: string): string;
  log(line: string): void;
}

/** One peer's line in a scenario table. */
export interface PeerRow {
  readonly peer: string;
  /** Per round, in round order. */
  readonly rounds: readonly { requestsPerSec: number; p50Ms: number; p99Ms: number; errors: number }[];
  readonly medianRps: number;
  readonly minRps: number;
  readonly maxRps: number;
  /** Medians over rounds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly peakRssBytes: number | undefined;
  readonly processes: number | undefined;
  readonly notes: readonly string[];
}

/** A target from the issue, evaluated on one run. */
export interface TargetCheck {
  readonly label: string;
  /** `info` lines are printed with the checks but are not targets (the stretch goal, context). */
  readonly status: 'PASS' | 'FAIL' | 'n/a' | 'info';
  readonly detail: string;
}

/** What a scenario hands back to the report. */
export interface ScenarioReport {
  readonly name: string;
  readonly title: string;
  /** One paragraph: what is sent, how many connections, what counts as one "request". */
  readonly description: string;
  /** Throughput column header, e.g. `req/s` or `round trips/s`. */
  readonly unit: string;
  /** The comparison table (empty for scenarios that report otherwise). */
  readonly rows: readonly PeerRow[];
  /** Peers skipped or failing, errors seen, balancer spread. */
  readonly notes: readonly string[];
  readonly checks: readonly TargetCheck[];
  /** Extra markdown lines for scenarios whose result is not a peer table (e.g. reload timings). */
  readonly markdown?: readonly string[];
}

/** One scenario: a module under bench/scenarios/, listed in scenarios/index.ts. */
export interface Scenario {
  /** `--only` name. */
  readonly name: string;
  readonly title: string;
  run(ctx: BenchContext): Promise<ScenarioReport>;
}
