import type { PeerRow, ScenarioReport, TargetCheck } from './scenarios/types.js';
import { TSX } from './targets.js';

/** The run's setting, printed at the top of the output and of latest.md. */
export interface RunInfo {
  readonly date: string;
  readonly machine: string;
  readonly node: string;
  readonly pinning: string;
  readonly httpLoad: string;
  readonly wsLoad: string;
  readonly durationSec: number;
  readonly warmupSec: number;
  readonly settleSec: number;
  readonly rounds: number;
  readonly command: string;
  readonly peers: readonly { name: string; version: string; summary: string }[];
  readonly unavailable: readonly string[];
}

const MiB = 2 ** 20;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const align = header.map((_, i) => (i === 0 || i === header.length - 1 ? ':--' : '--:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}

function rowCells(row: PeerRow, tsx: PeerRow | undefined): string[] {
  const rss =
    row.peakRssBytes === undefined
      ? '-'
      : `${(row.peakRssBytes / MiB).toFixed(1)}${(row.processes ?? 1) > 1 ? ` (${row.processes} procs)` : ''}`;
  return [
    row.peer === TSX ? `**${row.peer}**` : row.peer,
    row.medianRps.toFixed(0),
    `${row.minRps.toFixed(0)}-${row.maxRps.toFixed(0)}`,
    row.p50Ms.toFixed(2),
    row.p99Ms.toFixed(2),
    rss,
    tsx ? `${(row.medianRps / tsx.medianRps).toFixed(2)}x` : 'n/a',
    row.notes.join('; '),
  ];
}

function scenarioSection(report: ScenarioReport): string[] {
  const lines = [`## ${report.title}`, '', report.description, ''];
  if (report.rows.length > 0) {
    const tsx = report.rows.find((r) => r.peer === TSX);
    const header = [
      'peer',
      `${report.unit} (median)`,
      'min-max',
      'p50 ms',
      'p99 ms',
      'peak RSS MiB',
      'vs tsx-proxy',
      'notes',
    ];
    lines.push(
      ...table(
        header,
        report.rows.map((r) => rowCells(r, tsx)),
      ),
      '',
    );
  }
  if (report.markdown) lines.push(...report.markdown, '');
  for (const note of report.notes) lines.push(`- ${note}`);
  if (report.notes.length > 0) lines.push('');
  return lines;
}

function checkLine(check: TargetCheck): string {
  const mark = check.status === 'info' ? 'INFO' : check.status;
  return `- ${mark.padEnd(4)} ${check.label}: ${check.detail}`;
}

/** The whole report as markdown: header, one table per scenario, then the targets. */
export function renderReport(info: RunInfo, reports: readonly ScenarioReport[]): string {
  const lines = [
    '# tsx-proxy benchmark',
    '',
    `- Date: ${info.date}`,
    `- Machine: ${info.machine}`,
    `- Node: ${info.node}`,
    `- Pinning: ${info.pinning}`,
    `- Load: ${info.httpLoad} for HTTP; ${info.wsLoad} for WebSocket; each run in its own process`,
    `- Duration: ${info.durationSec} s per measurement, after ${info.warmupSec} s of warm-up per proxy and scenario` +
      (info.settleSec > 0
        ? ` and ${info.settleSec} s of unmeasured load right before each measurement; `
        : '; ') +
      `${info.rounds} interleaved round(s) (every proxy once per round, order rotated each round); medians over rounds`,
    `- Command: \`${info.command}\``,
    '- Read the ratios, not the absolute numbers: this machine is shared and noisy, spreads of 25% between rounds ' +
      'are normal. Compare peers within one run, never absolute numbers across runs.',
    '',
    'Peers:',
    ...info.peers.map((p) => `- **${p.name}** (${p.version}): ${p.summary}`),
    ...info.unavailable.map((u) => `- ${u}`),
    '',
  ];
  for (const report of reports) lines.push(...scenarioSection(report));
  lines.push('## Targets', '');
  const checks = reports.flatMap((r) => r.checks);
  lines.push(...(checks.length > 0 ? checks.map(checkLine) : ['- no targets evaluated']), '');
  return lines.join('\n');
}
