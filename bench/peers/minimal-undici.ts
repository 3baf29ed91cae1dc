import { packageVersion } from '../environment.js';
import { startNodeServer } from './node-server.js';
import type { Peer } from './types.js';

/** The floor of what Node can do: bench/minimal-undici-proxy.ts. */
export const minimalUndici: Peer = {
  name: 'minimal undici',
  summary:
    '`bench/minimal-undici-proxy.ts`: node:http server + one undici `Pool` (`BalancedPool` for two members) ' +
    '+ `dispatch`, hop-by-hop headers dropped, backpressure, `upgrade` for WebSocket: the floor of what Node can do',
  version: () => `undici ${packageVersion('undici')}`,
  unavailable: async () => undefined,
  start: (ctx) => startNodeServer('minimalUndici', ctx),
};
