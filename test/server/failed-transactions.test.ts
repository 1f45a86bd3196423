import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, CARDS, cardToken, ORIGIN, portalCustomer, portalKey, type TestServer } from './harness.js';

type Json = Record<string, any>;

/**
 * A refused payment is on record with the amount that was attempted, as Chargebee's failed transactions are: through
 * the transactions API (one and the list) and in the payment_failed event a webhook carries. The card frame's refusals
 * (declined, insufficient funds, a failed 3-D Secure) are each made by the test gateway's cards.
 */
describe.each(backends)('failed transactions carry the attempted amount on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await s.close();
  });

  const tokenOf = (p: Json) => new URL(p.url).hash.replace('#token=', '');
  const submit = async (page: Json, cardToken: string) =>
    fetch(`${s.url}/api/browser/v2/hosted_pages/${page.id}/submit`, {
      method: 'POST',
      headers: { 'x-paylit-hosted-page-token': tokenOf(page), 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ card_token: cardToken }),
    });
  const portal = async (key: string, path: string, body: Json) => {
    const res = await fetch(`${s.url}/api/browser/v2/portal/${path}`, { method: 'POST', headers: { 'x-paylit-portal-key': key, origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const failedOf = async (customerId: string) =>
    ((await s.cb.transaction.list({ customer_id: { is: customerId }, status: { is: 'failure' } })).list as Json[]).map((x) => x.transaction as Json);
  /** The transaction as GET /api/v2/transactions/{id} answers it. */
  const retrieved = async (id: string) => ((await (await s.api(`/api/v2/transactions/${id}`)).json()) as Json).transaction as Json;

  it('a checkout refused by the bank (declined, then a failed 3-D Secure) records each attempt at the amount Pay would charge', async () => {
    const { hosted_page: page } = (await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, addons: [{ id: 'credits-100', quantity: 3 }], customer: { email: 'attempted@example.com' } })) as never as { hosted_page: Json };
    expect((await submit(page, await cardToken(s, CARDS.declined))).status).toBe(402);
    const challenged = await cardToken(s, CARDS.threeDs);
    await fetch(`${s.url}/api/browser/v2/card_tokens/${challenged}/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json', origin: s.url }, body: JSON.stringify({ outcome: 'fail' }) });
    expect((await submit(page, challenged)).status).toBe(402);
    const paid = await submit(page, await cardToken(s, CARDS.ok));
    const { invoice, customer } = ((await paid.json()) as Json).hosted_page.content;
    expect(invoice.total).toBeGreaterThan(0);

    const failed = await failedOf(customer.id);
    expect(failed.map((t) => [t.type, t.status, t.amount, t.currency_code, t.error_code])).toEqual([
      ['payment', 'failure', invoice.total, invoice.currency_code, 'authentication_failed'],
      ['payment', 'failure', invoice.total, invoice.currency_code, 'card_declined'],
    ]);
    for (const t of failed) {
      expect(t.error_text).toEqual(expect.any(String));
      expect(await retrieved(t.id)).toEqual(t);
    }
  });

  it.each([
    ['no customer id', {}],
    ["the shop's own id for a customer not made yet (as the demo does)", { customer: { id: 'shop-user-41' } }],
  ])('a checkout as the browser sends it (%s; the pack, the email and the address chosen on the page), declined: the attempt at the amount Pay would charge', async (_what, extra) => {
    const { hosted_page: page } = (await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, ...extra })) as never as { hosted_page: Json };
    const email = `typed-${String(Math.random()).slice(2)}@example.com`;
    const choices = { addons: [{ id: 'credits-500', quantity: 1 }], customer: { email, first_name: 'Ada', last_name: 'Lovelace' }, billing_address: { first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'Springfield', state_code: 'IL', zip: '62701', country: 'US' } };
    const estimate = (await (await fetch(`${s.url}/api/browser/v2/hosted_pages/${page.id}/save`, { method: 'POST', headers: { 'x-paylit-hosted-page-token': tokenOf(page), 'content-type': 'application/json', origin: s.url }, body: JSON.stringify(choices) })).json()) as Json;
    const due = estimate.estimate.invoice_estimate.amount_due as number;
    expect(due).toBeGreaterThan(0);
    const res = await fetch(`${s.url}/api/browser/v2/hosted_pages/${page.id}/submit`, {
      method: 'POST',
      headers: { 'x-paylit-hosted-page-token': tokenOf(page), 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ ...choices, card_token: await cardToken(s, CARDS.declined) }),
    });
    expect(res.status).toBe(402);
    // The customer was not made (the submit rolled back); the attempt is on record all the same, the newest failure.
    const newest = ((await s.cb.transaction.list({ status: { is: 'failure' }, limit: 1, sort_by: { desc: 'created_at' } } as never)).list as Json[])[0]!.transaction as Json;
    expect([newest.type, newest.amount, newest.currency_code, newest.error_code]).toEqual(['payment', due, 'USD', 'card_declined']);
  });

  it('the portal: buying a pack and changing the plan with a refused new card each record what they would charge', async () => {
    const packs = await portalCustomer(s, 'credits-starter', { addons: [{ id: 'credits-100', quantity: 1 }] });
    const pack = await portal(packs.key, `subscriptions/${packs.subscription.id}/charge_addon`, { addon_id: 'credits-500', addon_quantity: 2, card_token: await cardToken(s, CARDS.insufficient) });
    expect(pack.status).toBe(402);
    expect((await failedOf(packs.customer.id)).map((t) => [t.type, t.amount, t.error_code])).toEqual([['payment', 9000, 'insufficient_funds']]);

    const mover = await portalCustomer(s, 'grow-monthly');
    s.clock.advance(10 * 86_400);
    const key = await portalKey(s, mover.customer.id);
    const change = { plan_id: 'hustle-monthly' };
    const { body: est } = await portal(key, `subscriptions/${mover.subscription.id}/estimate`, change);
    expect(est.estimate.amount_due_now).toBeGreaterThan(0);
    expect((await portal(key, `subscriptions/${mover.subscription.id}/change`, { ...change, card_token: await cardToken(s, CARDS.declined) })).status).toBe(402);
    expect((await failedOf(mover.customer.id)).map((t) => [t.type, t.amount, t.error_code])).toEqual([['payment', est.estimate.amount_due_now, 'card_declined']]);
  });

  it('a renewal that fails records the invoice amount, and its payment_failed event carries it; so does a new card refused paying it', async () => {
    const { customer, subscription } = await portalCustomer(s, 'grow-monthly');
    await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s, CARDS.declinesLater), replace_primary_payment_source: true });
    await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.current_term_end + 60 });
    const [renewal] = await failedOf(customer.id);
    expect(renewal).toMatchObject({ type: 'payment', amount: 1900, currency_code: 'USD', error_code: 'card_declined', error_text: expect.any(String) });
    const events = ((await s.cb.event.list({ event_type: { is: 'payment_failed' }, limit: 100 })).list as Json[]).map((e) => e.event as Json);
    expect(events.find((e) => e.content.transaction.id === renewal!.id)?.content.transaction).toMatchObject({ amount: 1900, currency_code: 'USD', status: 'failure', error_code: 'card_declined' });

    const key = await portalKey(s, customer.id);
    const due = (await s.cb.invoice.list({ customer_id: { is: customer.id }, status: { is: 'payment_due' } })).list[0]!.invoice as Json;
    expect((await portal(key, `invoices/${due.id}/collect`, { card_token: await cardToken(s, CARDS.declined) })).status).toBe(402);
    const [refused] = await failedOf(customer.id);
    expect(refused).toMatchObject({ type: 'payment', amount: due.amount_due, currency_code: 'USD', error_code: 'card_declined' });
    expect(due.amount_due).toBe(1900);
  });

  it('verifying a card that pays nothing now attempts nothing: a failed zero-amount authorization', async () => {
    const { customer } = await portalCustomer(s, 'grow-monthly');
    await expect(s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s, CARDS.declined) })).rejects.toMatchObject({ http_status_code: 402 });
    expect(await failedOf(customer.id)).toMatchObject([{ type: 'authorization', amount: 0, error_code: 'card_declined' }]);
  });
});
