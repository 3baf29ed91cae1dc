import pc from 'picocolors';
import { expect, test } from 'vitest';
import { renderRouteTable } from '../src/cli/route-table.js';
import { compile } from '../src/config/compile.js';
import { balancer, defineConfig, route } from '../src/index.js';

test('check prints the health check of a balancer and the target each member is really asked for', () => {
  const app = balancer('app')
    .member('http://127.0.0.1:3001')
    .member('http://127.0.0.1:3002/v2')
    .member('http://127.0.0.1:3003', { healthCheck: false })
    .healthCheck({ uri: 'health', interval: '5s', fails: 3, passes: 2 });
  const table = renderRouteTable(
    compile(defineConfig({ routes: [route('/').to(app)] })),
    pc.createColors(false),
  );
  expect(table).toContain(
    'health check: GET /health every 5s, out after 3 failing in a row, back after 2 passing in a row, timeout 5s',
  );
  // Apache's rule: member path + '/' + uri.
  expect(table).toContain('GET /v2/health every 5s');
  expect(table).toMatch(/127\.0\.0\.1:3003.*\boff\b/);
});
