import { expect, type Page, test } from '@playwright/test';
import { BACKEND_URL } from './playwright.config.js';
import { checkoutFrame, merchant } from './merchant.js';

// The warm-up on intent (ui.ts `warm`): a pointer over a drop-in checkout button, or focus on it, puts the backend's
// /hosted/warm in a hidden frame once per page, which fetches the checkout's files into the cache the checkout frame
// reads; the click then takes them from there. Requests are counted (what reached the network, what the cache gave),
// never timed.

const ready = (page: Page) => checkoutFrame(page).locator('[part~="pay-button"]');
const BUY = '<button data-paylit-type="checkout" data-paylit-plan-id="credits-starter">Buy</button>';

/** The backend's requests the page and its frames make, as DevTools sees them: each path, and whether the cache answered. */
async function watch(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = new Map<string, { path: string; cache: boolean }>();
  const preflights: string[] = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!e.request.url.startsWith(BACKEND_URL)) return;
    seen.set(e.requestId, { path: new URL(e.request.url).pathname, cache: false });
    if (e.request.method === 'OPTIONS') preflights.push(new URL(e.request.url).pathname);
  });
  cdp.on('Network.requestServedFromCache', (e) => void (seen.get(e.requestId) && (seen.get(e.requestId)!.cache = true)));
  cdp.on('Network.responseReceived', (e) => void ((e.response.fromDiskCache || e.response.fromPrefetchCache) && seen.get(e.requestId) && (seen.get(e.requestId)!.cache = true)));
  return {
    /** The paths CORS preflights (OPTIONS) were sent for, since the watch began. */
    preflights,
    /** The paths asked for since the last `take`, so far. */
    paths: () => [...seen.values()].map((r) => r.path),
    /** The paths asked for since the last `take`, with "(cache)" after those the cache answered. */
    take() {
      const out = [...seen.values()].map((r) => (r.cache ? `${r.path} (cache)` : r.path));
      seen.clear();
      return out;
    },
  };
}

/** The hidden warm-up frames in the page. */
const warmFrames = (page: Page) => page.locator(`iframe[src="${BACKEND_URL}/hosted/warm"]`);
/** The UI module has loaded (it adds the intent listeners), and the page is quiet. */
const settled = (page: Page) => page.waitForLoadState('networkidle');

