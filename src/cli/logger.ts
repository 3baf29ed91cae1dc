import type { ErrorEvent, ProxyLogger, RequestEvent } from '../runtime/types.js';
import { type Colors, colorsFor } from './colors.js';

type Output = NodeJS.WritableStream & { isTTY?: boolean };

export interface CliLoggerOptions {
  /** Where request and info lines go. Default `process.stdout`. */
  readonly out?: Output;
  /** Where errors and warnings go. Default `process.stderr`. */
  readonly err?: Output;
}

function time(): string {
  return new Date().toTimeString().slice(0, 8);
}

function statusColor(status: number, c: Colors): (s: string) => string {
  if (status >= 500) return c.red;
  if (status >= 400) return c.yellow;
  if (status >= 300) return c.cyan;
  return c.green;
}

function durationText(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)}ms` : `${Math.round(ms)}ms`;
}

/**
 * A `ProxyLogger` that prints one readable line per request (method, path, route, member,
 * status, duration; the runtime calls `request` only while the access log is on) and one line
 * per error naming the route and member; colours on a terminal.
 * @example startProxy(config, { logger: createCliLogger() })
 */
export function createCliLogger(options: CliLoggerOptions = {}): ProxyLogger {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const co = colorsFor(out);
  const ce = colorsFor(err);
  return {
    request(e: RequestEvent): void {
      const via = e.route === undefined ? co.dim('no route') : `${co.cyan(e.route)}`;
      const member = e.member ? ` ${co.dim('→')} ${e.member}` : '';
      const status = statusColor(e.status, co)(String(e.status));
      out.write(
        `${co.dim(time())} ${co.bold(e.method)} ${e.path} ${co.dim('via')} ${via}${member} ${status} ${co.dim(durationText(e.durationMs))}\n`,
      );
    },
    error(e: ErrorEvent): void {
      const where = [e.route && `route ${e.route}`, e.member && `member ${e.member}`]
        .filter(Boolean)
        .join(' ');
      const status = e.status === undefined ? '' : ` (answered ${e.status})`;
      err.write(
        `${ce.dim(time())} ${ce.red(ce.bold('error'))} ${e.code}${where ? ` ${where}` : ''}: ${e.message}${status}\n`,
      );
    },
    info(message: string): void {
      out.write(`${co.dim(time())} ${message}\n`);
    },
    warn(message: string): void {
      err.write(`${ce.dim(time())} ${ce.yellow('warning')} ${message}\n`);
    },
  };
}
