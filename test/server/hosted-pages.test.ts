import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, cardToken, failure, ORIGIN, PUBLISHABLE_KEY, type TestServer } from './harness.js';

const DAY = 86_400;

interface Page {
  id: string;
  url: string;
  state: string;
  created_at: number;
  expires_at: number;
  content?: Record<string, any>;
  pass_thru_content?: string;
}

describe.each(backends)('hosted pages and portal sessions on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true', PAYLIT_BACKDATING_DAY_LIMIT: '20' });
  });
  afterAll(async () => {
    await s.close();
  });

  const tokenOf = (p: Page) => new URL(p.url).hash.replace('#token=', '');
  /** A browser call to a hosted page's routes, with its token (from the backend's own origin, as the iframe is). */
  // A submit carries a fresh test card unless the test gives one (or `card_token: null` for none).
  const browser = async (p: Page, action = '', body?: unknown, token = tokenOf(p)) => {
    if (action === '/submit' && body && typeof body === 'object' && !('card_token' in body)) body = { ...body, card_token: await cardToken(s) };
    if (body && typeof body === 'object' && 'card_token' in body && (body as { card_token: unknown }).card_token === null) {
      const { card_token: _c, ...rest } = body as Record<string, unknown>;
      body = rest;
    }
    return fetch(`${s.url}/api/browser/v2/hosted_pages/${p.id}${action}`, {
      method: body === undefined && action === '' ? 'GET' : 'POST',
      headers: { 'x-paylit-hosted-page-token': token, 'content-type': 'application/json', origin: s.url },
      ...(body !== undefined || action !== '' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
  };
  const newPage = async (params: Record<string, unknown> = {}) =>
    (await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, redirect_url: 'https://shop.example/thanks?from=paylit', cancel_url: 'https://shop.example/cancelled', ...params })).hosted_page as unknown as Page;

  describe('checkout_new', () => {
    it('returns a page at this backend\'s /hosted/checkout/{id}, created, expiring in 3 hours', async () => {
      const page = await newPage({ pass_thru_content: 'campaign=fall' });
      expect(page.url.startsWith(`${s.url}/hosted/checkout/${page.id}#token=`)).toBe(true);
      expect(tokenOf(page).length).toBeGreaterThanOrEqual(32);
      expect(page).toMatchObject({ state: 'created', pass_thru_content: 'campaign=fall', embed: true, object: 'hosted_page' });
      expect(page.expires_at - page.created_at).toBe(3 * 3600);
      const { hosted_page } = await s.cb.hostedPage.retrieve(page.id);
      expect(hosted_page.state).toBe('created');
    });

    it('names pages in the order they were made, each with 16 random characters after the time (new rows land together in the primary key)', async () => {
      const pages: Page[] = [];
      for (let i = 0; i < 3; i++) {
        pages.push(await newPage());
        await new Promise((r) => setTimeout(r, 3));
      }
      for (const p of pages) expect(p.id).toMatch(/^hp_[0-9a-z]{9}[A-Za-z0-9]{16}$/);
      expect(pages.map((p) => p.id)).toEqual(pages.map((p) => p.id).sort());
      expect(new Set(pages.map((p) => p.id.slice(12))).size).toBe(3);
    });

    it.each([
      ['an unknown plan', { 'subscription[plan_id]': 'nope' }, 'subscription[plan_id]'],
      ['a plan not enabled in hosted pages', { 'subscription[plan_id]': 'hidden-plan' }, 'subscription[plan_id]'],
      ['pass_thru_content over 2048', { 'subscription[plan_id]': 'grow-monthly', pass_thru_content: 'x'.repeat(2049) }, 'pass_thru_content'],
      ['a redirect_url that is not a URL', { 'subscription[plan_id]': 'grow-monthly', redirect_url: 'thanks.html' }, 'redirect_url'],
      ['an unknown layout', { 'subscription[plan_id]': 'grow-monthly', layout: 'popup' }, 'layout'],
      ['embed not a boolean', { 'subscription[plan_id]': 'grow-monthly', embed: 'sure' }, 'embed'],
      ['an addon the plan does not allow', { 'subscription[plan_id]': 'credits-starter', 'addons[id][0]': 'analytics' }, 'addons[id][0]'],
      ['a bad email', { 'subscription[plan_id]': 'grow-monthly', 'customer[email]': 'nope' }, 'customer[email]'],
      ['a negative price override', { 'subscription[plan_id]': 'grow-monthly', 'subscription[plan_unit_price]': '-1' }, 'subscription[plan_unit_price]'],
      ['a price override with a quantity in decimals on a flat fee plan', { 'subscription[plan_id]': 'grow-monthly', 'subscription[plan_quantity_in_decimal]': '2.5' }, 'subscription[plan_quantity_in_decimal]'],
    ])('refuses %s with a 400 naming %s, and stores nothing', async (_n, form, param) => {
      if (param === 'subscription[plan_id]' && form['subscription[plan_id]'] === 'hidden-plan') {
        await s.cb.plan.create({ id: 'hidden-plan', name: 'Hidden', enabled_in_hosted_pages: false }).catch(() => undefined);
      }
      const before = await s.snapshot();
      const res = await s.api('/api/v2/hosted_pages/checkout_new', { form: form as Record<string, string> });
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.param).toBe(param);
      expect(await s.snapshot()).toBe(before);
    });
  });

  describe('the browser side of a page', () => {
    it('opens (created -> requested) only with the page token', async () => {
      const page = await newPage();
      expect((await browser(page, '', undefined, 'wrong-token')).status).toBe(401);
      expect((await fetch(`${s.url}/api/browser/v2/hosted_pages/${page.id}`)).status).toBe(401);
      // The secret key is not a page token.
      expect((await browser(page, '', undefined, s.site.api_key)).status).toBe(401);
      const res = await browser(page);
      expect(res.status).toBe(200);
      const view = await res.json();
      expect(view.hosted_page.state).toBe('requested');
      expect(view.checkout).toMatchObject({ kind: 'new', plan_id: 'credits-starter' });
      expect(view.catalog.addons.map((a: any) => a.id)).toContain('credits-500');
      // The addon rule: no estimate until a pack is chosen, and the reason names the field.
      expect(view.estimate_error).toMatchObject({ param: 'addons' });
      expect((await s.cb.hostedPage.retrieve(page.id)).hosted_page.state).toBe('requested');
    });

    it('saves choices and returns the estimate; bad choices name the field and change nothing', async () => {
      const page = await newPage();
      const saved = await (await browser(page, '/save', { addons: [{ id: 'credits-500', quantity: 2 }], customer: { email: 'buyer@example.com' } })).json();
      expect(saved.estimate.invoice_estimate.line_items).toEqual([
        expect.objectContaining({ entity_type: 'plan', amount: 0 }),
        expect.objectContaining({ entity_id: 'credits-500', quantity: 2, amount: 9000 }),
      ]);
      const before = await s.snapshot();
      const bad = await browser(page, '/save', { addons: [{ id: 'credits-500', quantity: 0 }] });
      expect(bad.status).toBe(400);
      expect((await bad.json()).param).toBe('addons[quantity][0]');
      const badAddon = await browser(page, '/save', { addons: [{ id: 'analytics' }] });
      expect((await badAddon.json()).param).toBe('addons[id][0]');
      const priced = await browser(page, '/save', { addons: [{ id: 'credits-500', quantity: 1, unit_price: 1 }] });
      expect(priced.status).toBe(400);
      const custom = await browser(page, '/save', { customer: { promotional_credits: 100 } });
      expect((await custom.json()).param).toBe('customer[promotional_credits]');
      expect(await s.snapshot()).toBe(before);
    });

    it('the page is the cart: only its plan and the addons it allows are offered; another plan or addon is refused by name and changes nothing', async () => {
      const page = await newPage({ addons: [{ id: 'credits-100', quantity: 2 }] });
      const view = await (await browser(page)).json();
      // The built-in test gateway moves no real money: the page says so (its checkout shows "Test mode").
      expect(view.test_mode).toBe(true);
      expect(view.catalog.plans.map((p: any) => p.id)).toEqual(['credits-starter']);
      expect(view.catalog.addons.map((a: any) => a.id).sort()).toEqual(['credits-100', 'credits-2000', 'credits-500']);
      expect(view.checkout.addons).toEqual([{ id: 'credits-100', quantity: 2 }]);
      const before = await s.snapshot();
      for (const action of ['/save', '/submit']) {
        // (No card token: making one would be a change of its own.)
        const other = await browser(page, action, { plan_id: 'grow-monthly', addons: [{ id: 'credits-100', quantity: 1 }], card_token: null });
        expect(other.status, action).toBe(400);
        expect(await other.json(), action).toMatchObject({ param: 'plan_id', api_error_code: 'param_wrong_value' });
        const addon = await browser(page, action, { addons: [{ id: 'credits-100', quantity: 1 }, { id: 'priority-support', quantity: 1 }], card_token: null });
        expect(addon.status).toBe(400);
        expect((await addon.json()).param).toBe('addons[id][1]');
      }
      expect(await s.snapshot()).toBe(before);
      // The page's own plan, said again, is fine.
      expect((await browser(page, '/save', { plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 1 }] })).status).toBe(200);
    });

    it('refuses to complete without a pack; completes with one, once; then the merchant retrieves and acknowledges', async () => {
      const page = await newPage({ pass_thru_content: 'order-7' });
      const noPack = await browser(page, '/submit', { customer: { email: 'pay@example.com' } });
      expect(noPack.status).toBe(400);
      expect((await noPack.json()).param).toBe('addons');
      expect((await s.cb.hostedPage.retrieve(page.id)).hosted_page.state).not.toBe('succeeded');

      const ack = await failure(s.cb.hostedPage.acknowledge(page.id));
      expect(ack).toMatchObject({ http_status_code: 400, api_error_code: 'invalid_state_for_request' });

      const done = await browser(page, '/submit', { addons: [{ id: 'credits-100', quantity: 3 }], customer: { email: 'pay@example.com', first_name: 'Pat' }, billing_address: { country: 'DE', zip: '10115', city: 'Berlin', line1: 'Unter den Linden 1' } });
      expect(done.status).toBe(200);
      const body = await done.json();
      expect(body.redirect_url).toBe(`https://shop.example/thanks?from=paylit&id=${page.id}&state=succeeded`);
      const { hosted_page } = await s.cb.hostedPage.retrieve(page.id);
      const content = hosted_page.content as any;
      expect(hosted_page.state).toBe('succeeded');
      expect(content.subscription).toMatchObject({ plan_id: 'credits-starter', status: 'active' });
      expect(content.customer).toMatchObject({ email: 'pay@example.com', first_name: 'Pat' });
      expect(content.invoice.line_items.find((l: any) => l.entity_type === 'addon')).toMatchObject({ entity_id: 'credits-100', quantity: 3 });
      expect(content.invoice.tax).toBe(570); // DE VAT 19% of 30.00
      const again = await browser(page, '/submit', {});
      expect(again.status).toBe(409);
      expect((await s.cb.hostedPage.acknowledge(page.id)).hosted_page.state).toBe('acknowledged');
      expect((await s.cb.hostedPage.acknowledge(page.id)).hosted_page.state).toBe('acknowledged');
      const list = await s.cb.hostedPage.list({ state: { is: 'acknowledged' } });
      expect(list.list.map((e: any) => e.hosted_page.id)).toContain(page.id);
    });

    it('two submits racing complete the page once: one subscription, and a conflict for the other', async () => {
      const page = await newPage({ addons: [{ id: 'credits-100', quantity: 1 }], customer: { email: 'race@example.com' } });
      const results = await Promise.all(Array.from({ length: 6 }, () => browser(page, '/submit', {})));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((x) => x === 200)).toHaveLength(1);
      expect(statuses.filter((x) => x === 409)).toHaveLength(5);
      const customers = await s.cb.customer.list({ email: { is: 'race@example.com' } });
      expect(customers.list).toHaveLength(1);
      const subs = await s.cb.subscription.list({ customer_id: { is: customers.list[0]!.customer.id } });
      expect(subs.list).toHaveLength(1);
    });

    it.runIf(backend.kind === 'postgres')('two instances on one PostgreSQL: a page made on one completes on the other, once', async () => {
      const other = await s.twin();
      try {
        const page = await newPage({ addons: [{ id: 'credits-500', quantity: 1 }], customer: { email: 'two-instances@example.com' } });
        const tokens = await Promise.all([1, 2, 3, 4].map(() => cardToken(s)));
        const submit = (base: string) =>
          fetch(`${base}/api/browser/v2/hosted_pages/${page.id}/submit`, {
            method: 'POST',
            headers: { 'x-paylit-hosted-page-token': tokenOf(page), 'content-type': 'application/json', origin: base },
            body: JSON.stringify({ card_token: tokens.pop() }),
          });
        const results = await Promise.all([submit(other.url), submit(s.url), submit(other.url), submit(s.url)]);
        expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
        const customers = await s.cb.customer.list({ email: { is: 'two-instances@example.com' } });
        expect(customers.list).toHaveLength(1);
        expect((await s.cb.subscription.list({ customer_id: { is: customers.list[0]!.customer.id } })).list).toHaveLength(1);
      } finally {
        await other.close();
      }
    });

    it('an expired page can be retrieved but not completed', async () => {
      const page = await newPage({ addons: [{ id: 'credits-100', quantity: 1 }] });
      s.clock.advance(3 * 3600);
      const res = await browser(page, '/submit', {});
      expect(res.status).toBe(400);
      expect((await res.json()).message).toMatch(/expired/);
      expect((await s.cb.hostedPage.retrieve(page.id)).hosted_page.state).toBe('created');
    });

    it('cancelling sends the browser to cancel_url with the id and state', async () => {
      const page = await newPage();
      const body = await (await browser(page, '/cancel')).json();
      expect(body.redirect_url).toBe(`https://shop.example/cancelled?id=${page.id}&state=cancelled`);
      expect((await s.cb.hostedPage.retrieve(page.id)).hosted_page.state).toBe('cancelled');
      expect((await browser(page, '/submit', { addons: [{ id: 'credits-100' }] })).status).toBe(409);
    });

    it('an existing customer\'s billing address is shown read-only and cannot be replaced here', async () => {
      const { customer } = await s.cb.customer.create({ email: 'known@example.com' });
      await s.cb.customer.updateBillingInfo(customer.id, { billing_address: { country: 'FR', city: 'Paris' } });
      const page = await newPage({ customer: { id: customer.id } });
      const view = await (await browser(page)).json();
      expect(view.customer).toMatchObject({ email: 'known@example.com', billing_address_locked: true, billing_address: { country: 'FR' } });
      const res = await browser(page, '/submit', { addons: [{ id: 'credits-100' }], billing_address: { country: 'US' } });
      expect(res.status).toBe(400);
      expect((await res.json()).param).toBe('billing_address');
      const ok = await browser(page, '/submit', { addons: [{ id: 'credits-100' }] });
      expect(ok.status).toBe(200);
      expect((await ok.json()).hosted_page.content.subscription.customer_id).toBe(customer.id);
    });
  });

  describe('drop-in checkout (publishable key)', () => {
    const dropIn = (body: unknown, key = PUBLISHABLE_KEY) =>
      fetch(`${s.url}/api/browser/v2/checkout_new`, { method: 'POST', headers: { 'x-paylit-publishable-key': key, 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(body) });

    it('creates a checkout_new page from catalog ids', async () => {
      const res = await dropIn({ plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 1 }], redirect_url: `${ORIGIN}/thanks` });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const { hosted_page } = await res.json();
      expect(hosted_page).toMatchObject({ type: 'checkout_new', state: 'created' });
    });

    it.each([
      ['a unit price', { plan_id: 'grow-monthly', plan_unit_price: 1 }, 'plan_unit_price'],
      ['an addon price', { plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 1, unit_price: 1 }] }, 'addons[unit_price][0]'],
      ['a plan not enabled in hosted pages', { plan_id: 'hidden-plan' }, 'plan_id'],
      ['a redirect to another site', { plan_id: 'grow-monthly', redirect_url: 'https://evil.example/x' }, 'redirect_url'],
      ['an existing customer id', { plan_id: 'grow-monthly', customer: { id: 'cus_x' } }, 'customer[id]'],
    ])('refuses %s, naming %s', async (_n, body, param) => {
      await s.cb.plan.create({ id: 'hidden-plan', name: 'Hidden', enabled_in_hosted_pages: false }).catch(() => undefined);
      const res = await dropIn(body);
      expect(res.status).toBe(400);
      expect((await res.json()).param).toBe(param);
    });

    it('needs the publishable key, never the secret key', async () => {
      expect((await dropIn({ plan_id: 'grow-monthly' }, s.site.api_key)).status).toBe(401);
    });

    // As the loader sends it: the key in the query and JSON as text/plain, a CORS simple request (no preflight).
    const simple = (body: string, o: { key?: string; origin?: string; path?: string } = {}) =>
      fetch(`${s.url}${o.path ?? '/api/browser/v2/checkout_new'}?key=${encodeURIComponent(o.key ?? PUBLISHABLE_KEY)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: o.origin ?? ORIGIN },
        body,
      });
    const pages = async () => (await s.cb.hostedPage.list({ limit: 100 })).list.length;

    it('takes the loader\'s simple request (key in the query, JSON as text/plain), and refuses it as the headers would be', async () => {
      const res = await simple(JSON.stringify({ plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 1 }] }));
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect((await res.json()).hosted_page).toMatchObject({ type: 'checkout_new', state: 'created' });
      const before = await pages();
      // An origin not allowed (a page elsewhere that can send this without asking first): refused, nothing made; the
      // refusal is readable there, so its developer reads why.
      const foreign = await simple(JSON.stringify({ plan_id: 'credits-starter' }), { origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('access-control-allow-origin')).toBe('https://evil.example');
      expect(await foreign.json()).toMatchObject({ api_error_code: 'origin_not_allowed', message: "The origin https://evil.example is not in this site's allowed origins (PAYLIT_ALLOWED_ORIGINS): add it there and restart the backend" });
      // The secret key, or none, in the query: 401.
      expect((await simple('{}', { key: s.site.api_key })).status).toBe(401);
      expect((await fetch(`${s.url}/api/browser/v2/checkout_new`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: ORIGIN }, body: '{}' })).status).toBe(401);
      // Not JSON: said as for application/json.
      const bad = await simple('plan_id=credits-starter');
      expect(bad.status).toBe(400);
      expect((await bad.json()).message).toBe('The request body is not valid JSON.');
      expect(await pages()).toBe(before);
      // text/plain is for this route only: the estimates and the secret-key API still refuse it.
      expect((await simple('{}', { path: '/api/browser/v2/estimates/create_subscription' })).status).toBe(415);
      expect((await fetch(`${s.url}/api/v2/customers`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${s.site.api_key}:`).toString('base64')}`, 'content-type': 'text/plain' }, body: '{"email":"x@example.com"}' })).status).toBe(415);
    });
  });

  describe('checkout_existing', () => {
    it('changes a subscription\'s packs and coupons through the page, prorated by core', async () => {
      const { subscription } = await s.cb.subscription.create({ plan_id: 'hustle-monthly', customer: { email: 'existing-page@example.com' } }) as never as { subscription: any };
      s.clock.advance(10 * DAY);
      const { hosted_page } = await s.cb.hostedPage.checkoutExisting({ subscription: { id: subscription.id, plan_id: 'scale-monthly' }, redirect_url: 'https://shop.example/done' });
      const page = hosted_page as unknown as Page;
      const view = await (await browser(page)).json();
      expect(view.subscription.id).toBe(subscription.id);
      expect(view.estimate.credit_note_estimates.length).toBe(1);
      const done = await (await browser(page, '/submit', {})).json();
      expect(done.hosted_page.content.subscription.plan_id).toBe('scale-monthly');
      expect(done.hosted_page.content.invoice.amount_paid).toBe(view.estimate.invoice_estimate.amount_due);
      expect(done.hosted_page.content.invoice.status).toBe('paid'); // charged to the card given on the page
    });

    it('refuses an unknown subscription and a currency change, naming the param', async () => {
      expect(await failure(s.cb.hostedPage.checkoutExisting({ subscription: { id: 'nope' } }))).toMatchObject({ http_status_code: 400, param: 'subscription[id]' });
      const { subscription } = await s.cb.subscription.create({ plan_id: 'grow-monthly', customer: { email: 'eur@example.com' } }) as never as { subscription: any };
      expect(await failure(s.cb.hostedPage.checkoutExisting({ subscription: { id: subscription.id, plan_id: 'grow-monthly-eur' } }))).toMatchObject({ http_status_code: 400, param: 'subscription[plan_id]' });
    });
  });

  describe('checkout_existing_for_items (seed 004)', () => {
    let active: string;
    let trial: string;
    let cancelled: string;
    beforeAll(async () => {
      const mk = async (params: Record<string, unknown>) =>
        ((await s.cb.subscription.create({ customer: { email: `items-${String(Math.random()).slice(2)}@example.com` }, ...params })) as never as { subscription: any }).subscription.id as string;
      active = await mk({ plan_id: 'hustle-monthly' });
      trial = await mk({ plan_id: 'pro-trial' });
      cancelled = await mk({ plan_id: 'hustle-monthly' });
      await s.cb.subscription.cancel(cancelled, {});
    });
    const items = (form: Record<string, string>) => s.api('/api/v2/hosted_pages/checkout_existing_for_items', { form });

    it('creates a page for a valid change: plan first, addons after', async () => {
      const { hosted_page } = await s.cb.hostedPage.checkoutExistingForItems({
        subscription: { id: active },
        subscription_items: [{ item_price_id: 'scale-monthly' }, { item_price_id: 'extra-seat', quantity: 2 }],
        layout: 'full_page',
        allow_offline_payment_methods: false,
      });
      expect(hosted_page).toMatchObject({ type: 'checkout_existing_for_items', state: 'created', layout: 'full_page' });
    });

    const now = () => s.clock.now();
    it.each<[string, () => Record<string, string>, string]>([
      ['a first item that is not a plan', () => ({ 'subscription[id]': active, 'subscription_items[item_price_id][0]': 'extra-seat' }), 'subscription_items[item_price_id][0]'],
      ['a second plan', () => ({ 'subscription[id]': active, 'subscription_items[item_price_id][0]': 'scale-monthly', 'subscription_items[item_price_id][1]': 'grow-monthly' }), 'subscription_items[item_price_id][1]'],
      ['an addon the plan does not allow', () => ({ 'subscription[id]': active, 'subscription_items[item_price_id][0]': 'grow-monthly', 'subscription_items[item_price_id][1]': 'analytics' }), 'subscription_items[item_price_id][1]'],
      ['invoice_date without invoice_immediately', () => ({ 'subscription[id]': active, invoice_date: String(now() - DAY) }), 'invoice_date'],
      ['invoice_date in the future', () => ({ 'subscription[id]': active, invoice_immediately: 'true', invoice_date: String(now() + DAY) }), 'invoice_date'],
      ['invoice_date more than a calendar month back', () => ({ 'subscription[id]': active, invoice_immediately: 'true', invoice_date: String(now() - 32 * DAY) }), 'invoice_date'],
      ['invoice_date before trial_end', () => ({ 'subscription[id]': trial, invoice_immediately: 'true', invoice_date: String(now() - DAY), 'subscription[trial_end]': String(now()) }), 'invoice_date'],
      ['specific_date without changes_scheduled_at', () => ({ 'subscription[id]': active, change_option: 'specific_date' }), 'changes_scheduled_at'],
      ['changes_scheduled_at in the past', () => ({ 'subscription[id]': active, change_option: 'specific_date', changes_scheduled_at: String(now() - 60) }), 'changes_scheduled_at'],
      ['an unknown change_option', () => ({ 'subscription[id]': active, change_option: 'tomorrow' }), 'change_option'],
      ['reactivate_from on an active subscription', () => ({ 'subscription[id]': active, reactivate_from: String(now()) }), 'reactivate_from'],
      ['reactivate_from with changes_scheduled_at', () => ({ 'subscription[id]': cancelled, reactivate_from: String(now() + DAY), change_option: 'specific_date', changes_scheduled_at: String(now() + DAY) }), 'reactivate_from'],
      ['reactivate_from more than a billing period back', () => ({ 'subscription[id]': cancelled, reactivate_from: String(now() - 40 * DAY) }), 'reactivate_from'],
      ['billing_alignment_mode without calendar billing', () => ({ 'subscription[id]': active, billing_alignment_mode: 'immediate' }), 'billing_alignment_mode'],
      // Seed 004 pairs force_term_reset with invoice_usages only where usage-based billing is on; this site bills no usage.
      ['invoice_usages=true, when the site bills no usage', () => ({ 'subscription[id]': active, force_term_reset: 'true', invoice_usages: 'true' }), 'invoice_usages'],
      ['allow_offline_payment_methods=true, when the site takes cards only', () => ({ 'subscription[id]': active, allow_offline_payment_methods: 'true' }), 'allow_offline_payment_methods'],
      ['a trial_end for a subscription not in trial', () => ({ 'subscription[id]': active, 'subscription[trial_end]': String(now() + DAY) }), 'subscription[trial_end]'],
      ['force_term_reset on a trial', () => ({ 'subscription[id]': trial, force_term_reset: 'true', invoice_usages: 'true' }), 'force_term_reset'],
      ['reactivate on an active subscription', () => ({ 'subscription[id]': active, reactivate: 'true' }), 'reactivate'],
      ['terms_to_charge of 0', () => ({ 'subscription[id]': active, terms_to_charge: '0' }), 'terms_to_charge'],
      ['a mandatory_items_to_remove that is not mandatory', () => ({ 'subscription[id]': active, 'mandatory_items_to_remove[0]': 'extra-seat' }), 'mandatory_items_to_remove'],
      ['pass_thru_content over 2048', () => ({ 'subscription[id]': active, pass_thru_content: 'p'.repeat(2049) }), 'pass_thru_content'],
      ['allow_offline_payment_methods not a boolean', () => ({ 'subscription[id]': active, allow_offline_payment_methods: 'maybe' }), 'allow_offline_payment_methods'],
      ['an unknown layout', () => ({ 'subscription[id]': active, layout: 'modal' }), 'layout'],
      ['an unknown subscription', () => ({ 'subscription[id]': 'nope' }), 'subscription[id]'],
    ])('refuses %s with a 400 naming %s, and stores nothing', async (_n, form, param) => {
      const before = await s.snapshot();
      const res = await items(form());
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.param).toBe(param);
      expect(await s.snapshot()).toBe(before);
    });

    it('backdates a reactivation within the rules, and refuses it after the month\'s close day', async () => {
      s.clock.set(Date.UTC(2025, 3, 10) / 1000);
      const ok = await items({ 'subscription[id]': cancelled, reactivate_from: String(s.clock.now() - 2 * DAY), invoice_immediately: 'true', invoice_date: String(s.clock.now() - DAY) });
      expect(ok.status, await ok.clone().text()).toBe(200);
      s.clock.set(Date.UTC(2025, 3, 25) / 1000); // day 25 > PAYLIT_BACKDATING_DAY_LIMIT=20
      const late = await items({ 'subscription[id]': cancelled, reactivate_from: String(s.clock.now() - 2 * DAY) });
      expect(late.status).toBe(400);
      expect((await late.json()).param).toBe('reactivate_from');
    });
  });

  describe('portal sessions', () => {
    let customerId: string;
    beforeAll(async () => {
      customerId = (await s.cb.customer.create({ email: 'portal@example.com' })).customer.id;
    });
    const activate = (id: string, token: string) =>
      fetch(`${s.url}/api/browser/v2/portal_sessions/activate`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ id, token }) });
    const address = (key: string, body?: unknown) =>
      fetch(`${s.url}/api/browser/v2/portal/address`, {
        method: body ? 'POST' : 'GET',
        headers: { 'x-paylit-portal-key': key, 'content-type': 'application/json', origin: ORIGIN },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });

    it('creates a session; it activates once, and its key reads and updates the billing address (ADDRESS)', async () => {
      const { portal_session } = await s.cb.portalSession.create({ customer: { id: customerId }, redirect_url: 'https://shop.example/account' });
      expect(portal_session).toMatchObject({ status: 'created', customer_id: customerId, object: 'portal_session' });
      expect(portal_session.access_url.startsWith(`${s.url}/hosted/portal/${portal_session.id}#token=`)).toBe(true);
      expect(portal_session.expires_at! - portal_session.created_at!).toBe(3600);
      // The built-in test gateway moves no real money: the portal's page says so (its header shows "Test mode").
      expect(await (await fetch(`${s.url}/hosted/portal/${portal_session.id}`)).text()).toContain('<meta name="paylit-test-mode" content="true">');
      const res = await activate(portal_session.id, portal_session.token);
      expect(res.status).toBe(200);
      const { portal_key } = await res.json();
      const reuse = await activate(portal_session.id, portal_session.token);
      expect(reuse.status).toBe(409);
      expect((await reuse.json()).message).toMatch(/already used/);
      expect((await (await address(portal_key)).json()).billing_address).toBeNull();
      const bad = await address(portal_key, { billing_address: { country: 'Germany' } });
      expect(bad.status).toBe(400);
      expect((await bad.json()).param).toBe('billing_address[country]');
      const ok = await address(portal_key, { billing_address: { line1: '5 Rue X', city: 'Lyon', zip: '69001', country: 'FR' } });
      expect(ok.status).toBe(200);
      const { customer } = await s.cb.customer.retrieve(customerId);
      expect(customer.billing_address).toMatchObject({ city: 'Lyon', country: 'FR' });
      expect((await s.cb.portalSession.retrieve(portal_session.id)).portal_session.status).toBe('logged_in');
      await s.cb.portalSession.logout(portal_session.id);
      expect((await address(portal_key)).status).toBe(401);
    });

    it('an expired session is refused with a clear error; a bad token or customer too', async () => {
      const { portal_session } = await s.cb.portalSession.create({ customer: { id: customerId } });
      expect((await activate(portal_session.id, 'wrong')).status).toBe(401);
      s.clock.advance(3601);
      const res = await activate(portal_session.id, portal_session.token);
      expect(res.status).toBe(401);
      expect((await res.json()).message).toMatch(/expired/);
      expect(await failure(s.cb.portalSession.create({ customer: { id: 'nope' } }))).toMatchObject({ http_status_code: 400, param: 'customer[id]' });
      expect((await address('made-up-key')).status).toBe(401);
    });
  });
});
