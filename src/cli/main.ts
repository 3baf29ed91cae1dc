import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runCheck } from './check.js';
import { DEMO_CONFIG } from './demo.js';
import { runInit } from './init.js';
import type { ServeOptions } from './serve.js';

const DEFAULT_CONFIG = 'proxy.config.ts';

function version(): string {
  // package.json sits two levels above both src/cli and dist/cli.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0: any free port)');
  }
  return port;
}

const configOption = () =>
  new Option('-c, --config <path>', `config file (.ts, .mts, .js, .mjs) (default: "${DEFAULT_CONFIG}")`);
const portOption = () =>
  new Option('-p, --port <port>', 'listen on this port (overrides the first listen entry)').argParser(
    parsePort,
  );
const hostOption = () =>
  new Option('-H, --host <host>', 'listen on this address (overrides the first listen entry)');

/** Loaded only by `start` and `dev`, so that `check` and `init` do not load the proxy itself. */
async function serve(options: ServeOptions): Promise<number> {
  const { runServe } = await import('./serve.js');
  return runServe(options);
}

interface ServeFlags {
  config?: string;
  port?: number;
  host?: string;
  demo?: boolean;
}

/** The `tsx-proxy` command line, with `check`, `init`, `start` and `dev`. */
export function buildProgram(): Command {
  const program = new Command('tsx-proxy')
    .description(
      'A reverse proxy and load balancer configured in TypeScript, with Apache mod_proxy semantics.',
    )
    .version(version(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('check')
    .description('compile and validate the config, print the route table and balancers; exit 1 on any error')
    .addOption(configOption())
    .action(async (flags: { config?: string }) => {
      process.exitCode = await runCheck({ config: flags.config ?? DEFAULT_CONFIG });
    });

  program
    .command('init')
    .description('write a starter config')
    .addOption(configOption())
    .option('-f, --force', 'overwrite the file if it exists', false)
    .action(async (flags: { config?: string; force: boolean }) => {
      process.exitCode = await runInit({ config: flags.config ?? DEFAULT_CONFIG, force: flags.force });
    });

  program
    .command('start')
    .description('serve in production mode: SIGHUP reloads the config, SIGTERM/SIGINT stop gracefully')
    .addOption(configOption())
    .addOption(portOption())
    .addOption(hostOption())
    .action(async (flags: ServeFlags) => {
      process.exitCode = await serve({ ...flags, config: flags.config ?? DEFAULT_CONFIG, mode: 'start' });
    });

  program
    .command('dev')
    .description('serve for development: access log on, reload when the config or a file it imports changes')
    .addOption(configOption())
    .addOption(portOption())
    .addOption(hostOption())
    .option(
      '--demo',
      'also start three demo backends on 127.0.0.1:3001-3003 (default config: the shipped demo)',
    )
    .action(async (flags: ServeFlags) => {
      const config = flags.config ?? (flags.demo ? DEMO_CONFIG : DEFAULT_CONFIG);
      process.exitCode = await serve({ ...flags, config, mode: 'dev', demo: flags.demo ?? false });
    });

  return program;
}

/** Runs the CLI on `argv` (`process.argv` shape: node, script, args...). */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}
