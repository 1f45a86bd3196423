import { expect, type Page, test } from '@playwright/test';
import { BACKEND_URL, E2E_PUBLISHABLE_KEY } from './playwright.config.js';

/**
 * The card frame as the hosted checkout embeds it: a page on the backend's own origin hosts the frame, initialises
 * it, asks it to tokenize, and receives only the token (the hosted checkout page itself comes with the embed).
 */
async function host(page: Page): Promise<void> {
  await page.goto(`${BACKEND_URL}/healthz`);
  // The host listens before the frame loads, as the hosted checkout page does.
  await page.setContent(`<!doctype html><title>host</title>
    <script>
      window.msgs = [];
      window.addEventListener('message', (e) => {
        const frame = document.querySelector('iframe');
        if (!frame || e.source !== frame.contentWindow || e.origin !== location.origin) return;
        window.msgs.push(e.data);
        if (e.data.type === 'card:ready') frame.contentWindow.postMessage({ source: 'paylit', version: 1, type: 'card:init', data: { publishableKey: ${JSON.stringify(E2E_PUBLISHABLE_KEY)} } }, location.origin);
      });
    </script>
    <iframe title="Card details" src="/hosted/card-frame" style="width:420px;height:260px;border:0"></iframe>`);
  await page.frameLocator('iframe').getByLabel('Card number').waitFor();
  await expect.poll(() => messages(page, 'card:ready')).toHaveLength(1);
}

const messages = (page: Page, type: string) =>
  page.evaluate((t) => (window as unknown as { msgs: Array<{ type: string; data: Record<string, unknown> }> }).msgs.filter((m) => m.type === t).map((m) => m.data), type);
const send = (page: Page, type: string, data: Record<string, unknown> = {}) =>
  page.evaluate(([t, d]) => document.querySelector('iframe')!.contentWindow!.postMessage({ source: 'paylit', version: 1, type: t, data: d }, location.origin), [type, data] as const);

