/**
 * The balancer manager's request handler: who may come in, then the page or the JSON API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledManagerRoute } from '../config/types.js';
import { isAllowed, parseAllow } from './access.js';
import { serveApi } from './api.js';
import { ManagerError, refuse } from './errors.js';
import { ManagerPage, type ManagerUrls } from './page-handler.js';
import { sendForbidden, sendJsonError, sendMethodNotAllowed, sendNotFound } from './respond.js';
import type { ManagerContext, ManagerHandler, ManagerRequestInfo } from './types.js';

function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** The page's and the API's URLs as this client reached them (the route may be a regex). */
function urlsOf(req: IncomingMessage, info: ManagerRequestInfo): ManagerUrls {
  const pathname = (req.url ?? '/').split('?')[0]!;
  const base = pathname.endsWith(info.path)
    ? pathname.slice(0, pathname.length - info.path.length)
    : pathname;
  return { pageUrl: base === '' ? '/' : base, apiUrl: `${base.replace(/\/$/, '')}/api` };
}

/**
 * The handler of a `route(...).manager()` route. Clients outside `allow` get a bare 403 for
 * any method and path; GET and HEAD never change anything; every change is a POST with the
 * nonce (see README "Balancer manager" for the API).
 * @example
 * const handle = createManager(route, { config, balancers, logger, now: Date.now, journal });
 * handle(req, res, { clientIp: req.socket.remoteAddress ?? '', path: '/api', query: '' });
 */
export function createManager(route: CompiledManagerRoute, ctx: ManagerContext): ManagerHandler {
  const allow = parseAllow(route.allow);
  const page = new ManagerPage(route, ctx);

  async function serve(req: IncomingMessage, res: ServerResponse, info: ManagerRequestInfo): Promise<void> {
    if (!isAllowed(allow, info.clientIp)) {
      ctx.logger.warn(
        `balancer-manager: TSXP_MANAGER_FORBIDDEN ${info.clientIp} is not in allow of ${route.label}`,
      );
      sendForbidden(res);
      return;
    }
    const segments = segmentsOf(info.path);
    const api = segments[0] === 'api';
    const urls = urlsOf(req, info);
    try {
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
        throw refuse(
          405,
          'TSXP_MANAGER_METHOD',
          'method',
          `method ${method} is not allowed`,
          'use GET to read and POST to change',
        );
      }
      if (api) await serveApi(route, ctx, req, res, segments.slice(1), info.clientIp);
      else if (segments.length > 0) sendNotFound(res);
      else if (method === 'POST') await page.post(req, res, urls, info.clientIp);
      else page.render(res, urls, new URLSearchParams(info.query));
    } catch (err) {
      if (!(err instanceof ManagerError)) throw err;
      if (err.status === 405) sendMethodNotAllowed(res, api, err.issues);
      else if (api) sendJsonError(res, err.status, err.issues);
      else page.refuse(res, urls, err);
    }
  }

  return (req, res, info) => {
    serve(req, res, info).catch((err: Error) => {
      ctx.logger.error({
        code: 'TSXP_MANAGER_INTERNAL',
        message: `balancer manager failed: ${err.stack ?? err.message}`,
        route: route.label,
        member: undefined,
        status: 500,
      });
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('Internal Server Error\n');
      } else res.destroy();
    });
  };
}

/** The part of a request path after a manager route's match. */
function pathAfterRoute(route: CompiledManagerRoute, pathname: string): string {
  if (route.match.type === 'prefix') {
    return pathname.startsWith(route.match.prefix) ? pathname.slice(route.match.prefix.length) : '';
  }
  const m = route.match.regex.exec(pathname);
  return m ? pathname.slice(m.index + m[0].length) : '';
}

/**
 * The manager as the runtime installs it for every manager route of every generation (the
 * runtime's `RouteHandler` shape): one `createManager` per route object, and the request info
 * taken from the request itself.
 */
export function managerRouteHandler(
  ctx: ManagerContext,
): (req: IncomingMessage, res: ServerResponse, route: CompiledManagerRoute) => boolean {
  const handlers = new WeakMap<CompiledManagerRoute, ManagerHandler>();
  return (req, res, route) => {
    let handle = handlers.get(route);
    if (!handle) {
      handle = createManager(route, ctx);
      handlers.set(route, handle);
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    handle(req, res, {
      clientIp: req.socket.remoteAddress ?? '',
      path: pathAfterRoute(route, pathname),
      query: q === -1 ? '' : url.slice(q + 1),
    });
    return true;
  };
}
