import { createRequire } from 'node:module';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { PDFParse } from 'pdf-parse';
import { backend, log, merchant } from './merchant.js';
import { BACKEND_URL, E2E_PUBLISHABLE_KEY } from './playwright.config.js';
import { expectSeen } from './visible.js';

type Json = Record<string, any>;

/**
 * The self-serve portal in the modal, on a merchant page of another origin, as a customer clicks: every section that
 * writes, and the merchant's callbacks, each received once.
 */

/** A customer with a card and a Grow subscription, made by the merchant's server (secret key). */
async function customer(request: APIRequestContext, email: string): Promise<{ id: string; subscription: string }> {
  const { customer: c } = await backend<{ customer: { id: string } }>(request, 'POST', '/api/v2/customers', { email, first_name: 'Ada', last_name: 'Lovelace' });
  const tok = await request.post(`${BACKEND_URL}/api/browser/v2/card_tokens`, {
    headers: { 'x-paylit-publishable-key': E2E_PUBLISHABLE_KEY, origin: BACKEND_URL },
    data: { number: '4111111111111111', expiry_month: 12, expiry_year: 2040, cvc: '123' },
  });
  const { card_token } = (await tok.json()) as { card_token: { id: string } };
  await backend(request, 'POST', '/api/v2/payment_sources/create_using_temp_token', { customer_id: c.id, tmp_token: card_token.id, type: 'card' });
  const { subscription } = await backend<{ subscription: { id: string } }>(request, 'POST', `/api/v2/customers/${c.id}/subscriptions`, { plan_id: 'grow-monthly' });
  return { id: c.id, subscription: subscription.id };
}

/** The shop's account page: one button per section, every portal callback logged. */
async function shop(page: Page, request: APIRequestContext, c: { id: string; subscription: string }) {
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

const callbacks = async (page: Page) => ((await log(page)) as unknown[][]).filter(([n]) => n !== 'loaded' && n !== 'close');

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
async function axePortal(page: Page): Promise<string[]> {
  const frame = page.frames().find((f) => f.url().includes('/hosted/portal/'))!;
  await frame.addScriptTag({ path: axePath });
  return frame.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

test.use({ bypassCSP: true });

test('cancel at term end, then undo; change plan with the proration shown equal to the invoice; callbacks once each; axe clean', async ({ page, request }) => {
  const c = await customer(request, 'portal-sub@example.com');
  await shop(page, request, c);
  await page.getByRole('button', { name: 'Manage subscription' }).click();
  const f = page.frameLocator('iframe[title="Subscription"]');
  await expectSeen(f.getByRole('heading', { name: 'Grow' }));
  expect(await axePortal(page)).toEqual([]);

  await f.getByRole('button', { name: 'Cancel subscription' }).click();
  await expectSeen(f.getByText(/stays active until/));
  await f.getByRole('button', { name: /Cancel at end of term/ }).click();
  await expectSeen(f.getByText('Ends at term end'));
  await f.getByRole('button', { name: 'Keep my subscription' }).click();
  await expectSeen(f.locator('.badge', { hasText: 'Active' }));

  await f.getByRole('button', { name: 'Change plan' }).click();
  await f.getByText('Hustle', { exact: false }).first().click();
  const due = f.locator('tr.total td').last();
  await expect(due).toHaveText(/\$\d/);
  const shown = (await due.textContent())!.trim();
  expect(await axePortal(page)).toEqual([]);
  await f.getByRole('button', { name: 'Confirm change' }).click();
  await expectSeen(f.getByRole('heading', { name: 'Hustle' }));
  const { list } = await backend<{ list: Array<{ invoice: Json }> }>(request, 'GET', `/api/v2/invoices?subscription_id[is]=${c.subscription}&limit=10`);
  const latest = list.map((x) => x.invoice).sort((a, b) => Number(b.id) - Number(a.id))[0]!;
  // Due now is what the card paid: the new plan less the credit for Grow's unused time.
  expect(`$${(latest.amount_paid / 100).toFixed(2)}`).toBe(shown);
  expect(latest.credits_applied).toBeGreaterThan(0);

  expect(await callbacks(page)).toEqual([
    ['subscriptionCancelled', { subscription: { id: c.subscription } }],
    ['scheduledCancellationRemoved', { subscription: { id: c.subscription } }],
    ['subscriptionChanged', { subscription: { id: c.subscription } }],
  ]);
});

test('add a card with 3-D Secure, make it primary, remove the old one, by keyboard; callbacks once each', async ({ page, request }) => {
  const c = await customer(request, 'portal-cards@example.com');
  await shop(page, request, c);
  await page.getByRole('button', { name: 'Payment methods' }).click();
  const f = page.frameLocator('iframe[title="Payment methods"]');
  await expectSeen(f.getByText(/•••• 1111/));
  await f.getByRole('button', { name: 'Add a card' }).click();
  const card = f.frameLocator('iframe[title="Card details"]');
  await card.getByLabel('Card number').fill('4000 0000 0000 3220');
  await card.getByLabel('Expiry (MM / YY)').fill('12 / 34');
  await card.getByLabel('Security code').fill('123');
  // Kept as a second card first (the box is ticked by default), made primary below.
  await f.getByRole('checkbox', { name: 'Use as my primary card' }).focus();
  await page.keyboard.press('Space');
  await f.getByRole('button', { name: 'Save card' }).focus();
  await page.keyboard.press('Enter');
  const bank = f.getByRole('dialog', { name: 'Confirm with your bank' });
  await expectSeen(bank.getByRole('button', { name: 'Complete' }));
  await page.keyboard.press('Enter'); // the dialog's first button has the focus
  await expectSeen(f.getByText(/•••• 3220/));
  expect(await axePortal(page)).toEqual([]);
  await f.getByRole('button', { name: /Make primary: .*3220/ }).focus();
  await page.keyboard.press('Enter');
  await expect(f.getByRole('button', { name: /Make primary: .*1111/ })).toBeVisible();
  await f.getByRole('button', { name: /Remove .*1111/ }).click();
  await expect(f.getByText(/•••• 1111/)).toHaveCount(0);
  await f.getByRole('button', { name: /Remove .*3220/ }).click();
  await expectSeen(f.getByText(/only card paying for subscription/));
  expect((await callbacks(page)).map(([n]) => n)).toEqual(['paymentSourceAdd', 'paymentSourceUpdate', 'paymentSourceRemove']);
});

test('download an invoice as PDF from the billing history: its total is the invoice\'s', async ({ page, request }) => {
  const c = await customer(request, 'portal-pdf@example.com');
  await shop(page, request, c);
  await page.getByRole('button', { name: 'Invoices' }).click();
  const f = page.frameLocator('iframe[title="Billing history"]');
  const { list } = await backend<{ list: Array<{ invoice: Json }> }>(request, 'GET', `/api/v2/invoices?customer_id[is]=${c.id}&limit=10`);
  const invoice = list[0]!.invoice;
  const [download] = await Promise.all([page.waitForEvent('download'), f.getByRole('button', { name: `Download invoice ${String(invoice.id)} as PDF` }).click()]);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  const text = (await new PDFParse({ data: new Uint8Array(await readFile(path)) }).getText()).text;
  expect(text).toMatch(new RegExp(`Total\\s+\\$${(invoice.total / 100).toFixed(2).replace('.', '\\.')}`));
  expect(await axePortal(page)).toEqual([]);
});
