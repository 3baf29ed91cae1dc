/**
 * Runs a file's scenarios in real Apache, in tsx-proxy and through simulate, against the same
 * backends and the same config, and turns every scenario into tests comparing the three.
 * `TSXP_APACHE_LOGLEVEL=debug` (any Apache LogLevel) prints Apache's config and error log.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startProxy } from '../../../src/testing/start-proxy.js';
import { balancer } from '../../../src/dsl/balancer.js';
import { defineConfig } from '../../../src/dsl/define-config.js';
import { route } from '../../../src/dsl/route.js';
import type { ConfigSpec } from '../../../src/dsl/spec.js';
import { apacheMembers, type MemberView } from './apache-members.js';
import { findApache, startApache } from './apache-server.js';
import { Backends } from './backends.js';
import { tsxProxyToken } from './deviations.js';
import { backendName, type Outcome, runScenario, token } from './driver.js';
import type { Scenario } from './scenario.js';
import { type SimulatedOutcome, simulatedToken, simulateScenario } from './simulated.js';

/** The Apache found on this machine, or why the suite skips. */
export const apacheInstall = findApache();

/** One config routing `/<scenario>/` to each scenario's balancer (Apache: `balancer://<scenario>/`). */
export function scenarioConfig(scenarios: readonly Scenario[], backends: Backends): ConfigSpec {
  return defineConfig({
    routes: scenarios.map((s) =>
      route(`/${s.name}/`).to(
        s.build(balancer(s.name), (local) => backends.url(backendName(s, local))),
        { path: '/' },
      ),
    ),
  });
}

interface Results {
  readonly apache: Map<string, Outcome[]>;
  /** Apache's balancer-manager view of each scenario's members once it has run. */
  readonly apacheMembers: Map<string, MemberView[]>;
  readonly tsxProxy: Map<string, Outcome[]>;
  readonly simulated: Map<string, { outcomes: SimulatedOutcome[]; members: MemberView[] }>;
  /** Why a side could not run at all (its tests fail with this; the other sides still run). */
  readonly failed: Map<'tsx-proxy' | 'simulate', unknown>;
  /** Errors tsx-proxy logged, shown when its outcomes differ. */
  readonly tsxProxyErrors: string[];
}

async function runApache(
  spec: ConfigSpec,
  scenarios: readonly Scenario[],
  backends: Backends,
  results: Results,
) {
  if ('missing' in apacheInstall) throw new Error(apacheInstall.missing);
  const apache = await startApache(apacheInstall, spec);
  console.info(`differential oracle: ${apacheInstall.versionLine}`);
  try {
    for (const s of scenarios) {
      results.apache.set(s.name, await runScenario(apache.url, s, backends));
      results.apacheMembers.set(s.name, await apacheMembers(apache.url, s.name));
    }
  } finally {
    if (process.env.TSXP_APACHE_LOGLEVEL) console.info(apache.configText, apache.errorLog());
    await apache.stop();
  }
}

async function runTsxProxy(
  spec: ConfigSpec,
  scenarios: readonly Scenario[],
  backends: Backends,
  results: Results,
) {
  const proxy = await startProxy(spec, {
    port: 0,
    host: '127.0.0.1',
    // The same ServerName Apache was given, so both send the same X-Forwarded-Server.
    hostname: 'localhost',
    logger: {
      request() {},
      info() {},
      warn(message) {
        results.tsxProxyErrors.push(message);
      },
      error(e) {
        results.tsxProxyErrors.push(`${e.code} ${e.member ?? '-'} ${e.status ?? ''}: ${e.message}`);
      },
    },
  });
  try {
    for (const s of scenarios) results.tsxProxy.set(s.name, await runScenario(proxy.url, s, backends));
  } finally {
    // close() must finish within the grace period (10 s); a proxy that loses track of a request
    // would otherwise hold the whole file until the hook times out.
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        results.tsxProxyErrors.push('close() did not finish within 15 s');
        resolve();
      }, 15_000);
    });
    await Promise.race([proxy.close(), stuck]);
    clearTimeout(timer);
  }
}

