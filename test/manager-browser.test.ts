/**
 * The balancer-manager page in a real browser (headless Chromium), through the real running
 * proxy: a member disabled with the page's edit form stops receiving traffic.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { balancer, defineConfig, route } from 'tsx-proxy';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningProxy } from '../src/runtime/types.js';
import { startProxy } from '../src/testing/start-proxy.js';
import { send } from './manager-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `manager-browser: ${CHROMIUM} is absent (apt-get install chromium); skipping the browser test`,
  );

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;

describe.skipIf(!hasChromium)('the manager page in Chromium', () => {
  let servers: Server[] = [];
  let urls: string[] = [];
  let proxy: RunningProxy;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    servers = ['one', 'two'].map((name) => createServer((_req, res) => res.end(name)));
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    urls = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    const web = balancer('web').member(urls[0]!, { route: 'one' }).member(urls[1]!, { route: 'two' });
    proxy = await startProxy(
      defineConfig({
        listen: { host: '127.0.0.1', port: 0 },
        routes: [route('/balancer-manager').manager({ allow: ['127.0.0.1'] }), route('/').to(web)],
      }),
    );
    profile = mkdtempSync(join(tmpdir(), 'tsxp-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    await proxy?.close();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function traffic(n: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await send(`${proxy.url}/`)).text);
    return out;
  }

  test('disabling a member with the edit form stops traffic to it', async () => {
    expect(new Set(await traffic(6))).toEqual(new Set(['one', 'two']));
    const page = await context.newPage();
    await page.goto(`${proxy.url}/balancer-manager`);
    await expect(page.title()).resolves.toMatch(/^Balancer Manager/);
    const row = page.locator('tbody tr', { hasText: urls[0]! });
    await expect(row.locator('.status').textContent()).resolves.toBe('Init Ok');

    await row.getByRole('link', { name: urls[0]! }).click();
    await page.locator('form#edit-web input[type=radio][name="w_status_D"][value="1"]').check();
    await page.getByRole('button', { name: 'Save member' }).click();
    await page.waitForURL(/\?done=/);

    await expect(page.getByRole('status').textContent()).resolves.toContain('Balancer web: changes applied.');
    await expect(
      page.locator('tbody tr', { hasText: urls[0]! }).locator('.status').textContent(),
    ).resolves.toBe('Init Dis');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'manager-browser.png'), fullPage: true });
    expect(await traffic(6)).toEqual(Array(6).fill('two'));
  });
});
