import { atLeastBestNodePeer, info, rssWithin } from '../targets.js';
import { upstreamPaths } from '../upstream/routes.js';
import { comparisonScenario } from './comparison.js';

const BODY = 64 * 1024;

/** 64 KiB POST: request body streaming to the upstream. */
export const post64k = comparisonScenario({
  name: 'post-64k',
  title: '64 KiB POST',
  description: `POST ${upstreamPaths.echoSize} with a 64 KiB body (content-length), small JSON answer, 50 keep-alive connections.`,
  members: 1,
  websocket: false,
  load: { path: upstreamPaths.echoSize, method: 'POST', bodyBytes: BODY, connections: 50 },
  expectedBodyBytes: `{"received":${BODY}}`.length,
  targets: (rows) => [
    atLeastBestNodePeer(rows, '64 KiB POST'),
    rssWithin(rows, '64 KiB POST'),
    info(rows, '64 KiB POST: tsx-proxy vs the minimal undici proxy', 'tsx-proxy', 'minimal undici'),
  ],
});
