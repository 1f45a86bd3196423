import { expect, type Page, test } from '@playwright/test';
import { account, balance, buy, charges, choose, fillCheckout, openShop, returnToShop } from './demo.js';
import { backend, checkoutFrame, fillAddress, fillCard, log, merchant, payButton, SCREENS } from './merchant.js';
import { expectSeen } from './visible.js';

// These change the demo's whole world: the site's clock, or its webhook endpoint. They run after every other test
// (the "world" project depends on the others), one at a time.
test.describe.configure({ mode: 'serial' });

test.describe('the credit-pack demo: renewals and outages', () => {
  test('step 6: Add at next renewal schedules the pack; the admin time machine renews and the credits land', async ({ page, request }) => {
    await buy(page);
    for (const expected of ['70', '40']) {
      await page.getByRole('button', { name: /Use credits/ }).click();
      await expect(balance(page)).toHaveText(expected);
    }
    const offer = page.getByRole('dialog', { name: 'Your credits are running low' });
    await expect(offer).toBeVisible();
    await offer.getByRole('button', { name: 'Add at next renewal' }).click();
    await expect(page.locator('#status')).toContainText('will be added at your next renewal');
    await expect(page.locator('#scheduled')).toHaveText('1 × 100 credits (scheduled)');
    await expect(balance(page)).toHaveText('40');
    const me = await account(page);
    expect((await charges(request, me.id)).invoices).toHaveLength(1);

    await page.getByText('Demo admin').click();
    await page.getByRole('button', { name: 'Move time to the next renewal' }).click();
    await expect(page.locator('#status')).toContainText('100 credits added', { timeout: 20_000 });
    await expect(balance(page)).toHaveText('140');
    await expect(page.locator('#scheduled-box')).toBeHidden();
    const { invoices } = await charges(request, me.id);
    expect(invoices.map((i) => i.status)).toEqual(['paid', 'paid']);
    expect((await account(page)).history.filter((e) => e.kind === 'purchase')).toHaveLength(2);
  });

  test("the demo's webhook endpoint down while paying: the credits arrive after the retry, once", async ({ page, request }) => {
    await openShop(page);
    await page.getByText('Demo admin').click();
    const down = page.getByRole('checkbox', { name: 'Webhook endpoint down' });
    await down.check();
    await expect(page.locator('#status')).toContainText('now answers 503');
    try {
      await choose(page, { pack: 'credits-500' });
      await page.getByRole('button', { name: 'Checkout' }).click();
      const f = await fillCheckout(page);
      await f.getByRole('button', { name: /^Pay \S/ }).click();
      await returnToShop(page);
      await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible({ timeout: 20_000 });
      const me = await account(page);
      // The backend tried and failed: the event's delivery has a failed attempt, and no credits.
      const events = await backend<{ list: Array<{ event: { id: string; content: { invoice?: { customer_id: string } } } }> }>(request, 'GET', '/api/v2/events?event_type[is]=payment_succeeded&limit=100');
      const event = events.list.map((e) => e.event).find((e) => e.content.invoice?.customer_id === me.id)!;
      expect(event).toBeDefined();
      type Deliveries = { list: Array<{ delivery: { attempts: Array<{ status_code: number | null }> } }> };
      await expect
        .poll(async () => (await backend<Deliveries>(request, 'GET', `/api/v2/events/${event.id}/deliveries`)).list.flatMap((d) => d.delivery.attempts.map((a) => a.status_code)), { timeout: 10_000 })
        .toContain(503);
      await page.waitForTimeout(500);
      expect((await account(page)).balance).toBe(0);
      await expect(balance(page)).toHaveText('0');
    } finally {
      await down.uncheck();
    }
    await expect(page.locator('#status')).toContainText('500 credits added', { timeout: 30_000 });
    await expect(balance(page)).toHaveText('500');
    // Once: later retries or redeliveries do not add more.
    await page.waitForTimeout(3000);
    const after = await account(page);
    expect(after.balance).toBe(500);
    expect(after.history.filter((e) => e.kind === 'purchase')).toHaveLength(1);
  });
});

// A hosted page lives 3 hours. The site's clock moves past that (the time machine), so these run here, alone.
test.describe('the checkout: a page that has expired, in the modal on a merchant page of another origin', () => {
  type Page3 = { id: string; url: string; expires_at: number };
  const newPage = async (request: Parameters<typeof backend>[0]) =>
    (await backend<{ hosted_page: Page3 }>(request, 'POST', '/api/v2/hosted_pages/checkout_new', {
      'subscription[plan_id]': 'credits-starter', 'addons[id][0]': 'credits-100', 'addons[quantity][0]': '1',
    })).hosted_page;
  /** A shop whose buttons open the given pages; every callback is logged. */
  const shop = (page: Page, request: Parameters<typeof merchant>[1], pages: Record<string, Page3>) =>
    merchant(page, request, {
      body: Object.keys(pages).map((k) => `<button id="${k}">${k}</button>`).join(''),
      script: `const pages = ${JSON.stringify(pages)};
        const logged = (name) => (...args) => window.log.push([name, ...args.map((a) => (a instanceof Error ? { code: a.code, message: a.message } : a))]);
        document.addEventListener('click', (e) => pages[e.target.id] && Paylit.getInstance().openCheckout({
          hostedPage: () => Promise.resolve(pages[e.target.id]),
          loaded: logged('loaded'), success: logged('success'), close: logged('close'), error: logged('error'),
        }));`,
    });

  for (const device of ['desktop', 'phone'] as const) {
    test(`${device}: expired while open, Pay says so and calls error; opened after it expired, the same, and nothing is charged`, async ({ browser, request }) => {
      const context = await browser.newContext({ ...SCREENS[device], bypassCSP: true });
      const page = await context.newPage();
      try {
        const [open, later] = [await newPage(request), await newPage(request)];
        await shop(page, request, { open, later });
        await page.getByRole('button', { name: 'open' }).click();
        const f = checkoutFrame(page);
        await fillAddress(f);
        await fillCard(f);
        // The site's clock passes both pages' end.
        await backend(request, 'POST', '/api/v2/time_machines/delorean/travel_forward', { destination_time: String(Math.max(open.expires_at, later.expires_at) + 60) });
        await payButton(f).click();
        // The checkout ends with the reason in the customer's language, in place of the form; nothing to pay.
        const ended = f.locator('[part~="status"]').filter({ hasText: 'This checkout has expired' });
        await expectSeen(ended);
        await expect(payButton(f)).toHaveCount(0);
        await expect.poll(() => log(page)).toContainEqual(['error', expect.objectContaining({ code: 'hosted_page_expired' })]);
        await page.getByRole('button', { name: 'Close Checkout' }).click();
        await expect(page.locator('dialog')).toHaveCount(0);

        await page.getByRole('button', { name: 'later' }).click();
        await expectSeen(ended);
        await expect(payButton(f)).toHaveCount(0);
        expect(((await log(page)) as unknown[][]).filter((e) => e[0] === 'error')).toHaveLength(2);
        expect(((await log(page)) as unknown[][]).map((e) => e[0])).not.toContain('success');
        for (const p of [open, later]) {
          const { hosted_page: hp } = await backend<{ hosted_page: { state: string } }>(request, 'GET', `/api/v2/hosted_pages/${p.id}`);
          expect(hp.state).not.toBe('succeeded');
        }
      } finally {
        await context.close();
      }
    });
  }
});
