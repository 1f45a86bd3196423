import { createRequire } from 'node:module';
import { type APIRequestContext, expect, type FrameLocator, type Page } from '@playwright/test';
import { backend, checkoutFrame, fillAddress, fillCard } from './merchant.js';
import { expectSeen } from './visible.js';

export const CARD_OK = '4111 1111 1111 1111';
export const CARD_DECLINED = '4000 0000 0000 0002';
export const CARD_NO_FUNDS = '4000 0000 0000 9995';
export const CARD_3DS = '4000 0000 0000 3220';

/** The Inkwell demo (demo/merchant.ts), as a new customer: a fresh cookie, the pricing page. */
export async function openShop(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Taglines on tap' })).toBeVisible();
}

/** Steps 1–2 on the pricing page: a plan, then a pack (its addon id) from the dropdown and how many. */
export async function choose(page: Page, o: { plan?: string; pack?: string; quantity?: number } = {}): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(o.plan ?? 'Credits Starter') }).check();
  if (o.pack !== undefined) await page.getByRole('combobox', { name: 'Credit pack' }).selectOption(o.pack);
  if (o.quantity !== undefined) await page.getByRole('spinbutton', { name: 'Packs' }).fill(String(o.quantity));
}

/** Fills the hosted checkout in the modal, on its one page, up to the Pay button (the pack is already in the cart). */
export async function fillCheckout(page: Page, o: { card?: string; email?: string } = {}): Promise<FrameLocator> {
  const f = checkoutFrame(page);
  await expect(f.getByRole('spinbutton', { name: /^Quantity of Credit pack \([\d,]+ credits\)$/ })).toBeVisible();
  await fillAddress(f, o.email);
  await fillCard(f, o.card ?? CARD_OK);
  await expect(f.getByRole('button', { name: /^Pay \S/ })).toBeVisible();
  return f;
}

/**
 * After Pay: the checkout's success screen, seen, stays until the customer leaves it; Return to Inkwell closes the
 * modal on the account page (made behind it meanwhile), which takes the focus.
 */
export async function returnToShop(page: Page): Promise<void> {
  const f = checkoutFrame(page);
  await expectSeen(f.getByRole('heading', { name: 'Payment complete. Thank you!' }), { timeout: 20_000 });
  await f.getByRole('button', { name: 'Return to Inkwell' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.locator('main')).toBeFocused();
}

/** Steps 1–5: buys a pack, leaves the success screen, and waits for the webhook's credits on the account page. */
export async function buy(page: Page, o: { pack?: string; quantity?: number; email?: string } = {}): Promise<void> {
  await openShop(page);
  await choose(page, { pack: o.pack ?? 'credits-100', quantity: o.quantity ?? 1 });
  await page.getByRole('button', { name: 'Checkout' }).click();
  const f = await fillCheckout(page, o);
  await f.getByRole('button', { name: /^Pay \S/ }).click();
  await returnToShop(page);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('#status')).toContainText('credits added', { timeout: 20_000 });
}

export const balance = (page: Page) => page.locator('#balance');

/** The demo's account as its server sees it (the page's own cookie). */
export async function account(page: Page): Promise<{ id: string; balance: number; subscription: { id: string; status: string } | null; history: Array<{ kind: string; amount: number }> }> {
  return page.evaluate(async () => (await fetch('/api/account')).json());
}

/** The customer's invoices and transactions on the backend, with the secret key. */
export async function charges(request: APIRequestContext, customerId: string) {
  const invoices = await backend<{ list: Array<{ invoice: { id: string; status: string; total: number } }> }>(request, 'GET', `/api/v2/invoices?customer_id[is]=${customerId}&limit=100`);
  const txns = await backend<{ list: Array<{ transaction: { id: string; status: string; amount: number } }> }>(request, 'GET', `/api/v2/transactions?customer_id[is]=${customerId}&limit=100`);
  return { invoices: invoices.list.map((x) => x.invoice), transactions: txns.list.map((x) => x.transaction) };
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's violations on the page (WCAG 2.1 A and AA). */
export async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}
