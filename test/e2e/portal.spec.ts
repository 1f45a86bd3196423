import { expect, type FrameLocator, type Page, test } from '@playwright/test';
import { PDFParse } from 'pdf-parse';
import { backend } from './merchant.js';
import { axePortal, callbacks, customer, expectFits, fillPortalCard, type Json, shop } from './portal.js';
import { expectSeen } from './visible.js';

/**
 * The self-serve portal in the modal, on a merchant page of another origin, as a customer clicks: every section that
 * writes, and the merchant's callbacks, each received once. The "phone" project runs the same at 390×844.
 */

test.use({ bypassCSP: true });

test('cancel at term end, then undo; change plan with the proration shown equal to the invoice; callbacks once each; axe clean', async ({ page, request }) => {
  const c = await customer(request, 'portal-sub@example.com');
  await shop(page, request, c);
  await page.getByRole('button', { name: 'Manage subscription' }).click();
  const f = page.frameLocator('iframe[title="Subscription"]');
  await expectSeen(f.getByRole('heading', { name: 'Grow' }));
  // The test gateway moves no real money: said beside the merchant's name, as the checkout says it.
  await expectSeen(f.locator('header.merchant .test').filter({ hasText: /^Test mode$/ }));
  // Every section's tab is in sight, on a phone too (there they wrap instead of scrolling out of view).
  for (const tab of ['Subscription', 'Billing history', 'Payment methods', 'Account', 'Address']) await expectSeen(f.getByRole('navigation').getByRole('button', { name: tab }));
  expect(await axePortal(page)).toEqual([]);
  await expectFits(page);

  await f.getByRole('button', { name: 'Cancel subscription' }).click();
  await expectSeen(f.getByText(/stays active until/));
  await expectFits(page);
  await f.getByRole('button', { name: /Cancel at end of term/ }).click();
  await expectSeen(f.getByText('Ends at term end'));
  await f.getByRole('button', { name: 'Keep my subscription' }).click();
  await expectSeen(f.locator('.badge', { hasText: 'Active' }));

  await f.getByRole('button', { name: 'Change plan' }).click();
  // The plans the shop offers in the portal (enabled_in_portal, in the subscription's currency), each priced as the
  // checkout prices it; not the pricing models' examples or the trial the catalog also holds.
  const offered = f.locator('fieldset.plans label');
  await expect(offered.locator('.name')).toHaveText(['Credits Starter', 'Grow, monthly', 'Grow, yearly', 'Hustle, monthly', 'Hustle, yearly', 'Scale, monthly', 'Scale, yearly']);
  await expect(offered.locator('.price')).toHaveText(['Free', '$19.00 / month', '$190.00 / year', '$49.00 / month', '$490.00 / year', '$99.00 / month', '$990.00 / year']);
  // Credits Starter needs a pack: said in words, and nothing can be confirmed until one is chosen.
  await f.getByText('Credits Starter').click();
  const needs = f.getByText('This plan needs a pack or addon: choose one above.');
  await needs.scrollIntoViewIfNeeded(); // in "What you pay", below the plans and addons
  await expectSeen(needs);
  await expect(f.getByRole('button', { name: 'Confirm change' })).toBeDisabled();
  // Scale's mandatory addons are charged with it: not called included.
  await f.getByText('Scale, monthly').click();
  const comes = f.getByText('Priority support · $49.00 / month (comes with this plan)');
  await comes.scrollIntoViewIfNeeded();
  await expectSeen(comes);
  await f.getByText('Hustle', { exact: false }).first().click();
  // Hustle allows every addon: its packs and premium addons, not the trial's one-time onboarding call.
  const pack = f.getByText(/Credit pack \(500 credits\)/);
  await pack.scrollIntoViewIfNeeded();
  await expectSeen(pack);
  await expect(f.getByText('Onboarding session')).toHaveCount(0);
  const due = f.locator('tr.total td').last();
  await expect(due).toHaveText(/\$\d/);
  const shown = (await due.textContent())!.trim();
  // Something is due now: paid with the card on file unless the customer picks a new one.
  await expect(f.getByRole('radio', { name: 'Card on file (Visa •••• 1111)' })).toBeChecked();
  expect(await axePortal(page)).toEqual([]);
  await expectFits(page);
  await f.getByRole('button', { name: 'Confirm change' }).click();
  await expectSeen(f.getByRole('heading', { name: 'Hustle' }));
  const { list } = await backend<{ list: Array<{ invoice: Json }> }>(request, 'GET', `/api/v2/invoices?subscription_id[is]=${c.subscription}&limit=10`);
  const latest = list.map((x) => x.invoice).sort((a, b) => Number(b.id) - Number(a.id))[0]!;
  // Due now is what the card paid: the new plan less the credit for Grow's unused time; the portal says so.
  expect(`$${(latest.amount_paid / 100).toFixed(2)}`).toBe(shown);
  await expectSeen(f.getByText(`Subscription changed. Paid: ${shown} (invoice ${String(latest.id)}).`));
  expect(latest.credits_applied).toBeGreaterThan(0);

  expect(await callbacks(page)).toEqual([
    ['subscriptionCancelled', { subscription: { id: c.subscription } }],
    ['scheduledCancellationRemoved', { subscription: { id: c.subscription } }],
    ['subscriptionChanged', { subscription: { id: c.subscription } }],
  ]);

  // A pack bought next: said where it was bought, and the change's note above, now stale, gone.
  const buy = f.getByRole('button', { name: 'Buy now' });
  await buy.scrollIntoViewIfNeeded();
  await buy.click();
  await expectSeen(f.getByText(/^Paid: \$\d+\.\d\d \(invoice \d+\)\.$/));
  await expect(f.getByText(/^Subscription changed\./)).toHaveCount(0);
  // The billing history adds up with the "Paid" the customer was told: the part credits paid is under the total.
  await f.getByRole('navigation').getByRole('button', { name: 'Billing history' }).click();
  await expectSeen(f.getByText(`$${(latest.credits_applied / 100).toFixed(2)} from credits`));
  expect(await axePortal(page)).toEqual([]);
  await expectFits(page);
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
  // The challenge's Cancel is the way out while it is open: the modal's × is gone, nothing covers the challenge.
  const close = page.getByRole('button', { name: 'Close Payment methods' });
  await expect(close).toBeHidden();
  // Escape leaves the bank's challenge as failed, and only it: the portal stays open, the card is not saved.
  await page.keyboard.press('Escape');
  await expectSeen(f.getByText(/could not be confirmed with your bank/));
  await expect(bank).toHaveCount(0);
  await expect(page.locator('iframe[title="Payment methods"]')).toBeVisible();
  await expectSeen(close);
  await f.getByRole('button', { name: 'Save card' }).focus();
  await page.keyboard.press('Enter');
  await expectSeen(bank.getByRole('button', { name: 'Complete' }));
  await page.keyboard.press('Enter'); // the dialog's first button has the focus
  await expectSeen(f.getByText(/•••• 3220/));
  expect(await axePortal(page)).toEqual([]);
  await expectFits(page);
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
  await expectFits(page);
});

