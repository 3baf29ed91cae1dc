import { atLeast, info, NODE_PEERS, p99Below, rssWithin } from '../targets.js';
import { SMALL_BODY_BYTES, upstreamPaths } from '../upstream/routes.js';
import { comparisonScenario } from './comparison.js';

/** Small GET: per-request overhead dominates; the headline comparison. */
export const smallGet = comparisonScenario({
  name: 'small-get',
  title: 'Small GET (100 B body)',
  description: `GET ${upstreamPaths.small}, ${SMALL_BODY_BYTES} byte body, 50 keep-alive connections.`,
  members: 1,
  websocket: false,
  load: { path: upstreamPaths.small, method: 'GET', bodyBytes: 0, connections: 50 },
  expectedBodyBytes: SMALL_BODY_BYTES,
  targets: (rows) => [
    atLeast(rows, 'small GET', '@fastify/http-proxy', 1.5),
    atLeast(rows, 'small GET', 'http-proxy', 1.5),
    atLeast(rows, 'small GET', 'minimal undici', 0.9),
    p99Below(rows, 'small GET', NODE_PEERS),
    rssWithin(rows, 'small GET'),
    info(
      rows,
      'small GET stretch: Apache httpd vs the minimal undici proxy',
      'apache httpd',
      'minimal undici',
    ),
    info(rows, 'small GET stretch: tsx-proxy vs Apache httpd', 'tsx-proxy', 'apache httpd'),
  ],
});
