import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, cardToken, failure, type TestServer } from './harness.js';

const DAY = 86_400;

describe.each(backends)('subscriptions, invoices, estimates and the time machine on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start({ PAYLIT_SEED_DEMO: 'true' });
  });
  afterAll(async () => {
    await s.close();
  });

  describe('create', () => {
    it('creates the customer, the subscription and its first invoice; line items name the pack and quantity', async () => {
      const r = await s.cb.subscription.create({
        plan_id: 'credits-starter',
        addons: [{ id: 'credits-500', quantity: 2 }],
        customer: { email: 'ada@example.com', first_name: 'Ada' },
        billing_address: { first_name: 'Ada', line1: '1 Main St', city: 'Albany', state_code: 'NY', zip: '12207', country: 'US' },
      });
      const { subscription: sub, customer, invoice } = r as never as { subscription: Record<string, unknown>; customer: Record<string, unknown>; invoice: Record<string, any> };
      expect(sub).toMatchObject({ plan_id: 'credits-starter', status: 'active', customer_id: customer.id, current_term_start: s.clock.now() });
      expect(sub.current_term_end).toBe(Date.UTC(2025, 1, 28) / 1000); // 31 Jan + 1 month, clamped
      expect(sub.next_billing_at).toBe(sub.current_term_end);
      expect(customer).toMatchObject({ email: 'ada@example.com', billing_address: { city: 'Albany', object: 'billing_address' } });
      const packLine = invoice.line_items.find((l: { entity_type: string }) => l.entity_type === 'addon');
      expect(packLine).toMatchObject({ entity_type: 'addon', entity_id: 'credits-500', quantity: 2, unit_amount: 4500, amount: 9000 });
      // NY sales tax 8.875% of 90.00 = 7.9875 -> 7.99
      expect(invoice).toMatchObject({ subscription_id: sub.id, sub_total: 9000, tax: 799, total: 9799, first_invoice: true });
      const { invoice: again } = await s.cb.invoice.retrieve(invoice.id);
      expect(again.total).toBe(9799);
    });

    it('refuses credits-starter without a pack (the addon rule), naming addons, and changes nothing', async () => {
      const before = await s.snapshot();
      const e = await failure(s.cb.subscription.create({ plan_id: 'credits-starter', customer: { email: 'no-pack@example.com' } }));
      expect(e).toMatchObject({ http_status_code: 400, param: 'addons' });
      expect(e.message).toMatch(/credit pack/);
      expect(await s.snapshot()).toBe(before);
    });

    it.each([
      ['an unknown plan', { plan_id: 'nope' }, 'plan_id'],
      ['a plan quantity of 0', { plan_id: 'grow-monthly', plan_quantity: '0' }, 'plan_quantity'],
      ['an addon the plan does not allow', { plan_id: 'grow-monthly', 'addons[id][0]': 'analytics' }, 'addons[id][0]'],
      ['a pack in the wrong currency', { plan_id: 'grow-monthly-eur', 'addons[id][0]': 'extra-seat' }, 'addons[id][0]'],
      ['a bad customer email', { plan_id: 'grow-monthly', 'customer[email]': 'not-an-email' }, 'customer[email]'],
      ['a bad country', { plan_id: 'grow-monthly', 'billing_address[country]': 'USA' }, 'billing_address[country]'],
      ['an unknown coupon', { plan_id: 'grow-monthly', 'coupon_ids[0]': 'NOPE' }, 'coupon_ids[0]'],
      ['a misspelled parameter', { plan_id: 'grow-monthly', plan_qty: '2' }, 'plan_qty'],
      ['a trial end before the start', { plan_id: 'grow-monthly', trial_end: '1000' }, 'trial_end'],
      ['billing cycles of 0', { plan_id: 'grow-monthly', billing_cycles: '0' }, 'billing_cycles'],
      ['a mandatory addon with another quantity', { plan_id: 'scale-monthly', 'addons[id][0]': 'analytics', 'addons[quantity][0]': '3' }, 'addons[quantity][0]'],
    ])('refuses %s with a 400 naming %s, and changes nothing', async (_n, form, param) => {
      const before = await s.snapshot();
      const res = await s.api('/api/v2/subscriptions', { form: form as Record<string, string> });
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.param).toBe(param);
      expect(await s.snapshot()).toBe(before);
    });

    it('attaches the mandatory addons of Scale and keeps the catalog price it was sold at', async () => {
      const { subscription, invoice } = await s.cb.subscription.create({ plan_id: 'scale-monthly', customer: { email: 'scale@example.com' } }) as never as { subscription: any; invoice: any };
      expect(subscription.addons.map((a: { id: string }) => a.id).sort()).toEqual(['analytics', 'priority-support']);
      expect(subscription).toMatchObject({ plan_unit_price: 9900 });
      expect(invoice.sub_total).toBe(9900 + 4900 + 2900);
    });

    it('starts a trial with no invoice now, and a future subscription as future', async () => {
      const { subscription: trial, invoice } = await s.cb.subscription.create({ plan_id: 'pro-trial', customer: { email: 'trial@example.com' } }) as never as { subscription: any; invoice?: any };
      expect(trial.status).toBe('in_trial');
      expect(trial.trial_end).toBe(s.clock.now() + 14 * DAY);
      // The onboarding event addon is charged on creation.
      expect(invoice?.line_items.map((l: any) => l.entity_id)).toEqual(['onboarding']);
      const { subscription: future } = await s.cb.subscription.create({ plan_id: 'grow-monthly', start_date: s.clock.now() + 10 * DAY, customer: { email: 'future@example.com' } }) as never as { subscription: any };
      expect(future).toMatchObject({ status: 'future', start_date: s.clock.now() + 10 * DAY });
    });

    it('creates for an existing customer, and refuses a customer id that already exists on plain create', async () => {
      const { customer } = await s.cb.customer.create({ email: 'existing@example.com' });
      const { subscription } = await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'grow-monthly' }) as never as { subscription: any };
      expect(subscription.customer_id).toBe(customer.id);
      const e = await failure(s.cb.subscription.create({ plan_id: 'grow-monthly', customer: { id: customer.id } }));
      expect(e).toMatchObject({ http_status_code: 400, param: 'customer[id]' });
    });

    it('lists by customer and by status, and retrieves', async () => {
      const { customer } = await s.cb.customer.create({ email: 'lister@example.com' });
      const { subscription } = await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'hustle-monthly' }) as never as { subscription: any };
      const byCustomer = await s.cb.subscription.list({ customer_id: { is: customer.id } });
      expect(byCustomer.list.map((e: any) => e.subscription.id)).toEqual([subscription.id]);
      const trials = await s.cb.subscription.list({ status: { is: 'in_trial' } });
      expect(trials.list.every((e: any) => e.subscription.status === 'in_trial')).toBe(true);
      expect(trials.list.length).toBeGreaterThan(0);
      expect((await s.cb.subscription.retrieve(subscription.id)).subscription.id).toBe(subscription.id);
      expect(await failure(s.cb.subscription.retrieve('sub_missing'))).toMatchObject({ http_status_code: 404 });
      const invoices = await s.cb.invoice.list({ customer_id: { is: customer.id } });
      expect(invoices.list).toHaveLength(1);
      const bySub = await s.cb.invoice.invoicesForSubscription(subscription.id);
      expect(bySub.list[0]?.invoice.subscription_id).toBe(subscription.id);
    });

    it('a plan with subscriptions can no longer change its pricing model (catalog link)', async () => {
      const e = await failure(s.cb.plan.update('hustle-monthly', { pricing_model: 'per_unit' }));
      expect(e).toMatchObject({ http_status_code: 400, param: 'pricing_model' });
    });
  });

  describe('estimates', () => {
    it('create_subscription returns the same numbers the invoice then shows', async () => {
      const { estimate } = await s.cb.estimate.createSubscription({
        subscription: { plan_id: 'hustle-monthly' },
        addons: [{ id: 'extra-seat', quantity: 3 }],
        coupon_ids: ['WELCOME10'],
        billing_address: { country: 'US', state_code: 'CA' },
      }) as never as { estimate: any };
      expect(estimate.invoice_estimate).toBeDefined();
      expect(estimate.next_invoice_estimate).toBeDefined();
      const { customer } = await s.cb.customer.create({ email: 'est@example.com' });
      await s.cb.customer.updateBillingInfo(customer.id, { billing_address: { country: 'US', state_code: 'CA' } });
      const { invoice } = await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'hustle-monthly', addons: [{ id: 'extra-seat', quantity: 3 }], coupon_ids: ['WELCOME10'] }) as never as { invoice: any };
      for (const k of ['sub_total', 'tax', 'total', 'amount_due'] as const) expect(invoice[k]).toBe(estimate.invoice_estimate[k]);
      expect(invoice.line_items.map((l: any) => [l.entity_id, l.amount, l.discount_amount, l.tax_amount])).toEqual(
        estimate.invoice_estimate.line_items.map((l: any) => [l.entity_id, l.amount, l.discount_amount, l.tax_amount]),
      );
    });

    it('names subscription[plan_id] and subscription[id] on bad estimates', async () => {
      expect(await failure(s.cb.estimate.createSubscription({ subscription: { plan_id: 'nope' } }))).toMatchObject({ http_status_code: 400, param: 'subscription[plan_id]' });
      expect(await failure(s.cb.estimate.updateSubscription({ subscription: { id: 'nope' } }))).toMatchObject({ http_status_code: 400, param: 'subscription[id]' });
    });

    it('update_subscription prorates an upgrade, and update charges exactly that', async () => {
      const { customer } = await s.cb.customer.create({ email: 'upgrade@example.com' });
      const { subscription } = await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'grow-monthly' }) as never as { subscription: any };
      s.clock.advance(14 * DAY);
      const { estimate } = await s.cb.estimate.updateSubscription({ subscription: { id: subscription.id, plan_id: 'hustle-monthly' } }) as never as { estimate: any };
      expect(estimate.credit_note_estimates[0].total).toBeGreaterThan(0);
      const r = await s.cb.subscription.update(subscription.id, { plan_id: 'hustle-monthly' }) as never as { subscription: any; invoice: any };
      expect(r.subscription.plan_id).toBe('hustle-monthly');
      // Hustle's recommended addons are not attached by a plan change; the term stays.
      expect(r.subscription.current_term_end).toBe(subscription.current_term_end);
      expect(r.invoice.amount_due).toBe(estimate.invoice_estimate.amount_due);
      expect(r.invoice.credits_applied).toBe(estimate.invoice_estimate.credits_applied);
    });

    it('a move to Scale attaches its mandatory addons; back to Grow removes them (seed 001)', async () => {
      const { customer } = await s.cb.customer.create({ email: 'mandatory@example.com' });
      const { subscription } = await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'hustle-monthly' }) as never as { subscription: any };
      const up = await s.cb.subscription.update(subscription.id, { plan_id: 'scale-monthly' }) as never as { subscription: any };
      expect(up.subscription.addons.map((a: any) => a.id).sort()).toEqual(['analytics', 'priority-support']);
      const down = await s.cb.subscription.update(subscription.id, { plan_id: 'grow-monthly' }) as never as { subscription: any };
      expect(down.subscription.addons).toEqual([]);
      // A downgrade's unused time comes back as credit for the next invoices.
      const { customer: after } = await s.cb.customer.retrieve(customer.id);
      expect((after as any).refundable_credits).toBeGreaterThan(0);
    });
  });

  describe('cancel, reactivate and term-end charges', () => {
    let subId: string;
    let customerId: string;
    beforeAll(async () => {
      const r = await s.cb.subscription.create({ plan_id: 'credits-starter', addons: [{ id: 'credits-100', quantity: 1 }], customer: { email: 'packs@example.com' } }) as never as { subscription: any; customer: any };
      subId = r.subscription.id;
      customerId = r.customer.id;
    });

    it('charge_addon replenishes now: an invoice for the pack, to the customer', async () => {
      const { invoice } = await s.cb.invoice.chargeAddon({ subscription_id: subId, addon_id: 'credits-500', addon_quantity: 2 });
      expect(invoice).toMatchObject({ customer_id: customerId, subscription_id: subId, recurring: false, sub_total: 9000 });
      expect(invoice.line_items).toEqual([expect.objectContaining({ entity_type: 'addon', entity_id: 'credits-500', quantity: 2 })]);
      const { invoice: byCustomer } = await s.cb.invoice.chargeAddon({ customer_id: customerId, addon_id: 'credits-100' });
      expect(byCustomer.line_items?.[0]).toMatchObject({ entity_id: 'credits-100', quantity: 1 });
    });

    it.each([
      ['a recurring addon', { subscription_id: 'SUB', addon_id: 'analytics' }, 'addon_id'],
      ['an unknown addon', { subscription_id: 'SUB', addon_id: 'nope' }, 'addon_id'],
      ['quantity 0', { subscription_id: 'SUB', addon_id: 'credits-100', addon_quantity: '0' }, 'addon_quantity'],
      ['no customer or subscription', { addon_id: 'credits-100' }, 'customer_id'],
      ['an unknown customer', { customer_id: 'nope', addon_id: 'credits-100' }, 'customer_id'],
    ])('charge_addon refuses %s, naming %s', async (_n, form, param) => {
      const before = await s.snapshot();
      const f = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v === 'SUB' ? subId : v]));
      const res = await s.api('/api/v2/invoices/charge_addon', { form: f });
      expect(res.status).toBe(400);
      expect((await res.json()).param).toBe(param);
      expect(await s.snapshot()).toBe(before);
    });

    it('charge_addon_at_term_end adds the pack to the renewal, which the time machine then invoices', async () => {
      const r = await s.cb.subscription.chargeAddonAtTermEnd(subId, { addon_id: 'credits-2000', addon_quantity: 1 }) as never as { estimate: any };
      expect(r.estimate.invoice_estimate.line_items.map((l: any) => l.entity_id)).toContain('credits-2000');
      const { subscription } = await s.cb.subscription.retrieve(subId);
      expect((subscription as any).charges_at_term_end).toEqual([expect.objectContaining({ addon_id: 'credits-2000', addon_quantity: 1 })]);
      const renewalAt = subscription.current_term_end!;
      await s.cb.timeMachine.travelForward('delorean', { destination_time: renewalAt + 60 });
      const { subscription: renewed } = await s.cb.subscription.retrieve(subId);
      expect(renewed.current_term_start).toBe(renewalAt);
      expect((renewed as any).charges_at_term_end).toBeUndefined();
      const invoices = await s.cb.invoice.invoicesForSubscription(subId, { limit: 1 });
      const last = invoices.list[0]!.invoice;
      expect(last).toMatchObject({ date: renewalAt, recurring: true });
      expect(last.line_items?.map((l: any) => [l.entity_id, l.quantity])).toContainEqual(['credits-2000', 1]);
    });

    it('cancel at end of term makes it non_renewing; removing the schedule makes it active again', async () => {
      const { subscription } = await s.cb.subscription.cancel(subId, { end_of_term: true });
      expect(subscription).toMatchObject({ status: 'non_renewing', cancelled_at: subscription.current_term_end });
      const { subscription: back } = await s.cb.subscription.removeScheduledCancellation(subId);
      expect(back.status).toBe('active');
      expect(back.cancelled_at).toBeUndefined();
      expect(await failure(s.cb.subscription.removeScheduledCancellation(subId))).toMatchObject({ http_status_code: 400, api_error_code: 'invalid_state_for_request' });
    });

    it('a non-renewing subscription is cancelled at term end by the time machine', async () => {
      const { subscription } = await s.cb.subscription.cancel(subId, { end_of_term: true });
      await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.current_term_end! + 1 });
      const { subscription: after } = await s.cb.subscription.retrieve(subId);
      expect(after).toMatchObject({ status: 'cancelled', cancelled_at: subscription.current_term_end });
    });

    it('reactivate starts a new term and invoices it; only a cancelled subscription can be reactivated', async () => {
      const r = await s.cb.subscription.reactivate(subId) as never as { subscription: any; invoice?: any };
      expect(r.subscription.status).toBe('active');
      expect(await failure(s.cb.subscription.reactivate(subId))).toMatchObject({ http_status_code: 400 });
    });

    it('cancel now cancels at once', async () => {
      const { subscription } = await s.cb.subscription.cancel(subId, {});
      expect(subscription.status).toBe('cancelled');
      expect(await failure(s.cb.subscription.cancel(subId, {}))).toMatchObject({ http_status_code: 400 });
    });
  });

  describe('scheduled changes and the time machine', () => {
    it('a change at end of term waits, then applies at the renewal', async () => {
      const { customer } = await s.cb.customer.create({ email: 'eot@example.com' });
      const { subscription } = await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'hustle-monthly' }) as never as { subscription: any };
      const r = await s.cb.subscription.update(subscription.id, { plan_id: 'grow-monthly', end_of_term: true }) as never as { subscription: any; invoice?: any };
      expect(r.invoice).toBeUndefined();
      expect(r.subscription).toMatchObject({ plan_id: 'hustle-monthly', has_scheduled_changes: true });
      await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.current_term_end + 10 });
      const { subscription: after } = await s.cb.subscription.retrieve(subscription.id);
      expect(after).toMatchObject({ plan_id: 'grow-monthly', has_scheduled_changes: false, current_term_start: subscription.current_term_end });
      const { list } = await s.cb.invoice.invoicesForSubscription(subscription.id, { limit: 1 });
      expect(list[0]!.invoice.line_items?.[0]).toMatchObject({ entity_id: 'grow-monthly', amount: 1900 });
    });

    it('refuses a specific_date change without a date or in the past', async () => {
      const { customer } = await s.cb.customer.create({ email: 'specific@example.com' });
      const { subscription } = await s.cb.subscription.createForCustomer(customer.id, { plan_id: 'hustle-monthly' }) as never as { subscription: any };
      expect(await failure(s.cb.subscription.update(subscription.id, { plan_id: 'grow-monthly', change_option: 'specific_date' }))).toMatchObject({ param: 'changes_scheduled_at' });
      expect(await failure(s.cb.subscription.update(subscription.id, { plan_id: 'grow-monthly', change_option: 'specific_date', changes_scheduled_at: s.clock.now() - 100 }))).toMatchObject({ param: 'changes_scheduled_at' });
      expect(await failure(s.cb.subscription.update(subscription.id, { plan_id: 'grow-monthly', change_option: 'immediately', end_of_term: true }))).toMatchObject({ param: 'end_of_term' });
    });

    it('a trial ends into an active subscription with its setup fee, and the day of month does not drift', { timeout: 120_000 }, async () => {
      const { subscription } = await s.cb.subscription.create({ plan_id: 'grow-monthly', trial_end: Date.UTC(2031, 0, 31) / 1000, customer: { email: 'drift@example.com' } }) as never as { subscription: any };
      await s.cb.timeMachine.travelForward('delorean', { destination_time: Date.UTC(2031, 2, 31, 12) / 1000 });
      const { subscription: after } = await s.cb.subscription.retrieve(subscription.id);
      expect(after.status).toBe('active');
      expect(after.current_term_start).toBe(Date.UTC(2031, 2, 31) / 1000);
      const { list } = await s.cb.invoice.invoicesForSubscription(subscription.id, { limit: 5 });
      expect(list.map((e: any) => e.invoice.date)).toEqual([Date.UTC(2031, 2, 31), Date.UTC(2031, 1, 28), Date.UTC(2031, 0, 31)].map((t) => t / 1000));
    });

    it('time machine: retrieve shows the destination; travelling backwards is refused; start_afresh clears the data', async () => {
      const { time_machine } = await s.cb.timeMachine.retrieve('delorean');
      expect(time_machine).toMatchObject({ name: 'delorean', time_travel_status: 'succeeded' });
      expect(await failure(s.cb.timeMachine.travelForward('delorean', { destination_time: 1000 }))).toMatchObject({ http_status_code: 400, param: 'destination_time' });
      expect(await failure(s.cb.timeMachine.retrieve('marty'))).toMatchObject({ http_status_code: 404 });
      const { customer: carded } = await s.cb.customer.create({ email: 'carded@example.com' });
      await s.cb.paymentSource.createUsingTempToken({ type: 'card', customer_id: carded.id, tmp_token: await cardToken(s) });
      await s.cb.subscription.createForCustomer(carded.id, { plan_id: 'grow-monthly' });
      expect((await s.cb.transaction.list({})).list.length).toBeGreaterThan(0);
      const genesis = Date.UTC(2025, 5, 1) / 1000;
      const { time_machine: fresh } = await s.cb.timeMachine.startAfresh('delorean', { genesis_time: genesis });
      expect(fresh).toMatchObject({ genesis_time: genesis, destination_time: genesis });
      expect((await s.cb.subscription.list({})).list).toEqual([]);
      expect((await s.cb.customer.list({})).list).toEqual([]);
      expect((await s.cb.transaction.list({})).list).toEqual([]);
      expect((await s.cb.paymentSource.list({})).list).toEqual([]);
      const { subscription } = await s.cb.subscription.create({ plan_id: 'grow-monthly', customer: { email: 'genesis@example.com' } }) as never as { subscription: any };
      expect(subscription.current_term_start).toBe(genesis);
    });
  });
});
