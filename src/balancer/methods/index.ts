import type { LbMethod } from '../../dsl/params.js';
import { bybusyness } from './bybusyness.js';
import { byhash } from './byhash.js';
import { byrequests } from './byrequests.js';
import { bytraffic } from './bytraffic.js';
import type { LbMethodImpl } from './method.js';

export type { LbMethodImpl, PickContext } from './method.js';

/** Every load-balancing method by name; a new method is one file and one line here. */
export const LB_METHODS: { readonly [K in LbMethod]: LbMethodImpl } = {
  byrequests,
  bytraffic,
  bybusyness,
  byhash,
};
