/**
 * `resolveRoute` from `tsx-proxy/testing`: plain, serialisable decisions with full upstream
 * URLs, for URL and balancer targets, computed by the router the proxy runs.
 */
import { balancer, defineConfig, route } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/config/compile.js';
import { resolveRoute } from '../src/testing/resolve-route.js';

const images = balancer('images')
  .member('http://127.0.0.1:4001/app')
  .member('http://127.0.0.1:4002/')
  .member('http://[::1]:4003');

const config = defineConfig({
  routes: [
    route('/balancer-manager').manager(),
    route('/images/private/').deny(),
    route('/images/').to(images, { path: '/v2/' }),
    route('/api/', { host: 'api.example.com', methods: ['GET'] }).to('http://127.0.0.1:4000/'),
    route(/^\/u\/(\d+)$/).to('http://users.internal:3000/users/$1'),
    route('/').to('http://127.0.0.1:4000/'),
  ],
});

describe('resolveRoute', () => {
  it('gives the full upstream URL of a URL target, query kept raw', () => {
    expect(resolveRoute(config, { url: '/x/../y%20z?y=1&q=%20' })).toEqual({
      kind: 'proxy',
      route: 5,
      label: '/',
      upstream: 'http://127.0.0.1:4000/y%20z?y=1&q=%20',
    });
  });

  it('gives the balancer, its path and the URL each member would get, Apache-joined', () => {
    expect(resolveRoute(config, { url: '/images/a.png?w=1' })).toEqual({
      kind: 'proxy',
      route: 2,
      label: '/images/',
      upstream: {
        balancer: 'images',
        path: '/v2/a.png?w=1',
        members: [
          'http://127.0.0.1:4001/app/v2/a.png?w=1',
          'http://127.0.0.1:4002//v2/a.png?w=1',
          'http://[::1]:4003/v2/a.png?w=1',
        ],
      },
    });
  });

  it('substitutes regex groups', () => {
    expect(resolveRoute(config, { url: '/u/42' })).toMatchObject({
      upstream: 'http://users.internal:3000/users/42',
    });
  });

  it('narrows by host (from host or headers) and method', () => {
    const api = { kind: 'proxy', route: 3, upstream: 'http://127.0.0.1:4000/v' };
    expect(resolveRoute(config, { url: '/api/v', host: 'API.example.com:8080' })).toMatchObject(api);
    expect(resolveRoute(config, { url: '/api/v', headers: { Host: 'api.example.com' } })).toMatchObject(api);
    expect(
      resolveRoute(config, { url: '/api/v', method: 'head', headers: { host: 'api.example.com' } }),
    ).toMatchObject(api);
    expect(resolveRoute(config, { url: '/api/v', method: 'POST', host: 'api.example.com' })).toMatchObject({
      route: 5,
    });
    expect(resolveRoute(config, { url: '/api/v' })).toMatchObject({ route: 5 });
  });

  it('reports deny, manager and refused requests', () => {
    expect(resolveRoute(config, { url: '/images/private/x' })).toEqual({
      kind: 'deny',
      route: 1,
      label: '/images/private/',
    });
    expect(resolveRoute(config, { url: '/balancer-manager?b=images' })).toEqual({
      kind: 'manager',
      route: 0,
      label: '/balancer-manager',
    });
    expect(resolveRoute(config, { url: '/images/a%2Fb' })).toMatchObject({
      kind: 'reject',
      status: 404,
      code: 'TSXP_ENCODED_SLASH',
    });
    expect(resolveRoute(config, { url: '/../etc/passwd' })).toMatchObject({ kind: 'reject', status: 400 });
  });

  it('answers none when nothing matches', () => {
    const narrow = defineConfig({ routes: [route('/api/').to('http://127.0.0.1:4000/')] });
    expect(resolveRoute(narrow, { url: '/apix' })).toEqual({ kind: 'none' });
  });

  it('accepts a compiled config and gives the same answers', () => {
    const req = { url: '/images/private/../public/x' };
    expect(resolveRoute(compile(config), req)).toEqual(resolveRoute(config, req));
    expect(resolveRoute(config, req)).toMatchObject({ route: 2 });
  });

  it('returns JSON-serialisable data', () => {
    const d = resolveRoute(config, { url: '/images/a' });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it('throws the config errors of an invalid config', () => {
    const bad = defineConfig({ routes: [route(/^\/(a)$/).to('http://127.0.0.1:1/$2')] });
    expect(() => resolveRoute(bad, { url: '/a' })).toThrow(/TSXP_REGEX_GROUP/);
  });
});
