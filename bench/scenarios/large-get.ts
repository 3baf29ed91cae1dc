import { atLeastBestNodePeer, info, rssWithin } from '../targets.js';
import { LARGE_BODY_BYTES, upstreamPaths } from '../upstream/routes.js';
import { comparisonScenario } from './comparison.js';

/** 1 MiB GET: response streaming and backpressure dominate. */
export const largeGet = comparisonScenario({
  name: 'large-get',
  title: '1 MiB GET',
  description: `GET ${upstreamPaths.large}, 1 MiB body, 10 keep-alive connections.`,
  members: 1,
  websocket: false,
  load: { path: upstreamPaths.large, method: 'GET', bodyBytes: 0, connections: 10 },
  expectedBodyBytes: LARGE_BODY_BYTES,
  targets: (rows) => [
    atLeastBestNodePeer(rows, '1 MiB GET'),
    rssWithin(rows, '1 MiB GET'),
    info(rows, '1 MiB GET: tsx-proxy vs the minimal undici proxy', 'tsx-proxy', 'minimal undici'),
  ],
});
