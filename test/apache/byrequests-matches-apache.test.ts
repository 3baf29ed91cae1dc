import { describeDifferential } from './support/harness.js';
import { cycle, requests, type Scenario } from './support/scenario.js';

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'lf-1-3',
    source: 'apache-semantics §10.1 (24 picks)',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B'), { loadfactor: 3 }),
    steps: requests(24),
    expected: cycle('B A B B', 6),
  },
  {
    name: 'lf-3-1',
    source: 'apache-semantics §10.2: B listed first',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('B'), { loadfactor: 3 }).member(url('A')),
    steps: requests(24),
    expected: cycle('B B A B', 6),
  },
  {
    name: 'lf-1-1-2',
    source: 'issue 4: loadfactors 1:1:2 (24 picks); §1.3 arithmetic',
    backends: ['A', 'B', 'C'],
    build: (b, url) => b.member(url('A')).member(url('B')).member(url('C'), { loadfactor: 2 }),
    steps: requests(24),
    expected: cycle('C A B C', 6),
  },
  {
    name: 'lf-1-2-3',
    source: 'apache-semantics §10.3',
    backends: ['A', 'B', 'C'],
    build: (b, url) =>
      b.member(url('A')).member(url('B'), { loadfactor: 2 }).member(url('C'), { loadfactor: 3 }),
    steps: requests(12),
    expected: cycle('C B A C B C', 2),
  },
  {
    name: 'lf-2_3-1',
    source: 'apache-semantics §10.4: loadfactor 2.3 is lbfactor 229',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A'), { loadfactor: 2.3 }).member(url('B')),
    steps: requests(10),
    expected: 'A B A A B A A A B A',
  },
  {
    name: 'middle-disabled',
    source: 'apache-semantics §10.6: three equal members, the middle one +D',
    backends: ['a', 'b', 'c'],
    build: (b, url) => b.member(url('a')).member(url('b'), { status: '+D' }).member(url('c')),
    steps: requests(6),
    expected: cycle('a c', 3),
  },
  {
    name: 'middle-stopped',
    source: 'apache-semantics §4.3: +S blocks use like +D',
    backends: ['a', 'b', 'c'],
    build: (b, url) => b.member(url('a')).member(url('b'), { status: '+S' }).member(url('c')),
    steps: requests(6),
    expected: cycle('a c', 3),
  },
  {
    name: 'bybusyness-sequential',
    source: 'apache-semantics §10.8: sequential bybusyness is byrequests',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B'), { loadfactor: 3 }).lbmethod('bybusyness'),
    steps: requests(12),
    expected: cycle('B A B B', 3),
  },
];

describeDifferential('byrequests (and sequential bybusyness) pick like Apache httpd', SCENARIOS);
