import type { CpuPlan } from '../environment.js';
import type { ChildName } from '../process/children.js';

/** What a scenario needs from a proxy. */
export interface PeerNeeds {
  /** Upstream origins to forward to (`http://127.0.0.1:<port>`); more than one means balance over them. */
  readonly members: readonly string[];
  /** The scenario proxies WebSocket upgrades. */
  readonly websocket: boolean;
}

/** Everything a peer may use to start. */
export interface PeerStartContext extends PeerNeeds {
  readonly cpu: CpuPlan;
  /** A fresh folder for this peer's generated config and logs. */
  readonly workDir: string;
  /** Node flags for a Node proxy process (`--cpu-prof ...` with --profile). */
  readonly nodeFlags: readonly string[];
  /** Compiled bench child scripts (the Node peers' servers). */
  readonly children: Readonly<Record<ChildName, string>>;
}

/** A running proxy (or the upstream itself, for `direct`). */
export interface RunningPeer {
  /** Base URL to send load to (no trailing slash). */
  readonly url: string;
  /** Process whose tree's peak RSS is reported; undefined when there is no proxy process. */
  readonly pid: number | undefined;
  /** Set when the peer had to start differently from its usual way (shown as a note). */
  readonly note?: string;
  /** The last few KiB of the process's output, to explain a failure. */
  output?(): string;
  stop(): Promise<void>;
}

/** One thing the bench measures: a proxy, or the upstream itself. */
export interface Peer {
  /** Table label and `--peers` name. */
  readonly name: string;
  /** One line for the README-style peer list in the report. */
  readonly summary: string;
  /** Version string for the report header. */
  version(): string;
  /** Why the peer cannot run on this machine (a missing binary), or undefined. Checked once per run. */
  unavailable(): Promise<string | undefined>;
  /** Why the peer sits out a scenario (e.g. no native balancer), or undefined. */
  skipReason?(needs: PeerNeeds): string | undefined;
  start(ctx: PeerStartContext): Promise<RunningPeer>;
}