test('change plan paying with a new card (3-D Secure): the new card pays and becomes the card on file', async ({ page, request }) => {
  const c = await customer(request, 'portal-newcard@example.com');
  await shop(page, request, c);
  await page.getByRole('button', { name: 'Manage subscription' }).click();
  const f = page.frameLocator('iframe[title="Subscription"]');
  await f.getByRole('button', { name: 'Change plan' }).click();
  await f.getByText('Hustle', { exact: false }).first().click();
  const due = f.locator('tr.total td').last();
  await expect(due).toHaveText(/\$\d/);
  const shown = (await due.textContent())!.trim();
  await f.getByRole('radio', { name: 'A new card' }).check();
  await fillPortalCard(f, '4000 0000 0000 3220');
  expect(await axePortal(page)).toEqual([]);
  await expectFits(page);
  // A double click confirms once.
  await f.getByRole('button', { name: 'Confirm change' }).dblclick();
  const bank = f.getByRole('dialog', { name: 'Confirm with your bank' });
  await expectSeen(bank.getByRole('button', { name: 'Complete' }));
  await bank.getByRole('button', { name: 'Complete' }).click();
  await expectSeen(f.getByRole('heading', { name: 'Hustle' }));

  const { list } = await backend<{ list: Array<{ invoice: Json }> }>(request, 'GET', `/api/v2/invoices?subscription_id[is]=${c.subscription}&limit=10`);
  const latest = list.map((x) => x.invoice).sort((a, b) => Number(b.id) - Number(a.id))[0]!;
  expect(`$${(latest.amount_paid / 100).toFixed(2)}`).toBe(shown);
  expect(list).toHaveLength(2); // the first one, and the change: not two changes
  const { customer: me } = await backend<{ customer: Json }>(request, 'GET', `/api/v2/customers/${c.id}`);
  const { payment_source: primary } = await backend<{ payment_source: Json }>(request, 'GET', `/api/v2/payment_sources/${String(me.primary_payment_source_id)}`);
  expect(primary.card.last4).toBe('3220');
  expect(await callbacks(page)).toEqual([['subscriptionChanged', { subscription: { id: c.subscription } }]]);
});

