/**
 * The one path every change takes, from the page or the API: nonce, validation of every part,
 * then all parts applied, one log line, and the journal saved before the answer.
 */
import type { LiveBalancer } from '../balancer/types.js';
import type { CompiledManagerRoute } from '../config/types.js';
import { checkNonce, nonceFor } from './access.js';
import { applyPlans } from './apply-changes.js';
import { type ChangePlan, planIsEmpty } from './change-validation.js';
import { refuse } from './errors.js';
import type { ManagerContext } from './types.js';

/**
 * Applies the change `plan()` describes to `live` if `nonce` is right. `plan` runs after the
 * nonce check, so a request without the nonce learns nothing from validation. Returns what
 * changed, in words (empty when the values were already set).
 */
export async function commitChange(
  route: CompiledManagerRoute,
  ctx: ManagerContext,
  live: LiveBalancer,
  nonce: unknown,
  plan: () => ChangePlan[],
  clientIp: string,
): Promise<string[]> {
  checkNonce(nonceFor(route, live), nonce, live.name);
  const plans = plan();
  if (plans.every(planIsEmpty)) {
    throw refuse(
      400,
      'TSXP_MANAGER_BAD_REQUEST',
      `balancers.${live.name}`,
      'the request names nothing to change',
      'send at least one setting, e.g. loadfactor, status or lbmethod',
    );
  }
  const pristine = ctx.config().balancers.get(live.name) ?? live.config;
  const done = applyPlans(live, plans, pristine, ctx);
  if (done.length === 0) return done;
  ctx.logger.info(`balancer-manager: balancer '${live.name}': ${done.join('; ')} (from ${clientIp})`);
  try {
    await ctx.journal.save();
  } catch (err) {
    ctx.logger.warn(`balancer-manager: cannot save ${ctx.journal.file}: ${(err as Error).message}`);
    throw refuse(
      500,
      'TSXP_MANAGER_PERSIST',
      'persist',
      `the change was applied but could not be saved to ${ctx.journal.file}: ${(err as Error).message}`,
      'check that the directory of the persist file exists and is writable; the change is lost at the next restart',
    );
  }
  return done;
}
