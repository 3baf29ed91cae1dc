import type { Peer } from './types.js';

/** The load generator straight to the upstream: the limit every proxy is measured against. */
export const direct: Peer = {
  name: 'direct',
  summary: 'no proxy: the load generator talks to the upstream (first member), the limit for everyone',
  version: () => '-',
  unavailable: async () => undefined,
  start: async ({ members }) => ({ url: members[0]!, pid: undefined, stop: async () => {} }),
};
