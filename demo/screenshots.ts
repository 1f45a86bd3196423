/**
 * `npm run screenshots`: walks through the demo as a customer, light and dark, on a desktop and a phone, and saves a
 * picture of each step into demo/screenshots/ (the README shows them). Starts its own demo on ports 8796/8797 with a
 * fresh database (PAYLIT_SCREENSHOTS_PORT moves them); needs a Chromium (CHROMIUM_PATH, /usr/bin/chromium, or Playwright's own).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type FrameLocator, type Page } from '@playwright/test';
// The e2e tests' customer steps, so the pictures show exactly what the tests do.
import { fillAddress, fillCard } from '../test/e2e/merchant.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'demo/screenshots');
const PORT = Number(process.env.PAYLIT_SCREENSHOTS_PORT ?? 8796);
const ORIGIN = `http://127.0.0.1:${String(PORT)}`;

const devices = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} as const;

async function startDemo(): Promise<ChildProcess> {
  const data = join(root, '.paylit/screenshots');
  rmSync(data, { recursive: true, force: true });
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['demo/serve.ts'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PAYLIT_DEMO_PORT: String(PORT), PORT: String(PORT + 1), PAYLIT_DATA_DIR: data },
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${ORIGIN}/api/config`, { signal: AbortSignal.timeout(5000) })).ok) return child;
    } catch {
      // not up yet (or still starting)
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error('the demo did not start');
}

async function checkoutToPay(page: Page, shot: (step: string) => Promise<void>, card?: string): Promise<FrameLocator> {
  const f = page.frameLocator('iframe[title="Checkout"]');
  await f.getByRole('button', { name: /^Pay \S/ }).waitFor();
  // As it opens: whom you pay and the cart (on a phone, the summary collapsed at the top with its total).
  await shot('4a-open');
  await fillAddress(f);
  await fillCard(f, card);
  return f;
}

async function walk(browser: Browser, device: keyof typeof devices, scheme: 'light' | 'dark'): Promise<void> {
  const context = await browser.newContext({ ...devices[device], colorScheme: scheme, reducedMotion: 'reduce', locale: 'en-US' });
  const page = await context.newPage();
  const shot = async (step: string) => {
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `${step}-${device}-${scheme}.png`) });
    console.log(`  ${step}-${device}-${scheme}.png`);
  };
  await page.goto(`${ORIGIN}/`);
  await page.getByRole('heading', { name: 'Taglines on tap' }).waitFor();
  await shot('1-plans');
  await page.getByRole('radio', { name: /Credits Starter/ }).check();
  await page.getByRole('button', { name: 'Checkout' }).click();
  await page.getByRole('alert').filter({ hasText: 'Choose a credit pack' }).waitFor();
  await shot('3-addon-rule');
  await page.getByRole('combobox', { name: 'Credit pack' }).selectOption('credits-100');
  await page.getByRole('spinbutton', { name: 'Packs' }).fill('2');
  await page.getByRole('spinbutton', { name: 'Packs' }).blur();
  await shot('2-packs');
  await page.getByRole('button', { name: 'Checkout' }).click();
  // A declined card first (the message by the card), then 3-D Secure (the challenge over the checkout), then paid.
  const f = await checkoutToPay(page, shot, '4000 0000 0000 0002');
  await page.waitForTimeout(300);
  await shot('4-checkout');
  await f.getByRole('button', { name: /^Pay \S/ }).click();
  await f.locator('#payment-error').filter({ hasText: /declined/ }).waitFor();
  await shot('4b-declined');
  await fillCard(f, '4000 0000 0000 3220');
  await f.getByRole('button', { name: /^Pay \S/ }).click();
  await f.getByRole('dialog', { name: 'Confirm this payment with your bank' }).waitFor();
  await shot('4c-3d-secure');
  await f.getByRole('button', { name: 'Complete' }).click();
  await f.getByRole('heading', { name: 'Payment complete. Thank you!' }).waitFor({ timeout: 30_000 });
  await shot('4d-paid');
  await f.getByRole('button', { name: 'Return to Inkwell' }).click();
  await page.locator('#status').filter({ hasText: 'credits added' }).waitFor({ timeout: 30_000 });
  await shot('5-credited');
  for (let i = 0; i < 6; i++) {
    await page.getByRole('button', { name: /Use credits/ }).click();
    await page.locator('#balance').filter({ hasText: String(200 - 30 * (i + 1)) }).waitFor();
  }
  await page.getByRole('dialog', { name: 'Your credits are running low' }).waitFor();
  await shot('6-low-balance');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Edit billing address' }).click();
  await page.frameLocator('dialog iframe').getByLabel('City').first().waitFor();
  await page.waitForTimeout(300);
  await shot('7-address');
  await page.keyboard.press('Escape');
  // The portal beside the popover: a pack for the next renewal, then one bought now (its webhook credits the balance).
  const before = Number((await page.locator('#balance').textContent())?.replace(/\D/g, ''));
  await page.getByRole('button', { name: 'Manage subscription' }).click();
  const portal = page.frameLocator('iframe[title="Subscription"]');
  await portal.getByRole('heading', { name: 'Buy credits' }).waitFor({ timeout: 20_000 });
  await portal.getByLabel('Pack', { exact: true }).selectOption('credits-100');
  await portal.getByRole('button', { name: 'Add to next renewal' }).click();
  await portal.getByRole('heading', { name: 'With your next renewal' }).waitFor();
  await portal.getByLabel('Pack', { exact: true }).selectOption('credits-500');
  await portal.getByRole('button', { name: 'Buy now' }).click();
  const paid = portal.getByText(/^Paid: /);
  await paid.waitFor();
  await paid.scrollIntoViewIfNeeded();
  await shot('8-portal-packs');
  await page.locator('#balance').filter({ hasText: (before + 500).toLocaleString('en-US') }).waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  // The banner and the raised balance at the top (on a phone the scheduled pack is further down).
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('8b-portal-credited');
  // A shop whose address is not among the backend's allowed origins: the customer reads plain words, with Try again.
  await page.goto(`http://foreign.localhost:${String(PORT)}/`);
  await page.getByRole('radio', { name: /Credits Starter/ }).check();
  await page.getByRole('combobox', { name: 'Credit pack' }).selectOption('credits-100');
  await page.getByRole('button', { name: 'Checkout' }).click();
  await page.getByRole('dialog', { name: 'Checkout' }).getByRole('alert').waitFor({ timeout: 20_000 });
  await shot('9-refused');
  await context.close();
}

const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
mkdirSync(out, { recursive: true });
const demo = await startDemo();
const browser = await chromium.launch({ executablePath, args: ['--disable-features=LocalNetworkAccessChecks'] });
try {
  for (const device of ['desktop', 'phone'] as const) {
    for (const scheme of ['light', 'dark'] as const) await walk(browser, device, scheme);
  }
} finally {
  await browser.close();
  demo.kill('SIGTERM');
}
