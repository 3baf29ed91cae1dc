/**
 * ProxyPassReverse and the cookie rewrites, each case as Apache httpd 2.4.71 mapped the same
 * header sent by a backend (ports of the loopback backends replaced by fixed ones).
 */
import { balancer, defineConfig, route } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/config/compile.js';
import type { CompiledProxyRoute, ProxyConfig } from '../src/config/types.js';
import {
  publicOrigin,
  REVERSE_MAPPED_HEADERS,
  reverseMapCookie,
  reverseMapLocation,
  reverseUpstreams,
} from '../src/router/index.js';

const m1 = 'http://127.0.0.1:8081';
const m2 = 'http://127.0.0.1:8082';

const c = balancer('c').member(m1).member(`${m2}/`);

const config: ProxyConfig = compile(
  defineConfig({
    routes: [
      // ProxyPass + ProxyPassReverse /app http://127.0.0.1:8081/int, cookie path and domain rules
      route('/app').to(`${m1}/int`, {
        reverseCookiePath: { '/int': '/pub' },
        reverseCookieDomain: { 'backend.local': 'example.com' },
      }),
      // ProxyPassReverse /bal balancer://c with members http://..:8081 and http://..:8082/
      route('/bal').to(c),
      // ProxyPassReverse /part balancer://p/part with members http://..:8081/m and http://..:8082/
      route('/part').to(balancer('p').member(`${m1}/m`).member(`${m2}/`), { path: '/part' }),
      // ProxyPassReverse /root http://127.0.0.1:8081 (no trailing slash)
      route('/root').to(m1, { reverseCookiePath: { '/int': '/pub', '/': '/root/' } }),
      route('/off').to(`${m1}/int`, { reverse: false }),
      route(/^\/api\/v(\d+)\/(.*)$/).to(`${m1}/v$1/$2`, { reverse: '/api/' }),
      // ProxyPassReverse / balancer://c/
      route('/').to(c, { path: '/' }),
    ],
  }),
);

function proxyRoute(i: number): CompiledProxyRoute {
  const r = config.routes[i]!;
  if (r.kind !== 'proxy') throw new Error(`routes[${i}] is not a proxy route`);
  return r;
}

function mapped(i: number, value: string, origin = 'http://proxy.test'): string {
  const r = proxyRoute(i);
  return reverseMapLocation(r, value, origin, reverseUpstreams(r, config));
}

describe('reverseMapLocation', () => {
  it.each([
    [0, `${m1}/int/x`, 'http://proxy.test/app/x'],
    [0, `${m1}/int/x?q=1`, 'http://proxy.test/app/x?q=1'],
    [0, 'HTTP://127.0.0.1:8081/INT/x', 'http://proxy.test/app/x'],
    [0, `${m1}/intx`, 'http://proxy.test/appx'],
    [0, `${m1}/in`, `${m1}/in`],
    [0, '/int/x', '/int/x'],
    [0, 'mailto:x', 'mailto:x'],
    // Balancer members, in order; no boundary after the member URL.
    [1, `${m1}/y`, 'http://proxy.test/bal/y'],
    [1, `${m2}/y`, 'http://proxy.test/baly'],
    [1, m1, 'http://proxy.test/bal'],
    [1, `${m1}0/y`, 'http://proxy.test/bal0/y'],
    // Public path '/': no doubled slash after a member URL.
    [6, `${m1}/y`, 'http://proxy.test/y'],
    [6, `${m2}/y`, 'http://proxy.test/y'],
    [6, `${m1}z`, 'http://proxy.test/z'],
    [6, m1, 'http://proxy.test/'],
    // Balancer path: member URL (its trailing slash ignored) then the path, case-sensitive.
    [2, `${m1}/m/part/y`, 'http://proxy.test/part/y'],
    [2, `${m2}/part/y`, 'http://proxy.test/part/y'],
    [2, `${m2}/PART/y`, `${m2}/PART/y`],
    [2, 'HTTP://127.0.0.1:8082/party', 'http://proxy.test/party'],
    [2, `${m2}//part/y`, `${m2}//part/y`],
    [2, `${m1}/m/y`, `${m1}/m/y`],
    // A plain target without trailing slash keeps the slash of the rest.
    [3, `${m1}/y`, 'http://proxy.test/root/y'],
    [3, `${m1}y`, 'http://proxy.test/rooty'],
    [4, `${m1}/int/x`, `${m1}/int/x`],
    // A regex route maps back from the target up to its last '/' before $n.
    [5, `${m1}/v2/users`, 'http://proxy.test/api/v2/users'],
  ])('routes[%i]: %s => %s', (i, value, expected) => {
    expect(mapped(i, value)).toBe(expected);
  });

  it('builds the public URL from the Host the client sent', () => {
    expect(mapped(0, `${m1}/int/x`, publicOrigin('http', 'Proxy.Test:8443', 'srv'))).toBe(
      'http://proxy.test:8443/app/x',
    );
    expect(mapped(0, `${m1}/int/x`, publicOrigin('http', 'proxy.test:80', 'srv'))).toBe(
      'http://proxy.test/app/x',
    );
  });
});