/** Tab (Shift+Tab back) until the frame's focus is on `target`, as a keyboard user does. */
async function tabTo(page: Page, target: ReturnType<FrameLocator['getByRole']>): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('not reached by Tab');
}

test('by keyboard only: cancel at term end, then undo; axe clean on each screen', async ({ page, request }) => {
  const c = await customer(request, 'portal-keys@example.com');
  await shop(page, request, c);
  await page.getByRole('button', { name: 'Manage subscription' }).focus();
  await page.keyboard.press('Enter');
  const f = page.frameLocator('iframe[title="Subscription"]');
  await expectSeen(f.getByRole('heading', { name: 'Grow' }));
  await tabTo(page, f.getByRole('button', { name: 'Cancel subscription' }));
  await page.keyboard.press('Enter');
  await expectSeen(f.getByText(/stays active until/));
  expect(await axePortal(page)).toEqual([]);
  await tabTo(page, f.getByRole('button', { name: /Cancel at end of term/ }));
  await page.keyboard.press('Space');
  await expectSeen(f.getByText('Ends at term end'));
  expect(await axePortal(page)).toEqual([]);
  await tabTo(page, f.getByRole('button', { name: 'Keep my subscription' }));
  await page.keyboard.press('Enter');
  await expectSeen(f.locator('.badge', { hasText: 'Active' }));
  expect(await callbacks(page)).toEqual([
    ['subscriptionCancelled', { subscription: { id: c.subscription } }],
    ['scheduledCancellationRemoved', { subscription: { id: c.subscription } }],
  ]);
});

test('buy a credit pack now with a new card; a double click buys once', async ({ page, request }) => {
  const c = await customer(request, 'portal-pack@example.com', { plan_id: 'credits-starter', 'addons[id][0]': 'credits-100', 'addons[quantity][0]': '1' });
  await shop(page, request, c);
  await page.getByRole('button', { name: 'Manage subscription' }).click();
  const f = page.frameLocator('iframe[title="Subscription"]');
  // Below the subscription's summary: the customer scrolls to it.
  await f.getByRole('heading', { name: 'Buy credits' }).scrollIntoViewIfNeeded();
  await expectSeen(f.getByRole('heading', { name: 'Buy credits' }));
  await f.getByLabel('Pack').selectOption('credits-500');
  await f.getByRole('radio', { name: 'A new card' }).check();
  await fillPortalCard(f, '4242 4242 4242 4242');
  expect(await axePortal(page)).toEqual([]);
  await expectFits(page);
  await f.getByRole('button', { name: 'Buy now' }).dblclick();
  await expectSeen(f.getByText(/^Paid: \$45\.00 \(invoice \d+\)\.$/));
  const { list } = await backend<{ list: Array<{ invoice: Json }> }>(request, 'GET', `/api/v2/invoices?customer_id[is]=${c.id}&limit=10`);
  expect(list.map((x) => x.invoice.total).sort()).toEqual([1000, 4500]);
  // The card that paid is the card on file now, chosen for the next pack, and the new card's fields are gone.
  await expect(f.getByRole('radio', { name: 'Card on file (Visa •••• 4242)' })).toBeChecked();
  await expect(f.locator('.pay-with .card-frame')).toBeHidden();
});

test('two subscriptions: the list names each plan as customers read it and says when each renews or ends', async ({ page, request }) => {
  const c = await customer(request, 'portal-two@example.com');
  const { subscription: second } = await backend<{ subscription: { id: string; current_term_end: number } }>(request, 'POST', `/api/v2/customers/${c.id}/subscriptions`, { plan_id: 'hustle-monthly' });
  await backend(request, 'POST', `/api/v2/subscriptions/${second.id}/cancel`, { end_of_term: 'true' });
  await shop(page, request, c);
  await page.getByRole('button', { name: 'Payment methods' }).click();
  const f = page.frameLocator('iframe[title="Payment methods"]');
  await f.getByRole('button', { name: 'Subscription', exact: true }).click();
  const cards = f.locator('ul.cards li');
  await expect(cards).toHaveCount(2);
  const ends = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(second.current_term_end * 1000);
  const hustle = cards.filter({ hasText: 'Hustle, monthly' });
  await expectSeen(hustle.getByText(`Ends ${ends}`));
  await expectSeen(cards.filter({ hasText: 'Grow, monthly' }).getByText(/^Renews /));
  await expect(f.getByText(/grow-monthly|hustle-monthly/)).toHaveCount(0);
  await hustle.getByRole('button', { name: 'Manage' }).click();
  await expectSeen(f.getByRole('heading', { name: 'Hustle' }));
});
