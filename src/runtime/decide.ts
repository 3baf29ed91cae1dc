/**
 * The router of a generation, in the shape the request path calls it: three arguments, no
 * object allocated per request (the router reads its request synchronously, so one scratch
 * object per generation serves every call).
 */
import type { ProxyConfig } from '../config/types.js';
import type { Decide } from '../proxy/decision.js';
import { createRouter } from '../router/router.js';

/** The decision function of a config's router, for one generation. */
export function decideFor(config: ProxyConfig): Decide {
  const router = createRouter(config);
  const scratch: { method: string; url: string; host: string | undefined } = {
    method: '',
    url: '',
    host: undefined,
  };
  return (method, url, host) => {
    scratch.method = method;
    scratch.url = url;
    scratch.host = host;
    return router.decide(scratch);
  };
}
