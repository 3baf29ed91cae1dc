/**
 * `npm run bench`: tsx-proxy side by side with other proxies, on the same upstream and load,
 * in interleaved rounds. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, findCommand, packageVersion, planCpus, versionOf } from './environment.js';
import { nodeLoadDriver } from './load/node-client.js';
import type { LoadDriver } from './load/types.js';
import { wrkDriver } from './load/wrk.js';
import { type BenchOptions, parseOptions, usage } from './options.js';
import { allPeers } from './peers/index.js';
import type { Peer } from './peers/types.js';
import { compileChildren } from './process/children.js';
import { stopAll } from './process/spawn.js';
import { renderReport } from './report.js';
import { allScenarios } from './scenarios/index.js';
import type { BenchContext, Scenario, ScenarioReport } from './scenarios/types.js';
import { startUpstream } from './upstream/upstream.js';

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const log = (line: string) => console.log(line);
/** The run's temp folder, removed on Ctrl-C too (unless --keep). */
let removeOnSignal: string | undefined;

function selectScenarios(options: BenchOptions): Scenario[] {
  if (!options.only) return [...allScenarios];
  const unknown = options.only.filter((name) => !allScenarios.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}`);
  return allScenarios.filter((s) => options.only!.includes(s.name));
}

async function selectPeers(options: BenchOptions): Promise<{ peers: Peer[]; unavailable: string[] }> {
  if (options.peers) {
    const unknown = options.peers.filter((name) => !allPeers.some((p) => p.name === name));
    if (unknown.length > 0) throw new Error(`unknown peer(s): ${unknown.join(', ')}`);
  }
  const peers: Peer[] = [];
  const unavailable: string[] = [];
  for (const peer of allPeers) {
    if (options.peers && peer.name !== 'direct' && !options.peers.includes(peer.name)) continue;
    const why = await peer.unavailable();
    if (why) {
      unavailable.push(`${peer.name}: skipped, ${why}`);
      log(`${peer.name}: skipped, ${why}`);
    } else peers.push(peer);
  }
  return { peers, unavailable };
}

function httpLoadDriver(options: BenchOptions, ctx: Pick<BenchContext, 'cpu' | 'children'>, workDir: string) {
  const wrk = options.load === 'autocannon' ? undefined : findCommand('wrk');
  if (wrk) return wrkDriver(wrk, versionOf(wrk, ['-v'])?.split(' [')[0] ?? 'wrk', ctx.cpu, workDir);
  if (options.load === 'wrk') throw new Error('--load wrk: wrk is not installed');
  log('wrk not installed: using autocannon (apt-get install wrk for a lighter load generator)');
  return nodeLoadDriver(`autocannon ${packageVersion('autocannon')}`, ctx.children.autocannon, ctx.cpu);
}

async function main(): Promise<void> {
  const parsed = parseOptions(process.argv.slice(2));
  if (parsed === 'help') {
    log(`${usage}\nScenarios: ${allScenarios.map((s) => s.name).join(', ')}`);
    log(`Peers: ${allPeers.map((p) => p.name).join(', ')}`);
    return;
  }
  const options = parsed;
  const scenarios = selectScenarios(options);
  const cpu = planCpus();
  const workRoot = mkdtempSync(path.join(os.tmpdir(), 'tsx-proxy-bench-'));
  if (!options.keep) removeOnSignal = workRoot;
  const { peers, unavailable } = await selectPeers(options);
  log('compiling the bench child processes...');
  const children = await compileChildren();
  const upstream = await startUpstream(children.upstream, cpu, 2);
  const httpLoad: LoadDriver = httpLoadDriver(options, { cpu, children }, workRoot);
  const wsLoad = nodeLoadDriver(
    `bench/load/ws-echo-client.ts (ws ${packageVersion('ws')})`,
    children.wsClient,
    cpu,
  );
  const ctx: BenchContext = {
    options,
    cpu,
    upstream,
    peers,
    httpLoad,
    wsLoad,
    children,
    nodeFlags: (label) => {
      const dir = options.profileDir;
      if (!dir) return [];
      return [
        '--cpu-prof',
        '--cpu-prof-dir',
        dir,
        '--cpu-prof-name',
        `${label.replace(/\W+/g, '-')}.cpuprofile`,
      ];
    },
    workDir: (name) => {
      const dir = path.join(workRoot, name);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    log,
  };
  const info = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    node: process.version,
    pinning: cpu.description,
    httpLoad: httpLoad.description,
    wsLoad: wsLoad.description,
    durationSec: options.durationSec,
    warmupSec: options.warmupSec,
    settleSec: options.settleSec,
    rounds: options.rounds,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    peers: peers.map((p) => ({ name: p.name, version: p.version(), summary: p.summary })),
    unavailable,
  };
  log(renderReport(info, []).split('\n## Targets')[0]!);

  const reports: ScenarioReport[] = [];
  try {
    for (const scenario of scenarios) {
      log(`\n=== ${scenario.title} ===`);
      try {
        reports.push(await scenario.run(ctx));
      } catch (error) {
        log(`scenario ${scenario.name} failed: ${(error as Error).stack}`);
        const notes = [`the scenario failed: ${(error as Error).message}`];
        reports.push({
          name: scenario.name,
          title: scenario.title,
          description: '',
          unit: '',
          rows: [],
          notes,
          checks: [],
        });
      }
    }
  } finally {
    await upstream.stop();
    await stopAll();
    if (options.keep) log(`generated configs and logs kept in ${workRoot}`);
    if (options.profileDir)
      log(`CPU profiles written to ${options.profileDir} (open them in Chrome DevTools)`);
    else rmSync(workRoot, { recursive: true, force: true });
  }

  const markdown = renderReport(info, reports);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'latest.md'), markdown);
  writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify({ info, reports }, null, 2)}\n`);
  log(`\n${markdown}`);
  log(`written to bench/results/latest.md (and latest.json)`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`\n${signal}: stopping every process the bench started`);
    stopAll().finally(() => {
      if (removeOnSignal) rmSync(removeOnSignal, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll();
  process.exitCode = 1;
});
