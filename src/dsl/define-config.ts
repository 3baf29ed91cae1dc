import { deepFreeze } from './freeze.js';
import { callSite } from './site.js';
import type { ConfigInput, ConfigSpec, RouteSpec, SpecSource } from './spec.js';

function toRouteSpec(route: RouteSpec | SpecSource<RouteSpec>): RouteSpec {
  return 'toSpec' in route && typeof route.toSpec === 'function' ? route.toSpec() : (route as RouteSpec);
}

/**
 * Declares a tsx-proxy configuration. It returns frozen plain data (no side effects), so the
 * file can be imported by tests and the editor; `tsx-proxy check` and the runtime compile and
 * validate it.
 * @example
 * export default defineConfig({
 *   listen: 8080,
 *   routes: [
 *     route('/images/private/').deny(),
 *     route('/images/').to(images),
 *     route('/').to('http://127.0.0.1:4000/'),
 *   ],
 * });
 */
export function defineConfig(input: ConfigInput): ConfigSpec {
  const routes = Array.isArray(input?.routes) ? input.routes.map(toRouteSpec) : input?.routes;
  return deepFreeze({ ...input, kind: 'config', routes, site: callSite() } as ConfigSpec);
}
