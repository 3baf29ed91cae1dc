/**
 * The router against what Apache httpd 2.4.71 (Debian) did with the same ProxyPass /
 * ProxyPassMatch rules: each row is a request sent to Apache on loopback with a backend echoing
 * the request line it received. Expected values read `'<route index> <upstream path+query>'`,
 * `'deny <i>'`, `'none'` (not proxied) or `'<status> <code>'`.
 */
import { balancer, route } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { decideLine, routerOf } from './router-helpers.js';

const b1 = 'http://b1.test';
const b2 = 'http://b2.test';

const c = balancer('c').member(`${b2}/m`);

const table = {
  // ProxyPass /foo http://b1
  segments: routerOf([route('/foo').to(b1)]),
  // ProxyPass /app/ http://b1/ ; ProxyPass /app2 http://b1/
  slashes: routerOf([
    route('/app/').to(`${b1}/`),
    route('/app2').to(`${b1}/`),
    route('/dbl//x').to(`${b1}/D`),
  ]),
  // ProxyPass /enc http://b1/e
  enc: routerOf([route('/enc').to(`${b1}/e`)]),
  // ProxyPass /images/ http://b1/img/ ; ProxyPass / http://b2/
  images: routerOf([route('/images/').to(`${b1}/img/`), route('/').to(`${b2}/`)]),
  // ProxyPass /a/static ! ; ProxyPass /a http://b1/A ; ProxyPass /a/b http://b2/
  order: routerOf([route('/a/static').deny(), route('/a').to(`${b1}/A`), route('/a/b').to(`${b2}/`)]),
  // ProxyPass /tpath http://b1/t%20p/ ; ProxyPass /a%20b/ http://b1/enc/ ; ProxyPass /Case http://b1/case
  literal: routerOf([
    route('/tpath').to(`${b1}/t%20p/`),
    route('/a%20b/').to(`${b1}/enc/`),
    route('/Case').to(`${b1}/case`),
  ]),
  regex: routerOf([
    route(/^\/re\/(.*\.gif)$/).to(`${b1}/gif/$1`), // ProxyPassMatch ^/re/(.*\.gif)$ http://b1/gif/$1
    route(/\.png$/).to(b1), // ProxyPassMatch \.png$ http://b1
    route(/^\/r2\/([^/]*)\/?(.*)$/).to(`${b1}/$2/$1/x\\$1`),
    route(/^\/r3\/(.*)$/).to(`${b1}/$1`, { nocanon: true }),
    route(/^\/r5\/(a|(b))$/).to(`${b1}/x$2y`),
    route(/^\/r6\/(.*)$/).to(`${b1}/p\\$1`),
    route(/^\/r7\/(.*)$/).to(`${b1}/p\\q`),
    route('/nc').to(`${b1}/nc`, { nocanon: true }), // ProxyPass /nc http://b1/nc nocanon
    route('/').to(`${b2}/root/`),
  ]),
  // <Proxy balancer://c> BalancerMember http://b2/m ; ProxyPass /bal balancer://c/y ; ...
  balancers: routerOf([
    route('/bal').to(c, { path: '/y' }),
    route('/bd').to(balancer('d').member(`${b2}/`)),
    route('/bf').to(balancer('e').member(b2), { path: '/' }),
  ]),
  more: routerOf([
    route(/^\/r8\/([^%]*)$/).to(`${b1}/$1`, { nocanon: true }),
    route(/^\/r9\/.*$/).to(`${b1}/zero$0`),
    route(/^\/ra\/(.*)$/).to(`${b1}/t%20/$1`),
    route(/^\/rb\/(.*)$/).to(c, { path: '/b/$1' }),
    route('/bn').to(c, { path: '/n', nocanon: true }),
    route('/q').to(`${b1}/q`),
  ]),
};

