import { balancerScenario } from './balancer.js';
import { largeGet } from './large-get.js';
import { post64k } from './post-64k.js';
import { reloadScenario } from './reload.js';
import { smallGet } from './small-get.js';
import type { Scenario } from './types.js';
import { websocketEcho } from './websocket-echo.js';

/** Every scenario, in run order. A new scenario is one module under scenarios/ added here. */
export const allScenarios: readonly Scenario[] = [
  smallGet,
  largeGet,
  post64k,
  websocketEcho,
  balancerScenario,
  reloadScenario,
];
