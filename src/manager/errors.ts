/**
 * Errors of the balancer manager. Validation problems reuse the config's issue codes and
 * messages (a change is checked by the same rules as the config file); the codes below are the
 * manager's own, each documented once here.
 */
import type { ConfigIssue } from '../config/types.js';

export const MANAGER_ERROR_CODES = {
  TSXP_MANAGER_FORBIDDEN:
    'The client address is not in the manager route’s `allow` list (403; the body says only "Forbidden").',
  TSXP_MANAGER_NONCE:
    'A change request without the right nonce (403; nothing changed). Read the nonce from the page or `GET <route>/api`.',
  TSXP_MANAGER_CROSS_ORIGIN:
    'A change request sent by a page of another origin (`Origin` or `Sec-Fetch-Site` says so; 403).',
  TSXP_MANAGER_HOST:
    'A change addressed to a host name that is not an IP address, localhost, the `serverName` or one of the route’s hosts (403; guards against DNS rebinding).',
  TSXP_MANAGER_METHOD: 'A method other than GET, HEAD or POST (405), or a change sent with GET.',
  TSXP_MANAGER_NOT_FOUND: 'No such balancer, member or API path (404).',
  TSXP_MANAGER_BAD_REQUEST:
    'The body is not a JSON object or a form, is larger than 64 KiB, or names nothing to change (400, 413, 415).',
  TSXP_MANAGER_NO_SLOT: 'A member cannot be added: the balancer’s `growth` slots are all used (400).',
  TSXP_MANAGER_FLAG: 'A status flag the manager cannot set: only I N D H R S C (never E, in error) (400).',
  TSXP_MANAGER_PERSIST: 'A change was applied but could not be written to the `persist` file (500).',
  TSXP_MANAGER_INTERNAL: 'An unexpected failure inside the manager (500; logged with its stack).',
} as const;

export type ManagerErrorCode = keyof typeof MANAGER_ERROR_CODES;

/** A request the manager refuses: an HTTP status and the issues explaining it. */
export class ManagerError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly ConfigIssue[];

  constructor(status: number, issues: readonly ConfigIssue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'ManagerError';
    this.status = status;
    this.code = issues[0]?.code ?? 'TSXP_MANAGER_BAD_REQUEST';
    this.issues = issues;
  }
}

/** One issue in the config's shape, for a problem only the manager can have. */
export function managerIssue(
  code: ManagerErrorCode,
  path: string,
  message: string,
  hint: string,
): ConfigIssue {
  return { severity: 'error', code, path, message, hint, site: undefined };
}

/** A refusal with a single issue. */
export function refuse(
  status: number,
  code: ManagerErrorCode,
  path: string,
  message: string,
  hint: string,
): ManagerError {
  return new ManagerError(status, [managerIssue(code, path, message, hint)]);
}
