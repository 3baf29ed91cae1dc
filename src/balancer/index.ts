/** The pure balancer engine: what the data path, the runtime, the manager and `simulate` use. */
export { createLiveBalancer } from './live-balancer.js';
export { carryMemberState, createMemberState, displayStatus, isUsable } from './member-state.js';
export type { LbMethodImpl, PickContext } from './methods/index.js';
export { LB_METHODS } from './methods/index.js';
export type * from './types.js';
export { waitPlan } from './wait-plan.js';
