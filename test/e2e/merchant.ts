import { readFileSync } from 'node:fs';
import { type APIRequestContext, expect, type FrameLocator, type Page } from '@playwright/test';
import { BACKEND_URL, DEMO_URL, E2E_API_KEY, E2E_PUBLISHABLE_KEY } from './playwright.config.js';
import { expectSeen } from './visible.js';

/**
 * A merchant's page for the embed's tests, on the demo's origin (allowed to embed the checkout, and not the
 * backend's): Playwright serves it, its scripts and a tiny "merchant server" (`/merchant/api/*`, which calls the
 * backend with the secret key, as a real merchant server would).
 */
export const MERCHANT = DEMO_URL; // PAYLIT_E2E_DEMO_PORT moves it
/**
 * The same machine under another name: an origin that is not on the allowlist (`npm start` allows the demo's
 * 127.0.0.1 and localhost origins, so not plain localhost).
 */
export const FOREIGN = DEMO_URL.replace('127.0.0.1', 'foreign.localhost');

const dist = (f: string) => readFileSync(new URL(`../../dist/${f}`, import.meta.url));

export async function backend<T>(request: APIRequestContext, method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<T> {
  const r = await request.fetch(`${BACKEND_URL}${path}`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${E2E_API_KEY}:`).toString('base64')}` },
    ...(form && { form }),
  });
  const body = (await r.json()) as T;
  expect(r.ok(), JSON.stringify(body)).toBe(true);
  return body;
}

export interface MerchantOptions {
  /** The page's body (scripts go in `script`). */
  body?: string;
  /** The page's own script, served from /merchant/app.js (so it also runs under a strict CSP). */
  script?: string;
  /** `<script src>` attributes for the loader. */
  loader?: string;
  /** Serve the loader from the merchant's own origin (`/merchant/paylit.js`) instead of the backend. */
  selfHosted?: boolean;
  csp?: string;
  origin?: string;
  path?: string;
}

