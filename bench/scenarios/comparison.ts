import type { LoadResult } from '../load/types.js';
import { probe } from '../process/net.js';
import { peakRss } from '../process/rss.js';
import type { Peer, RunningPeer } from '../peers/types.js';
import { median } from '../stats.js';
import type { BenchContext, PeerRow, Scenario, ScenarioReport, TargetCheck } from './types.js';

/** A side-by-side throughput scenario: every peer gets the same load, in interleaved rounds. */
export interface ComparisonSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** How many upstream members the proxies forward to (2: balance over them). */
  readonly members: 1 | 2;
  readonly websocket: boolean;
  readonly load: { path: string; method: 'GET' | 'POST'; bodyBytes: number; connections: number };
  /** Least body bytes a correct response carries (the bench checks every peer serves it). */
  readonly expectedBodyBytes: number;
  targets(rows: readonly PeerRow[]): TargetCheck[];
}

interface Contender {
  readonly peer: Peer;
  readonly instance: RunningPeer;
  readonly results: LoadResult[];
  /** Requests each upstream member served for this peer, summed over rounds. */
  readonly split: number[];
  readonly notes: string[];
}

const firstLine = (error: unknown) => (error as Error).message.split('\n')[0] ?? String(error);

function rotate<T>(items: readonly T[], by: number): T[] {
  const n = by % Math.max(1, items.length);
  return [...items.slice(n), ...items.slice(0, n)];
}

async function startAll(ctx: BenchContext, spec: ComparisonSpec, notes: string[]): Promise<Contender[]> {
  const needs = { members: ctx.upstream.origins.slice(0, spec.members), websocket: spec.websocket };
  const contenders: Contender[] = [];
  for (const peer of ctx.peers) {
    const skip = peer.skipReason?.(needs);
    if (skip) {
      notes.push(`${peer.name}: skipped (${skip})`);
      continue;
    }
    try {
      const workDir = ctx.workDir(`${spec.name}-${peer.name.replace(/\W+/g, '-')}`);
      const nodeFlags = ctx.nodeFlags(`${peer.name}-${spec.name}`);
      const instance = await peer.start({
        ...needs,
        cpu: ctx.cpu,
        workDir,
        nodeFlags,
        children: ctx.children,
      });
      contenders.push({ peer, instance, results: [], split: needs.members.map(() => 0), notes: [] });
      if (instance.note) notes.push(`${peer.name}: ${instance.note}`);
    } catch (error) {
      notes.push(`${peer.name}: failed to start (${firstLine(error)})`);
      ctx.log(`  ${peer.name} failed to start: ${(error as Error).message}`);
    }
  }
  return contenders;
}

/** A correct response first (a proxy answering 502 fast must not top the table), then warm-up load. */
async function check(ctx: BenchContext, spec: ComparisonSpec, c: Contender): Promise<string | undefined> {
  if (!spec.websocket) {
    const { method, bodyBytes, path } = spec.load;
    const res = await probe(c.instance.url + path, { method, bodyBytes }).catch((error: Error) => error);
    if (res instanceof Error) return `probe failed: ${res.message}`;
    if (res.status !== 200 || res.bytes < spec.expectedBodyBytes) {
      return `probe answered ${res.status} with ${res.bytes} body bytes (expected 200 and ${spec.expectedBodyBytes})`;
    }
  }
  const warm = await run(ctx, spec, c, ctx.options.warmupSec).catch((error: Error) => error);
  if (warm instanceof Error) return `warm-up failed: ${firstLine(warm)}`;
  if (warm.requests === 0 || warm.errors > warm.requests / 100) {
    return `warm-up had ${warm.errors} errors for ${warm.requests} requests`;
  }
  return undefined;
}

function run(
  ctx: BenchContext,
  spec: ComparisonSpec,
  c: Contender,
  durationSec: number,
): Promise<LoadResult> {
  const base = spec.websocket ? c.instance.url.replace(/^http/, 'ws') : c.instance.url;
  const driver = spec.websocket ? ctx.wsLoad : ctx.httpLoad;
  const { path, method, bodyBytes, connections } = spec.load;
  return driver.run({ url: base + path, method, bodyBytes, connections, durationSec });
}

