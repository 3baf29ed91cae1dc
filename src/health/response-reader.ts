/**
 * Reads the HTTP/1.x response of a health check as Apache's `hc_read_headers` / `hc_read_body`
 * do: the status line must look like `HTTP/1.x NNN`, every header line needs a `:`, the body of a
 * GET is read to its end (Content-Length, chunked, or until the server closes). The body kept for
 * `expect` is bounded, so a misbehaving member cannot make the proxy buffer without limit.
 */
import type { HealthResponse } from '../dsl/params.js';

/** Bytes of body kept for `expect`; the rest is not read. */
export const MAX_HEALTH_BODY_BYTES = 64 * 1024;
/** Bytes allowed for the status line and headers together. */
const MAX_HEAD_BYTES = 64 * 1024;

export type ReadOutcome =
  | { readonly ok: true; readonly response: HealthResponse }
  | { readonly ok: false; readonly error: string; readonly status?: number };

type Framing = { type: 'length'; left: number } | { type: 'chunked' } | { type: 'close' };

/** Where the head ends (after its blank line), or -1 when it has not ended yet. */
function headEnd(buf: Buffer): number {
  const crlf = buf.indexOf('\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf === -1) return lf === -1 ? -1 : lf + 2;
  return lf === -1 || crlf < lf ? crlf + 3 : lf + 2;
}

function parseHead(
  text: string,
): { status: number; headers: Record<string, string> } | { error: string; status?: number } {
  const lines = text.split(/\r?\n/).filter((line) => line !== '');
  const statusLine = /^HTTP\/1\.\d (\d{3})/.exec(lines[0] ?? '');
  if (!statusLine) return { error: `invalid status line ${JSON.stringify((lines[0] ?? '').slice(0, 80))}` };
  const status = Number(statusLine[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon === -1) return { error: `invalid header line ${JSON.stringify(line.slice(0, 80))}`, status };
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { status, headers };
}

/**
 * Decodes as much of a chunked body as has arrived: the data so far and whether the last chunk
 * was seen. Re-run on the whole buffer each time; it is bounded, so that stays cheap.
 */
function decodeChunked(raw: Buffer): { data: Buffer[]; size: number; complete: boolean } | { error: string } {
  const data: Buffer[] = [];
  let size = 0;
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol === -1) return { data, size, complete: false };
    const line = raw.subarray(at, eol).toString('latin1');
    const hex = /^([0-9a-fA-F]+)\s*(?:;.*)?$/.exec(line);
    if (!hex) return { error: `invalid chunk size line ${JSON.stringify(line.slice(0, 40))}` };
    const length = Number.parseInt(hex[1]!, 16);
    if (length === 0) return { data, size, complete: true };
    const start = eol + 2;
    const chunk = raw.subarray(start, Math.min(start + length, raw.length));
    data.push(chunk);
    size += chunk.length;
    if (chunk.length < length) return { data, size, complete: false };
    at = start + length + 2;
  }
}

/**
 * An incremental reader of one health-check response. `push` each chunk and `end` at EOF; each
 * returns the outcome once known (and then the caller closes the socket), else undefined.
 * @example
 * const reader = new ResponseReader(true);
 * socket.on('data', (c) => { const o = reader.push(c); if (o) done(o); });
 * socket.on('end', () => done(reader.end()));
 */
export class ResponseReader {
  readonly #readBody: boolean;
  #buffer: Buffer = Buffer.alloc(0);
  #head: { status: number; headers: Record<string, string> } | undefined;
  #framing: Framing | undefined;

  /** `readBody`: false for HEAD and OPTIONS, whose bodies Apache does not read. */
  constructor(readBody: boolean) {
    this.#readBody = readBody;
  }

  push(chunk: Buffer): ReadOutcome | undefined {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (!this.#head) {
      const end = headEnd(this.#buffer);
      if (end === -1) {
        return this.#buffer.length > MAX_HEAD_BYTES
          ? { ok: false, error: `response headers larger than ${MAX_HEAD_BYTES} bytes` }
          : undefined;
      }
      const head = parseHead(this.#buffer.subarray(0, end).toString('latin1'));
      if ('error' in head) return { ok: false, ...head };
      this.#head = head;
      this.#buffer = this.#buffer.subarray(end);
      this.#framing = this.#framingOf(head.status, head.headers);
      if (!this.#framing) return this.#done(Buffer.alloc(0));
    }
    return this.#body(false);
  }

  /** The server closed the connection. */
  end(): ReadOutcome {
    if (!this.#head) {
      if (this.#buffer.length === 0) return { ok: false, error: 'connection closed before any response' };
      // Apache reads header lines until EOF as well: a response cut short in its headers counts.
      const head = parseHead(this.#buffer.toString('latin1'));
      if ('error' in head) return { ok: false, ...head };
      this.#head = head;
      return this.#done(Buffer.alloc(0));
    }
    if (!this.#framing) return this.#done(Buffer.alloc(0));
    return (
      this.#body(true) ?? {
        ok: false,
        error: 'connection closed before the body ended',
        status: this.#head.status,
      }
    );
  }

  #framingOf(status: number, headers: Record<string, string>): Framing | undefined {
    if (!this.#readBody || status < 200 || status === 204 || status === 304) return undefined;
    if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) return { type: 'chunked' };
    const length = headers['content-length'];
    if (length !== undefined && /^\d+$/.test(length)) return { type: 'length', left: Number(length) };
    return { type: 'close' };
  }

  #body(atEof: boolean): ReadOutcome | undefined {
    const framing = this.#framing!;
    if (framing.type === 'chunked') {
      const decoded = decodeChunked(this.#buffer);
      if ('error' in decoded) return { ok: false, error: decoded.error, status: this.#head!.status };
      if (decoded.complete || decoded.size >= MAX_HEALTH_BODY_BYTES)
        return this.#done(Buffer.concat(decoded.data));
      return undefined;
    }
    const have = this.#buffer.length;
    const enough = framing.type === 'length' ? have >= framing.left : atEof;
    if (enough || have >= MAX_HEALTH_BODY_BYTES) {
      return this.#done(framing.type === 'length' ? this.#buffer.subarray(0, framing.left) : this.#buffer);
    }
    return undefined;
  }

  #done(body: Buffer): ReadOutcome {
    const head = this.#head!;
    const text = body.subarray(0, MAX_HEALTH_BODY_BYTES).toString('utf8');
    return { ok: true, response: { status: head.status, headers: head.headers, body: text } };
  }
}
