import { expect, test } from '@playwright/test';
import { backend, SCREENS } from './merchant.js';
import { axePortal, callbacks, CARD, customer, expectFits, fillPortalCard, type Json, saveCard, shop } from './portal.js';
import { expectSeen } from './visible.js';

// The site's clock moves past a term end (the time machine): in the "world" project, after every other test, alone.
test.describe.configure({ mode: 'serial' });

for (const device of ['desktop', 'phone'] as const) {
  test(`${device}: pay a due invoice after a renewal declined: the card on file is declined again, a new card with 3-D Secure pays it`, async ({ browser, request }) => {
    const context = await browser.newContext({ ...SCREENS[device], bypassCSP: true });
    const page = await context.newPage();
    const c = await customer(request, `portal-dunning-${device}@example.com`);
    // The card on file from now on declines every charge (it was saved fine).
    await saveCard(request, c.id, CARD.declinesLater, true);
    const { subscription: sub } = await backend<{ subscription: Json }>(request, 'GET', `/api/v2/subscriptions/${c.subscription}`);
    await backend(request, 'POST', '/api/v2/time_machines/delorean/travel_forward', { destination_time: String(sub.current_term_end + 60) });
    const due = async () => {
      const { list } = await backend<{ list: Array<{ invoice: Json }> }>(request, 'GET', `/api/v2/invoices?subscription_id[is]=${c.subscription}&limit=10`);
      return list.map((x) => x.invoice).find((i) => i.status === 'payment_due' || i.status === 'not_paid');
    };
    await expect.poll(async () => (await due())?.id, { timeout: 20_000 }).toBeDefined();
    const invoice = (await due())!;
    const amount = `$${(invoice.amount_due / 100).toFixed(2)}`;

    await shop(page, request, c);
    await page.getByRole('button', { name: 'Invoices' }).click();
    const f = page.frameLocator('iframe[title="Billing history"]');
    const row = f.getByRole('row').filter({ has: f.getByRole('button', { name: `Download invoice ${String(invoice.id)} as PDF` }) });
    await expectSeen(row.locator('.badge', { hasText: 'Payment due' }));
    await f.getByRole('button', { name: `Pay ${amount} for invoice ${String(invoice.id)}` }).click();
    const panel = f.locator('.pay').filter({ has: f.getByRole('heading', { name: `Pay invoice ${String(invoice.id)}` }) });
    await expect(panel.getByRole('radio', { name: 'Card on file (Visa •••• 0341)' })).toBeChecked();
    await panel.getByRole('button', { name: `Pay ${amount}` }).click();
    await expectSeen(panel.getByText('Your card on file (Visa •••• 0341) was declined. Pay with a new card below.'));
    // The new card is offered right there.
    await expect(panel.getByRole('radio', { name: 'A new card' })).toBeChecked();
    expect(await axePortal(page)).toEqual([]);
    await expectFits(page);
    await fillPortalCard(f, '4000 0000 0000 3220');
    await panel.getByRole('button', { name: `Pay ${amount}` }).click();
    const bank = f.getByRole('dialog', { name: 'Confirm with your bank' });
    await bank.getByRole('button', { name: 'Complete' }).click();
    await expectSeen(row.locator('.badge', { hasText: 'Paid' }));
    await expect(f.getByRole('button', { name: `Pay ${amount} for invoice ${String(invoice.id)}` })).toHaveCount(0);

    const { invoice: after } = await backend<{ invoice: Json }>(request, 'GET', `/api/v2/invoices/${String(invoice.id)}`);
    expect(after.status).toBe('paid');
    expect(after.amount_due).toBe(0);
    expect(await callbacks(page)).toEqual([]);
    await context.close();
  });
}
