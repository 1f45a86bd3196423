import { basename, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { checkoutFrameFiles } from '../bundle-graph.mjs';
import { choose, openShop } from './demo.js';
import { checkoutFrame } from './merchant.js';
import { BACKEND_URL } from './playwright.config.js';

// The size check counts what a new customer's checkout frame downloads (test/bundle-graph.mjs, checkoutFrameFiles);
// Chromium's network log must say the same, card frame included, each file fetched from the network once. On the
// demo's own page: Playwright's page.route (the other specs' merchant pages) turns the browser's cache off.
test('a new checkout downloads exactly the scripts the size check counts, each once: the card frame takes the shared zod chunk from the cache', async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  const cached = new Set<string>();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.requestServedFromCache', (e) => cached.add(e.requestId));
  cdp.on('Network.responseReceived', (e) => e.response.fromDiskCache && cached.add(e.requestId));
  const downloaded: string[] = [];
  const fromCache: string[] = [];
  cdp.on('Network.loadingFinished', (e) => {
    const url = new URL(urls.get(e.requestId) ?? 'about:blank');
    if (url.origin !== BACKEND_URL || !url.pathname.startsWith('/hosted/') || !url.pathname.endsWith('.js')) return;
    (cached.has(e.requestId) ? fromCache : downloaded).push(basename(url.pathname));
  });

  await openShop(page);
  await choose(page, { pack: 'credits-100', quantity: 1 });
  await page.getByRole('button', { name: 'Checkout' }).click();
  await expect(checkoutFrame(page).frameLocator('iframe[title="Card details"]').getByLabel('Card number')).toBeVisible();
  await expect(checkoutFrame(page).getByRole('button', { name: /^Pay \S/ })).toBeVisible();

  const counted = checkoutFrameFiles(join(import.meta.dirname, '../..')).map((p) => basename(p));
  await expect.poll(() => downloaded.toSorted()).toEqual(counted.toSorted());
  // What the card frame imports beside its own file, it has from the checkout's download.
  expect(fromCache.some((f) => f.startsWith('zod-'))).toBe(true);
});
