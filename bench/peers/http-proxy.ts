import { packageVersion } from '../environment.js';
import { startNodeServer } from './node-server.js';
import type { Peer } from './types.js';

/** node-http-proxy with a keep-alive agent (servers/http-proxy-server.ts). */
export const httpProxy: Peer = {
  name: 'http-proxy',
  summary:
    '`http-proxy` 1.18 (node-http-proxy) on node:http, keep-alive `http.Agent`, `xfwd: true`; ' +
    'round-robin over the targets in 3 lines for the balancer scenario; `proxy.ws` for WebSocket',
  version: () => `http-proxy ${packageVersion('http-proxy')}`,
  unavailable: async () => undefined,
  start: (ctx) => startNodeServer('httpProxy', ctx),
};
