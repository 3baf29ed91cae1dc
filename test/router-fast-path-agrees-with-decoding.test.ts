/**
 * The router matches most requests on the raw string (no `%`, no dot segment, no `//`) and
 * decodes the others as Apache does. Spelling the same path differently (escaped unreserved
 * chars, `/./`, doubled slashes, `x/..`) must never change the decision.
 */
import { balancer, route } from 'tsx-proxy';
import { describe, expect, it } from 'vitest';
import { decideLine, routerOf } from './router-helpers.js';

const router = routerOf([
  route('/api/v1/').to('http://api.test/v1/'),
  route('/api').to('http://api.test/legacy'),
  route('/static/', { methods: ['GET'] }).to(
    balancer('s').member('http://s1.test/app').member('http://s2.test'),
  ),
  route(/^\/u\/([a-z0-9]+)\/(.*)$/).to('http://users.test/$2/user/$1'),
  route(/\.png$/).to('http://img.test'),
  route('/a-b_c.d~e').deny(),
  route('/').to('http://root.test/'),
]);

/** Deterministic PRNG (mulberry32), so a failure is reproducible. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'api',
  'v1',
  'static',
  'u',
  'bob',
  'x.png',
  'a-b_c.d~e',
  'img',
  '..x',
  'a.b',
  '~t',
  "it's",
  'q=1;p',
];

function randomPath(next: () => number): string {
  const n = 1 + Math.floor(next() * 4);
  let p = '';
  for (let i = 0; i < n; i++) p += `/${WORDS[Math.floor(next() * WORDS.length)]}`;
  if (next() < 0.3) p += '/';
  if (next() < 0.3) p += `?k=${Math.floor(next() * 100)}&z`;
  return p;
}

function escapeUnreserved(path: string, next: () => number): string {
  const q = path.indexOf('?');
  const end = q < 0 ? path.length : q;
  let out = '';
  for (let i = 0; i < end; i++) {
    const c = path[i]!;
    out +=
      /[A-Za-z0-9._~-]/.test(c) && next() < 0.4
        ? `%${c.charCodeAt(0).toString(16)[next() < 0.5 ? 'toUpperCase' : 'toLowerCase']()}`
        : c;
  }
  return out + path.slice(end);
}

function detour(path: string, next: () => number): string {
  const q = path.indexOf('?');
  const end = q < 0 ? path.length : q;
  const pick = next();
  const extra = pick < 0.33 ? '/.' : pick < 0.66 ? '/zz/..' : '/';
  const cut = path.lastIndexOf('/', end - 1);
  return path.slice(0, cut) + extra + path.slice(cut);
}

describe('fast path and decoding path agree', () => {
  const next = rng(20241018);
  const samples = Array.from({ length: 400 }, () => randomPath(next));

  it.each(samples.slice(0, 8))('sample %s is routed', (path) => {
    expect(decideLine(router, path)).not.toMatch(/^\d{3} /);
  });

  it('gives the same decision for 400 random paths spelled three other ways', () => {
    for (const path of samples) {
      const expected = decideLine(router, path);
      for (const variant of [escapeUnreserved(path, next), detour(path, next), `/${path}`]) {
        expect({ variant, decision: decideLine(router, variant) }).toEqual({ variant, decision: expected });
      }
    }
  });
});
