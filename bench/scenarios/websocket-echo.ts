import { info, rssWithin } from '../targets.js';
import { comparisonScenario } from './comparison.js';

/** WebSocket echo: upgrade handling, then raw frame relay both ways. */
export const websocketEcho = comparisonScenario({
  name: 'websocket',
  title: 'WebSocket echo round trips',
  description:
    '50 WebSocket connections (upgraded through the proxy), each sending a 64 byte binary message and ' +
    'waiting for its echo before the next; throughput is round trips per second, latency is one round trip.',
  members: 1,
  websocket: true,
  load: { path: '/ws', method: 'GET', bodyBytes: 64, connections: 50 },
  expectedBodyBytes: 0,
  targets: (rows) => [
    rssWithin(rows, 'WebSocket'),
    info(rows, 'WebSocket: tsx-proxy vs the minimal undici proxy', 'tsx-proxy', 'minimal undici'),
  ],
});