/** Opens a merchant page and returns it; `window.log` collects what its callbacks saw, in order. */
export async function merchant(page: Page, request: APIRequestContext, o: MerchantOptions = {}): Promise<void> {
  const origin = o.origin ?? MERCHANT;
  const path = o.path ?? '/merchant/shop.html';
  await page.route(`${origin}/merchant/**`, async (route) => {
    const url = new URL(route.request().url());
    const headers: Record<string, string> = o.csp ? { 'Content-Security-Policy': o.csp } : {};
    if (url.pathname === path) {
      const src = o.selfHosted ? '/merchant/paylit.js' : `${BACKEND_URL}/paylit.js`;
      return route.fulfill({
        contentType: 'text/html',
        headers,
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Shop</title>
          <script src="${src}" ${o.loader ?? `data-paylit-site="e2e" data-paylit-domain="${BACKEND_URL}" data-paylit-publishable-key="${E2E_PUBLISHABLE_KEY}"`}></script>
          <script src="/merchant/app.js"></script></head><body><main><h1>Shop</h1>${o.body ?? ''}</main><p><a href="/merchant/other">after</a></p></body></html>`,
      });
    }
    if (url.pathname === '/merchant/app.js') return route.fulfill({ contentType: 'text/javascript', headers, body: `window.log = [];\n${o.script ?? ''}` });
    if (url.pathname === '/merchant/paylit.js') return route.fulfill({ contentType: 'text/javascript', body: dist('paylit.js') });
    if (url.pathname === '/merchant/paylit-ui.js') return route.fulfill({ contentType: 'text/javascript', body: dist('paylit-ui.js') });
    if (url.pathname === '/merchant/thanks.html') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Thanks</title><h1>Thanks</h1>' });
    // The merchant server: a checkout for a new customer, or a portal session for one, with the secret key.
    if (url.pathname === '/merchant/api/checkout') {
      const form: Record<string, string> = { 'subscription[plan_id]': url.searchParams.get('plan') ?? 'credits-starter' };
      url.searchParams.forEach((v, k) => k !== 'plan' && (form[k] = v));
      return route.fulfill({ json: await backend(request, 'POST', '/api/v2/hosted_pages/checkout_new', form) });
    }
    if (url.pathname === '/merchant/api/portal') {
      const r = await backend<{ portal_session: unknown }>(request, 'POST', '/api/v2/portal_sessions', { 'customer[id]': url.searchParams.get('customer')! });
      return route.fulfill({ json: r.portal_session });
    }
    return route.fulfill({ status: 404, body: 'not found' });
  });
  await page.goto(`${origin}${path}`);
}

export const log = (page: Page) => page.evaluate(() => (window as unknown as { log: unknown[] }).log);

/** The two screens the checkout is judged on: a desktop window, and a phone as Chromium emulates one (390×844, touch). */
export const SCREENS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} as const;

/** The checkout in its frame. */
export const checkoutFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Checkout"]');

/** Fills in the card frame inside the checkout frame with a test card. */
export async function fillCard(f: FrameLocator, number = '4111 1111 1111 1111'): Promise<void> {
  const card = f.frameLocator('iframe[title="Card details"]');
  await card.getByLabel('Card number').fill(number);
  await card.getByLabel('Expiry (MM / YY)').fill('12 / 34');
  await card.getByLabel('Security code').fill('123');
}

/** Fills in the checkout's address step: an email and a US billing address (Springfield, IL). */
export async function fillAddress(f: FrameLocator, email = 'ada@example.com'): Promise<void> {
  await f.getByLabel('Email').fill(email);
  await f.getByLabel('Country').selectOption('US');
  await f.getByLabel('First name').fill('Ada');
  await f.getByLabel('Last name').fill('Lovelace');
  await f.getByRole('textbox', { name: 'Address', exact: true }).fill('1 Main St');
  await f.getByLabel('City').fill('Springfield');
  await f.getByLabel('State').selectOption('IL');
  await f.getByLabel('ZIP code').fill('62701');
}

/** The Pay button of the checkout in its frame. */
export const payButton = (f: FrameLocator) => f.getByRole('button', { name: /^Pay \S/ });

/**
 * Goes through a credit-pack checkout in the frame as a customer would, on its one page: Pay without a pack (refused,
 * the message shown by the packs), a pack, the address, the card, then Pay.
 */
export async function buyPack(page: Page, o: { card?: string; pay?: boolean } = {}): Promise<void> {
  const f = checkoutFrame(page);
  await expect(f.getByRole('button', { name: /Add a pack/ })).toBeVisible();
  // What the plan needs is said from the start, as a hint by the packs (the total is $0.00; the button says Pay, as
  // it will once the pack is chosen, with no amount yet: never Subscribe, which is not what will happen).
  const said = (part: string) => f.locator(`paylit-addon-picker [part="${part}"]`).filter({ hasText: 'Choose a credit pack to continue.' });
  await said('hint').scrollIntoViewIfNeeded();
  await expectSeen(said('hint'));
  // The pack is paid for, so the card is asked for from the start: never "nothing to pay" before a pack is chosen.
  const cardGroup = f.getByRole('group', { name: 'Card details' });
  await cardGroup.scrollIntoViewIfNeeded(); // below the packs and the address on a phone
  await expectSeen(cardGroup);
  await expect(f.getByText('Nothing to pay today')).toHaveCount(0);
  await expect(f.getByRole('button', { name: 'Subscribe' })).toHaveCount(0);
  await f.getByRole('button', { name: 'Pay', exact: true }).click(); // $0 until a pack is chosen: refused
  await expectSeen(said('error'));
  await expect(said('hint')).toHaveCount(0);
  await f.getByRole('button', { name: /Add a pack/ }).click();
  await f.getByRole('option', { name: /100 credits/ }).click();
  await expect(f.getByRole('button', { name: 'Pay', exact: true })).toHaveCount(0);
  await expect(payButton(f)).toHaveText(/^\s*Pay \$10\.00\s*$/);
  await fillAddress(f);
  await fillCard(f, o.card);
  if (o.pay !== false) await payButton(f).click();
}
