/**
 * Plays a scenario through `simulate` (the engine on a virtual clock, no sockets), so each
 * scenario is checked three ways: real Apache, the real proxy, and simulate.
 */
import { compile } from '../../../src/config/compile.js';
import type { ConfigSpec } from '../../../src/dsl/spec.js';
import { type ScenarioEvent, type SimRequest, simulate } from '../../../src/testing/simulate.js';
import type { MemberView } from './apache-members.js';
import { type Backends, backendBody } from './backends.js';
import { backendName } from './driver.js';
import type { Scenario } from './scenario.js';

/**
 * Request head size (request line + headers) the simulation assumes for bytraffic; the
 * bytraffic scenarios are built so that any head from 150 to 600 bytes gives the same picks.
 */
export const SIMULATED_HEAD_BYTES = 300;

/** Length of `HTTP/1.1 200 OK`: Apache counts the status line as bytes read. */
const STATUS_LINE_BYTES = 15;

/** What simulate reports for one request, in the driver's terms. */
export interface SimulatedOutcome {
  /** Scenario-local backend name, `-` when no member answered. */
  readonly served: string;
  readonly status: number;
  readonly routeChanged: boolean;
}

/** Token in the driver's notation (`A`, `A:500`, `-:503`). */
export function simulatedToken(o: SimulatedOutcome): string {
  return `${o.served}${o.status === 200 ? '' : `:${o.status}`}`;
}

/**
 * Runs `scenario` through simulate on the same config the proxies serve. Requests follow each
 * other as the driver sends them: 1 ms apart, `wait` steps advance the clock, and while a member
 * hangs each request leaves room for that member's `timeout` before the next one.
 * A response's size may depend on the member that serves it (a `behave` size), which simulate
 * takes per request: the picks are resolved one request at a time, each sized by its member.
 */
export function simulateScenario(
  spec: ConfigSpec,
  scenario: Scenario,
  backends: Backends,
): { outcomes: SimulatedOutcome[]; members: MemberView[] } {
  const balancer = compile(spec).balancers.get(scenario.name)!;
  const local = new Map(
    balancer.members.map((m) => [
      m.url.href,
      backends.nameOfPort(m.url.port)!.slice(scenario.name.length + 1),
    ]),
  );
  const timeoutOf = new Map(balancer.members.map((m) => [local.get(m.url.href)!, m.timeoutMs]));
  const url = (name: string) => backends.url(backendName(scenario, name));
  const sizes = new Map<string, number | undefined>();
  const hanging = new Set<string>();
  const requests: { request: SimRequest; size: (served: string) => number }[] = [];
  const events: ScenarioEvent[] = [];
  let now = 0;
  for (const step of scenario.steps) {
    const at = { step: requests.length };
    switch (step.kind) {
      case 'down':
      case 'up':
        events.push({ ...at, member: url(step.backend), down: step.kind === 'down' });
        break;
      case 'behave': {
        const { status, size, hang } = step.behaviour;
        events.push({ ...at, member: url(step.backend), answer: hang ? 'timeout' : (status ?? null) });
        sizes.set(step.backend, size);
        if (hang) hanging.add(step.backend);
        else hanging.delete(step.backend);
        break;
      }
      case 'wait':
        now += step.ms;
        break;
      case 'request': {
        const r = step.request;
        const memberSizes = new Map(sizes);
        requests.push({
          request: {
            at: now,
            method: r.method ?? (r.bodySize === undefined ? 'GET' : 'POST'),
            url: `/${r.path ?? ''}`,
            ...(r.cookie === undefined ? {} : { cookies: r.cookie }),
            requestBytes: SIMULATED_HEAD_BYTES + (r.bodySize ?? 0),
          },
          size: (served) =>
            STATUS_LINE_BYTES +
            backendBody(backendName(scenario, served), r.responseSize ?? memberSizes.get(served)).length,
        });
        // A hanging member holds the request for its own timeout.
        now += 1 + Math.max(0, ...[...hanging].map((b) => timeoutOf.get(b)!));
        break;
      }
    }
  }
  const resolved: SimRequest[] = [];
  for (const { request, size } of requests) {
    resolved.push(request);
    const served = local.get(simulate(spec, scenario.name, resolved, { events }).picks.at(-1)!);
    if (served !== undefined) resolved[resolved.length - 1] = { ...request, responseBytes: size(served) };
  }
  const result = simulate(spec, scenario.name, resolved, { events });
  return {
    outcomes: result.requests.map((pick) => ({
      served: local.get(pick.member) ?? pick.member,
      status: pick.status,
      routeChanged: pick.routeChanged,
    })),
    members: result.members.map((m) => ({
      port: Number(new URL(m.url).port),
      status: m.status,
      lbstatus: m.lbstatus,
      elected: m.elected,
      retries: m.retries,
      busy: m.busy,
    })),
  };
}
