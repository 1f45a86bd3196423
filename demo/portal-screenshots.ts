/**
 * `npm run screenshots:portal`: opens each section of the self-serve portal in the modal on a merchant page, as a
 * customer with a Grow subscription, light and dark, on a desktop and a phone, and saves a picture of the modal into
 * demo/screenshots/portal/ (the README shows them). Starts its own backend on ports 8794/8795 with a fresh database
 * (PAYLIT_SCREENSHOTS_PORT moves them); needs a Chromium (CHROMIUM_PATH, /usr/bin/chromium, or Playwright's own).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type APIRequestContext, type Browser, chromium, type FrameLocator, type Page, request as requests } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'demo/screenshots/portal');
const PORT = Number(process.env.PAYLIT_SCREENSHOTS_PORT ?? 8794);
// The e2e helpers read their ports from here: set before they are imported.
process.env.PAYLIT_E2E_DEMO_PORT = String(PORT);
const { E2E_API_KEY, E2E_PUBLISHABLE_KEY } = await import('../test/e2e/playwright.config.js');
const { backend, merchant } = await import('../test/e2e/merchant.js');
const { customer, fillPortalCard } = await import('../test/e2e/portal.js');

const devices = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} as const;

async function startBackend(): Promise<ChildProcess> {
  const data = join(root, '.paylit/portal-screenshots');
  rmSync(data, { recursive: true, force: true });
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['demo/serve.ts'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PAYLIT_DEMO_PORT: String(PORT), PORT: String(PORT + 1), PAYLIT_DATA_DIR: data, PAYLIT_DEMO_SKIP_BUILD: '1', PAYLIT_API_KEY: E2E_API_KEY, PAYLIT_PUBLISHABLE_KEY: E2E_PUBLISHABLE_KEY, PAYLIT_PORTAL_CHANGE: 'either' },
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${String(PORT)}/demo/`, { signal: AbortSignal.timeout(5000) })).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error('the backend did not start');
}

/** Each section: its name in the files, what to do once it is open (the picture is taken after). */
const SECTIONS: Array<[string, string, (f: FrameLocator, page: Page) => Promise<void>]> = [
  ['SUBSCRIPTION_DETAILS', 'sub-details', (f) => f.getByRole('heading', { name: 'Grow' }).waitFor()],
  ['SUBSCRIPTION_CANCELLATION', 'sub-cancel', (f) => f.getByText(/stays active until/).waitFor()],
  // The top of Change plan: the plans offered, each with its price.
  ['EDIT_SUBSCRIPTION', 'edit-subscription-plans', (f) => f.locator('fieldset.plans label').first().waitFor()],
  ['EDIT_SUBSCRIPTION', 'edit-subscription', async (f) => {
    await f.getByText('Hustle', { exact: false }).first().click();
    await f.locator('tr.total td').last().filter({ hasText: /\$\d/ }).waitFor();
    // The proration, the card to pay with and the button in view.
    await f.getByRole('button', { name: 'Confirm change' }).scrollIntoViewIfNeeded();
  }],
  ['VIEW_SCHEDULED_CHANGES', 'scheduled-changes', (f) => f.getByRole('heading', { name: 'Scheduled change', exact: true }).waitFor()],
  ['PAYMENT_SOURCES', 'payment-sources', (f) => f.getByText(/•••• 1111/).waitFor()],
  ['ADD_PAYMENT_SOURCE', 'add-payment-source', async (f) => {
    await fillPortalCard(f, '4000 0000 0000 3220');
  }],
  // The bank's challenge over the portal (the modal's × hidden meanwhile); its Cancel closes it before the next.
  ['ADD_PAYMENT_SOURCE', 'add-payment-source-3ds', async (f) => {
    await fillPortalCard(f, '4000 0000 0000 3220');
    await f.getByRole('button', { name: 'Save card' }).click();
    await f.getByRole('dialog', { name: 'Confirm with your bank' }).getByRole('button', { name: 'Complete' }).waitFor();
  }],
  ['BILLING_HISTORY', 'billing-history', (f) => f.getByRole('table').waitFor()],
  ['ACCOUNT_DETAILS', 'account-details', (f) => f.getByText('ada@example.com').waitFor()],
  ['EDIT_ACCOUNT_DETAILS', 'edit-account-details', (f) => f.getByLabel('Email').waitFor()],
];

