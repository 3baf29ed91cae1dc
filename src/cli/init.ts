import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { colorsFor } from './colors.js';

export interface InitOptions {
  readonly config: string;
  readonly force: boolean;
}

/** The starter config `tsx-proxy init` writes: each route kind once, loopback upstreams. */
export const STARTER_CONFIG = `import { balancer, defineConfig, route } from 'tsx-proxy';

// Two app servers sharing the load; the second gets twice the requests (Apache's loadfactor).
const app = balancer('app')
  .member('http://127.0.0.1:3001')
  .member('http://127.0.0.1:3002', { loadfactor: 2 })
  .lbmethod('byrequests')
  .healthCheck({ method: 'GET', uri: '/health', interval: '10s' });

export default defineConfig({
  listen: { host: '127.0.0.1', port: 8080 },
  routes: [
    // Live status of the balancers, reachable from this machine only.
    route('/balancer-manager').manager({ allow: ['127.0.0.1', '::1'] }),
    // Routes are tried in order and the first match wins: carve exceptions out first.
    route('/admin/').deny(),
    route('/static/').to('http://127.0.0.1:3003/'),
    route('/').to(app),
  ],
});
`;

/** \`tsx-proxy init\`: writes the starter config; refuses to overwrite a file unless forced. */
export async function runInit(options: InitOptions): Promise<number> {
  const file = resolve(options.config);
  const c = colorsFor(process.stdout);
  if (existsSync(file) && !options.force) {
    process.stderr.write(`${options.config} already exists; pass --force to overwrite it\n`);
    return 1;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, STARTER_CONFIG);
  const flag = options.config === 'proxy.config.ts' ? '' : ` --config ${options.config}`;
  process.stdout.write(
    `${c.green('✓')} wrote ${options.config}\n` +
      `next: ${c.bold(`npx tsx-proxy check${flag}`)} to see its routes, ${c.bold(`npx tsx-proxy dev${flag}`)} to run it\n`,
  );
  return 0;
}
