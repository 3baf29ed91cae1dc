/** The balancer manager: live status page, JSON API, runtime changes and their persistence. */
export { createManager, managerRouteHandler } from './create-manager.js';
export type { ManagerErrorCode } from './errors.js';
export { MANAGER_ERROR_CODES } from './errors.js';
export type { JournalFile, ManagerJournal, RestoreReport } from './journal.js';
export { createManagerJournal } from './journal.js';
export type { ManagerContext, ManagerHandler, ManagerRequestInfo } from './types.js';
export type { BalancerView, HealthView, MemberView } from './views.js';
