import { packageVersion } from '../environment.js';
import { startNodeServer } from './node-server.js';
import type { Peer } from './types.js';

/** @fastify/http-proxy (reply-from on undici) in a bare Fastify app (servers/fastify-server.ts). */
export const fastifyProxy: Peer = {
  name: '@fastify/http-proxy',
  summary:
    '`@fastify/http-proxy` 11 on Fastify 5 (reply-from over undici, keep-alive pools), logger off; ' +
    '`replyOptions.getUpstream` round-robin for the balancer scenario; `websocket: true` for WebSocket',
  version: () =>
    `@fastify/http-proxy ${packageVersion('@fastify/http-proxy')}, fastify ${packageVersion('fastify')}`,
  unavailable: async () => undefined,
  start: (ctx) => startNodeServer('fastify', ctx),
};
