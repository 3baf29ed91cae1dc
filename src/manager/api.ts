/**
 * The JSON API under `<route>/api`:
 * - `GET /api` — every balancer with its members;
 * - `GET /api/balancers/:name`, `GET /api/balancers/:name/members/:member`;
 * - `POST /api/balancers/:name` — change lbmethod, maxattempts, nofailover, stickysession, timeout;
 * - `POST /api/balancers/:name/members` — add a member (into a `growth` slot, disabled);
 * - `POST /api/balancers/:name/members/:member` — change loadfactor, lbset, route, redirect, status.
 * `:member` is the member's index or its route. Bodies are JSON or forms, with the nonce as the
 * `nonce` field or the `X-TSXP-Nonce` header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledManagerRoute } from '../config/types.js';
import { checkChangeOrigin, nonceFor } from './access.js';
import {
  findBalancer,
  findMember,
  planAddMember,
  planBalancerChange,
  planMemberChange,
} from './change-validation.js';
import { commitChange } from './commit-change.js';
import { refuse } from './errors.js';
import { readFields } from './request-body.js';
import { sendJson } from './respond.js';
import type { ManagerContext } from './types.js';
import { balancerView, memberView } from './views.js';

function notFound(path: string) {
  return refuse(
    404,
    'TSXP_MANAGER_NOT_FOUND',
    path,
    `no API endpoint ${path}`,
    'use /api, /api/balancers/<name> or /api/balancers/<name>/members[/<index or route>]',
  );
}

/** Answers one API request; `segments` are the path segments after `api`. */
export async function serveApi(
  route: CompiledManagerRoute,
  ctx: ManagerContext,
  req: IncomingMessage,
  res: ServerResponse,
  segments: readonly string[],
  clientIp: string,
): Promise<void> {
  const [collection, name, sub, ref, ...rest] = segments;
  const config = ctx.config();
  const view = (live: ReturnType<typeof findBalancer>) =>
    balancerView(live, config, ctx.journal.balancer(live.name), nonceFor(route, live));
  const valid =
    rest.length === 0 &&
    (collection === undefined || collection === 'balancers') &&
    (sub === undefined || sub === 'members') &&
    (name !== undefined || sub === undefined);
  if (!valid) throw notFound(`/api/${segments.join('/')}`);

  if (req.method !== 'POST') {
    if (name === undefined) {
      sendJson(res, 200, { balancers: ctx.balancers().map(view), persist: ctx.journal.file ?? null });
      return;
    }
    const live = findBalancer(ctx.balancers(), name);
    if (sub === undefined) sendJson(res, 200, view(live));
    else if (ref === undefined) sendJson(res, 200, view(live).members);
    else sendJson(res, 200, memberView(live, findMember(live, ref), ctx.journal.balancer(live.name)));
    return;
  }

  if (name === undefined) throw notFound('/api');
  checkChangeOrigin(req, config.serverName, route);
  const live = findBalancer(ctx.balancers(), name);
  const { nonce = req.headers['x-tsxp-nonce'], ...input } = await readFields(req);
  if (sub === undefined) {
    const changed = await commitChange(
      route,
      ctx,
      live,
      nonce,
      () => [planBalancerChange(live, input)],
      clientIp,
    );
    sendJson(res, 200, { changed, balancer: view(live) });
  } else if (ref === undefined) {
    const changed = await commitChange(
      route,
      ctx,
      live,
      nonce,
      () => [planAddMember(live, input, config.timeoutMs)],
      clientIp,
    );
    const added = live.members[live.members.length - 1]!;
    sendJson(res, 201, { changed, member: memberView(live, added, ctx.journal.balancer(live.name)) });
  } else {
    const state = findMember(live, ref);
    const changed = await commitChange(
      route,
      ctx,
      live,
      nonce,
      () => [planMemberChange(live, state, input)],
      clientIp,
    );
    sendJson(res, 200, { changed, member: memberView(live, state, ctx.journal.balancer(live.name)) });
  }
}
