import { expect, test } from 'vitest';
import { describeHealthCheck } from '../src/health/index.js';
import { healthMember } from './health-helpers.js';

function describe(url: string, check: Parameters<typeof healthMember>[1]): string {
  const member = healthMember(url, check);
  return describeHealthCheck(member.url, member.healthCheck!);
}

test('a health check in words names the target the member is really checked on', () => {
  expect(describe('http://10.0.0.5:8080/app', { uri: 'health', interval: '5s', fails: 3, passes: 2 })).toBe(
    'GET /app/health every 5s, timeout 5s, ok on status 200..399, out after 3 fails in a row, back after 2 passes in a row',
  );
});

test('defaults: GET every 30 s, timeout the member timeout capped at 5 s, 1 fail out, 1 pass back', () => {
  expect(describe('http://10.0.0.5:8080', {})).toBe(
    'GET / every 30s, timeout 5s, ok on status 200..399, out after 1 fail in a row, back after 1 pass in a row',
  );
  const short = healthMember('http://h:1', {}, { timeout: 2 });
  expect(describeHealthCheck(short.url, short.healthCheck!)).toContain('timeout 2s');
});

test('TCP only connects; OPTIONS asks for `*`; expect replaces the status rule', () => {
  expect(describe('http://h:1/app', { method: 'TCP', interval: '1500ms' })).toBe(
    'TCP connect every 1500ms, timeout 5s, out after 1 fail in a row, back after 1 pass in a row',
  );
  expect(describe('http://h:1/app', { method: 'OPTIONS', uri: '/x' })).toMatch(/^OPTIONS \* every 30s/);
  expect(describe('http://h:1', { uri: '/h', expect: (res) => res.status === 204 })).toContain(
    'ok on expect(res)',
  );
});
