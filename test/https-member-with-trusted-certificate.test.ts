import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runChildScript } from './child-script.js';
import { CERT, KEY } from './tls-fixture.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/**
 * An https member whose certificate node trusts: the trust comes from NODE_EXTRA_CA_CERTS, which
 * node reads only at start-up, so the health check and the proxy run in a child process.
 */
test('an https member with a trusted certificate passes its health check and gets proxied requests', async () => {
  const seen: string[] = [];
  server = createServer({ key: KEY, cert: CERT }, (req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.host}`);
    res.end(req.url === '/health' ? 'healthy' : `tls answer for ${req.url}`);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const caFile = join(mkdtempSync(join(tmpdir(), 'tsxp-ca-')), 'ca.pem');
  writeFileSync(caFile, CERT);

  const script = `
const { healthMember } = await import('./test/health-helpers.ts');
const { probeMember } = await import('./src/health/index.ts');
const { defineConfig, route } = await import('./src/index.ts');
const { startProxy } = await import('./src/testing.ts');
const member = healthMember('https://localhost:${port}', { uri: '/health' });
const check = await probeMember(member, member.healthCheck);
const proxy = await startProxy(defineConfig({ routes: [route('/').to('https://localhost:${port}/app/')] }), { port: 0 });
const res = await fetch(proxy.url + '/page?x=1');
const answer = { status: res.status, body: await res.text() };
await proxy.close();
console.log(JSON.stringify({ check, answer }));
`;
  const { code, stdout, stderr } = await runChildScript(script, 30_000, [], {
    ...process.env,
    NODE_EXTRA_CA_CERTS: caFile,
  });
  expect(code, stderr).toBe(0);
  const { check, answer } = JSON.parse(stdout);
  expect(check).toMatchObject({ ok: true, status: 200 });
  expect(answer).toEqual({ status: 200, body: 'tls answer for /app/page?x=1' });
  expect(seen).toEqual([`GET /health localhost:${port}`, `GET /app/page?x=1 localhost:${port}`]);
});
