import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { healthRequest, probeMember } from '../src/health/index.js';
import { healthMember, RawBackend, until } from './health-helpers.js';

let backend: RawBackend;
beforeEach(async () => {
  backend = await new RawBackend().start();
});
afterEach(() => backend.close());

async function sentBy(path: string, check: Parameters<typeof healthMember>[1]): Promise<string> {
  const member = healthMember(`http://127.0.0.1:${backend.port}${path}`, check);
  const result = await probeMember(member, member.healthCheck!);
  expect(result).toMatchObject({ ok: true, status: 200 });
  expect(backend.requests).toHaveLength(1);
  return backend.requests[0]!;
}

describe('a health check sends exactly what Apache mod_proxy_hcheck sends', () => {
  test('GET: HTTP/1.0, Host with the port, no other header', async () => {
    expect(await sentBy('', { method: 'GET', uri: '/health' })).toBe(
      `GET /health HTTP/1.0\r\nHost: 127.0.0.1:${backend.port}\r\n\r\n`,
    );
  });

  test('the member path, a slash and the uri, repeated slashes kept (`http://h/` + `/st` is `///st`)', async () => {
    expect(await sentBy('/', { uri: '/st' })).toBe(
      `GET ///st HTTP/1.0\r\nHost: 127.0.0.1:${backend.port}\r\n\r\n`,
    );
  });

  test('HEAD on a member with a path: `/app` + `st` is `/app/st`', async () => {
    expect(await sentBy('/app', { method: 'HEAD', uri: 'st' })).toBe(
      `HEAD /app/st HTTP/1.0\r\nHost: 127.0.0.1:${backend.port}\r\n\r\n`,
    );
  });

  test('a member path and no uri checks the member path itself', async () => {
    expect(await sentBy('/app/', { method: 'GET' })).toBe(
      `GET /app/ HTTP/1.0\r\nHost: 127.0.0.1:${backend.port}\r\n\r\n`,
    );
  });

  test('OPTIONS asks for `*` whatever the path and uri', async () => {
    expect(await sentBy('/app', { method: 'OPTIONS', uri: '/ignored' })).toBe(
      `OPTIONS * HTTP/1.0\r\nHost: 127.0.0.1:${backend.port}\r\n\r\n`,
    );
  });

  test('no path and no uri: `/` (where Apache would send an empty target)', async () => {
    expect(await sentBy('', {})).toBe(`GET / HTTP/1.0\r\nHost: 127.0.0.1:${backend.port}\r\n\r\n`);
  });

  test('no path and a uri without its slash: `/health` (where Apache would send `health`)', async () => {
    expect(await sentBy('', { uri: 'health' })).toBe(
      `GET /health HTTP/1.0\r\nHost: 127.0.0.1:${backend.port}\r\n\r\n`,
    );
  });

  test('TCP only connects: the member sees a connection and not one byte', async () => {
    const member = healthMember(`http://127.0.0.1:${backend.port}/app`, { method: 'TCP' });
    expect(healthRequest(member.url, member.healthCheck!)).toBeUndefined();
    const result = await probeMember(member, member.healthCheck!);
    expect(result.ok).toBe(true);
    await until(() => backend.closed === 1, 'the check connection to close');
    expect(backend.connections).toBe(1);
    expect(backend.received).toBe(0);
  });
});

test('an IPv6 member gets a bracketed Host header (Apache writes the bare address)', async () => {
  const v6 = await new RawBackend().start('::1');
  try {
    const member = healthMember(`http://[::1]:${v6.port}`, { uri: '/health' });
    expect(await probeMember(member, member.healthCheck!)).toMatchObject({ ok: true });
    expect(v6.requests).toEqual([`GET /health HTTP/1.0\r\nHost: [::1]:${v6.port}\r\n\r\n`]);
  } finally {
    await v6.close();
  }
});
