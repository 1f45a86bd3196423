import { expect, test } from '@playwright/test';
import { buyPack, checkoutFrame, log, merchant } from './merchant.js';

test('smoke: drop-in button buys a pack', async ({ page, request }) => {
  page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
  await merchant(page, request, { body: '<button data-paylit-type="checkout" data-paylit-plan-id="credits-starter">Buy credits</button>' });
  await page.getByRole('button', { name: 'Buy credits' }).click();
  try {
    await buyPack(page);
    await expect(checkoutFrame(page).getByText(/thank|success|confirmed/i).first()).toBeVisible();
  } finally {
    await page.screenshot({ path: '/tmp/shot1.png' });
  }
  console.log(await log(page));
});
