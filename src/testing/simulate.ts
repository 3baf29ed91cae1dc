/**
 * `simulate`: a balancer's decisions for a list of requests, computed by the very engine the
 * proxy runs (`createLiveBalancer`), on a virtual clock, with Apache's attempt loop driven
 * exactly as the data path drives it. No sockets, no timers.
 */
import { createLiveBalancer, displayStatus } from '../balancer/index.js';
import type {
  AttemptOutcome,
  BalancerRequest,
  BalancerWait,
  LiveBalancer,
  MemberState,
  Selection,
} from '../balancer/types.js';
import { compile } from '../config/compile.js';
import { applyStatus } from '../config/status-flags.js';
import type { ProxyConfig } from '../config/types.js';
import { parseUpstreamUrl } from '../config/upstream-url.js';
import type { StatusFlags, StatusLetter } from '../dsl/params.js';
import type { ConfigSpec } from '../dsl/spec.js';

/** One simulated request. Every field is optional: `{}` is a plain `GET /`. */
export interface SimRequest {
  /** Start time on the virtual clock, ms. Default: previous start + `scenario.interval` (the first: 0). */
  readonly at?: number;
  /** Default `'GET'`. */
  readonly method?: string;
  /** Path and query the balancer sees; sticky URL parameters are read from it. Default `'/'`. */
  readonly url?: string;
  /** Cookies as name → value, or a raw `Cookie` header. */
  readonly cookies?: Readonly<Record<string, string>> | string;
  /** Request headers; names are case-insensitive. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default `'127.0.0.1'`. */
  readonly clientIp?: string;
  /** Bytes sent to the member (Apache's `transferred`), counted when the request is sent. Default 0. */
  readonly requestBytes?: number;
  /** Bytes read from the member, status line + body (Apache's `read`), counted when it ends. Default 0. */
  readonly responseBytes?: number;
  /** Time the member takes to answer completely, ms; overlapping requests keep members busy. Default 0. */
  readonly duration?: number;
  /** Status the member answers (unless the scenario says otherwise). Default 200. */
  readonly status?: number;
}

/** A change in the world, at a step or a time. */
export interface ScenarioEvent {
  /** Applied just before request number `step` (0-based) starts... */
  readonly step?: number;
  /** ...or at this virtual time (ms). With neither, from the start. */
  readonly time?: number;
  /** The member: its URL, its route, or its index in the balancer. */
  readonly member: string | number;
  /** `true`: connections to it fail (down); `false`: it is back. */
  readonly down?: boolean;
  /** It answers this status to everything, or never answers (`'timeout'`); `null`: each request's own status again. */
  readonly answer?: number | 'timeout' | null;
  /** Status flags changed as the balancer manager changes them, e.g. `'+D'`, `'-E'`, `'+H-D'`. */
  readonly status?: StatusFlags;
}

export interface Scenario {
  /** Milliseconds between request starts, for requests without `at`. Default 1. */
  readonly interval?: number;
  readonly events?: readonly ScenarioEvent[];
}

/** What happened to one request. Members are named by their URL (as Apache's BALANCER_WORKER_NAME). */
export interface SimPick {
  readonly index: number;
  /** Start time, ms. */
  readonly at: number;
  /** URL of the member the request reached (it answered or timed out), `'-'` when none (the client got 503). */
  readonly member: string;
  /** Route of that member (`''` when it has none, or for `'-'`). */
  readonly route: string;
  /** URLs of the members tried, in order (failover attempts included). */
  readonly attempts: readonly string[];
  /** Status the client got: the member's, 503 (no member / all attempts failed), 504 (timeout). */
  readonly status: number;
  /** Apache's BALANCER_ROUTE_CHANGED for the last selection. */
  readonly routeChanged: boolean;
  /** Sticky route read from the request, if any. */
  readonly stickyRoute: string | undefined;
  /** Time spent in the balancer `timeout` wait, ms. */
  readonly waitedMs: number;
}

/** A member's state after the simulation, as the balancer manager shows it. */
export interface MemberSnapshot {
  readonly url: string;
  readonly route: string;
  readonly redirect: string;
  readonly lbset: number;
  readonly lbfactor: number;
  /** Apache's status string, e.g. `'Init Ok '`, `'Init Err '`. */
  readonly status: string;
  readonly flags: string;
  readonly lbstatus: number;
  readonly elected: number;
  readonly busy: number;
  readonly transferred: number;
  readonly read: number;
  readonly errors: number;
  readonly errorTime: number;
  readonly retries: number;
}

export interface SimResult {
  /** Per request, the URL of the member it reached (`SimPick.member`), `'-'` when none. */
  readonly picks: string[];
  readonly requests: SimPick[];
  readonly members: MemberSnapshot[];
}

/**
 * Apache's clock has microsecond resolution, so the attempts of one request happen at distinct
 * times; 1 µs apart here (this is what makes a `retry=0` member eligible on the next attempt).
 */
const ATTEMPT_GAP_MS = 0.001;

/** Same-time ordering: world changes, then finishing exchanges, then new attempts. */
const Order = { World: 0, Finish: 1, Attempt: 2 } as const;
type Order = (typeof Order)[keyof typeof Order];

