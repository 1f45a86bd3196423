// What the script-tag benches share (embed.bench.ts, embed-waterfall.bench.ts, embed-ab.bench.ts): the merchant's
// page on an origin of its own with one drop-in button naming a plan and a pack, the backend's settings for it, the
// click → `loaded` measurement, and Chromium.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../test/chromium.mjs';

export const PUBLISHABLE_KEY = 'bench_pk_publishable_key_01';

/**
 * The shop's server on a free port (its origin is what the backend must allow, so it starts first); `serve` then
 * says which backend a request's page loads the script tag from (by the request's path).
 */
export async function startShop(clock: 'page' | 'epoch' = 'page') {
  let backendFor: ((path: string) => string) | undefined;
  const shop = createServer((req, res) => {
    if (!backendFor) return res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end(shopPage(backendFor(req.url ?? '/'), clock));
  });
  await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
  return {
    // SHOP_HOST=localhost: the shop on another site than the backend (127.0.0.1), as in production, where the
    // checkout frame is a cross-site frame (its own process in desktop Chromium); by default the same site.
    origin: `http://${process.env.SHOP_HOST ?? '127.0.0.1'}:${String((shop.address() as AddressInfo).port)}`,
    serve: (f: (path: string) => string) => void (backendFor = f),
    close: () => void shop.close(),
  };
}

/** The backend's environment for a shop at `shopOrigin` (a fresh data folder each time). */
export const backendEnv = (shopOrigin: string): Record<string, string> => ({
  PORT: '0',
  PAYLIT_DATA_DIR: mkdtempSync(join(tmpdir(), 'paylit-bench-')),
  PAYLIT_ALLOWED_ORIGINS: shopOrigin,
  PAYLIT_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
  PAYLIT_API_KEY: 'bench_sk_secret_key_for_bench_1',
});

/** `epoch`: the click and `loaded` as wall-clock milliseconds (to line up with DevTools' timestamps). */
function shopPage(backendUrl: string, clock: 'page' | 'epoch'): string {
  const now = clock === 'epoch' ? 'performance.timeOrigin + performance.now()' : 'performance.now()';
  // The click's own time (the event's timeStamp, on performance.now()'s clock): the loader's click listener runs
  // before any of the page's, so a time taken in one of them would leave out the loader's work on the click.
  const at = clock === 'epoch' ? 'performance.timeOrigin + e.timeStamp' : 'e.timeStamp';
  return `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">
    <script src="${backendUrl}/paylit.js" data-paylit-site="bench" data-paylit-publishable-key="${PUBLISHABLE_KEY}"></script></head>
    <body><button data-paylit-type="checkout" data-paylit-plan-id="credits-starter" data-paylit-addons_id_0="credits-100">Buy</button>
    <script>
      Paylit.getInstance().setCheckoutCallbacks(() => ({ loaded: () => { window.loadedAt = ${now}; } }));
      document.querySelector('button').addEventListener('click', (e) => { window.clickedAt = ${at}; window.loadedAt = undefined; }, { capture: true });
    </script></body></html>`;
}

/**
 * Clicks Buy, waits for `loaded`, closes the checkout; the milliseconds between the click and `loaded`. `leadMs`: the
 * pointer rests on Buy that long before the click, as a customer's does (a click's own move onto it comes at once).
 */
export async function clickToLoaded(page: Page, leadMs = 0): Promise<number> {
  const buy = page.getByRole('button', { name: 'Buy' });
  if (leadMs) await buy.hover(), await page.waitForTimeout(leadMs);
  await buy.click();
  await page.waitForFunction(() => (window as unknown as { loadedAt?: number }).loadedAt !== undefined);
  const ms = await page.evaluate(() => (window as unknown as { loadedAt: number; clickedAt: number }).loadedAt - (window as unknown as { clickedAt: number }).clickedAt);
  await page.keyboard.press('Escape');
  await page.locator('dialog').waitFor({ state: 'detached' });
  return ms;
}

/**
 * `clickToLoaded` under a browser-wide trace of `categories`: the trace's events (of type `E`, as the caller reads
 * them) with the page's own click and `loaded` times, the checkout closed after.
 */
export async function tracedClick<E>(browser: Browser, page: Page, categories: string[]): Promise<{ events: E[]; click: number; loaded: number }> {
  const cdp = await browser.newBrowserCDPSession();
  const events: E[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as E[])));
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: categories }, transferMode: 'ReportEvents' });
  await page.getByRole('button', { name: 'Buy' }).click();
  await page.waitForFunction(() => (window as unknown as { loadedAt?: number }).loadedAt !== undefined);
  const { click, loaded } = await page.evaluate(() => ({ click: (window as unknown as { clickedAt: number }).clickedAt, loaded: (window as unknown as { loadedAt: number }).loadedAt }));
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  await page.keyboard.press('Escape');
  await page.locator('dialog').waitFor({ state: 'detached' });
  return { events, click, loaded };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function launchChromium(): Promise<Browser> {
  const executablePath = (await findChromium()) ?? undefined;
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'] });
}
