import { expect, test } from '@playwright/test';
import { account, axe, balance, buy, CARD_DECLINED, charges, choose, fillCheckout, openShop, returnToShop } from './demo.js';
import { backend, checkoutFrame, fillCard } from './merchant.js';
import { expectSeen } from './visible.js';

// The seed's steps in the Inkwell demo, as a customer clicks through them. Tests that move the site's clock or take
// the webhook endpoint down are in demo-world.spec.ts, which runs alone after these.

test.describe('the credit-pack demo', () => {
  test("the shop's server down at checkout: the customer reads plain words in the modal and on the page; the detail goes to the console; Try again opens it", async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await openShop(page);
    await choose(page, { pack: 'credits-100' });
    await page.route('**/api/checkout', (r) => r.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Checkout' }).click();
    const dialog = page.getByRole('dialog', { name: 'Checkout' });
    await expectSeen(dialog.getByRole('alert').filter({ hasText: 'Checkout could not be opened. Please try again in a moment.' }));
    await expect.poll(() => errors).toContainEqual(expect.stringContaining('Paylit: the page could not be created: Failed to fetch'));
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const status = page.locator('#status');
    await expect(status).toHaveText('Sorry, the checkout is not available right now. Please try again in a moment.');
    await expectSeen(status);
    // Back up: the shop's Checkout again, then Try again in the modal after another failure, each opens it; the
    // page's line goes once the checkout is open.
    await page.getByRole('button', { name: 'Checkout' }).click();
    await expectSeen(dialog.getByRole('button', { name: 'Try again' }));
    await page.unroute('**/api/checkout');
    await dialog.getByRole('button', { name: 'Try again' }).click();
    await expectSeen(checkoutFrame(page).getByRole('spinbutton', { name: 'Quantity of Credit pack (100 credits)' }));
    await expect(status).toHaveText('');
  });

  test('steps 1–5: plans, the pack dropdown, the addon rule, paying in the modal, the credits on the account page', async ({ page, request }) => {
    await openShop(page);
    // 1. Plans, among them the $0 credits-starter.
    const starter = page.getByRole('radio', { name: /Credits Starter/ });
    await expect(starter).toBeVisible();
    await expect(page.locator('label.plan', { has: starter })).toContainText('No monthly fee');
    // 2. The packs come after the plan. Until a pack is chosen the total's line says what gives one (no "Due today —").
    await expect(page.getByRole('combobox', { name: 'Credit pack' })).toBeDisabled();
    const total = page.locator('p.total');
    await expect(total).toHaveText('Choose a plan and a pack to see the total.', { useInnerText: true });
    await expectSeen(total.locator('output'));
    await starter.check();
    const select = page.getByRole('combobox', { name: 'Credit pack' });
    await expect(select).toBeEnabled();
    await expect(total).toHaveText('Choose a credit pack to see the total.', { useInnerText: true });
    await expect(select.locator('option')).toHaveText(['Choose a pack…', /^100 credits: \$/, /^500 credits: \$/, /^2,000 credits: \$/]);
    // 3. The addon rule: no checkout without a pack; the message is shown, announced (role=alert) and tied to the field.
    await page.getByRole('button', { name: 'Checkout' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Choose a credit pack to continue.' });
    await expectSeen(alert);
    await expect(select).toHaveAttribute('aria-invalid', 'true');
    await expect(select).toBeFocused();
    await expect(select).toHaveAccessibleDescription('Choose a credit pack to continue.');
    await expect(checkoutFrame(page).locator('body')).toHaveCount(0);
    await choose(page, { pack: 'credits-100', quantity: 2 });
    await expect(alert).toHaveCount(0);
    await expect(page.locator('#total')).toHaveText('$20.00');
    await expect(total).toHaveText(/^Due today\s+\$20\.00$/, { useInnerText: true });
    // 4. Pay with the test card in the modal.
    await page.getByRole('button', { name: 'Checkout' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    // The packs chosen on the shop's page arrive in the checkout, and no other plan is offered.
    await expect(checkoutFrame(page).getByRole('spinbutton', { name: 'Quantity of Credit pack (100 credits)' })).toHaveValue('2');
    await expect(checkoutFrame(page).locator('paylit-plan-picker')).toHaveCount(0);
    const f = await fillCheckout(page);
    await f.getByRole('button', { name: /^Pay \S/ }).click();
    // 5. The success screen, left with Return to Inkwell; the webhook credits the balance; the account page shows it.
    await returnToShop(page);
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('#status')).toContainText('200 credits added', { timeout: 20_000 });
    await expectSeen(page.locator('#status'));
    await expect(balance(page)).toHaveText('200');
    await expect(page.locator('#history tbody tr').first()).toContainText('Bought 2 × 100 credits');
    await expect(page.locator('#subscription')).toContainText('Active');
    // The merchant server retrieved and acknowledged the page.
    const me = await account(page);
    const pages = await backend<{ list: Array<{ hosted_page: { state: string; content?: { customer?: { id: string } } } }> }>(request, 'GET', '/api/v2/hosted_pages?limit=100');
    const mine = pages.list.map((x) => x.hosted_page).filter((p) => p.content?.customer?.id === me.id);
    expect(mine.map((p) => p.state)).toEqual(['acknowledged']);
    expect((await charges(request, me.id)).transactions.filter((t) => t.status === 'success')).toHaveLength(1);
    expect(await axe(page)).toEqual([]);
  });

  test('step 6: Use credits spends them; low balance opens the offer; Replenish now charges at once and the webhook raises the balance', async ({ page, request }) => {
    await buy(page);
    await expect(balance(page)).toHaveText('100');
    const offer = page.getByRole('dialog', { name: 'Your credits are running low' });
    await page.getByLabel('Your product').fill('Cold brew');
    await page.getByRole('button', { name: /Use credits/ }).click();
    await expect(page.locator('#tagline')).toContainText('Cold brew');
    await expect(balance(page)).toHaveText('70');
    await expect(offer).toBeHidden();
    await page.getByRole('button', { name: /Use credits/ }).click();
    await expect(balance(page)).toHaveText('40');
    // Below the threshold (50): <paylit-credit-balance> opens its popover.
    await expect(offer).toBeVisible();
    await expect(offer.getByRole('button')).toHaveText(['Replenish now', 'Add at next renewal', 'Change pack', 'No thanks']);
    await offer.getByRole('button', { name: 'Replenish now' }).click();
    await expect(page.locator('#status')).toContainText('100 credits added', { timeout: 20_000 });
    await expect(balance(page)).toHaveText('140');
    const me = await account(page);
    const { invoices } = await charges(request, me.id);
    expect(invoices.map((i) => i.status)).toEqual(['paid', 'paid']);
    expect(me.history.map((e) => [e.kind, e.amount])).toEqual([['purchase', 100], ['usage', -30], ['usage', -30], ['purchase', 100]]);
  });

  test('step 6: spending more than the balance is refused with a clear message and takes nothing', async ({ page }) => {
    await buy(page);
    for (const expected of ['70', '40', '10']) {
      await page.getByRole('button', { name: /Use credits/ }).click();
      await expect(balance(page)).toHaveText(expected);
      await page.keyboard.press('Escape'); // the offer, once it opens
    }
    await page.getByRole('button', { name: /Use credits/ }).click();
    await expectSeen(page.getByRole('alert').filter({ hasText: 'Not enough credits: 30 requested, 10 left.' }));
    await expect(balance(page)).toHaveText('10');
    expect((await account(page)).balance).toBe(10);
  });

  test('step 6: Change pack lists the packs and buys the one chosen, charged now', async ({ page, request }) => {
    await buy(page);
    const me = await account(page);
    await page.getByRole('button', { name: /credits left/ }).click();
    const offer = page.getByRole('dialog', { name: 'Your credits are running low' });
    await offer.getByRole('button', { name: 'Change pack' }).click();
    const packs = page.getByRole('dialog', { name: 'Choose a pack' });
    await packs.getByRole('radio', { name: /500 credits/ }).check();
    await expect(packs.getByRole('button', { name: 'Buy 500 credits · $45.00' })).toBeVisible();
    // The quantity, as typed, is what the button says and what is charged.
    await packs.getByRole('spinbutton').fill('2');
    await packs.getByRole('button', { name: 'Buy 2 × 500 credits · $90.00' }).click();
    await expect(page.locator('#status')).toContainText('1,000 credits added', { timeout: 20_000 });
    await expect(balance(page)).toHaveText('1,100');
    const { invoices } = await charges(request, me.id);
    expect(invoices).toHaveLength(2);
    expect(invoices.map((i) => i.total).sort((a, b) => a - b)).toEqual([1000, 9000]);
  });

  test('step 6: No thanks cancels at the end of the term; the account page shows the subscription as non-renewing', async ({ page, request }) => {
    await buy(page);
    for (let i = 0; i < 2; i++) await page.getByRole('button', { name: /Use credits/ }).click();
    const offer = page.getByRole('dialog', { name: 'Your credits are running low' });
    await expect(offer).toBeVisible();
    await offer.getByRole('button', { name: 'No thanks' }).click();
    // It says what it does first, and does nothing until confirmed.
    const confirm = page.getByRole('dialog', { name: 'Stop renewing?' });
    await expectSeen(confirm);
    await expect(confirm).toContainText('The credits you have stay yours');
    const me = await account(page);
    expect((await backend<{ subscription: { status: string } }>(request, 'GET', `/api/v2/subscriptions/${me.subscription!.id}`)).subscription.status).toBe('active');
    await confirm.getByRole('button', { name: 'Stop renewing' }).click();
    await expect(page.locator('#status')).toContainText('not renew. Your credits stay yours.');
    await expectSeen(page.locator('#status'));
    await expect(page.locator('#subscription')).toContainText('Non-renewing');
    await expect(page.locator('#subscription')).toContainText('Ends on');
    const sub = await backend<{ subscription: { status: string } }>(request, 'GET', `/api/v2/subscriptions/${me.subscription!.id}`);
    expect(sub.subscription.status).toBe('non_renewing');
    // The credits stay.
    await expect(balance(page)).toHaveText('40');
    // And it can be undone (remove_scheduled_cancellation).
    await page.locator('#status').getByRole('button', { name: 'Undo' }).click();
    await expect(page.locator('#status')).toContainText('will renew as before');
    await expect(page.locator('#subscription')).toContainText('Active');
    expect((await backend<{ subscription: { status: string } }>(request, 'GET', `/api/v2/subscriptions/${me.subscription!.id}`)).subscription.status).toBe('active');
  });

  test('step 7: Edit billing address opens the portal at ADDRESS; the saved address shows on the account page', async ({ page, request }) => {
    await buy(page);
    await expect(page.locator('#address')).toContainText('Springfield');
    await page.getByRole('button', { name: 'Edit billing address' }).click();
    const portal = page.frameLocator('iframe[title="Customer portal"], iframe[title="Billing portal"], dialog iframe').first();
    const city = portal.getByLabel('City').first();
    await expect(city).toHaveValue('Springfield', { timeout: 15_000 });
    await city.fill('Chicago');
    await portal.getByRole('button', { name: /^Save/ }).first().click();
    await expect(page.locator('#status')).toContainText('Billing address saved.', { timeout: 15_000 });
    await page.keyboard.press('Escape');
    await expect(page.locator('#address')).toContainText('Chicago');
    const me = await account(page);
    const c = await backend<{ customer: { billing_address: { city: string } } }>(request, 'GET', `/api/v2/customers/${me.id}`);
    expect(c.customer.billing_address.city).toBe('Chicago');
  });

  test('step 8: the portal beside the popover: a pack bought there raises the balance by its credits; one for the next renewal shows there and on the account page', async ({ page, request }) => {
    await buy(page);
    await expect(balance(page)).toHaveText('100');
    await page.getByRole('button', { name: 'Manage subscription' }).click();
    const f = page.frameLocator('iframe[title="Subscription"]');
    await expectSeen(f.getByRole('heading', { name: 'Buy credits' }), { timeout: 15_000 });
    // Now: charged at once to the card on file; the webhook credits Inkwell's ledger, and the page behind follows.
    await f.getByLabel('Pack', { exact: true }).selectOption('credits-500');
    await f.getByRole('button', { name: 'Buy now' }).click();
    const paid = f.getByText(/^Paid: \$45\.00/);
    await paid.waitFor({ timeout: 15_000 });
    // The message is under the buttons, which may sit below the fold of the portal on a short screen.
    await paid.scrollIntoViewIfNeeded();
    await expectSeen(paid);
    await expect(balance(page)).toHaveText('600', { timeout: 20_000 });
    await expect(page.locator('#status')).toContainText('500 credits added');
    // With the next renewal: shown in the portal, and (through subscriptionChanged) on the account page.
    await f.getByLabel('Pack', { exact: true }).selectOption('credits-100');
    await f.getByLabel('Quantity', { exact: true }).fill('2');
    await f.getByRole('button', { name: 'Add to next renewal' }).click();
    const next = f.locator('section', { has: f.getByRole('heading', { name: 'With your next renewal' }) });
    await next.waitFor({ timeout: 15_000 });
    await next.scrollIntoViewIfNeeded();
    await expectSeen(next);
    await expect(next).toContainText('× 2');
    await expect(page.locator('#status')).toContainText('Subscription updated.');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expectSeen(page.locator('#scheduled'));
    await expect(page.locator('#scheduled')).toContainText('2 × 100 credits (scheduled)');
    await expect(page.getByRole('button', { name: 'Manage subscription' })).toBeFocused();
    const me = await account(page);
    expect(me.history.map((e) => [e.kind, e.amount])).toEqual([['purchase', 500], ['purchase', 100]]);
    const { invoices, transactions } = await charges(request, me.id);
    expect(invoices.map((i) => i.status)).toEqual(['paid', 'paid']);
    expect(transactions.filter((x) => x.status === 'success')).toHaveLength(2);

    // Cancelling there, and undoing it: each callback brings the account page up to date behind the portal.
    await page.getByRole('button', { name: 'Manage subscription' }).click();
    await f.getByRole('button', { name: 'Cancel subscription' }).click();
    await f.getByRole('button', { name: /Cancel at end of term/ }).click();
    await expect(page.locator('#status')).toContainText('Subscription cancelled.');
    await expect(page.locator('#subscription')).toContainText('Non-renewing');
    await f.getByRole('button', { name: 'Keep my subscription' }).click();
    await expect(page.locator('#status')).toContainText('will renew as before');
    await expect(page.locator('#subscription')).toContainText('Active');
    await page.keyboard.press('Escape');

    // The cards and the invoices, in the same portal.
    await page.getByRole('button', { name: 'Payment methods' }).click();
    await expectSeen(page.frameLocator('iframe[title="Payment methods"]').getByText(/1111/).first(), { timeout: 15_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Invoices' }).click();
    const history = page.frameLocator('iframe[title="Billing history"]');
    await expectSeen(history.getByText(/\$45\.00/).first(), { timeout: 15_000 });
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test('a declined card, then the test card: one charge, one subscription, the credits once', async ({ page, request }) => {
    await openShop(page);
    await choose(page, { pack: 'credits-100' });
    await page.getByRole('button', { name: 'Checkout' }).click();
    const f = await fillCheckout(page, { card: CARD_DECLINED });
    await f.getByRole('button', { name: /^Pay \S/ }).click();
    // Next to the card, in view; nothing painted on the shop's page behind the modal.
    await expectSeen(f.locator('#payment-error').filter({ hasText: 'Your card was declined.' }), { timeout: 15_000 });
    await expect(page.locator('#status')).toBeEmpty();
    await fillCard(f, '4111 1111 1111 1111');
    await f.getByRole('button', { name: /^Pay \S/ }).click();
    await returnToShop(page);
    await expect(page.locator('#status')).toContainText('100 credits added', { timeout: 20_000 });
    const me = await account(page);
    const { invoices, transactions } = await charges(request, me.id);
    expect(transactions.filter((t) => t.status === 'success')).toHaveLength(1);
    expect(invoices.filter((i) => i.status === 'paid')).toHaveLength(1);
    expect(me.balance).toBe(100);
  });

  test('a double click on Pay: one charge', async ({ page, request }) => {
    await openShop(page);
    await choose(page, { pack: 'credits-500' });
    await page.getByRole('button', { name: 'Checkout' }).click();
    const f = await fillCheckout(page);
    await f.getByRole('button', { name: /^Pay \S/ }).dblclick();
    await returnToShop(page);
    await expect(page.locator('#status')).toContainText('500 credits added', { timeout: 20_000 });
    const me = await account(page);
    const { invoices, transactions } = await charges(request, me.id);
    expect(transactions).toHaveLength(1);
    expect(invoices).toHaveLength(1);
    await page.waitForTimeout(1000);
    expect((await account(page)).balance).toBe(500);
  });

  test('a reload in the middle of checkout: nothing charged, and the customer can finish', async ({ page, request }) => {
    await openShop(page);
    await choose(page, { pack: 'credits-100' });
    await page.getByRole('button', { name: 'Checkout' }).click();
    await fillCheckout(page);
    await page.reload();
    // Still a new customer: the pricing page, nothing charged.
    await expect(page.getByRole('heading', { name: 'Taglines on tap' })).toBeVisible();
    const me = await account(page);
    expect((await charges(request, me.id)).transactions).toHaveLength(0);
    await choose(page, { pack: 'credits-100' });
    await page.getByRole('button', { name: 'Checkout' }).click();
    const f = await fillCheckout(page);
    await f.getByRole('button', { name: /^Pay \S/ }).click();
    await returnToShop(page);
    await expect(page.locator('#status')).toContainText('100 credits added', { timeout: 20_000 });
    expect((await charges(request, me.id)).transactions).toHaveLength(1);
  });

  test('a reload right after Pay, before success: one charge, the credits through the webhook, the page acknowledged by the shop, and reopened it says it is paid', async ({ page, request }) => {
    await openShop(page);
    await choose(page, { pack: 'credits-100' });
    const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/checkout' && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Checkout' }).click();
    const hostedPage = (await (await created).json()) as { id: string; url: string };
    const f = await fillCheckout(page);
    // The shop's `success` handler would call its server (/api/checkout/{id}/complete); it must never get the chance.
    const completes: string[] = [];
    page.on('request', (r) => void (/\/api\/checkout\/[^/]+\/complete$/.test(new URL(r.url()).pathname) && completes.push(r.url())));
    // The payment reaches the backend and is charged; its answer is held until the page has reloaded, so the frame
    // never hears it and `success` never runs (fulfilled at once, the answer would race the reload, and win).
    let charged!: () => void;
    let reloaded!: () => void;
    const atBackend = new Promise<void>((r) => (charged = r));
    const gone = new Promise<void>((r) => (reloaded = r));
    await page.route(/\/api\/browser\/v2\/hosted_pages\/[^/]+\/submit$/, async (route) => {
      const answer = await route.fetch();
      charged();
      await gone;
      await route.fulfill({ response: answer }).catch(() => undefined); // the page that asked is gone
    });
    await f.getByRole('button', { name: /^Pay \S/ }).click();
    await atBackend;
    await page.reload();
    reloaded();
    const me = await account(page);
    // The credits arrive all the same: the payment_succeeded webhook credits the ledger, not the callback.
    await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible({ timeout: 20_000 });
    await expect(balance(page)).toHaveText('100', { timeout: 20_000 });
    const purchases = (await account(page)).history.filter((e) => e.kind === 'purchase') as Array<{ kind: string; amount: number; eventId?: string }>;
    expect(purchases).toHaveLength(1);
    expect(purchases[0]!.eventId).toMatch(/^ev_/);
    expect(completes).toEqual([]);
    // The shop finds the page among those still `succeeded` and acknowledges it once its credits are in the ledger.
    await expect
      .poll(async () => (await backend<{ hosted_page: { state: string } }>(request, 'GET', `/api/v2/hosted_pages/${hostedPage.id}`)).hosted_page.state, { timeout: 15_000 })
      .toBe('acknowledged');
    const stillOpen = await backend<{ list: Array<{ hosted_page: { id: string } }> }>(request, 'GET', '/api/v2/hosted_pages?state[is]=succeeded&limit=100');
    expect(stillOpen.list.map((e) => e.hosted_page.id)).not.toContain(hostedPage.id);

    // The same hosted page opened again: it says it is paid, ends with `error` (hosted_page_completed), offers no Pay.
    await page.evaluate((hp) => {
      const w = window as unknown as { reopened: string[] };
      w.reopened = [];
      window.Paylit.getInstance().openCheckout({ hostedPage: () => Promise.resolve(hp), error: (e) => void w.reopened.push(e.code) });
    }, hostedPage);
    const again = checkoutFrame(page);
    await expectSeen(again.getByText('This checkout is already complete.'));
    await expect(again.getByRole('button', { name: /^Pay/ })).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => (window as unknown as { reopened: string[] }).reopened)).toEqual(['hosted_page_completed']);
    // Nor does a new checkout charge again: the shop refuses one for a customer who has the subscription.
    const second = await page.evaluate(async () => (await fetch('/api/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ plan_id: 'credits-starter', addons: [{ id: 'credits-100', quantity: 1 }] }) })).status);
    expect(second).toBe(409);
    // One charge for the one pack, and no second one lands later.
    const succeeded = async () => (await charges(request, me.id)).transactions.filter((t) => t.status === 'success').length;
    expect(await succeeded()).toBe(1);
    await page.waitForTimeout(3000);
    expect(await succeeded()).toBe(1);
    expect((await account(page)).history.filter((e) => e.kind === 'purchase')).toHaveLength(1);
    await expect(balance(page)).toHaveText('100');
  });

  test('two customers in two tabs buying at once: both balances right', async ({ browser }) => {
    const [a, b] = await Promise.all([browser.newContext(), browser.newContext()]);
    const [pa, pb] = await Promise.all([a.newPage(), b.newPage()]);
    await Promise.all([buy(pa, { pack: 'credits-100', quantity: 3 }), buy(pb, { pack: 'credits-500', email: 'grace@example.com' })]);
    await expect(balance(pa)).toHaveText('300');
    await expect(balance(pb)).toHaveText('500');
    await pa.getByRole('button', { name: /Use credits/ }).click();
    await expect(balance(pa)).toHaveText('270');
    await expect(balance(pb)).toHaveText('500');
    await Promise.all([a.close(), b.close()]);
  });

  test('keyboard only: plan, pack, the addon rule and the checkout open without a mouse; the pages pass axe', async ({ page }) => {
    await openShop(page);
    expect(await axe(page)).toEqual([]);
    await page.getByRole('radio', { name: /Credits Starter/ }).focus();
    await page.keyboard.press('Space');
    await expect(page.getByRole('radio', { name: /Credits Starter/ })).toBeChecked();
    await page.getByRole('button', { name: 'Checkout' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('combobox', { name: 'Credit pack' })).toBeFocused();
    await page.keyboard.press('ArrowDown'); // the first pack
    await expect(page.getByRole('combobox', { name: 'Credit pack' })).toHaveValue('credits-100');
    await page.getByRole('button', { name: 'Checkout' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toBeVisible();
    await expect(checkoutFrame(page).locator('[part~="pay-button"]')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Checkout' })).toBeFocused();
  });

  test('the merchant API refuses bad input, naming the field, and changes nothing', async ({ page }) => {
    await openShop(page);
    const post = (path: string, body: unknown) =>
      page.evaluate(async ([p, b]) => {
        const r = await fetch(p as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
        return { status: r.status, body: (await r.json()) as { message: string } };
      }, [path, body] as const);
    expect(await post('/api/checkout', { plan_id: 'credits-starter', addons: [] })).toEqual({ status: 400, body: { message: 'Choose a credit pack to continue.', param: 'addons' } });
    expect((await post('/api/checkout', { plan_id: 'credits-starter', addons: [{ id: 'credits-100', quantity: 0 }] })).body.message).toMatch(/^addons\.0\.quantity/);
    expect((await post('/api/checkout', { plan_id: 'nope', addons: [{ id: 'credits-100', quantity: 1 }] })).body.message).toMatch(/plan "nope"/);
    expect((await post('/api/checkout', { plan_id: 'credits-starter', addons: [{ id: 'analytics', quantity: 1 }] })).body.message).toMatch(/not a credit pack/);
    expect(await post('/api/use', { credits: -5 })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^credits/) } });
    expect(await post('/api/use', {})).toMatchObject({ status: 402, body: { message: 'Not enough credits: 30 requested, 0 left.' } });
    expect(await post('/api/topup', { choice: 'replenish_now', addon_id: 'credits-100' })).toMatchObject({ status: 409 });
    expect(await post('/api/topup', { choice: 'everything' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^choice/) } });
    const webhook = await page.evaluate(async () => (await fetch('/webhooks/paylit', { method: 'POST', body: JSON.stringify({ id: 'ev_forged', occurred_at: 1, event_type: 'payment_succeeded', content: {} }) })).status);
    expect(webhook).toBe(401);
    expect((await account(page)).balance).toBe(0);
  });
});