interface Task {
  readonly time: number;
  readonly order: Order;
  readonly seq: number;
  readonly run: (now: number) => void;
}

/** The virtual clock: a binary min-heap of tasks by (time, order, insertion). */
class Timeline {
  readonly #heap: Task[] = [];
  #seq = 0;

  at(time: number, order: Order, run: (now: number) => void): void {
    const heap = this.#heap;
    heap.push({ time, order, seq: this.#seq++, run });
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!Timeline.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  run(): void {
    const heap = this.#heap;
    while (heap.length > 0) {
      const task = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let min = i;
          if (l < heap.length && Timeline.#before(heap[l]!, heap[min]!)) min = l;
          if (r < heap.length && Timeline.#before(heap[r]!, heap[min]!)) min = r;
          if (min === i) break;
          [heap[i], heap[min]] = [heap[min]!, heap[i]!];
          i = min;
        }
      }
      task.run(task.time);
    }
  }

  static #before(a: Task, b: Task): boolean {
    if (a.time !== b.time) return a.time < b.time;
    return a.order !== b.order ? a.order < b.order : a.seq < b.seq;
  }
}

interface Behaviour {
  down: boolean;
  answer: number | 'timeout' | undefined;
}

const STATUS_LETTERS: readonly StatusLetter[] = ['D', 'S', 'I', 'R', 'H', 'E', 'N', 'C'];

function fail(code: string, message: string): never {
  throw Object.assign(new Error(message), { code });
}

function findMember(live: LiveBalancer, ref: string | number): MemberState {
  const parsed = typeof ref === 'string' ? parseUpstreamUrl(ref) : undefined;
  const href = parsed?.ok ? parsed.url.href : undefined;
  const found =
    typeof ref === 'number'
      ? live.members[ref]
      : (live.members.find((m) => m.member.url.href === href || m.member.url.href === ref) ??
        live.members.find((m) => m.route !== '' && m.route === ref));
  return (
    found ?? fail('TSXP_SIM_UNKNOWN_MEMBER', `balancer '${live.name}' has no member ${JSON.stringify(ref)}`)
  );
}

function toBalancerRequest(r: SimRequest): BalancerRequest {
  const headers = new Map(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const cookie =
    typeof r.cookies === 'string'
      ? r.cookies
      : r.cookies
        ? Object.entries(r.cookies)
            .map(([k, v]) => `${k}=${v}`)
            .join('; ')
        : headers.get('cookie');
  return {
    method: r.method ?? 'GET',
    url: r.url ?? '/',
    cookie,
    clientIp: r.clientIp ?? '127.0.0.1',
    header: (name) => headers.get(name.toLowerCase()),
  };
}

function snapshot(m: MemberState): MemberSnapshot {
  return {
    url: m.member.url.href,
    route: m.route,
    redirect: m.redirect,
    lbset: m.lbset,
    lbfactor: m.lbfactor,
    status: displayStatus(m),
    flags: [...m.flags].sort().join(''),
    lbstatus: m.lbstatus,
    elected: m.elected,
    busy: m.busy,
    transferred: m.transferred,
    read: m.read,
    errors: m.errors,
    errorTime: m.errorTime,
    retries: m.retries,
  };
}

/** One request going through Apache's attempt loop on the timeline. */
class Flight {
  readonly #tried: MemberState[] = [];
  #last: Selection | undefined;
  #waitedMs = 0;

  constructor(
    readonly index: number,
    readonly at: number,
    readonly request: SimRequest,
    readonly live: LiveBalancer,
    readonly world: ReadonlyMap<MemberState, Behaviour>,
    readonly timeline: Timeline,
    readonly done: (pick: SimPick) => void,
    readonly req: BalancerRequest = toBalancerRequest(request),
  ) {}

  attempt(now: number): void {
    this.#handle(this.live.select(this.req, now), now);
  }

  #handle(sel: Selection, now: number): void {
    this.#last = sel;
    if (!sel.ok) {
      const wait = sel.code === 'TSXP_NO_USABLE_MEMBER' ? this.live.beginWait() : undefined;
      if (wait) this.timeline.at(now + wait.stepMs, Order.Attempt, (t) => this.#poll(sel, wait, 1, t));
      else this.#finish(sel.status);
      return;
    }
    const member = sel.member;
    this.#tried.push(member);
    const behaviour = this.world.get(member)!;
    if (behaviour.down) {
      const outcome: AttemptOutcome = { type: 'connect-failed', reason: 'connection refused (simulated)' };
      this.live.outcome(member, outcome, now);
      if (this.live.shouldRetry(member, outcome, this.#tried.length)) {
        this.timeline.at(now + ATTEMPT_GAP_MS, Order.Attempt, (t) => this.attempt(t));
      } else this.#finish(503);
      return;
    }
    this.live.addTraffic(member, { transferred: this.request.requestBytes ?? 0, read: 0 });
    if (behaviour.answer === 'timeout') {
      this.timeline.at(now + member.member.timeoutMs, Order.Finish, (t) => {
        this.live.outcome(member, { type: 'timeout' }, t);
        this.#finish(504, member, 0);
      });
      return;
    }
    const status = behaviour.answer ?? this.request.status ?? 200;
    this.live.outcome(member, { type: 'response', status }, now);
    this.timeline.at(now + (this.request.duration ?? 0), Order.Finish, () =>
      this.#finish(status, member, this.request.responseBytes ?? 0),
    );
  }

  #poll(failed: Selection & { ok: false }, wait: BalancerWait, polls: number, now: number): void {
    this.#waitedMs += wait.stepMs;
    const sel = this.live.poll(this.req, failed, now);
    if (!sel.ok && polls < wait.polls) {
      this.timeline.at(now + wait.stepMs, Order.Attempt, (t) => this.#poll(failed, wait, polls + 1, t));
      return;
    }
    wait.end();
    if (sel.ok) this.#handle(sel, now);
    else {
      this.#last = sel;
      this.#finish(sel.status);
    }
  }

  /** Apache releases every member the request was given (busy − 1) when the request ends. */
  #finish(status: number, served?: MemberState, readBytes = 0): void {
    for (const m of this.#tried) this.live.release(m, { transferred: 0, read: m === served ? readBytes : 0 });
    const last = this.#last;
    this.done({
      index: this.index,
      at: this.at,
      member: served ? served.member.url.href : '-',
      route: served ? served.route : '',
      attempts: this.#tried.map((m) => m.member.url.href),
      status,
      routeChanged: last?.ok === true && last.routeChanged,
      stickyRoute: last?.stickyRoute,
      waitedMs: this.#waitedMs,
    });
  }
}

/**
 * Runs requests through a balancer on a virtual clock and reports every decision. The engine is
 * the proxy's own; the attempt loop is Apache's: a connect failure (a member scenario-marked
 * `down`) puts the member in error and, while `tries <= maxattempts`, the request is retried
 * with a fresh selection (forcerecovery, sticky route, lbmethod); any answer ends the request.
 * When no member is usable and the balancer has a `timeout`, the request polls as Apache does.
 * Members answer when `duration` has passed (they are busy meanwhile); one answering `'timeout'`
 * ends the request with 504 after its `timeout`. Scenario `status` changes act as the balancer
 * manager's (re-enabling a member resets the lbmethod, as in Apache).
 * @example
 * const { picks } = simulate(config, 'app', 8);
 * expect(picks).toEqual([B, A, B, B, B, A, B, B]); // A loadfactor 1, B loadfactor 3
 * @example
 * simulate(config, 'app', [{ cookies: { JSESSIONID: 'abc.n2' } }], {
 *   events: [{ step: 0, member: 'n2', down: true }],
 * });
 */
export function simulate(
  config: ConfigSpec | ProxyConfig,
  balancerName: string,
  requests: readonly SimRequest[] | number,
  scenario: Scenario = {},
): SimResult {
  const compiled = compile(config);
  const balancerConfig =
    compiled.balancers.get(balancerName) ??
    [...compiled.balancers.values()].find((b) => b.name.toLowerCase() === balancerName.toLowerCase()) ??
    fail('TSXP_SIM_UNKNOWN_BALANCER', `no balancer '${balancerName}' is used by the config's routes`);
  const live = createLiveBalancer(balancerConfig);
  const list =
    typeof requests === 'number' ? Array.from({ length: requests }, (): SimRequest => ({})) : requests;
  const world = new Map<MemberState, Behaviour>(
    live.members.map((m) => [m, { down: false, answer: undefined }]),
  );
  const timeline = new Timeline();
  const results: SimPick[] = [];

  const applyEvent = (event: ScenarioEvent): void => {
    const member = findMember(live, event.member);
    const behaviour = world.get(member)!;
    if (event.down !== undefined) behaviour.down = event.down;
    if (event.answer !== undefined) behaviour.answer = event.answer ?? undefined;
    if (event.status === undefined) return;
    const applied = applyStatus(member.flags, event.status);
    if (!applied.ok)
      fail('TSXP_BAD_STATUS', `scenario status ${JSON.stringify(event.status)} has '${applied.bad}'`);
    for (const flag of STATUS_LETTERS) live.setFlag(member, flag, applied.flags.has(flag));
  };
  const stepEvents = new Map<number, ScenarioEvent[]>();
  for (const event of scenario.events ?? []) {
    if (event.time !== undefined) timeline.at(event.time, Order.World, () => applyEvent(event));
    else stepEvents.set(event.step ?? 0, [...(stepEvents.get(event.step ?? 0) ?? []), event]);
  }

  let start = 0;
  list.forEach((request, index) => {
    start = request.at ?? (index === 0 ? 0 : start + (scenario.interval ?? 1));
    const flight = new Flight(index, start, request, live, world, timeline, (pick) => {
      results[index] = pick;
    });
    timeline.at(start, Order.Attempt, (now) => {
      for (const event of stepEvents.get(index) ?? []) applyEvent(event);
      flight.attempt(now);
    });
  });
  timeline.run();
  return { picks: results.map((p) => p.member), requests: results, members: live.members.map(snapshot) };
}
