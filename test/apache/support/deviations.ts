/**
 * tsx-proxy's documented deviations from Apache (DESIGN.md §2), applied to Apache's observed
 * outcomes to get what tsx-proxy (and simulate) must produce. Kept in one place and explicit, so
 * a deviation is asserted, never hidden.
 */
import { type Outcome, token } from './driver.js';

/**
 * The token tsx-proxy must produce for a request Apache answered with `apache`. The only
 * deviation on the balancer path: an upstream read timeout answers 504 (Apache: 502 "Proxy Error",
 * apache-semantics §7.6).
 */
export function tsxProxyToken(apache: Outcome): string {
  if (apache.hung && apache.status === 502) return token({ ...apache, status: 504 });
  return token(apache);
}
