/**
 * The page: `GET` renders it (`?b=` balancer form, `?b=&w=` member form, `?refresh=N`), `POST`
 * takes Apache's form fields, applies them and redirects back (Post/Redirect/Get).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledManagerRoute } from '../config/types.js';
import { parseUpstreamUrl } from '../config/upstream-url.js';
import { checkChangeOrigin, nonceFor } from './access.js';
import { readApacheForm } from './apache-form.js';
import {
  type ChangePlan,
  findBalancer,
  findMember,
  planAddMember,
  planBalancerChange,
  planMemberChange,
} from './change-validation.js';
import { commitChange } from './commit-change.js';
import type { ManagerError } from './errors.js';
import { type Banner, renderPage } from './page.js';
import { readFields } from './request-body.js';
import { sendHtml, sendSeeOther } from './respond.js';
import type { ManagerContext } from './types.js';
import { balancerView } from './views.js';

/** Where the page and the API are, as the client addressed them. */
export interface ManagerUrls {
  readonly pageUrl: string;
  readonly apiUrl: string;
}

/** Results of recent form posts, shown once the browser follows the redirect. */
const RECENT_LIMIT = 32;

export class ManagerPage {
  readonly #route: CompiledManagerRoute;
  readonly #ctx: ManagerContext;
  readonly #recent = new Map<string, Banner>();

  constructor(route: CompiledManagerRoute, ctx: ManagerContext) {
    this.#route = route;
    this.#ctx = ctx;
  }

  /** Renders the page with `status`, an optional banner, and the edit form the query asks for. */
  render(
    res: ServerResponse,
    urls: ManagerUrls,
    query: URLSearchParams,
    status = 200,
    banner?: Banner,
  ): void {
    const ctx = this.#ctx;
    const config = ctx.config();
    const balancers = ctx.balancers();
    const views = balancers.map((b) =>
      balancerView(b, config, ctx.journal.balancer(b.name), nonceFor(this.#route, b)),
    );
    const b = query.get('b');
    const editing = views.find((v) => b !== null && v.name.toLowerCase() === b.toLowerCase());
    const w = query.get('w');
    const href = w === null ? undefined : parseUpstreamUrl(w);
    const member = href?.ok ? editing?.members.find((m) => m.url === href.url.href) : undefined;
    const refresh = Number(query.get('refresh'));
    sendHtml(
      res,
      status,
      renderPage({
        serverName: config.serverName,
        version: ctx.version,
        ...urls,
        persistFile: ctx.journal.file,
        balancers: views,
        edit: editing ? { balancer: editing.name, member: member?.index } : undefined,
        banner: banner ?? this.#recent.get(query.get('done') ?? ''),
        refresh: Number.isInteger(refresh) && refresh > 0 && refresh <= 3600 ? refresh : 0,
        now: ctx.now(),
      }),
    );
  }

  /** Applies a form post and redirects to the page, which shows what changed. */
  async post(req: IncomingMessage, res: ServerResponse, urls: ManagerUrls, clientIp: string): Promise<void> {
    checkChangeOrigin(req, this.#ctx.config().serverName, this.#route);
    const form = readApacheForm(await readFields(req));
    const live = findBalancer(this.#ctx.balancers(), form.balancer);
    const plan = (): ChangePlan[] => {
      const plans: ChangePlan[] = [];
      if (Object.keys(form.balancerInput).length > 0)
        plans.push(planBalancerChange(live, form.balancerInput));
      if (form.member && Object.keys(form.member.input).length > 0) {
        plans.push(planMemberChange(live, findMember(live, form.member.ref), form.member.input));
      }
      if (form.add) plans.push(planAddMember(live, form.add, this.#ctx.config().timeoutMs));
      return plans;
    };
    const changed = await commitChange(this.#route, this.#ctx, live, form.nonce, plan, clientIp);
    const id = randomBytes(6).toString('hex');
    this.#recent.set(id, {
      kind: 'ok',
      text:
        changed.length > 0
          ? `Balancer ${live.name}: changes applied.`
          : `Balancer ${live.name}: nothing to change, the values were already set.`,
      details: changed,
    });
    if (this.#recent.size > RECENT_LIMIT) this.#recent.delete(this.#recent.keys().next().value!);
    sendSeeOther(res, `${urls.pageUrl}?done=${id}#balancer-${live.name}`);
  }

  /** The page again, with the refusal on top and nothing changed. */
  refuse(res: ServerResponse, urls: ManagerUrls, err: ManagerError): void {
    const details = err.issues.flatMap((i) => [i.message, `Fix: ${i.hint}`]);
    this.render(res, urls, new URLSearchParams(), err.status, {
      kind: 'error',
      text: err.status === 500 ? 'The change was applied but not saved.' : 'Nothing was changed.',
      details,
    });
  }
}