const rows: [keyof typeof table, string, string][] = [
  // Segment-aware prefix: /foo matches /foo, /foo/, /foo/x, never /foobar.
  ['segments', '/foo', '0 /'],
  ['segments', '/foo/', '0 /'],
  ['segments', '/foo/x', '0 /x'],
  ['segments', '/foobar', 'none'],
  ['segments', '/foo?x=1', '0 /?x=1'],
  ['segments', '/foo?', '0 /?'],
  // Trailing-slash mismatches: /app/ does not match /app; the remainder is appended verbatim.
  ['slashes', '/app', 'none'],
  ['slashes', '/app/', '0 /'],
  ['slashes', '/app/x', '0 /x'],
  ['slashes', '/app2/x', '1 //x'],
  ['slashes', '/app2', '1 /'],
  // A run of slashes in the pattern matches a run in the path; request slash runs merge.
  ['slashes', '/dbl/x/y', '2 /D/y'],
  ['slashes', '/dbl//x/y', '2 /D/y'],
  ['segments', '//foo/x', '0 /x'],
  ['segments', '/foo//x', '0 /x'],
  // Dot segments are resolved before matching.
  ['segments', '/foo/./x', '0 /x'],
  ['segments', '/foo/.', '0 /'],
  ['segments', '/foo/x/..', '0 /'],
  ['segments', '/foo/..', 'none'],
  ['segments', '/foo/..x', '0 /..x'],
  ['segments', '/foo/...', '0 /...'],
  ['segments', '/foo/.well-known/x', '0 /.well-known/x'],
  ['enc', '/enc/x/../y', '0 /e/y'],
  ['enc', '/enc/../../x', '400 TSXP_BAD_PATH'],
  ['enc', '/../x', '400 TSXP_BAD_PATH'],
  ['enc', '/%2E%2E/x', '400 TSXP_BAD_PATH'],
  ['images', '/images/../admin', '1 /admin'],
  ['images', '/images/%2e%2e/secret', '1 /secret'],
  ['images', '/images/%2E%2e/secret', '1 /secret'],
  ['images', '/images/.%2e/secret', '1 /secret'],
  ['images', '/images/%2e./secret', '1 /secret'],
  ['images', '/images/%2e/x', '0 /img/x'],
  ['images', '/x/%2e%2e', '1 /'],
  ['images', '/x/%2e%2e%2e/y', '1 /x/.../y'],
  ['images', '/x/%252e%252e/y', '1 /x/%252e%252e/y'],
  ['images', '/x/%2e%2e%2fz', '404 TSXP_ENCODED_SLASH'],
  // Percent-encoding: decoded for matching, re-encoded as Apache's enc_path does.
  ['enc', '/enc/a%20b?q=%20x&y', '0 /e/a%20b?q=%20x&y'],
  ['enc', '/enc/%7euser', '0 /e/~user'],
  ['enc', '/enc/a%2Cb', '0 /e/a,b'],
  ['enc', '/enc/a%3Fb', '0 /e/a%3Fb'],
  ['enc', '/enc/a%23b', '0 /e/a%23b'],
  ['enc', '/enc/a%25b', '0 /e/a%25b'],
  ['enc', '/enc/%2541', '0 /e/%2541'],
  ['enc', '/enc/%41%42', '0 /e/AB'],
  ['enc', '/enc/%C3%A9', '0 /e/%C3%A9'],
  ['enc', '/enc/%e9%FF', '0 /e/%E9%FF'],
  ['enc', '/enc/a"b', '0 /e/a%22b'],
  ['enc', '/enc/{x}|^`', '0 /e/%7Bx%7D%7C%5E%60'],
  ['enc', '/enc/a[b]', '0 /e/a%5Bb%5D'],
  ['enc', "/enc/a+b$!*'();:@&=", "0 /e/a+b$!*'();:@&="],
  ['enc', '/enc/a%2bb%24%3b%40', '0 /e/a+b$;@'],
  // Refused paths: encoded slash and NUL 404, bad escapes 400 (even in a removed segment).
  ['enc', '/enc/a%2Fb', '404 TSXP_ENCODED_SLASH'],
  ['enc', '/enc/a%2fb', '404 TSXP_ENCODED_SLASH'],
  ['enc', '/enc/a%2Fb/../c', '0 /e/c'],
  ['enc', '/enc/a%00b', '404 TSXP_NUL_IN_PATH'],
  ['enc', '/enc/%zz', '400 TSXP_BAD_PATH'],
  ['enc', '/enc/a%2', '400 TSXP_BAD_PATH'],
  ['enc', '/enc/a%', '400 TSXP_BAD_PATH'],
  ['enc', '/enc/a%zzb/../c', '400 TSXP_BAD_PATH'],
  ['enc', '/enc/x#frag', '400 TSXP_BAD_PATH'],
  ['segments', '/foo?a%20b#frag', '400 TSXP_BAD_PATH'],
  ['segments', 'GET *', '400 TSXP_BAD_TARGET'],
  ['segments', 'OPTIONS *', 'none'],
  ['segments', 'foo', '400 TSXP_BAD_TARGET'],
  // The target path is canonicalised too (a '%' in it is encoded again), and the prefix is
  // compared, case-sensitively, with the decoded path.
  ['literal', '/tpath/x', '0 /t%2520p//x'],
  ['literal', '/a%2520b/x', '1 /enc/x'],
  ['literal', '/a%20b/x', 'none'],
  ['literal', '/case/x', 'none'],
  ['literal', '/Case/x', '2 /case/x'],
  ['literal', '/Case%3F', 'none'],
  ['literal', '/Case/%3f?%3f', '2 /case/%3F?%3f'],
  // First match wins; a deny stops the search, so it must precede the broader route.
  ['order', '/a/static/x', 'deny 0'],
  ['order', '/a/b/c', '1 /A/b/c'],
  ['order', '/a', '1 /A'],
  // ProxyPassMatch: $n from the decoded path, '\x' escapes, whole path appended without $n.
  ['regex', '/re/x/y.gif', '0 /gif/x/y.gif'],
  ['regex', '/re/x%20y.gif?q=1', '0 /gif/x%20y.gif?q=1'],
  ['regex', '/x/y.png?a=b', '1 /x/y.png?a=b'],
  ['regex', '/x/a%20b.png', '1 /x/a%20b.png'],
  ['regex', '/r2/one/two/three', '2 /two/three/one/x$1'],
  ['regex', '/r2/one', '2 //one/x$1'],
  ['regex', '/r5/a', '4 /xy'],
  ['regex', '/r5/b', '4 /xby'],
  ['regex', '/r6/z', '5 /p$1'],
  ['regex', '/r7/z', '6 /pq'],
  ['regex', '/r4/a/b', '8 /root/r4/a/b'],
  // nocanon: the raw target goes upstream, unless the raw and decoded matches differ.
  ['regex', '/r3/a%20b/%2e%2e/c?q=%41', '3 /a%20b/%2e%2e/c?q=%41'],
  ['regex', '/r3/a%2Fb', '404 TSXP_ENCODED_SLASH'],
  ['regex', '/r3//a/./b', '3 //a/./b'],
  ['regex', '/nc/a%20b?x=%41', '7 /nc/a%20b?x=%41'],
  ['regex', '/nc/a%7eb', '7 /nc/a%7eb'],
  ['regex', '/nc//a/./b', '7 /nc//a/./b'],
  ['regex', '/nc/a/../b', '7 /nc/a/../b'],
  ['regex', '/nc/a"b', '7 /nc/a"b'],
  ['regex', '/nc?x', '7 /nc?x'],
  ['regex', '/n%63/x', '7 /nc/x'],
  // Balancer targets: balancer path + remainder (the member's own path goes in front later).
  ['balancers', '/bal', '0 /y'],
  ['balancers', '/bal/z?q', '0 /y/z?q'],
  ['balancers', '/bd/z', '1 /z'],
  ['balancers', '/bf/z', '2 //z'],
  // nocanon falls back to the decoded path when the raw target does not match the regex.
  ['more', '/r8/a%20b', '0 /a%20b'],
  ['more', '/r8/ab?x=%20', '0 /ab?x=%20'],
  ['more', '/r9/x%20y?k', '1 /zero/r9/x%20y?k'],
  ['more', '/ra/%7e%20', '2 /t%2520/~%20'],
  ['more', '/rb/x%2Cy?z', '3 /b/x,y?z'],
  ['more', '/bn/a%20b/../c?x', '4 /n/a%20b/../c?x'],
  ['more', '/q/a%2e%2e', '5 /q/a..'],
  ['more', '/q/%2E', '5 /q/'],
  ['more', '/q/.%2E', 'none'],
  ['more', '/q/x/..%2F', '404 TSXP_ENCODED_SLASH'],
  ['more', '/q/;x=1/../y', '5 /q/y'],
  ['more', '/q/a/./b/../../c', '5 /q/c'],
];

