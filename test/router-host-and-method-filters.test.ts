/**
 * Routes narrowed by `host` and `methods` (what Apache users write as `<VirtualHost>` and
 * `<Limit>`), the first matching route winning, and the manager route.
 */
import { route } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { decideLine, routerOf } from './router-helpers.js';

const b1 = 'http://b1.test';
const b2 = 'http://b2.test';

describe('host filter', () => {
  const router = routerOf([
    route('/', { host: 'api.example.com' }).to(b1),
    route('/', { host: ['*.example.com', '::1'] }).to(`${b1}/wild/`),
    route('/').to(b2),
  ]);

  it.each([
    ['api.example.com', '0 /x'],
    ['API.Example.COM:8080', '0 /x'],
    ['api.example.com.', '0 /x'],
    ['www.example.com', '1 /wild/x'],
    ['a.b.example.com:443', '1 /wild/x'],
    ['[::1]:8080', '1 /wild/x'],
    ['example.com', '2 /x'],
    ['notexample.com', '2 /x'],
    ['api.example.org', '2 /x'],
  ])('Host %s => %s', (host, expected) => {
    expect(decideLine(router, '/x', host)).toBe(expected);
  });

  it('skips host-narrowed routes for a request without Host', () => {
    expect(decideLine(router, '/x')).toBe('2 /x');
  });
});

describe('methods filter', () => {
  const router = routerOf([
    route('/admin', { methods: ['DELETE'] }).deny(),
    route('/w', { methods: ['POST', 'put'] }).to(b1),
    route('/r', { methods: ['GET'] }).to(`${b1}/read`),
    route('/').to(b2),
  ]);

  it.each([
    ['DELETE /admin', 'deny 0'],
    ['GET /admin', '3 /admin'],
    ['POST /w', '1 /'],
    ['PUT /w/x', '1 /x'],
    ['GET /w', '3 /w'],
    ['GET /r', '2 /read'],
    ['HEAD /r', '2 /read'],
    ['POST /r', '3 /r'],
  ])('%s => %s', (line, expected) => {
    expect(decideLine(router, line)).toBe(expected);
  });
});

describe('first match wins', () => {
  it('sends /a/b/c to the earlier, broader route (Apache catalogue 28)', () => {
    const router = routerOf([route('/a').to(b1), route('/a/b').to(b2)]);
    expect(decideLine(router, '/a/b/c')).toBe('0 /b/c');
  });

  it('proxies /a/static when the deny comes after the broader route (Apache catalogue 27)', () => {
    const router = routerOf([route('/a').to(b1), route('/a/static').deny()]);
    expect(decideLine(router, '/a/static/x')).toBe('0 /static/x');
  });

  it('lets a deny carve a hole in a regex route placed after it', () => {
    const router = routerOf([route(/^\/private\//).deny(), route(/^\/(.*)$/).to(`${b1}/$1`)]);
    expect(decideLine(router, '/private/x')).toBe('deny 0');
    expect(decideLine(router, '/public/../private/x')).toBe('deny 0');
    expect(decideLine(router, '/public/x')).toBe('1 /public/x');
  });

  it('answers none when no route matches', () => {
    expect(decideLine(routerOf([route('/api/').to(b1)]), '/apix')).toBe('none');
  });
});

describe('manager route', () => {
  const router = routerOf([route('/balancer-manager').manager(), route('/').to(b1)]);

  it('matches its prefix segment-wise, query included', () => {
    expect(decideLine(router, '/balancer-manager?b=c&xml=1')).toBe('manager 0');
    expect(decideLine(router, '/balancer-manager/')).toBe('manager 0');
    expect(decideLine(router, '/balancer-managerx')).toBe('1 /balancer-managerx');
  });
});
