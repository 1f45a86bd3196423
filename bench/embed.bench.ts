// The script tag's time from a click on a drop-in button to the checkout's `loaded` callback, in Chromium:
// `npm run bench:embed`. Median of 20 runs, cold (a new browser context each run: empty cache) and warm (the same
// page, the checkout closed and opened again). A real backend (SQLite in a temp dir) on one port, the merchant's page
// on another (a different origin, as in production); the button names a plan and a pack, so there is a card to pay
// with. Then the screens from open to Pay, on a desktop (1280x800) and a phone (390x844, touch): how far the
// customer scrolls the modal before Pay is in view. Prints the numbers; asserts nothing.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { parseEnv } from '../src/server/env.js';
import { startServer } from '../src/server/server.js';
import { CHROMIUM_ARGS, findChromium } from '../test/chromium.mjs';

const RUNS = 20;
const shop = createServer();
await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
const shopOrigin = `http://127.0.0.1:${String((shop.address() as AddressInfo).port)}`;
const backend = await startServer({
  env: parseEnv({ PORT: '0', PAYLIT_DATA_DIR: mkdtempSync(join(tmpdir(), 'paylit-bench-')), PAYLIT_ALLOWED_ORIGINS: shopOrigin, PAYLIT_PUBLISHABLE_KEY: 'bench_pk_publishable_key_01', PAYLIT_API_KEY: 'bench_sk_secret_key_for_bench_1' }),
  log: () => {},
});
shop.on('request', (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">
    <script src="${backend.url}/paylit.js" data-paylit-site="bench" data-paylit-publishable-key="bench_pk_publishable_key_01"></script></head>
    <body><button data-paylit-type="checkout" data-paylit-plan-id="credits-starter" data-paylit-addons_id_0="credits-100">Buy</button>
    <script>
      Paylit.getInstance().setCheckoutCallbacks(() => ({ loaded: () => { window.loadedAt = performance.now(); } }));
      document.querySelector('button').addEventListener('click', () => { window.clickedAt = performance.now(); window.loadedAt = undefined; }, { capture: true });
    </script></body></html>`);
});

const executablePath = (await findChromium()) ?? undefined;
const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'] });

async function once(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Buy' }).click();
  await page.waitForFunction(() => (window as unknown as { loadedAt?: number }).loadedAt !== undefined);
  const ms = await page.evaluate(() => (window as unknown as { loadedAt: number; clickedAt: number }).loadedAt - (window as unknown as { clickedAt: number }).clickedAt);
  await page.keyboard.press('Escape');
  await page.locator('dialog').waitFor({ state: 'detached' });
  return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cold: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${shopOrigin}/`);
  // As a customer would: the page has loaded and settled before the click (the UI module loads when idle).
  await page.waitForLoadState('networkidle');
  cold.push(await once(page));
  await context.close();
}
const warm: number[] = [];
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${shopOrigin}/`);
  await once(page); // fills the cache
  for (let i = 0; i < RUNS; i++) warm.push(await once(page));
  await context.close();
}
console.log(`click on a drop-in button → loaded (median of ${String(RUNS)}), localhost, SQLite:`);
console.log(`  cold cache: ${median(cold).toFixed(1)} ms   (min ${Math.min(...cold).toFixed(1)}, max ${Math.max(...cold).toFixed(1)})`);
console.log(`  warm cache: ${median(warm).toFixed(1)} ms   (min ${Math.min(...warm).toFixed(1)}, max ${Math.max(...warm).toFixed(1)}; aim ≤ 150 ms)`);

// Screens from open to Pay: the modal opened, settled, and scrolled down until Pay is wholly in view; one screen is
// the viewport's height, counted from the top of the modal's content.
const SCREENS = {
  'desktop 1280x800': { viewport: { width: 1280, height: 800 } },
  'phone 390x844': { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};
console.log('screens from open to Pay (a page that names plan and pack):');
for (const [name, device] of Object.entries(SCREENS)) {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  await page.goto(`${shopOrigin}/`);
  await page.getByRole('button', { name: 'Buy' }).click();
  await page.waitForFunction(() => (window as unknown as { loadedAt?: number }).loadedAt !== undefined);
  const pay = page.frameLocator('iframe[title="Checkout"]').getByRole('button', { name: /^Pay \S/ });
  await pay.waitFor();
  const top = (await page.locator('dialog').boundingBox())!.y;
  const box = (await pay.boundingBox())!;
  const height = device.viewport.height;
  const screens = Math.max(1, Math.ceil((box.y + box.height - top) / height));
  await pay.scrollIntoViewIfNeeded();
  const after = (await pay.boundingBox())!;
  const inView = after.y >= 0 && after.y + after.height <= height;
  console.log(`  ${name}: ${String(screens)} (Pay's bottom ${(box.y + box.height - top).toFixed(0)} px below the modal's top; in view after scrolling: ${inView ? 'yes' : 'no'})`);
  await context.close();
}
await browser.close();
await backend.close();
shop.close();
