/** The pure router: route table, path mapping and reverse mapping (re-exports only). */
export { hostName } from './host-match.js';
export {
  publicOrigin,
  REVERSE_MAPPED_HEADERS,
  reverseMapCookie,
  reverseMapLocation,
  reverseUpstreams,
} from './reverse-map.js';
export { createRouter } from './router.js';
export type {
  DenyDecision,
  ManagerDecision,
  NoneDecision,
  ProxyDecision,
  RejectCode,
  RejectDecision,
  RouteDecision,
  RouteRequest,
  Router,
} from './types.js';
export { REJECT_CODES } from './types.js';
export { joinMemberPath } from './upstream-path.js';
