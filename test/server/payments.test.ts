import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, CARDS, cardToken, failure, type TestServer } from './harness.js';

const DAY = 86_400;
type Page = { id: string; url: string };
type Json = Record<string, any>;

describe.each(backends)('payments, cards, idempotency and events on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await s.close();
  });

  const tokenOf = (p: Page) => new URL(p.url).hash.replace('#token=', '');
  const newPage = async (params: Json = {}) =>
    (await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'credits-starter' }, addons: [{ id: 'credits-100', quantity: 3 }], ...params })).hosted_page as unknown as Page;
  const submit = (p: Page, body: Json, headers: Record<string, string> = {}) =>
    fetch(`${s.url}/api/browser/v2/hosted_pages/${p.id}/submit`, {
      method: 'POST',
      headers: { 'x-paylit-hosted-page-token': tokenOf(p), 'content-type': 'application/json', origin: s.url, ...headers },
      body: JSON.stringify(body),
    });
  const tokenize = (card: Json, headers: Record<string, string> = {}) =>
    fetch(`${s.url}/api/browser/v2/card_tokens`, {
      method: 'POST',
      headers: { 'x-paylit-publishable-key': s.site.publishable_key, 'content-type': 'application/json', origin: s.url, ...headers },
      body: JSON.stringify(card),
    });
  const authenticate = (token: string, outcome: string) =>
    fetch(`${s.url}/api/browser/v2/card_tokens/${token}/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json', origin: s.url }, body: JSON.stringify({ outcome }) });
  const events = async (q: Json = {}) => ((await s.cb.event.list({ limit: 100, ...q })).list as Json[]).map((e) => e.event);
  const count = async (table: 'subscriptions' | 'invoices' | 'transactions' | 'gateway_charges' | 'customers') =>
    Number((await s.storage.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  describe('card tokens', () => {
    it('tokenizes a valid card to brand, last four and expiry; the number and CVC are stored nowhere and never logged', async () => {
      const res = await tokenize({ number: '4111 1111 1111 1111', expiry_month: 9, expiry_year: 2031, cvc: '987' });
      expect(res.status).toBe(200);
      const { card_token } = await res.json();
      expect(card_token).toMatchObject({ brand: 'visa', last4: '1111', expiry_month: 9, expiry_year: 2031, authentication: 'none' });
      expect(card_token.id).toMatch(/^tok_/);
      const page = await newPage({ customer: { email: 'never-stored@example.com' } });
      expect((await submit(page, { card_token: card_token.id })).status).toBe(200);
      const everything = await s.snapshot();
      expect(everything).not.toContain('4111111111111111');
      expect(everything).not.toContain('4111 1111 1111 1111');
      expect(everything).not.toMatch(/"cvc"|"987"/);
      expect(s.logs.join('\n')).not.toMatch(/4111|987/);
    });

    it.each([
      ['a number failing Luhn', { number: '4111111111111112', expiry_month: 12, expiry_year: 2030, cvc: '123' }, 'number'],
      ['a number too short', { number: '4111', expiry_month: 12, expiry_year: 2030, cvc: '123' }, 'number'],
      ['an expired card', { number: CARDS.ok, expiry_month: 12, expiry_year: 2024, cvc: '123' }, 'expiry'],
      ['a month 13', { number: CARDS.ok, expiry_month: 13, expiry_year: 2030, cvc: '123' }, 'expiry'],
      ['a 2-digit CVC', { number: CARDS.ok, expiry_month: 12, expiry_year: 2030, cvc: '12' }, 'cvc'],
      ['a 3-digit CVC on American Express (needs 4)', { number: '378282246310005', expiry_month: 12, expiry_year: 2030, cvc: '123' }, 'cvc'],
    ])('refuses %s, naming %s, and stores nothing', async (_n, card, param) => {
      const before = await s.snapshot();
      const res = await tokenize(card);
      expect(res.status).toBe(400);
      expect((await res.json()).param).toBe(param);
      expect(await s.snapshot()).toBe(before);
    });

    it('takes card details only from the backend\'s own origin (the card frame), never from a merchant page', async () => {
      const res = await tokenize({ number: CARDS.ok, expiry_month: 12, expiry_year: 2030, cvc: '123' }, { origin: 'http://shop.localhost:5173' });
      expect(res.status).toBe(403);
    });

    it('needs a credential: the publishable key, a hosted page token or a portal key', async () => {
      const res = await tokenize({ number: CARDS.ok, expiry_month: 12, expiry_year: 2030, cvc: '123' }, { 'x-paylit-publishable-key': 'wrong_key_wrong_key' });
      expect(res.status).toBe(401);
      const page = await newPage();
      const viaPage = await fetch(`${s.url}/api/browser/v2/card_tokens`, {
        method: 'POST',
        headers: { 'x-paylit-hosted-page-token': tokenOf(page), 'content-type': 'application/json' },
        body: JSON.stringify({ hosted_page_id: page.id, number: CARDS.ok, expiry_month: 12, expiry_year: 2030, cvc: '123' }),
      });
      expect(viaPage.status).toBe(200);
    });
  });

  describe('checkout with the test gateway', () => {
    it('a declined card leaves the page open with a clear message and nothing written but the failed attempt; the next card pays once', async () => {
      const page = await newPage({ customer: { email: 'decline-then-pay@example.com' } });
      const before = { subs: await count('subscriptions'), txns: await count('transactions'), customers: await count('customers') };
      const eventsBefore = (await events()).length;
      const declined = await submit(page, { card_token: await cardToken(s, CARDS.declined) });
      expect(declined.status).toBe(402);
      expect(await declined.json()).toMatchObject({ api_error_code: 'payment_processing_failed', decline_code: 'card_declined', param: 'card_token', type: 'payment', message: expect.stringMatching(/declined/) });
      const poor = await submit(page, { card_token: await cardToken(s, CARDS.insufficient) });
      expect(poor.status).toBe(402);
      expect((await poor.json()).decline_code).toBe('insufficient_funds');
      // The checkout rolled back whole; only the two declined attempts are on record, as failed transactions.
      expect({ subs: await count('subscriptions'), txns: await count('transactions'), customers: await count('customers') }).toEqual({ ...before, txns: before.txns + 2 });
      expect((await events()).length).toBe(eventsBefore);
      const failed = (await s.cb.transaction.list({ status: { is: 'failure' } })).list.map((x: Json) => x.transaction);
      expect(failed.map((t: Json) => [t.type, t.error_code, t.amount, t.masked_card_number, t.linked_invoices])).toEqual([
        ['payment', 'insufficient_funds', expect.any(Number), '************9995', []],
        ['payment', 'card_declined', expect.any(Number), '************0002', []],
      ]);
      expect(failed[0].amount).toBeGreaterThan(0);
      // Both attempted what Pay charges (the card refused when saved, or when charged).
      expect(failed[1].amount).toBe(failed[0].amount);
      expect((await s.cb.hostedPage.retrieve(page.id)).hosted_page.state).not.toBe('succeeded');

      const ok = await submit(page, { card_token: await cardToken(s, CARDS.ok) });
      expect(ok.status).toBe(200);
      const { hosted_page } = await ok.json();
      const { invoice, customer, subscription } = hosted_page.content;
      expect(invoice).toMatchObject({ status: 'paid', amount_due: 0 });
      expect(invoice.amount_paid).toBe(invoice.total);
      expect(customer.primary_payment_source_id).toMatch(/^pm_/);
      const txns = (await s.cb.transaction.paymentsForInvoice(invoice.id)).list.map((x: Json) => x.transaction);
      expect(txns).toHaveLength(1);
      expect(txns[0]).toMatchObject({ status: 'success', amount: invoice.total, customer_id: customer.id, subscription_id: subscription.id, masked_card_number: '************1111' });
      const sources = (await s.cb.paymentSource.list({ customer_id: { is: customer.id } })).list.map((x: Json) => x.payment_source);
      expect(sources).toHaveLength(1);
      expect(sources[0].card).toMatchObject({ brand: 'visa', last4: '1111', expiry_month: 12, expiry_year: 2040 });
      expect(sources[0]).not.toHaveProperty('number');
      // The declined attempts were recorded against the customer the page went on to create.
      expect(new Set(failed.map((t: Json) => t.customer_id))).toEqual(new Set([customer.id]));
      const all = (await s.cb.transaction.list({ customer_id: { is: customer.id } })).list.map((x: Json) => x.transaction.status);
      expect(all).toEqual(['success', 'failure', 'failure']);
    });

    it('3-D Secure: the card waits for the challenge; "Fail" declines, "Complete" pays', async () => {
      const page = await newPage({ customer: { email: 'three-ds@example.com' } });
      const first = await cardToken(s, CARDS.threeDs);
      const needs = await submit(page, { card_token: first });
      expect(needs.status).toBe(402);
      expect(await needs.json()).toMatchObject({ api_error_code: 'payment_authentication_required', decline_code: 'authentication_required' });
      expect(((await (await authenticate(first, 'fail')).json()).card_token).authentication).toBe('failed');
      const failed = await submit(page, { card_token: first });
      expect((await failed.json()).decline_code).toBe('authentication_failed');
      const second = await cardToken(s, CARDS.threeDs);
      expect(((await (await authenticate(second, 'complete')).json()).card_token).authentication).toBe('succeeded');
      const ok = await submit(page, { card_token: second });
      expect(ok.status).toBe(200);
      expect((await ok.json()).hosted_page.content.invoice.status).toBe('paid');
    });

    it('refuses to complete a paid checkout without a card, and a token used twice', async () => {
      const page = await newPage({ customer: { email: 'no-card@example.com' } });
      const none = await submit(page, {});
      expect(none.status).toBe(400);
      expect((await none.json()).param).toBe('card_token');
      const token = await cardToken(s);
      expect((await submit(page, { card_token: token })).status).toBe(200);
      const other = await newPage({ customer: { email: 'reuse@example.com' } });
      const reused = await submit(other, { card_token: token });
      expect(reused.status).toBe(402);
      expect((await reused.json()).decline_code).toBe('token_invalid');
    });

    it('20 concurrent identical submits with one idempotency key: one subscription, one invoice, one charge, one answer', async () => {
      const page = await newPage({ customer: { email: 'twenty@example.com' } });
      const body = { card_token: await cardToken(s) };
      const before = { subs: await count('subscriptions'), invoices: await count('invoices'), charges: await count('gateway_charges') };
      const results = await Promise.all(Array.from({ length: 20 }, () => submit(page, body, { 'chargebee-idempotency-key': 'submit-twenty-1' })));
      const bodies = await Promise.all(results.map((r) => r.text()));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(new Set(bodies).size).toBe(1);
      expect(results.filter((r) => r.headers.get('chargebee-idempotency-replayed') === 'true')).toHaveLength(19);
      expect({ subs: await count('subscriptions'), invoices: await count('invoices'), charges: await count('gateway_charges') }).toEqual({
        subs: before.subs + 1,
        invoices: before.invoices + 1,
        charges: before.charges + 1,
      });
    });

    it('20 concurrent submits without a key (double clicks from several tabs): still one subscription and one charge', async () => {
      const page = await newPage({ customer: { email: 'twenty-no-key@example.com' } });
      const before = { subs: await count('subscriptions'), charges: await count('gateway_charges') };
      const tokens = await Promise.all(Array.from({ length: 20 }, () => cardToken(s)));
      const results = await Promise.all(tokens.map((t) => submit(page, { card_token: t })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(19);
      expect({ subs: await count('subscriptions'), charges: await count('gateway_charges') }).toEqual({ subs: before.subs + 1, charges: before.charges + 1 });
    });
  });

  describe('idempotency keys on the merchant API', () => {
    const charge = (key: string, quantity: string, customerId: string) =>
      s.api('/api/v2/invoices/charge_addon', { form: { customer_id: customerId, addon_id: 'credits-100', addon_quantity: quantity }, headers: { 'chargebee-idempotency-key': key } });

    it('replays the first answer to the same key and body; refuses the same key with another body; forgets it after 24 h', async () => {
      const { customer } = await s.cb.customer.create({ email: 'replenish@example.com' });
      await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s) });
      const first = await charge('replenish-1', '2', customer.id);
      expect(first.status).toBe(200);
      const body = await first.json();
      expect(body.invoice.status).toBe('paid');
      const again = await charge('replenish-1', '2', customer.id);
      expect(again.headers.get('chargebee-idempotency-replayed')).toBe('true');
      expect(await again.json()).toEqual(body);
      const other = await charge('replenish-1', '3', customer.id);
      expect(other.status).toBe(409);
      expect(await other.json()).toMatchObject({ api_error_code: 'idempotency_key_reused', param: 'chargebee-idempotency-key' });
      const txns = (await s.cb.transaction.list({ customer_id: { is: customer.id } })).list;
      expect(txns).toHaveLength(1);
      // A day later the key is free again.
      await s.storage.db.updateTable('idempotency_keys').set({ expires_at: Date.now() - 1 }).where('key', '=', 'replenish-1').execute();
      const later = await charge('replenish-1', '3', customer.id);
      expect(later.status).toBe(200);
      expect(later.headers.get('chargebee-idempotency-replayed')).toBeNull();
      expect((await s.cb.transaction.list({ customer_id: { is: customer.id } })).list).toHaveLength(2);
    });

    it('does not keep a validation error as the answer for ever: a 400 is replayed, a fixed request needs a new key', async () => {
      const bad = await s.api('/api/v2/customers', { form: { email: 'not-an-email' }, headers: { 'chargebee-idempotency-key': 'bad-email-1' } });
      expect(bad.status).toBe(400);
      const replay = await s.api('/api/v2/customers', { form: { email: 'not-an-email' }, headers: { 'chargebee-idempotency-key': 'bad-email-1' } });
      expect(replay.status).toBe(400);
      expect(replay.headers.get('chargebee-idempotency-replayed')).toBe('true');
    });

    it('refuses a key that is too long, naming the header', async () => {
      const res = await s.api('/api/v2/customers', { form: { email: 'long-key@example.com' }, headers: { 'chargebee-idempotency-key': 'k'.repeat(256) } });
      expect(res.status).toBe(400);
      expect((await res.json()).param).toBe('chargebee-idempotency-key');
    });
  });

  describe('payment sources and transactions', () => {
    it('saves, lists, retrieves and deletes a card; the customer\'s primary card follows', async () => {
      const { customer } = await s.cb.customer.create({ email: 'cards@example.com' });
      const a = await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s) });
      expect((a.customer as Json).primary_payment_source_id).toBe(a.payment_source.id); // the first card
      const extra = await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s) });
      expect((extra.customer as Json).primary_payment_source_id).toBe(a.payment_source.id); // not asked to replace it
      await s.cb.paymentSource.delete(extra.payment_source.id);
      const b = await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s, CARDS.insufficient), replace_primary_payment_source: true });
      expect((b.customer as Json).primary_payment_source_id).toBe(b.payment_source.id);
      expect((await s.cb.paymentSource.retrieve(a.payment_source.id)).payment_source.card).toMatchObject({ last4: '1111' });
      const del = await s.cb.paymentSource.delete(b.payment_source.id);
      expect((del.customer as Json).primary_payment_source_id).toBe(a.payment_source.id);
      expect((await s.cb.paymentSource.list({ customer_id: { is: customer.id } })).list).toHaveLength(1);
      expect((await failure(s.cb.paymentSource.retrieve(b.payment_source.id))).http_status_code).toBe(404);
      const types = (await events({ event_type: { in: ['card_added', 'payment_source_added', 'payment_source_deleted', 'card_deleted'] } })).filter((e) => e.content.customer?.id === customer.id).map((e) => e.event_type);
      // Three cards saved, two deleted.
      expect(types.sort()).toEqual(['card_added', 'card_added', 'card_added', 'card_deleted', 'card_deleted', 'payment_source_added', 'payment_source_added', 'payment_source_added', 'payment_source_deleted', 'payment_source_deleted']);
    });

    it('refuses an unknown customer and a bad token, naming the param', async () => {
      expect((await failure(s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: 'nobody', tmp_token: await cardToken(s) }))).param).toBe('customer_id');
      const { customer } = await s.cb.customer.create({ email: 'bad-token@example.com' });
      expect((await failure(s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: 'card_1234' }))).param).toBe('tmp_token');
    });
  });

  describe('events', () => {
    it('a checkout writes its events in one go, in order; payment_succeeded carries the invoice lines to credit packs by', async () => {
      const page = await newPage({ customer: { email: 'events@example.com' } });
      const since = s.clock.now() - 1;
      const done = await (await submit(page, { card_token: await cardToken(s) })).json();
      const customerId = done.hosted_page.content.customer.id;
      const about = (e: Json) => e.content.customer?.id ?? e.content.invoice?.customer_id ?? e.content.hosted_page?.content?.customer?.id;
      const mine = (await events({ occurred_at: { after: String(since) }, sort_by: { asc: 'occurred_at' } })).filter((e) => about(e) === customerId);
      const types = mine.map((e) => e.event_type);
      for (const t of ['customer_created', 'payment_source_added', 'card_added', 'invoice_generated', 'payment_succeeded', 'subscription_created', 'hosted_page_completed']) {
        expect(types, t).toContain(t);
      }
      expect(types.indexOf('customer_created')).toBeLessThan(types.indexOf('subscription_created'));
      const paid = mine.find((e) => e.event_type === 'payment_succeeded')!;
      expect(paid).toMatchObject({ api_version: 'v2', object: 'event', source: 'hosted_page' });
      expect(paid.id).toMatch(/^ev_/);
      expect(paid.content.invoice.line_items).toContainEqual(expect.objectContaining({ entity_type: 'addon', entity_id: 'credits-100', quantity: 3 }));
      expect(paid.content.transaction).toMatchObject({ status: 'success' });
      const one = await s.cb.event.retrieve(paid.id);
      expect(one.event.id).toBe(paid.id);
      expect((one.event as Json).webhook_status).toBe('not_configured');
    });

    it('lists by type and time, pages with next_offset, and names a bad filter', async () => {
      const created = await events({ event_type: { is: 'customer_created' } });
      expect(created.length).toBeGreaterThan(1);
      expect(created.every((e) => e.event_type === 'customer_created')).toBe(true);
      const page1 = await s.cb.event.list({ limit: 2 });
      expect(page1.list).toHaveLength(2);
      const page2 = await s.cb.event.list({ limit: 2, offset: page1.next_offset });
      expect(page2.list[0]!.event.id).not.toBe(page1.list[1]!.event.id);
      const fromPages = await events({ source: { is: 'hosted_page' } });
      expect(fromPages.length).toBeGreaterThan(0);
      expect(fromPages.every((e) => e.source === 'hosted_page')).toBe(true);
      expect((await events({ source: { in: ['portal'] } })).length).toBe(0);
      expect((await failure(s.cb.event.list({ event_type: { is: 'nope' } }))).param).toMatch(/event_type/);
      expect((await failure(s.cb.event.retrieve('ev_nope'))).http_status_code).toBe(404);
    });

    it('a rejected change writes no event', async () => {
      const before = (await events()).length;
      await failure(s.cb.customer.create({ email: 'nope' }));
      await failure(s.cb.subscription.create({ plan_id: 'no-such-plan' }));
      expect((await events()).length).toBe(before);
    });
  });

  describe('renewals and dunning', () => {
    it('renews on the saved card: invoice paid, payment_succeeded and subscription_renewed', async () => {
      const { customer } = await s.cb.customer.create({ email: 'renews@example.com' });
      await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s) });
      const { subscription, invoice } = (await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'grow-monthly' })) as never as { subscription: Json; invoice: Json };
      expect(invoice.status).toBe('paid');
      await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.current_term_end + 60 });
      const invoices = (await s.cb.invoice.list({ subscription_id: { is: subscription.id } })).list.map((x: Json) => x.invoice);
      expect(invoices).toHaveLength(2);
      expect(invoices.every((i: Json) => i.status === 'paid')).toBe(true);
      const types = (await events({ occurred_at: { after: String(subscription.current_term_end - 1) } })).filter((e) => e.content.subscription?.id === subscription.id).map((e) => e.event_type);
      expect(types).toContain('subscription_renewed');
      expect(types).toContain('payment_succeeded');
    });

    it('a card that fails at renewal: retried after 1, 3 and 5 days, then the invoice is not_paid and the subscription cancelled', async () => {
      const { customer } = await s.cb.customer.create({ email: 'dunning@example.com' });
      await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: customer.id, tmp_token: await cardToken(s, CARDS.declinesLater) });
      // A trial: nothing is charged until it ends.
      // The site's clock may have travelled in an earlier test.
      const { time_machine } = await s.cb.timeMachine.retrieve('delorean');
      const now = Math.max(s.clock.now(), (time_machine as Json).destination_time ?? 0);
      const { subscription } = (await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'grow-monthly', trial_end: now + 7 * DAY })) as never as { subscription: Json };
      const end = subscription.trial_end;
      await s.cb.timeMachine.travelForward('delorean', { destination_time: end + 60 });
      let [inv] = (await s.cb.invoice.list({ subscription_id: { is: subscription.id } })).list.map((x: Json) => x.invoice);
      expect(inv).toMatchObject({ status: 'payment_due', dunning_status: 'in_progress', dunning_attempts: 1, next_retry_at: end + DAY });
      await s.cb.timeMachine.travelForward('delorean', { destination_time: end + 2 * DAY });
      inv = (await s.cb.invoice.retrieve(inv.id)).invoice as Json;
      expect(inv).toMatchObject({ dunning_attempts: 2, next_retry_at: end + DAY + 3 * DAY });
      await s.cb.timeMachine.travelForward('delorean', { destination_time: end + 10 * DAY });
      inv = (await s.cb.invoice.retrieve(inv.id)).invoice as Json;
      expect(inv).toMatchObject({ status: 'not_paid', dunning_status: 'exhausted', dunning_attempts: 4 });
      const sub = (await s.cb.subscription.retrieve(subscription.id)).subscription as Json;
      expect(sub).toMatchObject({ status: 'cancelled', cancel_reason: 'not_paid' });
      const txns = (await s.cb.transaction.paymentsForInvoice(inv.id)).list.map((x: Json) => x.transaction);
      expect(txns.map((t: Json) => t.status)).toEqual(['failure', 'failure', 'failure', 'failure']);
      const failed = (await events({ event_type: { is: 'payment_failed' } })).filter((e) => e.content.invoice?.id === inv.id);
      expect(failed).toHaveLength(4);
      expect(failed.every((e) => e.source === 'scheduled_job')).toBe(true);
    });
  });
});
