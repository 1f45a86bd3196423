import { expect, test } from '@playwright/test';

test.describe('the demo pricing page', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/demo/preview.html');
  });

  test('the credit-pack plan refuses to go on without a pack, visibly and audibly, then totals the packs', async ({ page }) => {
    await page.getByLabel(/Credits Starter/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('#addon-error')).toBeVisible();
    await expect(page.locator('#addon-error')).toContainText('needs at least one addon');
    await expect(page.getByRole('status')).toContainText('needs at least one addon');
    // Focus moves to the addons so a keyboard user lands where the fix is.
    await expect(page.getByLabel(/^100 credits/)).toBeFocused();

    await page.getByLabel(/500 credits/).fill('2');
    await expect(page.locator('#addon-error')).toBeHidden();
    await expect(page.locator('#total')).toHaveText('$90.00');
    await page.getByLabel('Country for tax').selectOption('US:NY');
    await expect(page.locator('#total')).toHaveText('$97.99'); // 8.875% of $90.00 = $7.9875 -> $7.99
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('status')).toContainText('Ready to pay');
  });

  test('Scale attaches its mandatory addons, locked', async ({ page }) => {
    await page.getByLabel(/Scale Monthly USD/).check();
    await expect(page.getByLabel(/Priority support/)).toBeDisabled();
    await expect(page.getByLabel(/Priority support/)).toHaveValue('1');
    await expect(page.locator('#total')).toHaveText('$177.00');
  });

  test('works from the keyboard alone', async ({ page }) => {
    await page.getByLabel(/Credits Starter/).focus();
    await page.keyboard.press('Tab'); // into the first pack
    await page.keyboard.type('1');
    await expect(page.locator('#total')).toHaveText('$10.00');
  });
});
