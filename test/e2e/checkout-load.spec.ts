import { expect, type Page, test } from '@playwright/test';
import { BACKEND_URL } from './playwright.config.js';
import { backend, buyPack, checkoutFrame, FOREIGN, merchant, MERCHANT } from './merchant.js';
import { expectSeen } from './visible.js';

// How the checkout's frame loads, counted in requests (never in time): what a second open takes from the browser's
// cache, and when the page asks for its data.

const BUY = '<button data-paylit-type="checkout" data-paylit-plan-id="credits-starter" data-paylit-addons_id_0="credits-100">Buy</button>';
// Without the warm-up on intent (its hidden frame prefetches the same files as the pointer reaches the button, racing
// the first open for the cache's entries): what the checkout frame itself leaves in the cache (warm-up.spec.ts
// counts what the warm-up adds).
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
  // The disk cache, or what the warm-up frame (added as the pointer reached the button) prefetched: neither is the network.
  cdp.on('Network.responseReceived', (e) => void ((e.response.fromDiskCache || e.response.fromPrefetchCache) && byId.get(e.requestId) && (byId.get(e.requestId)!.cached = true)));
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
    await merchant(page, request, { body: BUY.replace('<button ', '<button data-paylit-warm-up="off" ') });
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

  test('a paid page loaded again (a reload) shows that it is paid, not its form: as the success screen does, with what it means, nothing in red', async ({ page, request }) => {
    await merchant(page, request, { body: BUY.replace(' data-paylit-addons_id_0="credits-100"', '') });
    await page.getByRole('button', { name: 'Buy' }).click();
    await buyPack(page);
    const f = checkoutFrame(page);
    await expectSeen(f.getByText('Payment complete. Thank you!').first());
    const frame = page.frames().find((x) => x.url().includes('/hosted/checkout/'))!;
    await frame.evaluate(() => location.reload());
    const status = f.getByRole('status').filter({ hasText: 'This checkout is already complete.' });
    await expectSeen(status.getByText('This checkout is already complete.'));
    await expectSeen(status.getByText('There is nothing more to do here, and you will not be charged again.'));
    await expectSeen(status.locator('.tick').filter({ hasText: '✓' }));
    // The success screen's colours: its tick, the text in the body's colour (not the error red), no error part.
    const drawn = await status.evaluate((panel) => {
      const host = (panel.getRootNode() as ShadowRoot).host;
      return { tick: getComputedStyle(panel.querySelector('.tick')!).backgroundColor, text: [...panel.querySelectorAll('p')].map((p) => getComputedStyle(p).color), body: getComputedStyle(host).color };
    });
    expect(drawn.text).toEqual([drawn.body, expect.any(String)]);
    expect(drawn.text[1]).not.toBe(drawn.body); // the sentence under it is muted
    expect(drawn.tick).toBe('rgb(26, 127, 55)');
    await expect(f.locator('[part~="error"]').filter({ hasText: /\S/ })).toHaveCount(0);
    await expect(f.locator('[part~="pay-button"]')).toHaveCount(0);
  });

  // checkout-early.ts restates embedding.ts's rule (it has no imports, so that it runs the moment it arrives): held
  // together here. Framed by the shop, a fragment naming another origin (not allowed), or naming the backend's own
  // while the shop frames it: the page refuses, and neither the early request nor the page asks for the data, so the
  // page stays created.
  test("framed under a claim the page refuses, its data is not asked for (the early request keeps embedding's rule)", async ({ page, request }) => {
    for (const claimed of [FOREIGN, BACKEND_URL]) {
      const { hosted_page: hp } = await backend<{ hosted_page: { id: string; url: string } }>(request, 'POST', '/api/v2/hosted_pages/checkout_new', { 'subscription[plan_id]': 'credits-starter' });
      await page.route(`${MERCHANT}/framer.html`, (r) =>
        r.fulfill({ contentType: 'text/html', body: `<!doctype html><title>Framer</title><iframe title="Checkout" src="${hp.url}&origin=${encodeURIComponent(claimed)}"></iframe>` }),
      );
      const seen = await network(page);
      await page.goto(`${MERCHANT}/framer.html`);
      await expectSeen(checkoutFrame(page).getByText('This page cannot be shown inside this site.'));
      expect(seen.filter((r) => DATA.test(r.url)).map((r) => r.url), `claimed ${claimed}`).toEqual([]);
      const { hosted_page: after } = await backend<{ hosted_page: { state: string } }>(request, 'GET', `/api/v2/hosted_pages/${hp.id}`);
      expect(after.state, `claimed ${claimed}`).toBe('created');
      await page.unroute(`${MERCHANT}/framer.html`);
    }
  });
});