async function measure(ctx: BenchContext, spec: ComparisonSpec, c: Contender, round: number): Promise<void> {
  const before = spec.members > 1 ? await ctx.upstream.counts() : undefined;
  try {
    // Each peer idled while the others took their turn; measure it back in its steady state.
    if (ctx.options.settleSec > 0) await run(ctx, spec, c, ctx.options.settleSec);
    const result = await run(ctx, spec, c, ctx.options.durationSec);
    c.results.push(result);
    const errors = result.errors > 0 ? `, ${result.errors} errors` : '';
    ctx.log(
      `  round ${round + 1}/${ctx.options.rounds} ${c.peer.name.padEnd(20)} ${result.requestsPerSec.toFixed(0).padStart(7)}/s` +
        `  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms${errors}`,
    );
  } catch (error) {
    c.notes.push(`round ${round + 1} failed: ${firstLine(error)}`);
    ctx.log(`  round ${round + 1} ${c.peer.name} failed: ${(error as Error).message}`);
  }
  if (before) {
    const after = await ctx.upstream.counts();
    after.forEach((n, i) => {
      c.split[i] = (c.split[i] ?? 0) + n - (before[i] ?? 0);
    });
  }
}

function toRow(spec: ComparisonSpec, c: Contender): PeerRow {
  const rps = c.results.map((r) => r.requestsPerSec);
  const errors = c.results.reduce((sum, r) => sum + r.errors, 0);
  const notes = [...c.notes];
  if (errors > 0) notes.push(`${errors} errors/non-2xx`);
  const bytes = median(c.results.map((r) => r.bytesPerResponse));
  if (!spec.websocket && bytes < spec.expectedBodyBytes)
    notes.push(`only ${bytes.toFixed(0)} bytes per response`);
  const total = c.split.reduce((a, b) => a + b, 0);
  if (spec.members > 1 && total > 0) {
    notes.push(`members ${c.split.map((n) => `${Math.round((100 * n) / total)}%`).join(' / ')}`);
  }
  const rss = c.instance.pid === undefined ? undefined : peakRss(c.instance.pid);
  return {
    peer: c.peer.name,
    rounds: c.results.map(({ requestsPerSec, p50Ms, p99Ms, errors }) => ({
      requestsPerSec,
      p50Ms,
      p99Ms,
      errors,
    })),
    medianRps: median(rps),
    minRps: Math.min(...rps),
    maxRps: Math.max(...rps),
    p50Ms: median(c.results.map((r) => r.p50Ms)),
    p99Ms: median(c.results.map((r) => r.p99Ms)),
    errors,
    peakRssBytes: rss?.bytes,
    processes: rss?.processes,
    notes,
  };
}

/** Builds a scenario that runs every peer under the same load, round-robin, `--rounds` times. */
export function comparisonScenario(spec: ComparisonSpec): Scenario {
  return {
    name: spec.name,
    title: spec.title,
    async run(ctx): Promise<ScenarioReport> {
      const notes: string[] = [];
      const started = await startAll(ctx, spec, notes);
      const contenders: Contender[] = [];
      try {
        for (const c of started) {
          const problem = await check(ctx, spec, c);
          if (problem === undefined) {
            contenders.push(c);
            continue;
          }
          notes.push(`${c.peer.name}: dropped, ${problem}`);
          ctx.log(`  ${c.peer.name} dropped: ${problem}\n${c.instance.output?.().slice(-1500) ?? ''}`);
        }
        for (let round = 0; round < ctx.options.rounds; round++) {
          // Rotating the order spreads any drift of a noisy machine over every peer.
          for (const c of rotate(contenders, round)) await measure(ctx, spec, c, round);
        }
        const rows = contenders.filter((c) => c.results.length > 0).map((c) => toRow(spec, c));
        const unit = spec.websocket ? 'round trips/s' : 'req/s';
        return {
          name: spec.name,
          title: spec.title,
          description: spec.description,
          unit,
          rows,
          notes,
          checks: spec.targets(rows),
        };
      } finally {
        await Promise.all(started.map((c) => c.instance.stop()));
      }
    },
  };
}