test.describe('the card frame', () => {
  test('marks each wrong field and tells the host the first, with its reason, then tokenizes a good card; the host gets only brand and last four', async ({ page }) => {
    await host(page);
    const f = page.frameLocator('iframe');
    await f.getByLabel('Card number').fill('4111 1111 1111 1112');
    await f.getByLabel('Expiry (MM / YY)').fill('0120');
    await f.getByLabel('Security code').fill('1');
    await send(page, 'card:tokenize');
    await expect.poll(() => messages(page, 'card:error')).toEqual([{ field: 'number', code: 'invalid_number', message: 'This card number is not valid. Check it for typos.' }]);
    for (const label of ['Card number', 'Expiry (MM / YY)', 'Security code']) await expect(f.getByLabel(label)).toHaveAttribute('aria-invalid', 'true');
    await expect(f.getByLabel('Card number')).toBeFocused();
    // The host says what is wrong (in the customer's language); the frame itself shows no text of its own to say it twice.
    await expect(f.locator('body')).toHaveText(/^\s*Card number \*\s*Expiry \(MM \/ YY\) \*\s*Security code \*\s*$/);
    expect(await messages(page, 'card:token')).toHaveLength(0);

    await f.getByLabel('Card number').fill('4111111111111111');
    await expect(f.getByLabel('Card number')).toHaveValue('4111 1111 1111 1111');
    await f.getByLabel('Expiry (MM / YY)').fill('');
    await f.getByLabel('Expiry (MM / YY)').pressSequentially('1234');
    await expect(f.getByLabel('Expiry (MM / YY)')).toHaveValue('12 / 34');
    await f.getByLabel('Security code').fill('123');
    await expect.poll(async () => (await messages(page, 'card:change')).at(-1)).toEqual({ complete: true, brand: 'visa' });
    await send(page, 'card:tokenize');
    await expect.poll(() => messages(page, 'card:token')).toHaveLength(1);
    const [token] = await messages(page, 'card:token');
    expect(token).toMatchObject({ brand: 'visa', last4: '1111', expiry_month: 12, expiry_year: 2034, authentication: 'none' });
    expect(JSON.stringify(await page.evaluate(() => (window as unknown as { msgs: unknown[] }).msgs))).not.toContain('4111111111111111');
  });

  test('judges a field once it is finished (typed to its full length, or left), never while it is being typed; the host is told the first problem shown', async ({ page }) => {
    await host(page);
    const f = page.frameLocator('iframe');
    const last = async () => (await messages(page, 'card:change')).at(-1);
    const invalid = (label: string) => f.getByLabel(label).getAttribute('aria-invalid');
    const number = f.getByLabel('Card number');
    await number.click();
    // 15 of a Visa's 16 digits, one key at a time: nothing said while typing.
    for (const d of '424242424242424') {
      await page.keyboard.type(d);
      expect((await last())?.error, `after ${d}`).toBeUndefined();
    }
    expect(await invalid('Card number')).toBe('false');
    // The 16th makes it a whole number that fails Luhn: said at once.
    await page.keyboard.type('1');
    await expect.poll(async () => (await last())?.error).toMatchObject({ field: 'number', code: 'invalid_number' });
    expect(await invalid('Card number')).toBe('true');
    // Being corrected, it is not judged (one digit short), then it is right.
    await page.keyboard.press('Backspace');
    await expect.poll(async () => (await last())?.error).toBeUndefined();
    expect(await invalid('Card number')).toBe('false');
    await page.keyboard.type('2');
    // The expiry: two digits typed and left, it is incomplete; the number being right, that is the one the host hears.
    await page.keyboard.press('Tab');
    await page.keyboard.type('12');
    expect((await last())?.error).toBeUndefined();
    await page.keyboard.press('Tab');
    await expect.poll(async () => (await last())?.error).toMatchObject({ field: 'expiry', code: 'incomplete_expiry' });
    // A whole expiry in the past is said as its last digit is typed.
    await f.getByLabel('Expiry (MM / YY)').fill('');
    await f.getByLabel('Expiry (MM / YY)').pressSequentially('012');
    await expect.poll(async () => (await last())?.error).toBeUndefined();
    await page.keyboard.type('0');
    await expect.poll(async () => (await last())?.error).toMatchObject({ field: 'expiry', code: 'invalid_expiry_past' });
    // A short CVC, left: marked too, but the host hears the first field's problem (the expiry's) until that is right.
    await f.getByLabel('Security code').fill('12');
    await f.getByLabel('Card number').focus();
    await expect.poll(() => invalid('Security code')).toBe('true');
    expect((await last())?.error).toMatchObject({ field: 'expiry', code: 'invalid_expiry_past' });
    await f.getByLabel('Expiry (MM / YY)').fill('12 / 34');
    await expect.poll(async () => (await last())?.error).toMatchObject({ field: 'cvc', code: 'incomplete_cvc' });
    expect(await invalid('Expiry (MM / YY)')).toBe('false');
    await f.getByLabel('Security code').fill('123');
    await expect.poll(last).toEqual({ complete: true, brand: 'visa' });
    for (const label of ['Card number', 'Expiry (MM / YY)', 'Security code']) expect(await invalid(label)).toBe('false');
    // The host's card:focus goes to the first field at fault, or the number.
    await send(page, 'card:focus');
    await expect(number).toBeFocused();
  });

  test('3-D Secure: the answer to the challenge goes to the gateway from the frame', async ({ page }) => {
    await host(page);
    const f = page.frameLocator('iframe');
    await f.getByLabel('Card number').fill('4000 0000 0000 3220');
    await f.getByLabel('Expiry (MM / YY)').pressSequentially('1230');
    await f.getByLabel('Security code').fill('123');
    await send(page, 'card:tokenize');
    await expect.poll(() => messages(page, 'card:token')).toHaveLength(1);
    const [token] = await messages(page, 'card:token');
    expect(token!.authentication).toBe('required');
    await send(page, 'card:authenticate', { tokenId: token!.id, outcome: 'complete' });
    await expect.poll(() => messages(page, 'card:authenticated')).toEqual([{ tokenId: token!.id }]);
    await expect(f.getByLabel('Card number')).toBeVisible();
  });

  test('ignores messages from anyone but its host, and refuses to run under another site\'s page', async ({ page, request }) => {
    await host(page);
    // A malformed message is dropped: no token, no error.
    await page.evaluate(() => document.querySelector('iframe')!.contentWindow!.postMessage({ source: 'paylit', version: 2, type: 'card:tokenize', data: {} }, location.origin));
    await page.waitForTimeout(200);
    expect(await messages(page, 'card:error')).toHaveLength(0);
    const res = await request.get(`${BACKEND_URL}/hosted/card-frame`);
    expect(res.headers()['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    expect(res.headers()['content-security-policy']).toMatch(/script-src 'self'/);
  });
});
