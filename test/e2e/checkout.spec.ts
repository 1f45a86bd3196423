import { createRequire } from 'node:module';
import { expect, type FrameLocator, type Page, test } from '@playwright/test';
import { CARD_3DS, CARD_DECLINED, CARD_NO_FUNDS } from './demo.js';
import { BACKEND_URL, E2E_PUBLISHABLE_KEY } from './playwright.config.js';
import { backend, checkoutFrame, fillAddress, fillCard, FOREIGN, log, merchant, payButton, SCREENS } from './merchant.js';
import { expectSeen } from './visible.js';

// The checkout a customer meets, in the modal on a merchant page of another origin than the backend's, through the
// real backend, the card frame and the test gateway: on a desktop and on a phone.

/** Opens a checkout the merchant's server created for credits-starter with one 100-credit pack; logs every callback. */
async function shop(page: Page, request: Parameters<typeof merchant>[1], o: { origin?: string; locale?: string } = {}): Promise<FrameLocator> {
  await merchant(page, request, {
    ...(o.origin && { origin: o.origin }),
    ...(o.locale && { loader: `data-paylit-site="e2e" data-paylit-domain="${BACKEND_URL}" data-paylit-publishable-key="${E2E_PUBLISHABLE_KEY}" data-paylit-locale="${o.locale}"` }),
    body: '<button id="open">Buy credits</button>',
    script: `
      const logged = (name) => (...args) => window.log.push([name, ...args.map((a) => (a instanceof Error ? { code: a.code, message: a.message } : a))]);
      document.addEventListener('click', (e) => e.target.id === 'open' && Paylit.getInstance().openCheckout({
        hostedPage: () => fetch('/merchant/api/checkout?plan=credits-starter&addons[id][0]=credits-100&addons[quantity][0]=1').then((r) => r.json()).then((b) => b.hosted_page),
        loaded: logged('loaded'), step: logged('step'), success: logged('success'), close: logged('close'), error: logged('error'),
      }));`,
  });
  await page.getByRole('button', { name: 'Buy credits' }).click();
  return checkoutFrame(page);
}

const successText = (f: FrameLocator) => f.getByText('Payment complete. Thank you!').first();
const challenge = (f: FrameLocator) => f.getByRole('dialog', { name: 'Confirm this payment with your bank' });
/** The challenge as the customer sees it: its question and its buttons on screen, over the checkout. */
async function expectChallengeSeen(f: FrameLocator): Promise<void> {
  await expectSeen(challenge(f).getByRole('heading', { name: 'Confirm this payment with your bank' }));
  for (const name of ['Complete', 'Fail', 'Cancel']) await expectSeen(challenge(f).getByRole('button', { name }));
}
const cardError = (f: FrameLocator) => f.locator('#payment-error');
const callbacks = async (page: Page) => ((await log(page)) as unknown[][]).map((e) => e[0]);