describe('router semantics, as observed on Apache httpd 2.4.71', () => {
  it.each(rows)('%s: %s => %s', (set, line, expected) => {
    expect(decideLine(table[set], line)).toBe(expected);
  });

  it('holds at least 40 cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });
});

describe('where tsx-proxy deliberately differs from Apache', () => {
  it('sends /x for a prefix ending in / and a target without a path (Apache glues x onto the host name)', () => {
    expect(decideLine(routerOf([route('/app3/').to(b1)]), '/app3/x')).toBe('0 /x');
  });

  it('refuses an absolute-form target (Apache would act as a forward proxy)', () => {
    expect(decideLine(table.segments, 'http://b1.test/foo')).toBe('400 TSXP_BAD_TARGET');
  });

  it('refuses with 403 a query holding a space or control char on a proxied route only', () => {
    // Apache's request-line parser (like Node's) refuses these first; the 403 is its canon step.
    expect(decideLine(table.segments, 'GET /foo?a b')).toBe('403 TSXP_BAD_QUERY');
    expect(decideLine(table.segments, 'GET /bar?a\u0001b')).toBe('none');
  });

  it('takes raw non-ASCII chars (which Node refuses) as UTF-8 text', () => {
    expect(decideLine(table.enc, '/enc/café')).toBe('0 /e/caf%C3%A9');
  });
});
