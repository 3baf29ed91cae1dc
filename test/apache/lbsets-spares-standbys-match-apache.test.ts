import { describeDifferential } from './support/harness.js';
import { cycle, down, requests, type Scenario, up } from './support/scenario.js';

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'spare-for-disabled',
    source: 'apache-semantics §10.9: A +D, spares S1 S2 ⇒ S1 replaces A one for one, S2 never used',
    backends: ['A', 'B', 'S1', 'S2'],
    build: (b, url) =>
      b
        .member(url('A'), { status: '+D' })
        .member(url('B'))
        .member(url('S1'), { status: '+R' })
        .member(url('S2'), { status: '+R' }),
    steps: requests(8),
    expected: cycle('B S1', 4),
  },
  {
    name: 'spares-for-two-disabled',
    source: 'apache-semantics §10.9: A and B +D ⇒ both spares used',
    backends: ['A', 'B', 'S1', 'S2'],
    build: (b, url) =>
      b
        .member(url('A'), { status: '+D' })
        .member(url('B'), { status: '+D' })
        .member(url('S1'), { status: '+R' })
        .member(url('S2'), { status: '+R' }),
    steps: requests(8),
    expected: cycle('S1 S2', 4),
  },
  {
    name: 'spare-for-down',
    source: 'issue 4: a hot spare replacing a down member (A refuses connections: error state, failover)',
    backends: ['A', 'B', 'S1', 'S2'],
    build: (b, url) =>
      b
        .member(url('A'))
        .member(url('B'))
        .member(url('S1'), { status: '+R' })
        .member(url('S2'), { status: '+R' }),
    steps: [...requests(2), down('A'), ...requests(6)],
    expected: `A B ${cycle('B S1', 3)}`,
  },
  {
    name: 'standby-unused',
    source: 'apache-semantics §10.10: a usable member ⇒ the hot standby is never used',
    backends: ['A', 'H'],
    build: (b, url) => b.member(url('A')).member(url('H'), { status: '+H' }),
    steps: requests(4),
    expected: cycle('A', 4),
  },
  {
    name: 'standby-for-disabled',
    source: 'apache-semantics §10.10: A +D ⇒ all to the hot standby',
    backends: ['A', 'H'],
    build: (b, url) => b.member(url('A'), { status: '+D' }).member(url('H'), { status: '+H' }),
    steps: requests(4),
    expected: cycle('H', 4),
  },
  {
    name: 'standby-for-down',
    source: 'issue 4: a hot standby takes over when the only member goes down (retry 60 s keeps it out)',
    backends: ['A', 'H'],
    build: (b, url) => b.member(url('A')).member(url('H'), { status: '+H' }),
    steps: [...requests(2), down('A'), ...requests(3), up('A'), ...requests(2)],
    expected: 'A A H H H H H',
  },
  {
    name: 'lbset-tiers',
    source: 'apache-semantics §10.11: lbset 1 is not used while lbset 0 has a usable member',
    backends: ['A', 'B', 'C'],
    build: (b, url) => b.member(url('C'), { lbset: 1 }).member(url('A')).member(url('B')),
    steps: [...requests(4), down('A'), ...requests(3), down('B'), ...requests(3)],
    expected: 'A B A B B B B C C C',
  },
  {
    name: 'lbset-disabled',
    source: 'apache-semantics §10.11: A (lbset 0) +D ⇒ all B (lbset 1)',
    backends: ['A', 'B'],
    build: (b, url) => b.member(url('A'), { status: '+D' }).member(url('B'), { lbset: 1 }),
    steps: requests(4),
    expected: cycle('B', 4),
  },
  {
    name: 'lbset-standby-first',
    source: 'apache-semantics §10.11: a standby of lbset 0 is used before lbset 1',
    backends: ['A', 'H', 'B'],
    build: (b, url) =>
      b.member(url('A'), { status: '+D' }).member(url('H'), { status: '+H' }).member(url('B'), { lbset: 1 }),
    steps: requests(4),
    expected: cycle('H', 4),
  },
];

describeDifferential('lbsets, hot spares and hot standbys behave like Apache httpd', SCENARIOS);
