import { describeDifferential } from './support/harness.js';
import { behave, down, requests, type Scenario, up, wait } from './support/scenario.js';

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'error-state-holds',
    source: 'apache-semantics §10.19: a refused connect fails over to B, A stays in error for retry (60 s)',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B')),
    steps: [down('A'), ...requests(4), up('A'), ...requests(2)],
    expected: 'B B B B B B',
  },
  {
    name: 'error-state-retry',
    source: 'apache-semantics §10.19, §2.3: after retry seconds A is tried again and takes its share',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A'), { retry: 1 }).member(url('B')),
    steps: [down('A'), ...requests(1), up('A'), wait(1_500), ...requests(4)],
    expected: 'B B A B A',
  },
  {
    name: 'all-down-forcerecovery',
    source: 'apache-semantics §10.20: all members down ⇒ 503; forcerecovery tries them again at once',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B')),
    steps: [down('A'), down('B'), ...requests(2), up('B'), ...requests(2)],
    expected: '-:503 -:503 B B',
  },
  {
    name: 'all-down-no-forcerecovery',
    source: 'apache-semantics §10.20: forcerecovery=Off ⇒ members stay in error for retry (60 s)',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B')).set({ forcerecovery: false }),
    steps: [down('A'), down('B'), ...requests(2), up('B'), ...requests(2)],
    expected: '-:503 -:503 -:503 -:503',
  },
  {
    name: 'single-member-down',
    source: 'apache-semantics §10.21: a lone member is retried on every request (forcerecovery)',
    backends: ['A'],
    build: (b, url) => b.member(url('A')),
    steps: [down('A'), ...requests(2), up('A'), ...requests(2)],
    expected: '-:503 -:503 A A',
  },
  {
    name: 'ignore-errors-down',
    source: 'apache-semantics §10.22: +I member down ⇒ 503 for requests it gets, no failover, no error state',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A'), { status: '+I' }).member(url('B')),
    steps: [down('A'), ...requests(4), up('A'), ...requests(2)],
    expected: '-:503 B -:503 B A B',
  },
  {
    name: 'failonstatus',
    source: 'apache-semantics §10.23: failonstatus=500 ⇒ the client gets the 500, A goes into error',
    backends: ['A', 'B'],
    build: (b, url) =>
      b
        .member(url('A'))
        .member(url('B'))
        .set({ failonstatus: [500] }),
    steps: [behave('A', { status: 500 }), ...requests(4)],
    expected: 'A:500 B B B',
  },
  {
    name: 'backend-500-without-failonstatus',
    source: "apache-semantics §2.1: a backend's own 500 is an answer: no failover, no error state",
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B')),
    steps: [behave('A', { status: 500 }), ...requests(4)],
    expected: 'A:500 B A:500 B',
  },
  {
    name: 'backend-503-failonstatus',
    source: "apache-semantics §2.1, §2.3: a backend's own 503 is not retried; failonstatus=503 marks A",
    backends: ['A', 'B'],
    build: (b, url) =>
      b
        .member(url('A'))
        .member(url('B'))
        .set({ failonstatus: [503] }),
    steps: [behave('A', { status: 503 }), ...requests(3)],
    expected: 'A:503 B B',
  },
  {
    name: 'maxattempts-default',
    source: 'apache-semantics §2.2: maxattempts defaults to members − 1, so both dead members are passed',
    backends: ['A', 'B', 'C'],
    build: (b, url) => b.member(url('A')).member(url('B')).member(url('C')),
    steps: [down('A'), down('B'), ...requests(3)],
    expected: 'C C C',
  },
  {
    name: 'maxattempts-1',
    source: 'apache-semantics §2.1: maxattempts=1 ⇒ two tries, then 503',
    backends: ['A', 'B', 'C'],
    build: (b, url) => b.member(url('A')).member(url('B')).member(url('C')).set({ maxattempts: 1 }),
    steps: [down('A'), down('B'), ...requests(3)],
    expected: '-:503 C C',
  },
  {
    name: 'maxattempts-0',
    source: 'apache-semantics §2.1: maxattempts=0 ⇒ no failover',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A')).member(url('B')).set({ maxattempts: 0 }),
    steps: [down('A'), ...requests(3)],
    expected: '-:503 B B',
  },
  {
    name: 'read-timeout',
    source: 'apache-semantics §10.24: backend never answers, timeout=1 ⇒ 502 in Apache, no error state',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A'), { timeout: 1 }).member(url('B')),
    steps: [behave('A', { hang: true }), ...requests(3)],
    expected: 'A:502 B A:502',
  },
  {
    name: 'failontimeout',
    source: 'apache-semantics §10.24: failontimeout=On ⇒ the timed-out member goes into error',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A'), { timeout: 1 }).member(url('B')).set({ failontimeout: true }),
    steps: [behave('A', { hang: true }), ...requests(3)],
    expected: 'A:502 B B',
  },
];

describeDifferential('failover, error state and recovery behave like Apache httpd', SCENARIOS);
