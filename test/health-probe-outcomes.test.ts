import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { HealthResponse } from '../src/dsl/params.js';
import { MAX_HEALTH_BODY_BYTES, probeMember } from '../src/health/index.js';
import { closedPort, HealthBackend, healthMember, RawBackend, until } from './health-helpers.js';
import { CERT, KEY } from './tls-fixture.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function http(): Promise<HealthBackend> {
  const b = await new HealthBackend().start();
  closers.push(() => b.close());
  return b;
}

async function raw(reply: string): Promise<RawBackend> {
  const b = await new RawBackend().start();
  b.reply = reply;
  closers.push(() => b.close());
  return b;
}

async function probe(url: string, check: Parameters<typeof healthMember>[1], signal?: AbortSignal) {
  const member = healthMember(url, check);
  return probeMember(member, member.healthCheck!, signal);
}

describe('connect failures', () => {
  test('TCP check against a closed port fails with the connect error', async () => {
    const result = await probe(`http://127.0.0.1:${await closedPort()}`, { method: 'TCP' });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/ECONNREFUSED/);
  });

  test('TCP check against a listening port passes', async () => {
    const b = await http();
    expect(await probe(b.url, { method: 'TCP' })).toMatchObject({ ok: true, status: undefined });
    expect(b.answers).toEqual([]);
  });

  test('GET check against a closed port fails the same way', async () => {
    const result = await probe(`http://127.0.0.1:${await closedPort()}`, { uri: '/health' });
    expect(result).toMatchObject({ ok: false, status: undefined });
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});

describe('timeouts', () => {
  test('a health endpoint that never answers fails at the check timeout', async () => {
    const b = await http();
    b.mode = 'hang';
    const result = await probe(b.url, { uri: '/health', timeout: '200ms' });
    expect(result).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
    expect(b.answers).toEqual([{ method: 'GET', url: '/health', mode: 'hang' }]);
  });

  test('aborting a check in flight ends it at once and closes its connection', async () => {
    const b = await raw('');
    b.reply = undefined;
    const controller = new AbortController();
    const pending = probe(`http://127.0.0.1:${b.port}`, { uri: '/h', timeout: 30 }, controller.signal);
    await until(() => b.requests.length === 1, 'the check to reach the backend');
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: 'health check stopped' });
    await until(() => b.closed === 1, 'the check connection to close');
  });
});

describe('pass criterion', () => {
  test('without expect, 200..399 passes and anything else fails', async () => {
    const b = await http();
    expect(await probe(b.url, { uri: '/health' })).toMatchObject({ ok: true, status: 200 });
    b.mode = 'fail';
    expect(await probe(b.url, { uri: '/health' })).toMatchObject({
      ok: false,
      status: 500,
      error: 'HTTP 500',
    });
    const redirect = await raw('HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n');
    expect(await probe(`http://127.0.0.1:${redirect.port}`, {})).toMatchObject({ ok: true, status: 302 });
    const missing = await raw('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    expect(await probe(`http://127.0.0.1:${missing.port}`, {})).toMatchObject({
      ok: false,
      error: 'HTTP 404',
    });
  });

  test('expect sees status, lower-case headers and body text', async () => {
    const b = await http();
    const seen: HealthResponse[] = [];
    const expectOk = (res: HealthResponse) => {
      seen.push(res);
      return res.status === 200 && res.body.includes('ok');
    };
    expect(await probe(b.url, { uri: '/health', expect: expectOk })).toMatchObject({ ok: true });
    b.mode = 'degraded';
    expect(await probe(b.url, { uri: '/health', expect: expectOk })).toMatchObject({
      ok: false,
      status: 200,
      error: 'expect(res) returned false (HTTP 200)',
    });
    expect(seen.map((r) => r.body)).toEqual(['ok', 'degraded']);
    expect(seen[0]!.headers['content-type']).toBe('text/plain');
  });

  test('expect can pass a status Apache would fail', async () => {
    const b = await http();
    b.mode = 'fail';
    expect(await probe(b.url, { expect: (res) => res.status === 500 })).toMatchObject({
      ok: true,
      status: 500,
    });
  });

  test('an expect that throws fails the check with its message', async () => {
    const b = await http();
    const result = await probe(b.url, {
      expect: (res) => JSON.parse(res.body).healthy === true,
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^expect\(res\) threw: .*JSON/);
  });
});

describe('reading the response as Apache does', () => {
  test('GET reads the body to its end: a body cut short fails', async () => {
    const b = await raw('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort');
    const result = await probe(`http://127.0.0.1:${b.port}`, {});
    expect(result).toMatchObject({
      ok: false,
      status: 200,
      error: 'connection closed before the body ended',
    });
  });

  test('HEAD and OPTIONS do not read a body', async () => {
    const b = await raw('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n');
    expect(await probe(`http://127.0.0.1:${b.port}`, { method: 'HEAD' })).toMatchObject({ ok: true });
    expect(await probe(`http://127.0.0.1:${b.port}`, { method: 'OPTIONS' })).toMatchObject({ ok: true });
  });

  test('a chunked body is decoded for expect', async () => {
    const b = await raw(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n3;x=1\r\n-go\r\n0\r\n\r\n',
    );
    const bodies: string[] = [];
    const result = await probe(`http://127.0.0.1:${b.port}`, { expect: (res) => bodies.push(res.body) > 0 });
    expect(result.ok).toBe(true);
    expect(bodies).toEqual(['ok-go']);
  });

  test('only the first 64 KiB of a body reach expect', async () => {
    const size = 3 * MAX_HEALTH_BODY_BYTES;
    const b = await raw(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n${'x'.repeat(size)}`);
    let length = -1;
    const result = await probe(`http://127.0.0.1:${b.port}`, {
      expect: (res) => {
        length = res.body.length;
        return true;
      },
    });
    expect(result.ok).toBe(true);
    expect(length).toBe(MAX_HEALTH_BODY_BYTES);
  });

  test('a response that is not HTTP/1.x fails', async () => {
    const b = await raw('SSH-2.0-OpenSSH_9.6\r\n\r\n');
    const result = await probe(`http://127.0.0.1:${b.port}`, {});
    expect(result).toMatchObject({ ok: false });
    expect(result.error).toMatch(/^invalid status line "SSH-2.0/);
  });

  test('a connection closed without an answer fails', async () => {
    const b = await raw('');
    const result = await probe(`http://127.0.0.1:${b.port}`, {});
    expect(result).toMatchObject({ ok: false, error: 'connection closed before any response' });
  });

  test('a response closed right after its status line counts, as Apache reads header lines up to EOF', async () => {
    const ok = await raw('HTTP/1.0 204 No Content\r\n');
    expect(await probe(`http://127.0.0.1:${ok.port}`, {})).toMatchObject({ ok: true, status: 204 });
    const broken = await raw('HTTP/1.0 200 OK\r\nNo-colon-here');
    expect(await probe(`http://127.0.0.1:${broken.port}`, {})).toMatchObject({
      ok: false,
      error: 'invalid header line "No-colon-here"',
    });
  });
});

test('an https member is checked over TLS and its certificate is verified', async () => {
  const secure: string[] = [];
  const server = createTlsServer({ key: KEY, cert: CERT }, (socket) => {
    socket.on('data', (chunk) => secure.push(chunk.toString()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  const result = await probe(`https://localhost:${port}`, { uri: '/health' });
  expect(result.ok).toBe(false);
  expect(result.error).toMatch(/certificate/);
  // No request went through the untrusted channel.
  expect(secure).toEqual([]);
});
