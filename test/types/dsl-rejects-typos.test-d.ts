import { describe, expectTypeOf, test } from 'vitest';
import { balancer, defineConfig, route } from '../../src/index.js';
import type { Duration, LbMethod, StatusFlags } from '../../src/index.js';

describe('the DSL types reject typos', () => {
  test('lbmethod is a closed set', () => {
    balancer('a').lbmethod('bytraffic');
    // @ts-expect-error 'byrequest' is a typo of 'byrequests'
    balancer('a').lbmethod('byrequest');
    expectTypeOf<LbMethod>().toEqualTypeOf<'byrequests' | 'bytraffic' | 'bybusyness' | 'byhash'>();
  });

  test('status flags are template literals of Apache letters', () => {
    balancer('a').member('http://h:1', { status: '+H' });
    balancer('a').member('http://h:1', { status: '+H+I' });
    balancer('a').member('http://h:1', { status: 'D' });
    balancer('a').member('http://h:1', { status: '-E+R' });
    // @ts-expect-error 'X' is not a status letter
    balancer('a').member('http://h:1', { status: '+X' });
    // @ts-expect-error a flag needs its letter
    balancer('a').member('http://h:1', { status: '+' });
    expectTypeOf<'+R'>().toExtend<StatusFlags>();
  });

  test('member and balancer option names are checked', () => {
    // @ts-expect-error 'loadfator' is a typo of 'loadfactor'
    balancer('a').member('http://h:1', { loadfator: 2 });
    // @ts-expect-error 'stickysesion' is a typo of 'stickysession'
    balancer('a').set({ stickysesion: 'ROUTEID' });
    // @ts-expect-error hcmethod names are upper case
    balancer('a').healthCheck({ method: 'get' });
    balancer('a').set({
      stickysession: 'JSESSIONID|jsessionid',
      failonstatus: [502, 503],
      hashkey: 'header:x-user',
    });
    // @ts-expect-error hashkey takes header:, cookie:, ip or path
    balancer('a').set({ hashkey: 'query:x' });
  });

  test('durations are seconds or strings with a unit', () => {
    expectTypeOf<5>().toExtend<Duration>();
    expectTypeOf<'500ms'>().toExtend<Duration>();
    expectTypeOf<'2m'>().toExtend<Duration>();
    // @ts-expect-error 'five seconds' is not a duration
    balancer('a').member('http://h:1', { timeout: 'five seconds' });
    // @ts-expect-error minutes are 'm', not 'min'
    balancer('a').member('http://h:1', { retry: '2min' });
  });

  test('routes take exactly one action and typed options', () => {
    route('/a/', { host: 'example.com', methods: ['GET'] }).to('http://h:1/', { preserveHost: true });
    // @ts-expect-error 'preservehost' is spelt preserveHost
    route('/a/').to('http://h:1/', { preservehost: true });
    // @ts-expect-error deny() takes no target
    route('/a/').deny('http://h:1/');
    // @ts-expect-error a route with an action has no second action
    route('/a/').deny().to('http://h:1/');
    defineConfig({
      listen: { host: '0.0.0.0', port: 8080 },
      via: 'full',
      routes: [route('/').to('http://h:1/')],
    });
    // @ts-expect-error via is 'off' | 'on' | 'full' | 'block'
    defineConfig({ via: 'yes', routes: [] });
    // @ts-expect-error 'route' is not a config option (routes is)
    defineConfig({ route: [] });
  });
});