async function walk(browser: Browser, request: APIRequestContext, device: keyof typeof devices, scheme: 'light' | 'dark'): Promise<void> {
  const context = await browser.newContext({ ...devices[device], colorScheme: scheme, reducedMotion: 'reduce', locale: 'en-US', bypassCSP: true });
  const page = await context.newPage();
  // A customer with a card and a Grow subscription; a second one has a plan change scheduled for the renewal.
  const c = await customer(request, 'ada@example.com');
  const { subscription: later } = await backend<{ subscription: { id: string } }>(request, 'POST', `/api/v2/customers/${c.id}/subscriptions`, { plan_id: 'grow-monthly' });
  await backend(request, 'POST', `/api/v2/subscriptions/${later.id}`, { plan_id: 'hustle-monthly', end_of_term: 'true' });
  await merchant(page, request, {
    script: `
      window.openIt = (type, subscriptionId) => {
        const p = Paylit.getInstance();
        p.setPortalSession(() => fetch('/merchant/api/portal?customer=${c.id}').then((r) => r.json()));
        return p.createPortal().openSection({ sectionType: Paylit.getPortalSections()[type], params: { subscriptionId } });
      };`,
  });
  for (const [type, name, ready] of SECTIONS) {
    const sub = type === 'VIEW_SCHEDULED_CHANGES' ? later.id : c.subscription;
    await page.evaluate(([t, s]) => (window as unknown as { openIt(t: string, s: string): void }).openIt(t!, s!), [type, sub]);
    const f = page.frameLocator('dialog iframe');
    await ready(f, page);
    await page.waitForTimeout(400);
    const file = join(out, `${name}-${device}-${scheme}.png`);
    await page.locator('dialog').screenshot({ path: file, animations: 'disabled' });
    console.log(`  ${name}-${device}-${scheme}.png`);
    if (name.endsWith('-3ds')) await f.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: /^Close / }).click();
    await page.locator('dialog').waitFor({ state: 'detached' });
  }
  // A change paid with the card on file: the subscription again, what was done and paid said under its heading.
  {
    await page.evaluate(([t, s]) => (window as unknown as { openIt(t: string, s: string): void }).openIt(t!, s!), ['EDIT_SUBSCRIPTION', c.subscription]);
    const f = page.frameLocator('dialog iframe');
    await f.getByText('Hustle', { exact: false }).first().click();
    await f.locator('tr.total td').last().filter({ hasText: /\$\d/ }).waitFor();
    await f.getByRole('button', { name: 'Confirm change' }).click();
    await f.getByText(/^Subscription changed\. Paid/).waitFor();
    await page.waitForTimeout(400);
    await page.locator('dialog').screenshot({ path: join(out, `subscription-changed-${device}-${scheme}.png`), animations: 'disabled' });
    console.log(`  subscription-changed-${device}-${scheme}.png`);
    await page.getByRole('button', { name: /^Close / }).click();
    await page.locator('dialog').waitFor({ state: 'detached' });
  }
  // A renewal declined (the card on file declines from now on; the site's clock moves past the term end), then
  // Pay in the billing history: the card on file declined again, said by the action, the new card offered there.
  const { saveCard, CARD } = await import('../test/e2e/portal.js');
  await saveCard(request, c.id, CARD.declinesLater, true);
  const { subscription: s } = await backend<{ subscription: { current_term_end: number } }>(request, 'GET', `/api/v2/subscriptions/${c.subscription}`);
  const { time_machine: tm } = await backend<{ time_machine: { destination_time: number } }>(request, 'GET', '/api/v2/time_machines/delorean');
  await backend(request, 'POST', '/api/v2/time_machines/delorean/travel_forward', { destination_time: String(Math.max(s.current_term_end, tm.destination_time) + 60) });
  for (let i = 0; i < 80; i++) {
    const { list } = await backend<{ list: Array<{ invoice: { status: string } }> }>(request, 'GET', `/api/v2/invoices?subscription_id[is]=${c.subscription}&limit=10`);
    if (list.some((x) => x.invoice.status === 'payment_due')) break;
    await page.waitForTimeout(250);
  }
  await page.evaluate(([t, s]) => (window as unknown as { openIt(t: string, s: string): void }).openIt(t!, s!), ['BILLING_HISTORY', c.subscription]);
  const f = page.frameLocator('dialog iframe');
  await f.getByRole('button', { name: /^Pay .* for invoice/ }).first().click({ timeout: 30_000 });
  await f.locator('.pay').getByRole('button', { name: /^Pay / }).click();
  await f.getByText(/was declined/).waitFor();
  await f.locator('.pay').getByRole('button', { name: /^Pay / }).scrollIntoViewIfNeeded();
  await page.waitForTimeout(600);
  await page.locator('dialog').screenshot({ path: join(out, `billing-history-pay-${device}-${scheme}.png`), animations: 'disabled' });
  console.log(`  billing-history-pay-${device}-${scheme}.png`);
  await context.close();
}

const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
mkdirSync(out, { recursive: true });
const server = await startBackend();
const browser = await chromium.launch({ executablePath, args: ['--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights'] });
const request = await requests.newContext();
try {
  for (const device of ['desktop', 'phone'] as const) {
    for (const scheme of ['light', 'dark'] as const) await walk(browser, request, device, scheme);
  }
} finally {
  await request.dispose();
  await browser.close();
  server.kill('SIGTERM');
}
