import { info, rssWithin } from '../targets.js';
import { SMALL_BODY_BYTES, upstreamPaths } from '../upstream/routes.js';
import { comparisonScenario } from './comparison.js';

/** Two-member balancer: small GETs spread over two upstreams (each proxy's native balancer, or round-robin). */
export const balancerScenario = comparisonScenario({
  name: 'balancer',
  title: '2-member balancer, small GET',
  description:
    `GET ${upstreamPaths.small} (${SMALL_BODY_BYTES} B) balanced over two upstream members, 50 keep-alive ` +
    "connections; `direct` hits the first member only. The notes give each peer's share per member.",
  members: 2,
  websocket: false,
  load: { path: upstreamPaths.small, method: 'GET', bodyBytes: 0, connections: 50 },
  expectedBodyBytes: SMALL_BODY_BYTES,
  targets: (rows) => [
    rssWithin(rows, 'balancer'),
    info(
      rows,
      'balancer: tsx-proxy vs the minimal undici proxy (BalancedPool)',
      'tsx-proxy',
      'minimal undici',
    ),
  ],
});
