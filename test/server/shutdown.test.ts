import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends, cardToken, type TestServer } from './harness.js';

type Json = Record<string, any>;

/**
 * Stopping the backend while it writes (SIGTERM, Ctrl+C, a test's close): a handler whose client has hung up is still
 * running, and its writes finish before the database closes, with no error printed.
 */
describe.each(backends)('a shutdown mid-write on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    // Every submit holds its finished transaction before committing: the window in which the server is stopped.
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true', PAYLIT_TEST_HOLD_SUBMIT: '600ms' });
  });
  afterAll(async () => {
    await s.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a checkout whose customer has gone commits before the server stops, and nothing is printed as an error', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const stopping = await s.twin();
    const { hosted_page: page } = (await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, addons: [{ id: 'credits-100', quantity: 1 }], customer: { email: 'gone@example.com' } })) as never as { hosted_page: Json };
    const held = new Promise<void>((resolve) => {
      const log = console.log.bind(console);
      vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => (String(a[0]).startsWith('fault: holding the submit') ? resolve() : log(...a)));
    });
    const browser = new AbortController();
    const submit = fetch(`${stopping.url}/api/browser/v2/hosted_pages/${page.id}/submit`, {
      method: 'POST',
      headers: { 'x-paylit-hosted-page-token': new URL(page.url).hash.replace('#token=', ''), 'content-type': 'application/json', origin: stopping.url },
      body: JSON.stringify({ card_token: await cardToken(s) }),
      signal: browser.signal,
    }).catch(() => 'hung up');
    await held;
    browser.abort();
    expect(await submit).toBe('hung up');

    await stopping.close();
    expect((await s.cb.hostedPage.retrieve(page.id)).hosted_page.state).toBe('succeeded');
    expect(errors).not.toHaveBeenCalled();
  });
});