function useResults(scenarios: readonly Scenario[]): Results {
  const results: Results = {
    apache: new Map(),
    apacheMembers: new Map(),
    tsxProxy: new Map(),
    simulated: new Map(),
    failed: new Map(),
    tsxProxyErrors: [],
  };
  let backends: Backends | undefined;
  beforeAll(async () => {
    backends = await Backends.start(scenarios.flatMap((s) => s.backends.map((b) => backendName(s, b))));
    const spec = scenarioConfig(scenarios, backends);
    await runApache(spec, scenarios, backends, results);
    await backends.reset();
    await runTsxProxy(spec, scenarios, backends, results).catch((e: unknown) =>
      results.failed.set('tsx-proxy', e),
    );
    try {
      for (const s of scenarios) results.simulated.set(s.name, simulateScenario(spec, s, backends));
    } catch (e) {
      results.failed.set('simulate', e);
    }
  }, 180_000);
  afterAll(async () => {
    await backends?.close();
  });
  return results;
}

function sideOutcomes<T>(results: Results, side: 'tsx-proxy' | 'simulate', outcomes: T | undefined): T {
  if (results.failed.has(side)) throw results.failed.get(side);
  if (outcomes === undefined) throw new Error(`${side} produced no outcome`);
  return outcomes;
}

/** Extra per-scenario assertions on Apache's outcomes. */
export type ApacheCheck = (scenario: Scenario, outcomes: readonly Outcome[]) => void;

/**
 * Declares the differential tests of a file: for each scenario, Apache produces the expected
 * outcome (apache-semantics.md), and simulate and tsx-proxy produce Apache's outcome up to the
 * documented deviations. Skips, with the reason printed, only where Apache is not installed.
 */
export function describeDifferential(
  title: string,
  scenarios: readonly Scenario[],
  check?: ApacheCheck,
): void {
  if ('missing' in apacheInstall) console.warn(`Apache differential suite skipped: ${apacheInstall.missing}`);
  describe.skipIf('missing' in apacheInstall)(title, () => {
    const results = useResults(scenarios);
    const cases = scenarios.map((s) => [s.name, s] as const);

    test.each(cases)('%s: Apache', (_, s) => {
      const outcomes = results.apache.get(s.name)!;
      expect(outcomes.map(token).join(' '), s.source).toBe(s.expected);
      if (s.expectedRouteChanged !== undefined) {
        expect(outcomes.map((o) => o.routeChanged).join(' '), 'BALANCER_ROUTE_CHANGED').toBe(
          s.expectedRouteChanged,
        );
      }
      check?.(s, outcomes);
    });

    test.each(cases)('%s: tsx-proxy answers as Apache does', (_, s) => {
      const apache = results.apache.get(s.name)!;
      const ours = sideOutcomes(results, 'tsx-proxy', results.tsxProxy.get(s.name));
      expect(
        ours.map(token).join(' '),
        `${s.source}\ntsx-proxy logged:\n${results.tsxProxyErrors.join('\n')}`,
      ).toBe(apache.map(tsxProxyToken).join(' '));
    });

    test.each(cases)('%s: simulate picks as Apache does', (_, s) => {
      const apache = results.apache.get(s.name)!;
      const simulated = sideOutcomes(results, 'simulate', results.simulated.get(s.name)).outcomes;
      expect(simulated.map(simulatedToken).join(' '), s.source).toBe(apache.map(tsxProxyToken).join(' '));
      expect(simulated.map((o) => (o.routeChanged ? '1' : '-')).join(' '), 'BALANCER_ROUTE_CHANGED').toBe(
        apache.map((o) => o.routeChanged).join(' '),
      );
    });

    test.each(cases)('%s: simulate ends with the member states Apache shows', (_, s) => {
      const simulated = sideOutcomes(results, 'simulate', results.simulated.get(s.name));
      expect(simulated.members, s.source).toEqual(results.apacheMembers.get(s.name));
    });
  });
}
