/**
 * Reading a change request's fields from its body: a JSON object or an HTML form.
 */
import type { IncomingMessage } from 'node:http';
import { refuse } from './errors.js';

/** Change requests are a few fields; anything larger is refused (Apache reads only 1024 bytes). */
const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge() {
  return refuse(
    413,
    'TSXP_MANAGER_BAD_REQUEST',
    'body',
    'the request body is larger than 64 KiB',
    'send only the fields to change',
  );
}

/**
 * Form fields as Apache's manager reads them: `+` stays a plus (so `status=+D` works from a
 * shell), `%xx` is decoded once, the first of repeated fields wins.
 */
export function parseForm(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    try {
      const name = decodeURIComponent(rawName);
      if (!(name in fields)) fields[name] = decodeURIComponent(rawValue);
    } catch {
      throw refuse(
        400,
        'TSXP_MANAGER_BAD_REQUEST',
        'body',
        `the form field ${JSON.stringify(pair.slice(0, 40))} has a malformed %-escape`,
        'percent-encode the value, e.g. curl --data-urlencode',
      );
    }
  }
  return fields;
}

/**
 * The fields of a POST: `application/json` (an object) or `application/x-www-form-urlencoded`;
 * an empty body has no fields.
 */
export async function readFields(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (text.trim() === '') return {};
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw refuse(
        400,
        'TSXP_MANAGER_BAD_REQUEST',
        'body',
        `the body is not valid JSON: ${(err as Error).message}`,
        'send a JSON object such as {"nonce":"...","loadfactor":2}',
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw refuse(
        400,
        'TSXP_MANAGER_BAD_REQUEST',
        'body',
        'the JSON body is not an object',
        'send a JSON object such as {"nonce":"...","loadfactor":2}',
      );
    }
    return value as Record<string, unknown>;
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') return parseForm(text);
  throw refuse(
    415,
    'TSXP_MANAGER_BAD_REQUEST',
    'body',
    `content type '${type}' is not understood`,
    'send application/json or application/x-www-form-urlencoded',
  );
}