/** The customer's charges, found by the page the success callback named. */
async function chargesOf(request: Parameters<typeof merchant>[1], page: Page) {
  const success = ((await log(page)) as unknown[][]).find((e) => e[0] === 'success')!;
  const hp = await backend<{ hosted_page: { content: { customer: { id: string } } } }>(request, 'GET', `/api/v2/hosted_pages/${String(success[1])}`);
  const t = await backend<{ list: Array<{ transaction: { status: string; amount: number } }> }>(request, 'GET', `/api/v2/transactions?customer_id[is]=${hp.hosted_page.content.customer.id}&limit=100`);
  return t.list.map((x) => x.transaction);
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** axe-core's WCAG 2.1 A/AA violations inside the checkout frame (the context bypasses the page's CSP to inject it). */
async function axeFrame(page: Page): Promise<string[]> {
  const frame = page.frames().find((f) => f.url().includes('/hosted/checkout/'))!;
  await frame.addScriptTag({ path: axePath });
  return frame.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

for (const device of ['desktop', 'phone'] as const) {
  test.describe(`the checkout on a ${device}`, () => {
    test.use({ ...SCREENS[device], bypassCSP: true });

    test('one page: whom you pay, the page\'s plan and pack, no plan picker; the total and Pay in view (desktop) or within two screens (phone), no sideways scroll; axe clean', async ({ page, request }) => {
      const f = await shop(page, request);
      await payButton(f).waitFor();
      await expectSeen(f.locator('[part~="header"]').filter({ hasText: 'Inkwell' }));
      // The test gateway moves no real money, and the checkout says so by the name, as Stripe's does.
      await expectSeen(f.locator('[part~="header"] [part~="test-mode"]').filter({ hasText: /^Test mode$/ }));
      await expect(f.locator('paylit-plan-picker')).toHaveCount(0);
      // (On a phone it is in the folded summary.)
      await expect(f.getByRole('spinbutton', { name: 'Quantity of Credit pack (100 credits)', includeHidden: true })).toHaveValue('1');
      await expect(f.getByText('Priority support')).toHaveCount(0);
      if (device === 'desktop') {
        // Summary beside the form, and the total due today with Pay, without scrolling.
        const [form, summary] = await Promise.all([f.locator('form.main').boundingBox(), f.locator('[part~="summary"]').boundingBox()]);
        expect(summary!.x).toBeGreaterThan(form!.x + form!.width - 1);
        await expectSeen(f.locator('[part~="total"]'));
        await expectSeen(payButton(f));
        expect((await page.locator('dialog').boundingBox())!.width).toBeGreaterThanOrEqual(900);
      } else {
        // The summary collapsed at the top, its total shown; Pay within two screens of the top; nothing scrolls sideways.
        await expectSeen(f.locator('.toggle').filter({ hasText: '$10.00' }));
        const pay = (await payButton(f).boundingBox())!;
        const frameTop = (await page.locator('dialog iframe').boundingBox())!.y;
        expect((pay.y + pay.height - frameTop) / 844).toBeLessThanOrEqual(2);
        // The customer scrolls down to it, and it is there to tap.
        await payButton(f).scrollIntoViewIfNeeded();
        await expectSeen(payButton(f));
        const frame = page.frames().find((x) => x.url().includes('/hosted/checkout/'))!;
        expect(await frame.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      }
      expect(await axeFrame(page)).toEqual([]);
    });

    test('after paying: what was charged (the invoice\'s amount) to whom, for what, the email, the invoice to download, and Return to the shop, which closes the modal', async ({ page, request }) => {
      const f = await shop(page, request);
      await fillAddress(f, 'grace@example.com');
      await fillCard(f);
      await payButton(f).click();
      const screen = f.locator('[part~="status"]');
      const heading = screen.getByRole('heading', { name: 'Payment complete. Thank you!' });
      await expectSeen(heading, { timeout: 15_000 });
      await expect(heading).toBeFocused();
      // The invoice the payment made, as the backend has it.
      const success = ((await log(page)) as unknown[][]).find((e) => e[0] === 'success')!;
      const hp = await backend<{ hosted_page: { content: { invoice: { id: string; amount_paid: number } } } }>(request, 'GET', `/api/v2/hosted_pages/${String(success[1])}`);
      const invoice = hp.hosted_page.content.invoice;
      expect(invoice.amount_paid).toBe(1000);
      await expectSeen(screen.getByText('$10.00 paid to Inkwell', { exact: true }));
      await expect(screen.locator('.lines li')).toHaveText([/^Credits Starter\s*\$0\.00$/, /^Credit pack \(100 credits\)\s*\$10\.00$/]);
      await expectSeen(screen.locator('dl div').filter({ hasText: 'Email' }).filter({ hasText: 'grace@example.com' }));
      // The backend sends no email: none is promised.
      await expect(screen).not.toContainText(/receipt|sent to|emailed/i);
      const download = screen.getByRole('button', { name: 'Download (PDF)' });
      await download.scrollIntoViewIfNeeded();
      await expectSeen(download);
      await expect(screen.locator('dl div').filter({ hasText: 'Invoice' })).toHaveText(new RegExp(`^Invoice\\s*${invoice.id} · Download \\(PDF\\)$`));
      const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
      expect(file.suggestedFilename()).toBe(`invoice-${invoice.id}.pdf`);
      expect((await (await file.createReadStream()).toArray()).map(String).join('').startsWith('%PDF-')).toBe(true);
      const back = screen.getByRole('button', { name: 'Return to Inkwell' });
      await back.scrollIntoViewIfNeeded();
      await expectSeen(back);
      expect(await axeFrame(page)).toEqual([]);
      await back.click();
      await expect(page.getByRole('dialog')).toHaveCount(0);
      const names = await callbacks(page);
      expect(names.filter((n) => n === 'close')).toHaveLength(1);
      expect(names.indexOf('close')).toBeGreaterThan(names.indexOf('success'));
      expect(names).not.toContain('error');
    });

    test('3-D Secure: the challenge over the checkout, focus inside; Complete pays once', async ({ page, request }) => {
      const f = await shop(page, request);
      await fillAddress(f);
      await fillCard(f, CARD_3DS);
      await payButton(f).click();
      await expectChallengeSeen(f);
      await expect(challenge(f).getByRole('button', { name: 'Complete' })).toBeFocused();
      expect(await axeFrame(page)).toEqual([]);
      await challenge(f).getByRole('button', { name: 'Complete' }).click();
      await expectSeen(successText(f), { timeout: 15_000 });
      expect((await chargesOf(request, page)).filter((t) => t.status === 'success')).toHaveLength(1);
      expect(await callbacks(page)).not.toContain('error');
    });

    test('3-D Secure Fail, then a good card: the message by the card, one charge', async ({ page, request }) => {
      const f = await shop(page, request);
      await fillAddress(f);
      await fillCard(f, CARD_3DS);
      await payButton(f).click();
      await expectChallengeSeen(f);
      await challenge(f).getByRole('button', { name: 'Fail' }).click();
      await expectSeen(cardError(f).filter({ hasText: 'The payment was not confirmed, so nothing was charged.' }));
      await expect(f.frameLocator('iframe[title="Card details"]').getByLabel('Card number')).toBeFocused();
      await fillCard(f, '4111 1111 1111 1111');
      await payButton(f).click();
      await expectSeen(successText(f), { timeout: 15_000 });
      expect((await chargesOf(request, page)).filter((t) => t.status === 'success')).toHaveLength(1);
      expect(await callbacks(page)).not.toContain('error');
    });

    test('a declined card, then a good one: the decline by the card, error not called, one charge', async ({ page, request }) => {
      const f = await shop(page, request);
      await fillAddress(f);
      await fillCard(f, CARD_DECLINED);
      await payButton(f).click();
      await expectSeen(cardError(f).filter({ hasText: /declined/i }));
      expect(await axeFrame(page)).toEqual([]);
      await fillCard(f, '4111 1111 1111 1111');
      await payButton(f).click();
      await expectSeen(successText(f), { timeout: 15_000 });
      const charges = await chargesOf(request, page);
      expect(charges.filter((t) => t.status === 'success')).toHaveLength(1);
      expect(await callbacks(page)).not.toContain('error');
    });

    test('the card typed first, key by key: it stays (the frame is not reloaded by the re-render the first keystroke brings), then pays', async ({ page, request }) => {
      const f = await shop(page, request);
      await expect.poll(() => callbacks(page)).toContain('loaded');
      const card = f.frameLocator('iframe[title="Card details"]');
      const number = card.getByLabel('Card number');
      await number.waitFor();
      let reloads = 0;
      page.on('framenavigated', (fr) => void (fr.url().includes('/hosted/card-frame') && reloads++));
      await number.click();
      await page.keyboard.type('4111111111111111', { delay: 20 });
      await page.keyboard.press('Tab');
      await page.keyboard.type('1234', { delay: 20 });
      await page.keyboard.press('Tab');
      await page.keyboard.type('123', { delay: 20 });
      await expect(number).toHaveValue('4111 1111 1111 1111');
      await expect(card.getByLabel('Security code')).toHaveValue('123');
      expect(reloads).toBe(0);
      await fillAddress(f);
      await expect(number).toHaveValue('4111 1111 1111 1111');
      await payButton(f).click();
      await expectSeen(successText(f), { timeout: 15_000 });
    });

    test('the order summary: folded on a phone, its toggle saying what it does, aria-expanded matching, by keyboard; always shown on a desktop', async ({ page, request }) => {
      const f = await shop(page, request);
      await payButton(f).waitFor();
      const toggle = f.getByRole('button', { name: /order summary/ });
      const pack = f.getByRole('spinbutton', { name: 'Quantity of Credit pack (100 credits)' });
      if (device === 'desktop') {
        await expect(toggle).toBeHidden();
        await expectSeen(pack);
        return;
      }
      // Collapsed, as Stripe Checkout's is on a phone: the toggle and the total only.
      await expectSeen(toggle);
      await expect(toggle).toHaveAttribute('aria-expanded', 'false');
      await expect(toggle).toHaveAccessibleName(/^Show order summary/);
      await expect(pack).toBeHidden();
      await expect(f.locator('[part~="total"]')).toBeHidden();
      await toggle.focus();
      await page.keyboard.press('Enter');
      await expect(toggle).toHaveAttribute('aria-expanded', 'true');
      await expect(toggle).toHaveAccessibleName(/^Hide order summary/);
      await expectSeen(pack);
      await expectSeen(f.locator('[part~="total"]'));
      await expect(toggle).toBeFocused();
      await page.keyboard.press('Space');
      await expect(toggle).toHaveAttribute('aria-expanded', 'false');
      await expect(toggle).toHaveAccessibleName(/^Show order summary/);
      await expect(pack).toBeHidden();
    });

    test('the card fields line up with the other fields, to half a pixel', async ({ page, request }) => {
      const f = await shop(page, request);
      await payButton(f).waitFor();
      const card = f.frameLocator('iframe[title="Card details"]');
      await card.getByLabel('Card number').waitFor();
      // Playwright's boxes are getBoundingClientRect's, in the page's coordinates through both frames.
      const [email, number, cvc] = await Promise.all([f.getByLabel('Email').boundingBox(), card.getByLabel('Card number').boundingBox(), card.getByLabel('Security code').boundingBox()]);
      expect(Math.abs(number!.x - email!.x), `card number at ${String(number!.x)}, email at ${String(email!.x)}`).toBeLessThanOrEqual(0.5);
      expect(Math.abs(cvc!.x + cvc!.width - (email!.x + email!.width)), 'the right edges').toBeLessThanOrEqual(0.5);
    });

    test('a card error moves nothing above it (desktop: the modal grows downward) or keeps Pay under the thumb (phone: the form scrolls up by the message)', async ({ page, request }) => {
      const f = await shop(page, request);
      await fillAddress(f);
      await fillCard(f, CARD_DECLINED);
      await payButton(f).scrollIntoViewIfNeeded();
      const above = async () => {
        const boxes = await Promise.all([
          page.locator('dialog').boundingBox(),
          f.locator('[part~="header"]').boundingBox(),
          f.getByRole('heading', { name: 'Payment', exact: true }).boundingBox(),
          f.getByRole('group', { name: 'Card details' }).boundingBox(),
        ]);
        return boxes.map((b) => b!.y);
      };
      const before = await above();
      const pay = (await payButton(f).boundingBox())!;
      const tap = { x: pay.x + pay.width / 2, y: pay.y + pay.height / 2 };
      await page.mouse.click(tap.x, tap.y);
      await expectSeen(cardError(f).filter({ hasText: /declined/i }));
      await expectSeen(payButton(f));
      if (device === 'desktop') {
        const after = await above();
        after.forEach((y, i) => expect(Math.abs(y - before[i]!), `box ${String(i)}: ${String(before[i])} → ${String(y)}`).toBeLessThanOrEqual(0.5));
      } else {
        // The dialog fills the screen and stays; the form scrolls so that Pay, below the message, is still where the thumb is.
        expect(Math.abs((await page.locator('dialog').boundingBox())!.y - before[0]!)).toBeLessThanOrEqual(0.5);
        const now = (await payButton(f).boundingBox())!;
        expect(tap.y, `Pay from ${String(pay.y)} to ${String(now.y)}`).toBeGreaterThanOrEqual(now.y);
        expect(tap.y).toBeLessThanOrEqual(now.y + now.height);
      }
    });

    test('a card that is not right (a number failing Luhn, then an expiry in the past, then a short CVC): Pay says which field, by the card, once, in view, and focuses it; nothing is judged while typed; nothing charged', async ({ page, request }) => {
      const f = await shop(page, request);
      await fillAddress(f);
      const card = f.frameLocator('iframe[title="Card details"]');
      const number = card.getByLabel('Card number');
      const shown = f.locator('[part~="error"]').filter({ hasText: /\S/ });
      await number.click();
      await page.keyboard.type('424242424242424', { delay: 10 });
      // Still being typed: nothing said.
      await expect(shown).toHaveCount(0);
      await expect(number).toHaveAttribute('aria-invalid', 'false');
      await page.keyboard.type('1');
      // The whole number fails Luhn: said once it is typed, by the card, the field marked.
      await expect(cardError(f)).toHaveText('Your card number is invalid.');
      await expect(number).toHaveAttribute('aria-invalid', 'true');
      await card.getByLabel('Expiry (MM / YY)').fill('12 / 34');
      await card.getByLabel('Security code').fill('123');
      const steps: Array<[string, string, string]> = [
        ['4242 4242 4242 4241', '12 / 34', '123'],
        ['4242 4242 4242 4242', '01 / 20', '123'],
        ['4242 4242 4242 4242', '12 / 34', '12'],
      ];
      const messages = ['Your card number is invalid.', "Your card's expiry date is in the past.", "Your card's security code is incomplete."];
      const labels = ['Card number', 'Expiry (MM / YY)', 'Security code'];
      for (const [i, [n, e, c]] of steps.entries()) {
        await number.fill(n);
        await card.getByLabel('Expiry (MM / YY)').fill(e);
        await card.getByLabel('Security code').fill(c);
        await payButton(f).click();
        await expectSeen(cardError(f).filter({ hasText: messages[i]! }));
        // One message in all: the checkout's, by the card (the frame marks the field and says nothing of its own).
        await expect(shown).toHaveCount(1);
        await expect(card.locator('body')).not.toContainText(/invalid|incomplete|expired|past|valid/i);
        await expect(card.getByLabel(labels[i]!)).toBeFocused();
        await expect(card.getByLabel(labels[i]!)).toHaveAttribute('aria-invalid', 'true');
        await expect(f.locator('.visually-hidden[role="alert"]')).toHaveText(messages[i]!);
        if (i === 0) expect(await axeFrame(page)).toEqual([]);
      }
      // Put right, the message goes as it is typed, and Pay pays, once.
      await card.getByLabel('Security code').fill('123');
      await expect(shown).toHaveCount(0);
      await payButton(f).click();
      await expectSeen(successText(f), { timeout: 15_000 });
      expect((await chargesOf(request, page)).filter((t) => t.status === 'success')).toHaveLength(1);
      expect(await callbacks(page)).not.toContain('error');
    });

    test('Pay pressed straight from a short CVC: the field is judged as the press leaves it, yet Pay stays under the pointer, and the press says which field and focuses it', async ({ page, request }) => {
      const f = await shop(page, request);
      await fillAddress(f);
      const card = f.frameLocator('iframe[title="Card details"]');
      await card.getByLabel('Card number').fill('4242 4242 4242 4242');
      await card.getByLabel('Expiry (MM / YY)').fill('12 / 34');
      const cvc = card.getByLabel('Security code');
      await cvc.fill('12');
      await payButton(f).scrollIntoViewIfNeeded();
      const pay = (await payButton(f).boundingBox())!;
      await page.mouse.move(pay.x + pay.width / 2, pay.y + pay.height / 2);
      await page.mouse.down();
      // The press took focus from the CVC: the card frame judges it (and marks it) while the button is still held,
      // and tells the checkout; two frames later anything that message changes has been laid out.
      await expect(cvc).toHaveAttribute('aria-invalid', 'true');
      const checkout = page.frames().find((x) => x.url().includes('/hosted/checkout/'))!;
      await checkout.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const held = (await payButton(f).boundingBox())!;
      expect(Math.abs(held.y - pay.y), `Pay from ${String(pay.y)} to ${String(held.y)} under the held button`).toBeLessThanOrEqual(0.5);
      await page.mouse.up();
      await expectSeen(cardError(f).filter({ hasText: "Your card's security code is incomplete." }));
      await expect(f.locator('[part~="error"]').filter({ hasText: /\S/ })).toHaveCount(1);
      await expect(cvc).toBeFocused();
    });

    test('Pay on an empty form: the email, the first field wrong, has focus; each wrong field says so by itself, the card\'s too; nothing charged', async ({ page, request }) => {
      const f = await shop(page, request);
      const card = f.frameLocator('iframe[title="Card details"]');
      await card.getByLabel('Security code').fill('12');
      await payButton(f).click();
      await expect(f.getByLabel('Email')).toBeFocused();
      await expectSeen(f.getByText('Enter an email address such as name@example.com.').first());
      await expect(f.getByLabel('First name')).toHaveAttribute('aria-invalid', 'true');
      // The card is judged with the rest: every field of it marked, its first problem said by it.
      for (const label of ['Card number', 'Expiry (MM / YY)', 'Security code']) await expect(card.getByLabel(label)).toHaveAttribute('aria-invalid', 'true');
      // (Below the fold on a phone: the customer scrolls down to it.)
      await cardError(f).scrollIntoViewIfNeeded();
      await expectSeen(cardError(f).filter({ hasText: 'Your card number is incomplete.' }));
      await expect(f.getByLabel('Email')).toBeFocused();
      expect(await callbacks(page)).not.toContain('success');
    });

    test('insufficient funds: said by the card', async ({ page, request }) => {
      const f = await shop(page, request);
      await fillAddress(f);
      await fillCard(f, CARD_NO_FUNDS);
      await payButton(f).click();
      await expectSeen(cardError(f).filter({ hasText: /insufficient|funds/i }));
      expect(await callbacks(page)).not.toContain('error');
    });
  });
}

test.describe('the checkout, what goes wrong', () => {
  test('keyboard only, through the challenge: Escape leaves it as a failed challenge, Complete pays', async ({ page, request }) => {
    const f = await shop(page, request);
    await fillAddress(f);
    await fillCard(f, CARD_3DS);
    await payButton(f).focus();
    await page.keyboard.press('Enter');
    await expectChallengeSeen(f);
    await page.keyboard.press('Escape');
    await expectSeen(cardError(f).filter({ hasText: 'The payment was not confirmed, so nothing was charged.' }));
    // Escape left the challenge, not the checkout.
    await expect(page.getByRole('dialog', { name: 'Checkout' })).toBeVisible();
    await payButton(f).focus();
    await page.keyboard.press('Enter');
    await expectChallengeSeen(f);
    // Focus stays in the challenge.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    await expect(challenge(f).getByRole('button', { name: 'Fail' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(challenge(f).getByRole('button', { name: 'Complete' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expectSeen(successText(f), { timeout: 15_000 });
  });

  test('the backend unreachable mid-checkout: a message by the card after the retries; then it comes back and pays', async ({ page, request }) => {
    const f = await shop(page, request);
    await fillAddress(f);
    await fillCard(f);
    await page.context().route(`${BACKEND_URL}/api/browser/**`, (r) => r.abort('connectionrefused'));
    await payButton(f).click();
    await expectSeen(cardError(f).filter({ hasText: /connection/i }), { timeout: 20_000 });
    // Not locked: the customer can leave.
    await expect(page.getByRole('button', { name: 'Close Checkout' })).toBeEnabled();
    await page.context().unroute(`${BACKEND_URL}/api/browser/**`);
    await payButton(f).click();
    await expectSeen(successText(f), { timeout: 15_000 });
    expect(await callbacks(page)).not.toContain('error');
  });

  test('the card frame speaks the checkout\'s language: German labels, title and placeholder; Arabic right to left, the digits left to right', async ({ page, request }) => {
    const f = await shop(page, request, { locale: 'de' });
    const card = f.frameLocator('iframe[title="Kartendaten"]');
    await expectSeen(card.getByLabel('Kartennummer'));
    await expectSeen(card.getByLabel('Ablaufdatum'));
    await expectSeen(card.getByLabel('Prüfnummer'));
    await expect(card.getByLabel('Ablaufdatum')).toHaveAttribute('placeholder', 'MM / JJ');
    await expect(card.locator('html')).toHaveAttribute('lang', 'de');
    await expect(card.getByRole('form', { name: 'Kartendaten' })).toBeVisible();
    await expect(card.getByText(/Card number|Expiry|Security code/)).toHaveCount(0);
    // Each label on one line, so the frame keeps the height its rules give it (one row of fields, 80 px).
    await expect.poll(() => f.locator('iframe[title="Kartendaten"]').evaluate((e) => e.getBoundingClientRect().height)).toBe(80);
    // What is typed is judged as before: a full good card marks nothing.
    await card.getByLabel('Kartennummer').fill('4111 1111 1111 1111');
    await card.getByLabel('Ablaufdatum').fill('12 / 34');
    await card.getByLabel('Prüfnummer').fill('123');
    await card.getByLabel('Kartennummer').focus();
    for (const name of ['Kartennummer', 'Ablaufdatum', 'Prüfnummer']) await expect(card.getByLabel(name)).toHaveAttribute('aria-invalid', 'false');

    await page.close();
    const ar = await page.context().newPage();
    const g = await shop(ar, request, { locale: 'ar' });
    const arCard = g.frameLocator('iframe[title="بيانات البطاقة"]');
    await expectSeen(arCard.getByLabel('رقم البطاقة'));
    await expect(arCard.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(arCard.getByLabel('رقم البطاقة')).toHaveAttribute('dir', 'ltr');
  });

  test('the plan cannot be switched: the page offers no other, and the backend refuses one sent by hand', async ({ page, request }) => {
    const f = await shop(page, request);
    await payButton(f).waitFor();
    const frame = page.frames().find((x) => x.url().includes('/hosted/checkout/'))!;
    const answer = await frame.evaluate(async () => {
      const id = location.pathname.split('/').pop()!;
      const token = new URLSearchParams(location.hash.slice(1)).get('token')!;
      const r = await fetch(`/api/browser/v2/hosted_pages/${id}/submit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-paylit-hosted-page-token': token },
        body: JSON.stringify({ plan_id: 'grow-monthly', addons: [] }),
      });
      return { status: r.status, body: (await r.json()) as { param: string } };
    });
    expect(answer).toMatchObject({ status: 400, body: { param: 'plan_id' } });
    await expect(f.getByRole('radio')).toHaveCount(0);
  });

  test('from an origin that may not embed it, the checkout and the portal say so and call error', async ({ page, request }) => {
    await shop(page, request, { origin: FOREIGN });
    // The customer reads what to do; why (the origin not on the list) is the developer's, in `error`.
    await expectSeen(page.getByRole('dialog', { name: 'Checkout' }).getByRole('alert').filter({ hasText: 'Checkout could not be opened. Please try again in a moment.' }), { timeout: 15_000 });
    await expectSeen(page.getByRole('dialog').getByRole('button', { name: 'Try again' }));
    await expectSeen(page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }));
    await expect.poll(() => log(page), { timeout: 15_000 }).toContainEqual(['error', expect.objectContaining({ code: 'embed_refused', message: expect.stringContaining(`is ${FOREIGN} in PAYLIT_ALLOWED_ORIGINS`) })]);
    await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
    await expect(page.locator('dialog')).toHaveCount(0);

    const { customer } = await backend<{ customer: { id: string } }>(request, 'POST', '/api/v2/customers', { email: 'foreign@example.com' });
    await page.evaluate((id) => {
      const i = (window as unknown as { Paylit: { getInstance(): { setPortalSession(f: () => Promise<unknown>): void; createPortal(): { openSection(s: string, cb: object): void } } } }).Paylit.getInstance();
      i.setPortalSession(() => fetch(`/merchant/api/portal?customer=${id}`).then((r) => r.json()));
      i.createPortal().openSection('ADDRESS', { error: (e: { code: string }) => (window as unknown as { log: unknown[] }).log.push(['portal error', e.code]) });
    }, customer.id);
    await expectSeen(page.getByRole('dialog', { name: 'Billing address' }).getByRole('alert'), { timeout: 15_000 });
    await expect.poll(() => log(page), { timeout: 15_000 }).toContainEqual(['portal error', 'embed_refused']);
  });
});
