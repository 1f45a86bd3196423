import { expect, type Page, test } from '@playwright/test';
import { BACKEND_URL } from './playwright.config.js';
import { buyPack, checkoutFrame, merchant } from './merchant.js';
import { expectSeen } from './visible.js';

// How the checkout's frame loads, counted in requests (never in time): what a second open takes from the browser's
// cache, and when the page asks for its data.

const BUY = '<button data-paylit-type="checkout" data-paylit-plan-id="credits-starter" data-paylit-addons_id_0="credits-100">Buy</button>';
const DATA = /\/api\/browser\/v2\/hosted_pages\/hp_[\w-]+$/;

interface Seen { url: string; cached: boolean }
/** Every request the page and its frames make (the backend is the same site as the shop here, so in its process). */
async function network(page: Page): Promise<Seen[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const seen: Seen[] = [];
  const byId = new Map<string, Seen>();
  cdp.on('Network.requestWillBeSent', (e) => {
    const r = { url: e.request.url.replace(/#.*/, ''), cached: false };
    byId.set(e.requestId, r);
    seen.push(r);
  });
  cdp.on('Network.requestServedFromCache', (e) => void (byId.get(e.requestId) && (byId.get(e.requestId)!.cached = true)));
  cdp.on('Network.responseReceived', (e) => void (e.response.fromDiskCache && byId.get(e.requestId) && (byId.get(e.requestId)!.cached = true)));
  return seen;
}

/** Opens the checkout with the drop-in button and waits until it, and its card frame, can be used. */
async function open(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Buy' }).click();
  const f = checkoutFrame(page);
  await expectSeen(f.locator('[part~="pay-button"]'));
  await expect(f.frameLocator('iframe[title="Card details"]').getByLabel('Card number')).toBeVisible();
}

test.describe('loading the checkout frame', () => {
  test('a second open takes every script of the checkout (its own, under its version, as its chunks) from the cache', async ({ page, request }) => {
    await merchant(page, request, { body: BUY });
    const seen = await network(page);
    await open(page);
    await page.keyboard.press('Escape');
    await expect(page.locator('dialog')).toHaveCount(0);
    seen.length = 0;
    await open(page);
    const scripts = seen.filter((r) => r.url.startsWith(`${BACKEND_URL}/hosted/`) && /\.js(\?|$)/.test(r.url));
    expect(scripts.map((r) => r.url)).toContainEqual(expect.stringMatching(/\/hosted\/checkout\.js\?v=[\w-]+$/));
    expect(scripts.filter((r) => !r.cached).map((r) => r.url), 'asked of the network again').toEqual([]);
  });

  test('the page asks for its data while its scripts load, not after them, and once', async ({ page, request }) => {
    await merchant(page, request, { body: BUY });
    const seen = await network(page);
    // The page's own script is held back until its data has been asked for (or 5 s have passed).
    let askedFirst: boolean | undefined;
    await page.route(/\/hosted\/checkout\.js(\?|$)/, async (route) => {
      await expect.poll(() => seen.some((r) => DATA.test(r.url)), { timeout: 5000 }).toBe(true).catch(() => {});
      askedFirst = seen.some((r) => DATA.test(r.url));
      await route.continue();
    });
    await open(page);
    expect(askedFirst).toBe(true);
    expect(seen.filter((r) => DATA.test(r.url))).toHaveLength(1);
  });

  test('the early request failing, the page asks again and shows the checkout', async ({ page, request }) => {
    await merchant(page, request, { body: BUY });
    let failed = 0;
    await page.route(DATA, (route) => (failed++ ? route.continue() : route.abort('connectionreset')));
    await open(page);
    expect(failed).toBe(2);
  });

  test('a paid page loaded again (a reload) shows that it is paid, not its form', async ({ page, request }) => {
    await merchant(page, request, { body: BUY.replace(' data-paylit-addons_id_0="credits-100"', '') });
    await page.getByRole('button', { name: 'Buy' }).click();
    await buyPack(page);
    const f = checkoutFrame(page);
    await expectSeen(f.getByText('Payment complete. Thank you!').first());
    const frame = page.frames().find((x) => x.url().includes('/hosted/checkout/'))!;
    await frame.evaluate(() => location.reload());
    await expectSeen(f.getByText('This checkout is already complete.').first());
    await expect(f.locator('[part~="pay-button"]')).toHaveCount(0);
  });
});
