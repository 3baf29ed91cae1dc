import { apache } from './apache.js';
import { direct } from './direct.js';
import { fastifyProxy } from './fastify.js';
import { haproxy } from './haproxy.js';
import { httpProxy } from './http-proxy.js';
import { minimalUndici } from './minimal-undici.js';
import { nginx } from './nginx.js';
import { tsxProxy } from './tsx-proxy.js';
import type { Peer } from './types.js';

/** Every peer, in table order. */
export const allPeers: readonly Peer[] = [
  direct,
  tsxProxy,
  minimalUndici,
  httpProxy,
  fastifyProxy,
  apache,
  nginx,
  haproxy,
];
