import { describe, expect, test } from 'vitest';
import { compile, compileWithIssues } from '../src/config/compile.js';
import { ConfigError } from '../src/config/issues.js';
import type { ConfigSpec } from '../src/dsl/spec.js';
import { balancer, defineConfig, route } from '../src/index.js';

function issuesOf(spec: ConfigSpec) {
  return compileWithIssues(spec).issues;
}

function only(spec: ConfigSpec, code: string) {
  const found = issuesOf(spec).filter((i) => i.code === code);
  expect(found, `expected one ${code}, got ${JSON.stringify(issuesOf(spec))}`).toHaveLength(1);
  return found[0]!;
}

// Options given through `any`, as a JavaScript config would, to reach runtime validation.
// biome-ignore lint/suspicious/noExplicitAny: deliberately untyped input
const loose = (v: unknown): any => v;

describe('compile() validation names the problem, the place and the fix', () => {
  test('duplicate balancer names (case-insensitive)', () => {
    const a = balancer('web').member('http://127.0.0.1:1');
    const b = balancer('WEB').member('http://127.0.0.1:2');
    const issue = only(
      defineConfig({ routes: [route('/a/').to(a), route('/b/').to(b)] }),
      'TSXP_DUPLICATE_BALANCER',
    );
    expect(issue.path).toBe('routes[1].target');
    expect(issue.message).toContain("named 'WEB'");
    expect(issue.hint).toContain('own name');
  });

  test('the same balancer value used by two routes is not a duplicate', () => {
    const a = balancer('web').member('http://127.0.0.1:1');
    expect(issuesOf(defineConfig({ routes: [route('/a/').to(a), route('/b/').to(a)] }))).toEqual([]);
  });

  test('a balancer used by a route but empty', () => {
    const issue = only(defineConfig({ routes: [route('/x/').to(balancer('empty'))] }), 'TSXP_EMPTY_BALANCER');
    expect(issue.message).toBe("balancer 'empty' is used by routes[0] but has no members");
    expect(issue.hint).toContain(".member('http://");
  });

  test.each([0, 0.99, 100.5, 101, -1])('loadfactor %s is outside 1..100', (lf) => {
    const b = balancer('b').member('http://127.0.0.1:1', { loadfactor: lf });
    const issue = only(defineConfig({ routes: [route('/').to(b)] }), 'TSXP_LOADFACTOR_RANGE');
    expect(issue.path).toBe('balancers.b.members[0].loadfactor');
    expect(issue.message).toContain("member 'http://127.0.0.1:1' of balancer 'b'");
  });

  test('loadfactor is truncated as Apache does (2.3 → 229, 100 → 10000)', () => {
    const b = balancer('b')
      .member('http://127.0.0.1:1', { loadfactor: 2.3 })
      .member('http://127.0.0.1:2', { loadfactor: 100 });
    const c = compile(defineConfig({ routes: [route('/').to(b)] }));
    expect(c.balancers.get('b')!.members.map((m) => m.lbfactor)).toEqual([229, 10000]);
  });

  test.each([-1, 100, 1.5])('lbset %s is outside 0..99', (lbset) => {
    const b = balancer('b').member('http://127.0.0.1:1', { lbset });
    expect(only(defineConfig({ routes: [route('/').to(b)] }), 'TSXP_LBSET_RANGE').path).toBe(
      'balancers.b.members[0].lbset',
    );
  });

  test.each([
    ['127.0.0.1:3000', 'TSXP_BAD_URL'],
    ['http://', 'TSXP_BAD_URL'],
    ['http://h:1/x?y=1', 'TSXP_BAD_URL'],
    ['http://u:p@h:1', 'TSXP_BAD_URL'],
    ['ftp://h:21', 'TSXP_UNSUPPORTED_SCHEME'],
    ['ajp://h:8009', 'TSXP_UNSUPPORTED_SCHEME'],
  ])('member URL %s is refused with %s', (url, code) => {
    const b = balancer('b').member(url);
    expect(only(defineConfig({ routes: [route('/').to(b)] }), code).path).toBe('balancers.b.members[0].url');
  });

  test("a 'balancer://' string target is refused with a hint to pass the balancer", () => {
    const issue = only(
      defineConfig({ routes: [route('/').to('balancer://myset/')] }),
      'TSXP_UNSUPPORTED_SCHEME',
    );
    expect(issue.hint).toContain('pass the balancer itself');
  });

  test('a regex target referring to a group the regex lacks', () => {
    const issue = only(
      defineConfig({ routes: [route(/^\/api\/v(\d+)\/(.*)$/).to('http://api:3000/v$1/$3')] }),
      'TSXP_REGEX_GROUP',
    );
    expect(issue.message).toContain('uses $3 but');
    expect(issue.message).toContain('has 2 groups');
  });

  test('a %-escape in a target path is a warning: Apache encodes the path again', () => {
    const { config, issues } = compileWithIssues(
      defineConfig({ routes: [route('/t/').to('http://b:1/t%20p/')] }),
    );
    expect(config).toBeDefined();
    expect(issues).toMatchObject([
      { severity: 'warning', code: 'TSXP_ENCODED_TARGET', path: 'routes[0].target' },
    ]);
    expect(issues[0]!.message).toContain("'%2520'");
  });

  test('a route fully shadowed by an earlier route is a warning, not an error', () => {
    const { config, issues } = compileWithIssues(
      defineConfig({
        routes: [
          route('/images').to('http://a:1/'),
          route('/images/thumbs/').to('http://b:1/'),
          route('/imagesx').to('http://c:1/'),
        ],
      }),
    );
    expect(config).toBeDefined();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'warning', code: 'TSXP_SHADOWED_ROUTE', path: 'routes[1]' });
    expect(issues[0]!.hint).toContain('move routes[1] above routes[0]');
  });

  test('a host-narrowed earlier route does not shadow a route for every host', () => {
    const spec = defineConfig({
      routes: [route('/', { host: 'a.example' }).to('http://a:1/'), route('/x/').to('http://b:1/')],
    });
    expect(issuesOf(spec)).toEqual([]);
  });

  test('deny() and manager() given targets', () => {
    const spec = defineConfig({
      routes: [loose(route('/d/')).deny('http://x:1/'), route('/m/').manager(loose('http://x:1/'))],
    });
    const found = issuesOf(spec).filter((i) => i.code === 'TSXP_ACTION_ARGS');
    expect(found.map((i) => i.path)).toEqual(['routes[0]', 'routes[1]']);
    expect(found[0]!.message).toContain('deny() takes no target');
  });

  test('a route without an action', () => {
    const issue = only(defineConfig({ routes: [route('/x/')] }), 'TSXP_BAD_ROUTE');
    expect(issue.hint).toBe('end it with .to(target), .deny() or .manager()');
  });

  test('misspelt option names in a JavaScript config get a suggestion', () => {
    const b = balancer('b').member('http://127.0.0.1:1', loose({ loadfator: 2 }));
    const issue = only(defineConfig({ routes: [route('/').to(b)] }), 'TSXP_UNKNOWN_OPTION');
    expect(issue.path).toBe('balancers.b.members[0].loadfator');
    expect(issue.hint).toBe("did you mean 'loadfactor'?");
  });

  test('bad durations, status strings, sticky names and failonstatus codes', () => {
    const b = balancer('b')
      .member('http://127.0.0.1:1', loose({ timeout: '5 sec', status: '+Q' }))
      .set(loose({ stickysession: 'A|B|C', failonstatus: [99, 502] }));
    const codes = issuesOf(defineConfig({ routes: [route('/').to(b)] })).map((i) => i.code);
    expect(codes.sort()).toEqual([
      'TSXP_BAD_DURATION',
      'TSXP_BAD_FAILONSTATUS',
      'TSXP_BAD_STATUS',
      'TSXP_BAD_STICKY',
    ]);
  });

  test('connection parameters on a balancer target belong on its members', () => {
    const b = balancer('b').member('http://127.0.0.1:1');
    const issue = only(defineConfig({ routes: [route('/').to(b, { max: 5 })] }), 'TSXP_PARAM_NOT_HERE');
    expect(issue.hint).toContain('.member(url, { max: ... })');
  });

  test('manager allow entries must be addresses or CIDR blocks', () => {
    const issue = only(
      defineConfig({ routes: [route('/m').manager({ allow: ['10.0.0.0/8', 'localhost'] })] }),
      'TSXP_BAD_ALLOW',
    );
    expect(issue.message).toContain('"localhost"');
  });

  test('five different mistakes are all reported, and compile() throws a ConfigError listing them', () => {
    const bad = balancer('bad').member('http://127.0.0.1:1', { loadfactor: 0 }).member('gopher://x');
    const spec = defineConfig({
      routes: [
        route('/a/').to(bad),
        route('/b/').to(balancer('none')),
        route(/^\/(x)$/).to('http://h:1/$2'),
        loose(route('/c/')).deny('http://x:1/'),
      ],
    });
    let error: unknown;
    try {
      compile(spec, { file: 'proxy.config.ts' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const codes = (error as ConfigError).issues.map((i) => i.code);
    expect(codes).toEqual([
      'TSXP_LOADFACTOR_RANGE',
      'TSXP_UNSUPPORTED_SCHEME',
      'TSXP_EMPTY_BALANCER',
      'TSXP_REGEX_GROUP',
      'TSXP_ACTION_ARGS',
    ]);
    expect((error as Error).message).toMatch(/^proxy\.config\.ts: 5 config errors/);
  });
});

describe('compile() fills Apache defaults and normalises', () => {
  test('member defaults and maxattempts = members − 1', () => {
    const b = balancer('b')
      .member('HTTP://Example.COM:80/app')
      .member('http://127.0.0.1:2', { status: '+H+I', timeout: '500ms' });
    const c = compile(defineConfig({ timeout: 30, routes: [route('/').to(b)] }));
    const bal = c.balancers.get('b')!;
    expect(bal).toMatchObject({
      lbmethod: 'byrequests',
      maxattempts: 1,
      forcerecovery: true,
      nofailover: false,
      stickysessionsep: '.',
      timeoutMs: 0,
    });
    const [m0, m1] = bal.members;
    expect(m0!.url.href).toBe('http://example.com/app');
    expect(m0!.url.origin).toBe('http://example.com:80');
    expect(m0).toMatchObject({
      lbfactor: 100,
      lbset: 0,
      retryMs: 60_000,
      timeoutMs: 30_000,
      connectTimeoutMs: 30_000,
    });
    expect([...m1!.status].sort()).toEqual(['H', 'I']);
    expect(m1!.timeoutMs).toBe(500);
  });

  test('one member: maxattempts 0, as Apache leaves it unset', () => {
    const c = compile(defineConfig({ routes: [route('/').to(balancer('one').member('http://h:1'))] }));
    expect(c.balancers.get('one')!.maxattempts).toBe(0);
  });

  test('sticky session names split on |', () => {
    const b = balancer('b')
      .member('http://h:1')
      .set({ stickysession: 'JSESSIONID|jsessionid', stickysessionsep: false });
    const bal = compile(defineConfig({ routes: [route('/').to(b)] })).balancers.get('b')!;
    expect(bal.sticky).toEqual({ cookie: 'JSESSIONID', param: 'jsessionid' });
    expect(bal.stickysessionsep).toBeUndefined();
  });

  test('plain URL targets get an implicit member with Apache’s ignore-errors flag', () => {
    const c = compile(defineConfig({ routes: [route('/').to('http://[::1]:4000/', { max: 3 })] }));
    const r = c.routes[0]!;
    expect(r.kind).toBe('proxy');
    if (r.kind !== 'proxy' || r.target.type !== 'url') throw new Error('expected a url target');
    expect(r.target.url).toMatchObject({ hostname: '::1', port: 4000, hostHeader: '[::1]:4000', path: '/' });
    expect([...r.target.member.status]).toEqual(['I']);
    expect(r.target.member.max).toBe(3);
    expect(r.reverse).toBe('/');
  });

  test('the compiled config is frozen', () => {
    const c = compile(defineConfig({ routes: [route('/').to('http://h:1/')] }));
    expect(Object.isFrozen(c)).toBe(true);
  });
});
