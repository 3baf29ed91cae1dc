import { expect, test } from 'vitest';
import { describeChanges } from '../src/cli/config-diff.js';
import { compile } from '../src/config/compile.js';
import { balancer, defineConfig, route } from '../src/index.js';

const base = balancer('app').member('http://127.0.0.1:3001').member('http://127.0.0.1:3002');
const before = compile(
  defineConfig({ routes: [route('/a/').to(base), route('/b/').to('http://127.0.0.1:4000/')] }),
);

test('a reload line names routes, members and balancers that changed', () => {
  const after = compile(
    defineConfig({
      routes: [
        route('/a/').to(
          balancer('app')
            .member('http://127.0.0.1:3001', { loadfactor: 3 })
            .member('http://127.0.0.1:3003')
            .set({ stickysession: 'ROUTEID' }),
        ),
        route('/c/').to('http://127.0.0.1:4000/'),
      ],
    }),
  );
  expect(describeChanges(before, after)).toBe(
    '1 route added (/c/); 1 route removed (/b/); 1 member added (app|http://127.0.0.1:3003); ' +
      '1 member removed (app|http://127.0.0.1:3002); 1 member changed (app|http://127.0.0.1:3001); 1 balancer changed (app)',
  );
});

test('an identical config changes nothing', () => {
  const same = compile(
    defineConfig({ routes: [route('/a/').to(base), route('/b/').to('http://127.0.0.1:4000/')] }),
  );
  expect(describeChanges(before, same)).toBe('no route, balancer or member changes');
});
