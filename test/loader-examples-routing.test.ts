/**
 * Every example config (and the shipped demo config) loaded through the real loader, with its
 * routing asserted request by request through `resolveRoute`, the router the proxy runs.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { type ResolvedRoute, type ResolveRequest, resolveRoute } from '../src/testing/resolve-route.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Case = [request: ResolveRequest, expected: ResolvedRoute | { kind: 'proxy'; upstream: unknown }];

const balanced = (balancer: string, path: string, members: readonly string[]) => ({
  balancer,
  path,
  members: members.map((m) => `${m}${path}`),
});

const myset = ['www2', 'www3', 'spare1', 'spare2', 'hstandby', 'bkup1', 'bkup2'].map(
  (host) => `http://${host}.example.com:8080`,
);

const CASES: Record<string, Case[]> = {
  'examples/failover/proxy.config.ts': [
    [{ url: '/images/logo.png?v=1' }, { kind: 'proxy', upstream: balanced('myset', '/logo.png?v=1', myset) }],
    // ProxyPass "/images/": a path without the trailing slash, or sharing only a prefix, is not its.
    [{ url: '/images' }, { kind: 'none' }],
    [{ url: '/imagesfoo' }, { kind: 'none' }],
    [{ url: '/images/../secret' }, { kind: 'none' }],
    [{ url: '/images//a//b' }, { kind: 'proxy', upstream: balanced('myset', '/a/b', myset) }],
  ],
  'examples/microservices/proxy.config.ts': [
    [
      { url: '/api/users/42?x=1' },
      {
        kind: 'proxy',
        upstream: balanced('users', '/users/42?x=1', ['http://127.0.0.1:4001', 'http://127.0.0.1:4002']),
      },
    ],
    [
      { url: '/api/payments/charge', method: 'POST' },
      { kind: 'proxy', upstream: 'http://127.0.0.1:4100/payments/charge' },
    ],
    [{ url: '/api/users' }, { kind: 'proxy', upstream: 'http://127.0.0.1:4000/api/users' }],
    [{ url: '/' }, { kind: 'proxy', upstream: 'http://127.0.0.1:4000/' }],
    [
      { url: '/api/payments/%2e%2e/users/1' },
      {
        kind: 'proxy',
        upstream: balanced('users', '/users/1', ['http://127.0.0.1:4001', 'http://127.0.0.1:4002']),
      },
    ],
  ],
  'examples/regex/proxy.config.ts': [
    [{ url: '/api/v2/orders/7?x=1' }, { kind: 'proxy', upstream: 'http://127.0.0.1:3000/v2/orders/7?x=1' }],
    [{ url: '/img/cat.png' }, { kind: 'proxy', upstream: 'http://127.0.0.1:3100/static/img/cat.png' }],
    // The image route is narrowed to GET and HEAD: a POST falls through to '/'.
    [
      { url: '/img/cat.png', method: 'POST' },
      { kind: 'proxy', upstream: 'http://127.0.0.1:4000/img/cat.png' },
    ],
    [{ url: '/api/vX/y' }, { kind: 'proxy', upstream: 'http://127.0.0.1:4000/api/vX/y' }],
  ],
  'proxy.config.ts': [
    [{ url: '/balancer-manager' }, { kind: 'manager', route: 0, label: '/balancer-manager' }],
    [{ url: '/private/x' }, { kind: 'deny', route: 1, label: '/private/' }],
    [{ url: '/third/x' }, { kind: 'proxy', upstream: 'http://127.0.0.1:3003/x' }],
    [
      { url: '/hello?a=b' },
      {
        kind: 'proxy',
        upstream: balanced('demo', '/hello?a=b', [
          'http://127.0.0.1:3001',
          'http://127.0.0.1:3002',
          'http://127.0.0.1:3003',
        ]),
      },
    ],
  ],
};

const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `examples/${d.name}/proxy.config.ts`);

describe('example configs route as documented', () => {
  test('every example has routing cases', () => {
    expect(
      Object.keys(CASES)
        .filter((f) => f.startsWith('examples/'))
        .sort(),
    ).toEqual(examples.sort());
  });

  test.each(Object.keys(CASES))('%s', async (file) => {
    const { config, warnings } = await loadConfig(join(ROOT, file));
    expect(warnings).toEqual([]);
    for (const [request, expected] of CASES[file]!) {
      expect(resolveRoute(config, request), `${request.method ?? 'GET'} ${request.url}`).toMatchObject(
        expected,
      );
    }
  });
});
