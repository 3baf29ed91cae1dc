import { expect } from 'vitest';
import type { Outcome } from './support/driver.js';
import { describeDifferential } from './support/harness.js';
import { behave, cycle, request, requests, type Scenario } from './support/scenario.js';

/**
 * bytraffic scores count the request line and headers each proxy sends, which differ a little
 * between Apache and tsx-proxy. Every sequence below was chosen so that it is the same for any
 * request head from 150 to 600 bytes (worked out with the arithmetic of apache-semantics §1.4);
 * the test checks that both proxies stay in that range, so a difference in picks is a real one.
 */
const HEAD_BYTES = { min: 150, max: 600 };

const SIZES = [
  8000, 1000, 3000, 20000, 2000, 6000, 1000, 12000, 4000, 1000, 9000, 2000, 5000, 15000, 3000, 7000,
];

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'bytraffic-lf-1-3',
    source: 'apache-semantics §10.7 (with 10 kB responses): B takes three for each of A',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B'), { loadfactor: 3 }).lbmethod('bytraffic'),
    steps: requests(16, { responseSize: 10_000 }),
    expected: cycle('A B B B', 4),
  },
  {
    name: 'bytraffic-member-sizes',
    source: 'apache-semantics §1.4: A answers 20 kB, B 50 kB ⇒ A gets about 5 requests for 2 of B',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B')).lbmethod('bytraffic'),
    steps: [behave('A', { size: 20_000 }), behave('B', { size: 50_000 }), ...requests(16)],
    expected: 'A B A A B A A B A A A B A A B A',
  },
  {
    name: 'bytraffic-response-sizes',
    source: 'apache-semantics §1.4: response bodies of different sizes, loadfactors 1:3',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B'), { loadfactor: 3 }).lbmethod('bytraffic'),
    steps: SIZES.map((responseSize) => request({ responseSize })),
    expected: 'A B B B A B B A B B B B B B A B',
  },
  {
    name: 'bytraffic-request-bodies',
    source: 'apache-semantics §1.4: request bodies count as transferred bytes',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B')).lbmethod('bytraffic'),
    steps: SIZES.map((bodySize) => request({ bodySize })),
    expected: 'A B B B A A A A B B A B B B A A',
  },
];

function headBytes(outcomes: readonly Outcome[]): number[] {
  return outcomes.flatMap((o) => o.hits.map((h) => h.headBytes));
}

describeDifferential('bytraffic picks like Apache httpd', SCENARIOS, (_, outcomes) => {
  for (const n of headBytes(outcomes)) {
    expect(n).toBeGreaterThanOrEqual(HEAD_BYTES.min);
    expect(n).toBeLessThanOrEqual(HEAD_BYTES.max);
  }
});
