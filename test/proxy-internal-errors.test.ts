import { request } from 'undici';
import { expect, test } from 'vitest';
import { defineConfig, route } from '../src/index.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { recordingLogger, startBackend } from './proxy-support.js';

test('a throwing access logger is reported as TSXP_INTERNAL and the proxy keeps serving', async () => {
  const backend = await startBackend((_req, res) => res.end('ok'));
  const logger = recordingLogger();
  const throwing = {
    ...logger,
    request: () => {
      throw new Error('logger broke');
    },
  };
  const proxy = await startProxy(defineConfig({ routes: [route('/').to(`${backend.url}/`)] }), {
    port: 0,
    logger: throwing,
  });
  try {
    for (let i = 0; i < 3; i++) {
      const res = await request(`${proxy.url}/x`);
      expect(await res.body.text()).toBe('ok');
    }
    await new Promise((r) => setImmediate(r));
    expect(logger.errors.length).toBeGreaterThan(0);
    expect(logger.errors.every((e) => e.code === 'TSXP_INTERNAL' && e.message.includes('logger broke'))).toBe(
      true,
    );
  } finally {
    await proxy.close();
    await backend.close();
  }
});
