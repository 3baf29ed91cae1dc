/**
 * The balancers of the shipped examples, loaded through the real loader, and how they spread
 * requests, computed by `simulate` (the engine the proxy runs) and checked against Apache's rules.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import type { ScenarioEvent } from '../src/testing/simulate.js';
import { simulate } from '../src/testing/simulate.js';

const load = async (example: string) =>
  (await loadConfig(fileURLToPath(new URL(`../examples/${example}/proxy.config.ts`, import.meta.url))))
    .config;

const host = (name: string) => `http://${name}.example.com:8080`;
const disabled = (...names: string[]): ScenarioEvent[] =>
  names.map((n) => ({ member: host(n), status: '+D' }));

describe('examples/failover: the Apache guide’s myset', async () => {
  const config = await load('failover');

  test('www3 (loadfactor 3) takes three requests for each one of www2', () => {
    expect(simulate(config, 'myset', 8).picks).toEqual(
      ['www3', 'www2', 'www3', 'www3', 'www3', 'www2', 'www3', 'www3'].map(host),
    );
  });

  test('a hot spare replaces the one unusable member; the other spare stays idle', () => {
    const { picks } = simulate(config, 'myset', 8, { events: disabled('www2') });
    // www3 is evaluated before the spare, so ties go to it: Apache's "B listed first" pattern.
    expect(picks).toEqual(['www3', 'www3', 'spare1', 'www3', 'www3', 'www3', 'spare1', 'www3'].map(host));
  });

  test('both members unusable: both spares, in turn', () => {
    expect(simulate(config, 'myset', 4, { events: disabled('www2', 'www3') }).picks).toEqual(
      ['spare1', 'spare2', 'spare1', 'spare2'].map(host),
    );
  });

  test('members and spares unusable: the hot standby, before any lbset 1 member', () => {
    const { picks } = simulate(config, 'myset', 3, { events: disabled('www2', 'www3', 'spare1', 'spare2') });
    expect(picks).toEqual(['hstandby', 'hstandby', 'hstandby'].map(host));
  });

  test('all of lbset 0 unusable: the lbset 1 backups, in turn', () => {
    const { picks } = simulate(config, 'myset', 4, {
      events: disabled('www2', 'www3', 'spare1', 'spare2', 'hstandby'),
    });
    expect(picks).toEqual(['bkup1', 'bkup2', 'bkup1', 'bkup2'].map(host));
  });

  test('a member that refuses connections fails over, and a spare takes its place until retry', () => {
    const { requests } = simulate(config, 'myset', 3, { events: [{ member: host('www3'), down: true }] });
    // www3 is tried first and enters error state; the retry runs the selection again, where
    // spare1 now replaces www3 and shares the load with www2 (equal loadfactors, in turn).
    expect(requests[0]!.attempts).toEqual([host('www3'), host('www2')]);
    expect(requests.map((r) => r.member)).toEqual(['www2', 'spare1', 'www2'].map(host));
    expect(requests.every((r) => r.status === 200)).toBe(true);
  });
});

describe('examples/microservices: the users balancer (bybusyness)', async () => {
  const config = await load('microservices');
  const [m1, m2] = ['http://127.0.0.1:4001', 'http://127.0.0.1:4002'];

  test('sequential requests alternate between equal members', () => {
    expect(simulate(config, 'users', 4).picks).toEqual([m1, m2, m1, m2]);
  });

  test('a member busy with a slow request gets nothing until it is free', () => {
    const { picks } = simulate(config, 'users', [
      { at: 0, duration: 1000 },
      { at: 1, duration: 1 },
      { at: 3, duration: 1 },
      { at: 5, duration: 1 },
    ]);
    expect(picks).toEqual([m1, m2, m2, m2]);
  });
});
