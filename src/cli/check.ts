import { hostname } from 'node:os';
import { formatIssueWithFrame, formatLoadError, loadConfig } from '../config/load.js';
import type { ProxyConfig } from '../config/types.js';
import { colorsFor } from './colors.js';
import { renderRouteTable } from './route-table.js';
import { count } from './table.js';

export interface CheckOptions {
  readonly config: string;
}

/** `http://host:port` of each listen address (IPv6 in brackets). */
export function listenUrls(config: ProxyConfig): string[] {
  return config.listen.map(({ host, port }) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
}

/**
 * `tsx-proxy check`: loads and validates the config, prints the route table, the balancers
 * and the warnings; prints every error and returns exit code 1 when there is any.
 */
export async function runCheck(options: CheckOptions): Promise<number> {
  const out = colorsFor(process.stdout);
  try {
    const { config, warnings } = await loadConfig(options.config, { mode: 'check', hostname: hostname() });
    const lines = [
      `${out.bold('config')} ${options.config}`,
      `${out.bold('listen')} ${listenUrls(config).join(', ')}`,
      '',
      renderRouteTable(config, out),
    ];
    for (const w of warnings) lines.push('', formatIssueWithFrame(w, { color: out.isColorSupported }));
    const summary = [
      count(config.routes.length, 'route'),
      count(config.balancers.size, 'balancer'),
      count(warnings.length, 'warning'),
    ].join(', ');
    lines.push('', `${out.green('✓')} config is valid: ${summary}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    const err = colorsFor(process.stderr);
    process.stderr.write(
      `${formatLoadError(error, { color: err.isColorSupported })}\n\n${err.red('✗')} config is not valid\n`,
    );
    return 1;
  }
}
