/** Active health checks (Apache's mod_proxy_hcheck): state machine, probes, scheduler. */
export type { CheckResult, HealthState, HealthTransition } from './health-state.js';
export { forgetHealth, healthOf, recordCheck } from './health-state.js';
export { describeHealthCheck, healthRequest, healthTarget } from './health-request.js';
export type { ProbeResult } from './probe.js';
export { probeMember } from './probe.js';
export { MAX_HEALTH_BODY_BYTES } from './response-reader.js';
export type { HealthCheckOptions, HealthChecks, HealthClock } from './scheduler.js';
export { startHealthChecks } from './scheduler.js';
