import type { PeerRow, TargetCheck } from './scenarios/types.js';

export const TSX = 'tsx-proxy';
export const NODE_PEERS = ['http-proxy', '@fastify/http-proxy'] as const;
const MiB = 2 ** 20;

const find = (rows: readonly PeerRow[], name: string) => rows.find((r) => r.peer === name);
const x = (n: number) => `${n.toFixed(2)}x`;

function missing(label: string, names: readonly string[], rows: readonly PeerRow[]): TargetCheck | undefined {
  const absent = names.filter((n) => !find(rows, n));
  return absent.length > 0
    ? { label, status: 'n/a', detail: `not measured: ${absent.join(', ')}` }
    : undefined;
}

/** tsx-proxy's median throughput is at least `min` times `peer`'s. */
export function atLeast(rows: readonly PeerRow[], scenario: string, peer: string, min: number): TargetCheck {
  const label = `${scenario}: tsx-proxy >= ${min}x ${peer}`;
  const absent = missing(label, [TSX, peer], rows);
  if (absent) return absent;
  const ratio = find(rows, TSX)!.medianRps / find(rows, peer)!.medianRps;
  return { label, status: ratio >= min ? 'PASS' : 'FAIL', detail: x(ratio) };
}

/** tsx-proxy's throughput is at least `min` times the best of the Node peers (http-proxy, fastify). */
export function atLeastBestNodePeer(rows: readonly PeerRow[], scenario: string, min = 1): TargetCheck {
  const label = `${scenario}: tsx-proxy >= ${min}x best Node peer`;
  const absent = missing(label, [TSX, ...NODE_PEERS], rows);
  if (absent) return absent;
  const best = NODE_PEERS.map((n) => find(rows, n)!).reduce((a, b) => (b.medianRps > a.medianRps ? b : a));
  const ratio = find(rows, TSX)!.medianRps / best.medianRps;
  return { label, status: ratio >= min ? 'PASS' : 'FAIL', detail: `${x(ratio)} ${best.peer}` };
}

/** tsx-proxy's median p99 latency is below every peer named. */
export function p99Below(rows: readonly PeerRow[], scenario: string, peers: readonly string[]): TargetCheck {
  const label = `${scenario}: tsx-proxy p99 below ${peers.join(' and ')}`;
  const absent = missing(label, [TSX, ...peers], rows);
  if (absent) return absent;
  const own = find(rows, TSX)!.p99Ms;
  const others = peers.map((p) => find(rows, p)!);
  const pass = others.every((o) => own < o.p99Ms);
  const detail = `${own.toFixed(2)} ms vs ${others.map((o) => `${o.p99Ms.toFixed(2)} ms`).join(', ')}`;
  return { label, status: pass ? 'PASS' : 'FAIL', detail };
}

/** tsx-proxy's peak RSS stays within `limitMiB`. */
export function rssWithin(rows: readonly PeerRow[], scenario: string, limitMiB = 120): TargetCheck {
  const label = `${scenario}: tsx-proxy peak RSS <= ${limitMiB} MiB`;
  const rss = find(rows, TSX)?.peakRssBytes;
  if (rss === undefined) return { label, status: 'n/a', detail: 'not measured' };
  return { label, status: rss <= limitMiB * MiB ? 'PASS' : 'FAIL', detail: `${(rss / MiB).toFixed(1)} MiB` };
}

/** Not a target: how `peer` compares with `base` (the stretch goal: Apache against the undici floor). */
export function info(rows: readonly PeerRow[], label: string, peer: string, base: string): TargetCheck {
  const a = find(rows, peer);
  const b = find(rows, base);
  if (!a || !b) return { label, status: 'n/a', detail: `not measured: ${!a ? peer : base}` };
  return { label, status: 'info', detail: `${peer} = ${x(a.medianRps / b.medianRps)} ${base}` };
}
