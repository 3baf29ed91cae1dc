/** @fastify/http-proxy in a bare Fastify app, logger off (its default). */
import proxy from '@fastify/http-proxy';
import Fastify from 'fastify';
import { exitOnSignal, serverArgs } from './server-args.js';

const { port, upstreams, websocket } = serverArgs();
exitOnSignal();
const app = Fastify({ logger: false, keepAliveTimeout: 600_000 });
let next = 0;

if (upstreams.length === 1) {
  await app.register(proxy, { upstream: upstreams[0]!, websocket });
} else {
  // No native balancer: reply-from picks the origin per request, one undici pool per origin.
  await app.register(proxy, {
    upstream: '',
    replyOptions: { getUpstream: () => upstreams[next++ % upstreams.length]! },
  });
}
await app.listen({ port, host: '127.0.0.1' });
