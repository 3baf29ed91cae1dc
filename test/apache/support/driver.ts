/**
 * Plays a scenario's steps against one proxy (Apache or tsx-proxy) and reads each request's
 * outcome from the backends' own records and from what the client received.
 */
import { request as httpRequest } from 'node:http';
import { APACHE_ROUTE_CHANGED_HEADER } from './apache-config.js';
import {
  type BackendHit,
  type Backends,
  type Behaviour,
  backendBody,
  SEQ_HEADER,
  SIZE_HEADER,
} from './backends.js';
import type { DiffRequest, Scenario } from './scenario.js';

/** What happened to one request. */
export interface Outcome {
  /** Local names of the backends that received it, in arrival order. */
  readonly served: readonly string[];
  /** The backends' records of it. */
  readonly hits: readonly BackendHit[];
  /** Status the client received. */
  readonly status: number;
  /** The response claimed to come from a backend but was not exactly what that backend sent. */
  readonly garbled: boolean;
  /** The backend that received it had been told to hang (the proxy timed out). */
  readonly hung: boolean;
  /** Apache's BALANCER_ROUTE_CHANGED (`1`, or `-` when unset); undefined from tsx-proxy. */
  readonly routeChanged: string | undefined;
}

/** The compact form scenarios write: `A`, `A:500`, `-:503`, `A!` when garbled, `A:0` when no answer came. */
export function token(o: Outcome): string {
  const who = o.served.length === 0 ? '-' : o.served.join('+');
  return `${who}${o.status === 200 ? '' : `:${o.status}`}${o.garbled ? '!' : ''}`;
}

/** Global backend name of a scenario's local backend (backends of all scenarios share one set). */
export function backendName(scenario: Scenario, local: string): string {
  return `${scenario.name}.${local}`;
}

interface Reply {
  readonly status: number;
  readonly backend: string | undefined;
  readonly routeChanged: string | undefined;
  readonly body: string;
}

/** Longer than any scenario's member timeout. */
const NO_ANSWER_MS = 8_000;

function send(url: string, seq: string, r: DiffRequest): Promise<Reply> {
  const body = r.bodySize === undefined ? undefined : 'x'.repeat(r.bodySize);
  const headers: Record<string, string> = { [SEQ_HEADER]: seq, connection: 'close' };
  if (r.cookie !== undefined) headers.cookie = r.cookie;
  if (r.responseSize !== undefined) headers[SIZE_HEADER] = String(r.responseSize);
  if (body !== undefined) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: r.method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const header = (name: string) => {
            const v = res.headers[name];
            return typeof v === 'string' && v !== '' ? v : undefined;
          };
          resolve({
            status: res.statusCode ?? 0,
            backend: header('x-backend'),
            routeChanged: header(APACHE_ROUTE_CHANGED_HEADER),
            body: Buffer.concat(chunks).toString(),
          });
        });
      },
    );
    // A proxy that never answers is an outcome (status 0), not a reason to stall the whole run.
    req.setTimeout(NO_ANSWER_MS, () => {
      req.destroy();
      resolve({ status: 0, backend: undefined, routeChanged: undefined, body: '' });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Plays `scenario` against the proxy at `base` (routes `/<scenario>/` to its balancer). The
 * backends must be in their initial state; requests are sent one at a time.
 */
export async function runScenario(base: string, scenario: Scenario, backends: Backends): Promise<Outcome[]> {
  const behaviours = new Map<string, Behaviour>();
  const outcomes: Outcome[] = [];
  for (const step of scenario.steps) {
    const name = step.kind === 'wait' || step.kind === 'request' ? '' : backendName(scenario, step.backend);
    switch (step.kind) {
      case 'down':
        await backends.down(name);
        break;
      case 'up':
        await backends.up(name);
        break;
      case 'behave':
        backends.behave(name, step.behaviour);
        behaviours.set(name, step.behaviour);
        break;
      case 'wait':
        await new Promise((r) => setTimeout(r, step.ms));
        break;
      case 'request': {
        const seq = `${scenario.name}#${outcomes.length}`;
        const reply = await send(`${base}/${scenario.name}/${step.request.path ?? ''}`, seq, step.request);
        const hits = backends.hits().filter((h) => h.seq === seq);
        const served = hits.map((h) => h.backend);
        const size = step.request.responseSize ?? behaviours.get(reply.backend ?? '')?.size;
        const garbled =
          reply.backend === undefined
            ? reply.status === 200
            : served.at(-1) !== reply.backend || reply.body !== backendBody(reply.backend, size);
        outcomes.push({
          served: served.map((s) => s.slice(scenario.name.length + 1)),
          hits,
          status: reply.status,
          garbled,
          hung: served.some((s) => behaviours.get(s)?.hang === true),
          // mod_headers writes an unset variable as "(null)"
          routeChanged: reply.routeChanged === undefined ? undefined : reply.routeChanged === '1' ? '1' : '-',
        });
        break;
      }
    }
  }
  return outcomes;
}