describe('publicOrigin', () => {
  it.each([
    ['http', 'Example.com', 'http://example.com'],
    ['http', 'example.com:80', 'http://example.com'],
    ['https', 'example.com:443', 'https://example.com'],
    ['https', 'example.com:80', 'https://example.com:80'],
    ['http', '[::1]:8080', 'http://[::1]:8080'],
    ['http', '[::1]', 'http://[::1]'],
    ['http', undefined, 'http://srv.local'],
  ] as const)('%s with Host %s => %s', (scheme, host, expected) => {
    expect(publicOrigin(scheme, host, 'srv.local')).toBe(expected);
  });
});

describe('REVERSE_MAPPED_HEADERS', () => {
  it('holds the headers Apache maps, Destination included, and not Refresh', () => {
    expect([...REVERSE_MAPPED_HEADERS].sort()).toEqual([
      'content-location',
      'destination',
      'location',
      'uri',
    ]);
  });
});

describe('reverseMapCookie', () => {
  it.each([
    ['s=1; Path=/int/sub', 's=1; Path=/pub'],
    ['s=1; path=/internal; Domain=BACKEND.local; HttpOnly', 's=1; path=/pub; Domain=example.com; HttpOnly'],
    ['s=1;Path=/int ;  domain=.backend.local', 's=1;Path=/pub;  domain=.backend.local'],
    ['s=1; Domain=x.backend.local; Path=/pub', 's=1; Domain=x.backend.local; Path=/pub'],
    ['s=1; Domain=backend.localhost', 's=1; Domain=example.com'],
    ['s=1; Domain=BACKEND.LOCAL.', 's=1; Domain=example.com'],
    ['s=1; Path=/INT', 's=1; Path=/INT'],
    ['s=1; Domain=backend.local; Path=/int; Secure', 's=1; Domain=example.com; Path=/pub; Secure'],
    ['s=1; Path=/int; Domain=backend.local; Secure', 's=1; Path=/pub; Domain=example.com; Secure'],
    ['s=1;\tPath=/int', 's=1;\tPath=/pub'],
    ['s=1; Path= /int', 's=1; Path= /int'],
    ['s=1; Path=', 's=1; Path='],
    ['s=1; xPath=/int', 's=1; xPath=/int'],
    ['s=1; Path =/int', 's=1; Path =/int'],
    ['s=1;; Path=/int;;', 's=1;; Path=/pub;;'],
    // The last Path / Domain attribute decides (a cookie named "path" counts too).
    ['path=/int/v', 'path=/pub'],
    ['path=/int/v; Path=/x', 'path=/int/v; Path=/x'],
    ['s=1; Path=/x; Path=/int/a', 's=1; Path=/x; Path=/pub'],
    ['s=1; Domain=backend.local; Domain=other', 's=1; Domain=backend.local; Domain=other'],
    ['s=1; Domain=other; Domain=backend.local', 's=1; Domain=other; Domain=example.com'],
  ])('%s => %s', (value, expected) => {
    expect(reverseMapCookie(proxyRoute(0), value)).toBe(expected);
  });

  it('applies the first matching rule, in the order written', () => {
    expect(reverseMapCookie(proxyRoute(3), 's=1; Path=/int/a')).toBe('s=1; Path=/pub');
    expect(reverseMapCookie(proxyRoute(3), 's=1; Path=/x')).toBe('s=1; Path=/root/');
    expect(reverseMapCookie(proxyRoute(3), 's=1; Path=/int/a; Path=/x')).toBe(
      's=1; Path=/int/a; Path=/root/',
    );
  });

  it('leaves cookies alone on a route without cookie rules', () => {
    expect(reverseMapCookie(proxyRoute(1), 's=1; Path=/int; Domain=backend.local')).toBe(
      's=1; Path=/int; Domain=backend.local',
    );
  });
});
