/** Builds a router from DSL routes and summarises its decisions as short strings for tables. */
import { defineConfig, type Route } from 'tsx-proxy';
import { compile } from '../src/config/compile.js';
import { createRouter } from '../src/router/router.js';
import type { RouteDecision, RouteRequest, Router } from '../src/router/types.js';

/** A router over these routes, compiled as the proxy compiles them. */
export function routerOf(routes: readonly Route[]): Router {
  return createRouter(compile(defineConfig({ routes })));
}

/**
 * `'<route index> <upstream path>'` for a proxy decision, `'deny <i>'`, `'manager <i>'`,
 * `'none'`, or `'<status> <code>'` for a refused request.
 */
export function summary(d: RouteDecision): string {
  switch (d.kind) {
    case 'proxy':
      return `${d.route.index} ${d.path}`;
    case 'deny':
    case 'manager':
      return `${d.kind} ${d.route.index}`;
    case 'none':
      return 'none';
    case 'reject':
      return `${d.status} ${d.code}`;
  }
}

/** The summary of one request; `line` is `'METHOD /target'` or just the target (GET). */
export function decideLine(router: Router, line: string, host?: string): string {
  const sp = line.indexOf(' ');
  const req: RouteRequest =
    sp < 0
      ? { method: 'GET', url: line, host }
      : { method: line.slice(0, sp), url: line.slice(sp + 1), host };
  return summary(router.decide(req));
}
