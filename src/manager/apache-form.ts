/**
 * The manager page's forms use Apache's balancer-manager field names, so a script written for
 * Apache's manager (`b=..&w=..&w_status_D=1&nonce=..`) works here too.
 */
import type { Input } from './change-validation.js';
import { refuse } from './errors.js';

/** A form post, split into what it asks of the balancer, one member, and a new member. */
export interface FormChange {
  readonly balancer: string;
  readonly nonce: unknown;
  readonly balancerInput: Input;
  readonly member: { readonly ref: string; readonly input: Input } | undefined;
  readonly add: Input | undefined;
}

const BALANCER_FIELDS: Readonly<Record<string, string>> = {
  b_lbm: 'lbmethod',
  b_tmo: 'timeout',
  b_max: 'maxattempts',
  b_sforce: 'nofailover',
  b_ss: 'stickysession',
};

const MEMBER_FIELDS: Readonly<Record<string, string>> = {
  w_lf: 'loadfactor',
  w_ls: 'lbset',
  w_wr: 'route',
  w_rr: 'redirect',
};

const KNOWN = [
  'b',
  'w',
  'nonce',
  'b_wyes',
  'b_nwrkr',
  ...Object.keys(BALANCER_FIELDS),
  ...Object.keys(MEMBER_FIELDS),
];

function badForm(message: string, hint: string) {
  return refuse(400, 'TSXP_MANAGER_BAD_REQUEST', 'form', message, hint);
}

/**
 * Reads Apache's fields: `b` (balancer), `nonce`; `w` (member URL) with `w_lf`, `w_ls`, `w_wr`,
 * `w_rr`, `w_status_I/N/D/H/R/S/C` (`1`/`0`); `b_lbm`, `b_tmo`, `b_max`, `b_sforce`, `b_ss`
 * (`-` or empty: no sticky session); `b_wyes=1` with `b_nwrkr` (URL) to add a member.
 */
export function readApacheForm(fields: Readonly<Record<string, unknown>>): FormChange {
  const balancer = fields.b;
  if (typeof balancer !== 'string' || balancer === '') {
    throw badForm('the form names no balancer (field b)', 'send b=<balancer name> with the change');
  }
  const balancerInput: Record<string, unknown> = {};
  const memberInput: Record<string, unknown> = {};
  const status: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const statusFlag = /^w_status_(.)$/.exec(name)?.[1];
    if (statusFlag !== undefined) status[statusFlag] = value;
    else if (name in BALANCER_FIELDS) {
      balancerInput[BALANCER_FIELDS[name]!] = name === 'b_ss' && value === '-' ? '' : value;
    } else if (name in MEMBER_FIELDS) memberInput[MEMBER_FIELDS[name]!] = value;
    else if (!KNOWN.includes(name)) {
      throw badForm(
        `form field '${name}' is not supported`,
        `fields: ${KNOWN.join(', ')}, w_status_I/N/D/H/R/S/C; health-check settings are changed in the config`,
      );
    }
  }
  if (Object.keys(status).length > 0) memberInput.status = status;
  const ref = fields.w;
  if (Object.keys(memberInput).length > 0 && (typeof ref !== 'string' || ref === '')) {
    throw badForm(
      'member fields were sent without the member (field w)',
      'send w=<member URL> with w_* fields',
    );
  }
  const adding = fields.b_wyes !== undefined && fields.b_wyes !== '' && fields.b_wyes !== '0';
  return {
    balancer,
    nonce: fields.nonce,
    balancerInput,
    member: typeof ref === 'string' && ref !== '' ? { ref, input: memberInput } : undefined,
    add: adding ? { url: fields.b_nwrkr } : undefined,
  };
}
