import { createRequire } from 'node:module';
import { type APIRequestContext, expect, type FrameLocator, type Page } from '@playwright/test';
import { backend, log, merchant } from './merchant.js';
import { BACKEND_URL, E2E_PUBLISHABLE_KEY } from './playwright.config.js';

/** The portal's e2e helpers: a customer made by the merchant's server, the shop's account page, checks. */

export type Json = Record<string, any>;

export const CARD = { ok: '4111111111111111', declinesLater: '4000000000000341', threeDs: '4000000000003220' } as const;

/** A card token, as the card frame makes one (publishable key, the backend's origin). */
async function token(request: APIRequestContext, number: string): Promise<string> {
  const tok = await request.post(`${BACKEND_URL}/api/browser/v2/card_tokens`, {
    headers: { 'x-paylit-publishable-key': E2E_PUBLISHABLE_KEY, origin: BACKEND_URL },
    data: { number, expiry_month: 12, expiry_year: 2040, cvc: '123' },
  });
  return ((await tok.json()) as { card_token: { id: string } }).card_token.id;
}

/** Saves a card for the customer with the secret key; `primary` makes it the card on file. */
export async function saveCard(request: APIRequestContext, customerId: string, number: string, primary = false): Promise<void> {
  await backend(request, 'POST', '/api/v2/payment_sources/create_using_temp_token', {
    customer_id: customerId, tmp_token: await token(request, number), type: 'card', ...(primary && { replace_primary_payment_source: 'true' }),
  });
}

/** A customer with a card and a subscription (Grow unless said), made by the merchant's server (secret key). */
export async function customer(request: APIRequestContext, email: string, subscription: Record<string, string> = { plan_id: 'grow-monthly' }): Promise<{ id: string; subscription: string }> {
  const { customer: c } = await backend<{ customer: { id: string } }>(request, 'POST', '/api/v2/customers', { email, first_name: 'Ada', last_name: 'Lovelace' });
  await saveCard(request, c.id, CARD.ok);
  const { subscription: s } = await backend<{ subscription: { id: string } }>(request, 'POST', `/api/v2/customers/${c.id}/subscriptions`, subscription);
  return { id: c.id, subscription: s.id };
}

/** The shop's account page: one button per section, every portal callback logged. */
export async function shop(page: Page, request: APIRequestContext, c: { id: string; subscription: string }) {
  await merchant(page, request, {
    body: '<button id="manage">Manage subscription</button> <button id="cards">Payment methods</button> <button id="history">Invoices</button>',
    script: `
      const logged = (name) => (...args) => window.log.push([name, ...args]);
      const names = ['loaded', 'close', 'paymentSourceAdd', 'paymentSourceUpdate', 'paymentSourceRemove', 'subscriptionChanged', 'subscriptionCancelled', 'subscriptionReactivated', 'scheduledCancellationRemoved'];
      const callbacks = Object.fromEntries(names.map((n) => [n, logged(n)]));
      addEventListener('DOMContentLoaded', () => {
        const p = Paylit.getInstance();
        p.setPortalSession(() => fetch('/merchant/api/portal?customer=${c.id}').then((r) => r.json()));
        const S = Paylit.getPortalSections();
        document.querySelector('#manage').onclick = () => p.createPortal().openSection({ sectionType: S.SUBSCRIPTION_DETAILS, params: { subscriptionId: '${c.subscription}' } }, callbacks);
        document.querySelector('#cards').onclick = () => p.createPortal().openSection('PAYMENT_SOURCES', callbacks);
        document.querySelector('#history').onclick = () => p.createPortal().openSection('BILLING_HISTORY', callbacks);
      });`,
  });
}

export const callbacks = async (page: Page) => ((await log(page)) as unknown[][]).filter(([n]) => n !== 'loaded' && n !== 'close');

/** Fills in a card frame inside the portal's frame. */
export async function fillPortalCard(f: FrameLocator, number: string): Promise<void> {
  const card = f.frameLocator('iframe[title="Card details"]');
  await card.getByLabel('Card number').fill(number);
  await card.getByLabel('Expiry (MM / YY)').fill('12 / 34');
  await card.getByLabel('Security code').fill('123');
}

const portalFrame = (page: Page) => page.frames().find((f) => f.url().includes('/hosted/portal/'))!;

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export async function axePortal(page: Page): Promise<string[]> {
  const frame = portalFrame(page);
  await frame.addScriptTag({ path: axePath });
  return frame.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

/**
 * Nothing cut off or overlapping, on any screen: the portal's frame inside the page's viewport; in it no sideways
 * scrolling, every heading, text, control and tab inside the frame's width (a wide table scrolls in its own box, the
 * tab row sideways), and the tab row above the section, not over it.
 */
export async function expectFits(page: Page): Promise<void> {
  await expect(async () => {
    const vp = page.viewportSize()!;
    const box = (await (await portalFrame(page).frameElement()).boundingBox())!;
    expect(box.x >= -1 && box.x + box.width <= vp.width + 1, `the frame within the page (${JSON.stringify(box)})`).toBe(true);
    const problems = await portalFrame(page).evaluate(() => {
      const out: string[] = [];
      const w = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth > w + 1) out.push(`scrolls sideways: ${String(document.documentElement.scrollWidth)} > ${String(w)}`);
      const nav = document.querySelector('nav.portal')!.getBoundingClientRect();
      const main = document.querySelector('main.portal')!.getBoundingClientRect();
      if (nav.bottom > main.top + 1) out.push(`the tabs overlap the section (${String(nav.bottom)} > ${String(main.top)})`);
      for (const e of document.querySelectorAll<HTMLElement>('main h1, main h2, main p, main button, main input, main select, main label, main dt, main dd, main legend')) {
        if (e.closest('.scroll, [hidden], dialog') || !e.getClientRects().length) continue;
        const r = e.getBoundingClientRect();
        if (r.left < -1 || r.right > w + 1) out.push(`${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 30)}" cut off (${String(r.left)}..${String(r.right)} of ${String(w)})`);
      }
      return out;
    });
    expect(problems).toEqual([]);
  }).toPass({ timeout: 5_000 });
}
