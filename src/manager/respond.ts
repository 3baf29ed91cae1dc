/**
 * The manager's responses, all with headers that keep them out of caches and frames.
 */
import type { ServerResponse } from 'node:http';
import type { ConfigIssue } from '../config/types.js';
import { PAGE_CSS_HASH } from './page-style.js';

const COMMON: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

/** The page runs no script and loads nothing; forms post only to this origin. */
const PAGE_CSP = `default-src 'none'; style-src ${PAGE_CSS_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...COMMON, ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** A JSON answer, indented for people reading it with curl. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(
    res,
    status,
    { 'content-type': 'application/json; charset=utf-8' },
    `${JSON.stringify(value, null, 2)}\n`,
  );
}

/** An error answer of the JSON API: the first issue, and all of them. */
export function sendJsonError(res: ServerResponse, status: number, issues: readonly ConfigIssue[]): void {
  const plain = issues.map(({ code, path, message, hint }) => ({ code, path, message, hint }));
  sendJson(res, status, { error: plain[0], issues: plain });
}

export function sendHtml(res: ServerResponse, status: number, body: string): void {
  send(
    res,
    status,
    { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP },
    body,
  );
}

/** After a form post: back to the page (Post/Redirect/Get, so a reload does not post again). */
export function sendSeeOther(res: ServerResponse, location: string): void {
  send(res, 303, { location, 'content-type': 'text/plain; charset=utf-8' }, `See ${location}\n`);
}

/** The answer to a client outside `allow`: the same for every method and path, saying nothing more. */
export function sendForbidden(res: ServerResponse): void {
  send(res, 403, { 'content-type': 'text/plain; charset=utf-8' }, 'Forbidden\n');
}

/** A path under the manager route that is neither the page nor the API. */
export function sendNotFound(res: ServerResponse): void {
  send(
    res,
    404,
    { 'content-type': 'text/plain; charset=utf-8' },
    'Not Found: the page is the route itself, the JSON API is under /api\n',
  );
}

export function sendMethodNotAllowed(
  res: ServerResponse,
  api: boolean,
  issues: readonly ConfigIssue[],
): void {
  res.setHeader('allow', 'GET, HEAD, POST');
  if (api) sendJsonError(res, 405, issues);
  else send(res, 405, { 'content-type': 'text/plain; charset=utf-8' }, 'Method Not Allowed\n');
}
