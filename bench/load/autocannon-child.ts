/**
 * autocannon in its own process (the harness must not share an event loop with the load).
 * argv[2]: a JSON LoadSpec; prints one JSON LoadResult line.
 */
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './types.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const result = await autocannon({
  url: spec.url,
  method: spec.method,
  body: spec.method === 'POST' ? Buffer.alloc(spec.bodyBytes, 'x') : undefined,
  headers: spec.method === 'POST' ? { 'content-type': 'application/octet-stream' } : {},
  connections: spec.connections,
  duration: spec.durationSec,
  timeout: 10,
});
const requests = result.requests.total;
const output: LoadResult = {
  requests,
  requestsPerSec: requests / result.duration,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  errors: result.errors + result.timeouts + result.non2xx,
  bytesPerResponse: requests > 0 ? result.throughput.total / requests : 0,
};
console.log(JSON.stringify(output));