test.describe('the warm-up on intent', () => {
  test('/hosted/warm names every file the checkout page loads at once, by the same URLs, runs nothing, and is framed only where the checkout may be', async ({ request }) => {
    const urls = (html: string) => [...html.matchAll(/(?:href|src)="(\/hosted\/[^"]+)"/g)].map((m) => m[1]!);
    const warm = await request.get(`${BACKEND_URL}/hosted/warm`);
    const html = await warm.text();
    const checkout = await (await request.get(`${BACKEND_URL}/hosted/checkout/hp_any`)).text();
    expect(urls(checkout).length).toBeGreaterThan(5);
    expect(urls(html).sort()).toEqual(urls(checkout).sort());
    expect(html).not.toMatch(/<script/);
    expect(warm.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(warm.headers()['content-security-policy']).toMatch(/frame-ancestors 'self' [^;]*http:\/\/127\.0\.0\.1:\d+/);
    expect(warm.headers()['cache-control']).toBe('public, max-age=300');
  });

  test('under script-src and style-src \'self\', iframeOnly: a hover fetches the checkout\'s files once, unseen; the click takes them from the cache', async ({ page, request }) => {
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy|Refused/.test(m.text()) && violations.push(m.text()));
    await merchant(page, request, {
      selfHosted: true,
      csp: "script-src 'self'; style-src 'self'",
      loader: `data-paylit-site="e2e" data-paylit-domain="${BACKEND_URL}" data-paylit-publishable-key="e2e_pk_publishable_key_0001" data-paylit-iframe-only="true"`,
      body: BUY,
    });
    await settled(page);
    // Playwright's routes (which serve the shop) turn the browser's HTTP cache off, which the warm-up fills: the shop's
    // page and both script files are loaded by now, so the routes go.
    await page.unrouteAll({ behavior: 'wait' });
    const net = await watch(page);
    const buy = page.getByRole('button', { name: 'Buy' });
    await buy.hover();
    await expect(warmFrames(page)).toHaveCount(1);
    await expect.poll(net.paths).toContain('/hosted/checkout.js');
    await settled(page);
    const warmed = net.take();
    // The page that names the files, then the checkout's scripts and stylesheet, each from the network.
    expect(warmed).toContain('/hosted/warm');
    for (const f of ['/hosted/checkout.js', '/hosted/checkout-early.js', '/hosted/page.css']) expect(warmed).toContain(f);
    expect(warmed.filter((p) => /^\/hosted\/(shared|zod|rolldown-runtime|address-form)-[\w-]+\.js$/.test(p))).toHaveLength(4);
    // Nothing asked for any page's data, and nothing of it shows.
    expect(warmed.filter((p) => p.startsWith('/api/'))).toEqual([]);
    await expect(warmFrames(page)).toBeHidden();
    // Once per page: another hover and focus ask for nothing more.
    await page.mouse.move(0, 0);
    await buy.hover();
    await buy.focus();
    await page.waitForTimeout(300);
    expect(net.take()).toEqual([]);

    await buy.click();
    await expect(ready(page)).toBeVisible();
    const opened = net.take();
    // The click asked for the page and its data; every file the warm-up fetched came from the cache.
    expect(opened.filter((p) => p.startsWith('/hosted/checkout/'))).toHaveLength(1);
    for (const f of warmed.filter((p) => p !== '/hosted/warm')) expect(opened, f).not.toContain(f);
    expect(opened).toContain('/hosted/checkout.js (cache)');
    // The page was made by one request the browser sent at once: no CORS preflight (a round trip) before it.
    expect(opened.filter((p) => p === '/api/browser/v2/checkout_new')).toHaveLength(1);
    expect(net.preflights).toEqual([]);
    await expect(page.locator('iframe[title="Checkout"]')).toHaveCount(1);
    expect(violations).toEqual([]);
  });

  test('no warm-up frame while the modal is open, none added by closeAll or a second open; tearDown and a new init do not warm again', async ({ page, request }) => {
    await merchant(page, request, {
      body: `<button id="open">Open</button>${BUY}`,
      script: `document.addEventListener('click', (e) => { if (e.target.id === 'open') Paylit.getInstance().openCheckout({ hostedPage: () => fetch('/merchant/api/checkout').then((r) => r.json()).then((b) => b.hosted_page) }); });`,
    });
    await settled(page);
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(ready(page)).toBeVisible();
    // Behind the modal (inert) the drop-in button gets neither the pointer nor focus: no warm-up.
    const box = (await page.getByRole('button', { name: 'Buy' }).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByRole('button', { name: 'Buy' }).evaluate((b: HTMLElement) => b.focus());
    await page.waitForTimeout(300);
    await expect(warmFrames(page)).toHaveCount(0);
    await page.evaluate(() => (window as unknown as { Paylit: { getInstance(): { closeAll(): void } } }).Paylit.getInstance().closeAll());
    await expect(page.locator('dialog')).toHaveCount(0);

    await page.getByRole('button', { name: 'Buy' }).hover();
    await expect(warmFrames(page)).toHaveCount(1);
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect(ready(page)).toBeVisible();
    await page.evaluate(() => (window as unknown as { Paylit: { getInstance(): { closeAll(): void } } }).Paylit.getInstance().closeAll());
    await expect(page.locator('dialog')).toHaveCount(0);
    // Once per page, across tearDown and a new init.
    await page.evaluate((domain) => {
      const P = (window as unknown as { Paylit: { tearDown(): void; init(o: object): unknown; registerAgain(): void } }).Paylit;
      P.tearDown();
      P.init({ site: 'e2e', domain, publishableKey: 'e2e_pk_publishable_key_0001' });
      P.registerAgain();
    }, BACKEND_URL);
    await page.mouse.move(0, 0);
    await page.getByRole('button', { name: 'Buy' }).hover();
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect(ready(page)).toBeVisible();
    await expect(warmFrames(page)).toHaveCount(1);
    await expect(page.locator('iframe[title="Checkout"]')).toHaveCount(1);
  });

  test('none for data-paylit-warm-up="off", a portal button, a full-page button or under Save-Data; the click still opens', async ({ page, request }) => {
    const body = `<div data-paylit-warm-up="off">${BUY}</div><button data-paylit-type="portal">Account</button>` +
      '<button data-paylit-type="checkout" data-paylit-plan-id="credits-starter" data-paylit-layout="full_page">Full page</button>';
    await merchant(page, request, { body });
    await settled(page);
    const net = await watch(page);
    for (const name of ['Buy', 'Account', 'Full page']) await page.getByRole('button', { name }).hover(), await page.getByRole('button', { name }).focus();
    await page.waitForTimeout(300);
    expect(net.take()).toEqual([]);
    await expect(warmFrames(page)).toHaveCount(0);
    await page.getByRole('button', { name: 'Buy' }).click();
    await expect(ready(page)).toBeVisible();
    await expect(warmFrames(page)).toHaveCount(0);

    // Save-Data (navigator.connection.saveData, as Chromium sets it for the Save-Data header).
    const saving = await page.context().newPage();
    await saving.addInitScript(() => Object.defineProperty(navigator, 'connection', { value: { saveData: true } }));
    await merchant(saving, request, { body: BUY });
    await settled(saving);
    await saving.getByRole('button', { name: 'Buy' }).hover();
    await saving.waitForTimeout(300);
    await expect(warmFrames(saving)).toHaveCount(0);
  });
});
