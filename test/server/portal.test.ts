import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/core/money.js';
import { parseEnv } from '../../src/server/env.js';
import { backends, CARDS, cardToken, failure, ORIGIN, portalCustomer, portalKey, type TestServer } from './harness.js';

type Json = Record<string, any>;

/**
 * The self-serve portal's writes (issue 20) through its browser routes, with the portal session's key, and what the
 * merchant sees of them through the official SDK: each action, its events, the site's settings, the refusals
 * (someone else's subscription, card or invoice; an ended session; bad input by name), and idempotent retries.
 */
describe.each(backends)('the self-serve portal on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await s.close();
  });

  const customerWith = (planId: string, o: { addons?: Json[]; card?: string } = {}) => portalCustomer(s, planId, o);
  const login = (customerId: string) => portalKey(s, customerId);
  const call = async (key: string, path: string, body?: Json, headers: Record<string, string> = {}) => {
    const res = await fetch(`${s.url}/api/browser/v2/portal/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'x-paylit-portal-key': key, origin: ORIGIN, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const events = async (id: string) =>
    ((await s.cb.event.list({ limit: 100 })).list as Json[]).map((e) => e.event).filter((e) => e.content.subscription?.id === id || e.content.customer?.id === id || e.content.invoice?.id === id);
  const site = (form: Record<string, string>) => s.api('/api/v2/site', { form });

  describe('subscription details and cancellation', () => {
    it('cancels at the end of the term by default, shows it, and undoes it; each with its event from the portal', async () => {
      const { subscription, key } = await customerWith('grow-monthly');
      const view = await call(key, `subscriptions/${subscription.id}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ subscription: { id: subscription.id, status: 'active' }, plan: { id: 'grow-monthly', name: 'Grow, monthly' }, next_invoice: { total: 1900 }, actions: { cancel: 'end_of_term', change: ['immediately'] } });

      const cancelled = await call(key, `subscriptions/${subscription.id}/cancel`, { cancel_reason_code: 'too expensive' });
      expect(cancelled.body.subscription).toMatchObject({ status: 'non_renewing', cancelled_at: subscription.current_term_end });
      expect((await call(key, `subscriptions/${subscription.id}`)).body.actions).toMatchObject({ cancel: null, remove_scheduled_cancellation: true });
      const undone = await call(key, `subscriptions/${subscription.id}/remove_scheduled_cancellation`, {});
      expect(undone.body.subscription.status).toBe('active');
      expect((await s.cb.subscription.retrieve(subscription.id)).subscription.status).toBe('active');
      const types = (await events(subscription.id)).filter((e) => e.source === 'portal').map((e) => e.event_type);
      expect(types).toEqual(expect.arrayContaining(['subscription_cancellation_scheduled', 'subscription_scheduled_cancellation_removed']));
    });

    it('cancels at once where the site says so, reactivates where it allows, and refuses where it is turned off', async () => {
      const { subscription, key } = await customerWith('grow-monthly');
      expect((await site({ portal_cancel: 'immediately' })).status).toBe(200);
      const now = await call(key, `subscriptions/${subscription.id}/cancel`, {});
      expect(now.body.subscription.status).toBe('cancelled');
      expect((await call(key, `subscriptions/${subscription.id}`)).body.actions).toMatchObject({ cancel: null, reactivate: true });
      await site({ portal_reactivate: 'false' });
      const refused = await call(key, `subscriptions/${subscription.id}/reactivate`, {});
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/not offered in this shop's portal/);
      await site({ portal_reactivate: 'true' });
      const back = await call(key, `subscriptions/${subscription.id}/reactivate`, {});
      expect(back.status).toBe(200);
      expect(back.body.subscription.status).toBe('active');
      expect((await events(subscription.id)).map((e) => e.event_type)).toEqual(expect.arrayContaining(['subscription_cancelled', 'subscription_reactivated']));

      await site({ portal_cancel: 'off' });
      const before = await s.snapshot(['idempotency_keys']);
      const off = await call(key, `subscriptions/${subscription.id}/cancel`, {});
      expect(off.status).toBe(400);
      expect(await s.snapshot(['idempotency_keys'])).toBe(before);
      expect((await s.api('/api/v2/site').then((r) => r.json()) as Json).site).toMatchObject({ portal_cancel: 'off', portal_reactivate: true, portal_change: 'immediately' });
      await site({ portal_cancel: 'end_of_term' });
      expect((await site({ portal_cancel: 'sometimes' })).status).toBe(400);
    });
  });

  it('takes the portal settings from the environment, and names a bad one', async () => {
    const other = await backend.start({ PAYLIT_PORTAL_CANCEL: 'immediately', PAYLIT_PORTAL_CHANGE: 'either', PAYLIT_PORTAL_REACTIVATE: 'off' });
    try {
      expect(((await (await other.api('/api/v2/site')).json()) as Json).site).toMatchObject({ portal_cancel: 'immediately', portal_change: 'either', portal_reactivate: false });
    } finally {
      await other.close();
    }
    expect(() => parseEnv({ PAYLIT_PORTAL_CANCEL: 'later' })).toThrow(/PAYLIT_PORTAL_CANCEL/);
  });

  describe('EDIT_SUBSCRIPTION', () => {
    it('shows the proration before confirming, and the change charges exactly that', async () => {
      const { customer, subscription } = await customerWith('grow-monthly');
      s.clock.advance(10 * 86_400);
      const key = await login(customer.id);
      const options = await call(key, `subscriptions/${subscription.id}/options`);
      expect(options.body.plans.map((p: Json) => p.id)).toContain('hustle-monthly');
      expect(options.body.plans.every((p: Json) => p.currency_code === 'USD')).toBe(true);
      const change = { plan_id: 'hustle-monthly' };
      const { body: est } = await call(key, `subscriptions/${subscription.id}/estimate`, change);
      expect(est.estimate.credit_note_estimates.length).toBe(1);
      expect(est.estimate.amount_due_now).toBeGreaterThan(0);
      const done = await call(key, `subscriptions/${subscription.id}/change`, change);
      expect(done.status).toBe(200);
      expect(done.body.subscription.plan_id).toBe('hustle-monthly');
      const invoice = (await s.cb.invoice.retrieve(done.body.invoice.id)).invoice;
      expect(invoice.total).toBe(est.estimate.invoice_estimate.total);
      expect(invoice.status).toBe('paid');
      const changed = (await events(subscription.id)).find((e) => e.event_type === 'subscription_changed');
      expect(changed).toMatchObject({ source: 'portal', content: { subscription: { plan_id: 'hustle-monthly' } } });
    });

    it('refuses another currency, a plan not in the portal, and a timing the site does not allow, by field', async () => {
      const { subscription, key } = await customerWith('grow-monthly');
      const eur = await call(key, `subscriptions/${subscription.id}/estimate`, { plan_id: 'grow-monthly-eur' });
      expect(eur).toMatchObject({ status: 400, body: { param: 'plan_id' } });
      await s.cb.plan.update('scale-monthly', { enabled_in_portal: false });
      expect((await call(key, `subscriptions/${subscription.id}/change`, { plan_id: 'scale-monthly' })).body).toMatchObject({ param: 'plan_id', message: expect.stringMatching(/not offered in the portal/) });
      expect((await call(key, `subscriptions/${subscription.id}/change`, { plan_id: 'hustle-monthly', change_option: 'end_of_term' })).body.param).toBe('change_option');
      expect((await call(key, `subscriptions/${subscription.id}/change`, { addons: [{ id: 'extra-seat', quantity: 0 }] })).body.param).toBe('addons[quantity][0]');
    });

    it('schedules a change for the term end where the site allows, shows it, and removes it', async () => {
      const { subscription, key } = await customerWith('grow-monthly');
      await site({ portal_change: 'either' });
      const r = await call(key, `subscriptions/${subscription.id}/change`, { plan_id: 'hustle-monthly', change_option: 'end_of_term' });
      expect(r.body.subscription).toMatchObject({ plan_id: 'grow-monthly', has_scheduled_changes: true });
      expect(r.body.invoice).toBeUndefined();
      const view = await call(key, `subscriptions/${subscription.id}`);
      expect(view.body.scheduled_changes).toMatchObject({ at: subscription.current_term_end, plan_id: 'hustle-monthly', plan_name: 'Hustle, monthly' });
      const removed = await call(key, `subscriptions/${subscription.id}/remove_scheduled_changes`, {});
      expect(removed.body.subscription.has_scheduled_changes).toBe(false);
      expect((await events(subscription.id)).map((e) => e.event_type)).toEqual(expect.arrayContaining(['subscription_changes_scheduled', 'subscription_scheduled_changes_removed']));
      expect((await call(key, `subscriptions/${subscription.id}/remove_scheduled_changes`, {})).status).toBe(400);
      await site({ portal_change: 'immediately' });
    });

    it('keeps the addon rule: moving onto the packs plan takes a pack, charged with the change', async () => {
      const { subscription, key } = await customerWith('grow-monthly');
      const r = await call(key, `subscriptions/${subscription.id}/change`, { plan_id: 'credits-starter', addons: [] });
      expect(r).toMatchObject({ status: 400, body: { param: 'addons' } });
      const { body: est } = await call(key, `subscriptions/${subscription.id}/estimate`, { plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 1 }] });
      const ok = await call(key, `subscriptions/${subscription.id}/change`, { plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 1 }] });
      expect(ok.body.subscription.plan_id).toBe('credits-starter');
      const invoice = (await s.cb.invoice.retrieve(ok.body.invoice.id)).invoice;
      expect(invoice.line_items?.some((l) => l.entity_id === 'credits-500' && l.amount === 4500)).toBe(true);
      expect(invoice.total).toBe(est.estimate.invoice_estimate.total);
    });
  });

  describe('credit packs', () => {
    it('buys a pack now (an invoice, paid) and schedules one for the renewal; refuses what is not a pack of the plan; a retry charges once', async () => {
      const { subscription, key } = await customerWith('credits-starter', { addons: [{ id: 'credits-100', quantity: 1 }] });
      const idem = { 'chargebee-idempotency-key': `pack-${subscription.id}` };
      const now = await call(key, `subscriptions/${subscription.id}/charge_addon`, { addon_id: 'credits-500', addon_quantity: 2 }, idem);
      expect(now.body.invoice).toMatchObject({ status: 'paid', total: 9000 });
      const again = await call(key, `subscriptions/${subscription.id}/charge_addon`, { addon_id: 'credits-500', addon_quantity: 2 }, idem);
      expect(again.body.invoice.id).toBe(now.body.invoice.id);
      expect((await s.cb.invoice.list({ subscription_id: { is: subscription.id } })).list).toHaveLength(2);

      const later = await call(key, `subscriptions/${subscription.id}/charge_addon_at_term_end`, { addon_id: 'credits-100', addon_quantity: 3 });
      expect(later.body.subscription.charges_at_term_end).toMatchObject([{ addon_id: 'credits-100', addon_quantity: 3 }]);
      expect((await call(key, `subscriptions/${subscription.id}`)).body.charges_at_term_end).toEqual([{ addon_id: 'credits-100', name: expect.any(String), quantity: 3 }]);
      expect((await call(key, `subscriptions/${subscription.id}/charge_addon`, { addon_id: 'extra-seat' })).body).toMatchObject({ param: 'addon_id' });
      expect((await call(key, `subscriptions/${subscription.id}/charge_addon`, { addon_id: 'credits-100', addon_quantity: 0 })).body.param).toBe('addon_quantity');
    });

    it('adds no pack to the renewal of a subscription that does not renew; a pack now is still sold', async () => {
      const { subscription, key } = await customerWith('credits-starter', { addons: [{ id: 'credits-100', quantity: 1 }] });
      await call(key, `subscriptions/${subscription.id}/cancel`, {});
      const refused = await call(key, `subscriptions/${subscription.id}/charge_addon_at_term_end`, { addon_id: 'credits-100' });
      expect(refused).toMatchObject({ status: 400, body: { api_error_code: 'invalid_state_for_request', message: expect.stringMatching(/does not renew/) } });
      expect((await s.cb.subscription.retrieve(subscription.id)).subscription).toMatchObject({ status: 'non_renewing' });
      expect((await call(key, `subscriptions/${subscription.id}`)).body.charges_at_term_end).toEqual([]);
      expect((await call(key, `subscriptions/${subscription.id}/charge_addon`, { addon_id: 'credits-100' })).body.invoice).toMatchObject({ status: 'paid' });
    });
  });

  describe('payment sources', () => {
    const portalToken = async (key: string, number: string) => {
      const res = await fetch(`${s.url}/api/browser/v2/card_tokens`, {
        method: 'POST',
        headers: { 'x-paylit-portal-key': key, 'content-type': 'application/json', origin: s.url },
        body: JSON.stringify({ number, expiry_month: 11, expiry_year: 2039, cvc: '123' }),
      });
      return ((await res.json()) as Json).card_token.id as string;
    };

    it('adds a card after 3-D Secure, makes it primary, removes the old one; never the only card of a subscription', async () => {
      const { customer, subscription, key } = await customerWith('grow-monthly');
      const [old] = (await call(key, 'payment_sources')).body.list;
      expect(old).toMatchObject({ primary: true, card: { last4: '1111' } });
      const token = await portalToken(key, CARDS.threeDs);
      const asked = await call(key, 'payment_sources', { card_token: token });
      expect(asked).toMatchObject({ status: 402, body: { api_error_code: 'payment_authentication_required' } });
      await fetch(`${s.url}/api/browser/v2/card_tokens/${token}/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json', origin: s.url }, body: JSON.stringify({ outcome: 'complete' }) });
      const added = await call(key, 'payment_sources', { card_token: token });
      expect(added.body.payment_source).toMatchObject({ primary: false, card: { last4: '3220' } });
      const primary = await call(key, `payment_sources/${added.body.payment_source.id}/make_primary`, {});
      expect(primary.body.payment_source.primary).toBe(true);
      expect((await s.cb.customer.retrieve(customer.id)).customer.primary_payment_source_id).toBe(added.body.payment_source.id);
      expect((await call(key, `payment_sources/${old.id}/delete`, {})).status).toBe(200);
      const only = await call(key, `payment_sources/${added.body.payment_source.id}/delete`, {});
      expect(only).toMatchObject({ status: 400, body: { param: 'payment_source_id', message: expect.stringContaining(subscription.id) } });
      const types = (await events(customer.id)).filter((e) => e.source === 'portal').map((e) => e.event_type);
      expect(types).toEqual(expect.arrayContaining(['payment_source_added', 'card_added', 'customer_changed', 'payment_source_deleted']));
    });

    it("another customer's card, subscription or invoice is not found; an ended session is refused", async () => {
      const a = await customerWith('grow-monthly');
      const b = await customerWith('grow-monthly');
      const [bCard] = (await call(b.key, 'payment_sources')).body.list;
      const [bInvoice] = (await call(b.key, 'invoices')).body.list;
      for (const [path, body] of [[`payment_sources/${bCard.id}/delete`, {}], [`payment_sources/${bCard.id}/make_primary`, {}], [`subscriptions/${b.subscription.id}/cancel`, {}], [`subscriptions/${b.subscription.id}`, undefined], [`invoices/${bInvoice.id}/pdf`, {}], [`invoices/${bInvoice.id}/collect`, {}]] as const) {
        expect((await call(a.key, path, body)).status, path).toBe(404);
      }
      expect((await call('not-a-key', `subscriptions/${a.subscription.id}`)).status).toBe(401);
      s.clock.advance(3601);
      expect((await call(a.key, `subscriptions/${a.subscription.id}/cancel`, {})).body.api_error_code).toBe('portal_session_expired');
    });
  });

  describe('billing history', () => {
    it('pays an invoice left due by a declined renewal, with a new card', async () => {
      const { customer, subscription, key } = await customerWith('grow-monthly');
      await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s, CARDS.declinesLater), replace_primary_payment_source: true });
      await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.current_term_end + 60 });
      const fresh = await login(customer.id);
      const due = (await call(fresh, 'invoices')).body.list.find((i: Json) => i.payable);
      expect(due).toMatchObject({ status: 'payment_due', amount_due: 1900 });
      const declined = await call(fresh, `invoices/${due.id}/collect`, {});
      expect(declined).toMatchObject({ status: 402, body: { api_error_code: 'payment_processing_failed' } });
      const paid = await call(fresh, `invoices/${due.id}/collect`, { card_token: await cardToken(s) });
      expect(paid.body.invoice).toMatchObject({ id: due.id, status: 'paid', amount_due: 0, payable: false });
      expect((await s.cb.subscription.retrieve(subscription.id)).subscription.due_invoices_count).toBe(0);
      expect((await events(due.id)).some((e) => e.event_type === 'payment_succeeded' && e.source === 'portal')).toBe(true);
      expect((await call(fresh, `invoices/${due.id}/collect`, {})).status).toBe(400);
    });

    it("gives the invoice as a PDF, to the merchant's SDK and the portal alike, through a short-lived signed link", async () => {
      const { customer, subscription, key } = await customerWith('grow-monthly');
      await s.cb.customer.updateBillingInfo(customer.id, { billing_address: { first_name: 'Ada', last_name: 'Lovelace', line1: '12 Analytical Row', city: 'London', zip: 'N1 9GU', country: 'GB' } });
      const { invoice } = (await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'hustle-monthly' })) as never as { invoice: Json };
      void subscription;
      const { download } = (await s.cb.invoice.pdf(invoice.id)) as never as { download: Json };
      expect(download).toMatchObject({ mime_type: 'application/pdf', valid_till: expect.any(Number) });
      const res = await fetch(download.download_url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const text = (await new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) }).getText()).text;
      expect(text).toContain(`# ${String(invoice.id)}`);
      expect(text).toContain('12 Analytical Row');
      expect(text).toMatch(new RegExp(`Total\\s+${formatMoney(invoice.total, 'USD').replace('$', '\\$')}`));

      const portal = await call(key, `invoices/${String(invoice.id)}/pdf`, {});
      expect(portal.body.download.download_url).toMatch(/\/downloads\/invoices\//);
      const forged = new URL(download.download_url);
      forged.searchParams.set('valid_till', String(Number(forged.searchParams.get('valid_till')) + 3600));
      expect((await fetch(forged)).status).toBe(404);
      s.clock.advance(16 * 60);
      expect((await fetch(download.download_url)).status).toBe(404);
      expect((await failure(s.cb.invoice.pdf('no-such-invoice'))).http_status_code).toBe(404);
    });
  });

  describe('account details', () => {
    it('edits names, email, company and phone, with the checkout\'s field errors', async () => {
      const { customer, key } = await customerWith('grow-monthly');
      const bad = await call(key, 'account', { email: 'not-an-email' });
      expect(bad).toMatchObject({ status: 400, body: { param: 'email' } });
      const ok = await call(key, 'account', { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', company: 'Navy', phone: '+1 555 0100' });
      expect(ok.body.customer).toMatchObject({ first_name: 'Grace', email: 'grace@example.com' });
      expect((await s.cb.customer.retrieve(customer.id)).customer).toMatchObject({ first_name: 'Grace', company: 'Navy', phone: '+1 555 0100' });
      expect((await events(customer.id)).some((e) => e.event_type === 'customer_changed' && e.source === 'portal')).toBe(true);
      expect((await call(key, 'account', { id: 'someone-else' })).body.param).toBe('id');
    });
  });
});
