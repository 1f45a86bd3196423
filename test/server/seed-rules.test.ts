/**
 * The seeds' rules, each driven through the official SDK as a merchant who reads Chargebee's documentation would:
 * plans.txt (setup fee, price override, decimal quantities, redirect_url, giftable, enabled_in_portal and
 * tax_profile_id), addons-api-v1.txt (charge_type required, coupons and deleted addons), applicable-addons.txt
 * (event-based charges) and coupon codes where coupon ids are asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, cardToken, failure, formKeys, ORIGIN, type TestServer, unknownToSdk } from './harness.js';

const DAY = 86_400;
type Any = Record<string, any>;

describe.each(backends)("the seeds' rules on $kind", (backend) => {
  let s: TestServer;
  let n = 0;
  const email = () => `rules-${String(++n)}@example.com`;
  beforeAll(async () => {
    s = await backend.start();
    await s.cb.addon.create({ id: 'seat', name: 'Seat', charge_type: 'recurring', type: 'quantity', price: 500, period: 1, period_unit: 'month' });
    await s.cb.addon.create({ id: 'activation', name: 'Activation fee', charge_type: 'non_recurring', price: 1500 });
    await s.cb.addon.create({ id: 'trial-fee', name: 'Trial fee', charge_type: 'non_recurring', price: 300 });
    await s.cb.addon.create({ id: 'gift-wrap', name: 'Gift wrap', charge_type: 'non_recurring', type: 'quantity', price: 700 });
    await s.cb.plan.create({ id: 'basic', name: 'Basic', price: 1000, setup_cost: 200 });
    await s.cb.plan.create({ id: 'storage', name: 'Storage', pricing_model: 'per_unit', price: 250 });
    await s.cb.plan.create({
      id: 'xyz', name: 'XYZ', price: 3000,
      event_based_addons: [{ id: 'activation', quantity: 1, on_event: 'plan_activation', charge_once: false }],
    });
    await s.cb.plan.create({
      id: 'xyz-once', name: 'XYZ once', price: 3000,
      event_based_addons: [{ id: 'activation', quantity: 1, on_event: 'plan_activation', charge_once: true }],
    });
    await s.cb.plan.create({
      id: 'trial', name: 'Trial', price: 2000, trial_period: 7, trial_period_unit: 'day',
      event_based_addons: [
        { id: 'trial-fee', quantity: 1, on_event: 'subscription_trial_start', charge_once: true },
        { id: 'activation', quantity: 1, on_event: 'subscription_activation', charge_once: true },
      ],
    });
    await s.cb.plan.create({ id: 'seats-only', name: 'Seats only', price: 900, addon_applicability: 'restricted', applicable_addons: [{ id: 'seat' }] });
  });
  afterAll(async () => {
    await s.close();
  });

  const create = async (params: Any) => (await s.cb.subscription.create(unknownToSdk({ customer: { email: email() }, ...params }))) as never as { subscription: Any; invoice?: Any; customer: Any };
  const lines = (invoice: Any | undefined) => (invoice?.line_items ?? []).map((l: Any) => [l.entity_type, l.entity_id, l.amount]);

  describe('plans.txt', () => {
    it('setup_fee overrides the plan\'s setup cost on create, or makes it zero', async () => {
      expect(lines((await create({ plan_id: 'basic' })).invoice)).toContainEqual(['plan_setup', 'basic', 200]);
      expect(lines((await create({ plan_id: 'basic', setup_fee: 50 })).invoice)).toContainEqual(['plan_setup', 'basic', 50]);
      const free = await create({ plan_id: 'basic', setup_fee: 0 });
      expect(lines(free.invoice).map((l: unknown[]) => l[0])).not.toContain('plan_setup');
      expect(free.invoice!.total).toBe(1000);
    });

    it('setup_fee on update changes the fee a trial\'s first invoice carries', async () => {
      await s.cb.plan.update('trial', { setup_cost: 400 });
      const { subscription } = await create({ plan_id: 'trial' });
      const { estimate: before } = (await s.cb.estimate.updateSubscription({ subscription: { id: subscription.id } })) as never as { estimate: Any };
      expect(lines(before.next_invoice_estimate)).toContainEqual(['plan_setup', 'trial', 400]);
      await s.cb.subscription.update(subscription.id, unknownToSdk({ setup_fee: 0 }));
      await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.trial_end + 60 });
      const { list } = await s.cb.invoice.invoicesForSubscription(subscription.id);
      const first = list.map((x) => x.invoice as Any).find((i) => i.recurring);
      expect(lines(first).map((l: unknown[]) => l[0])).not.toContain('plan_setup');
      await s.cb.plan.update('trial', { setup_cost: 0 });
    });

    it('plan_unit_price overrides the plan\'s price for this subscription, and its renewals keep it', async () => {
      const { subscription, invoice } = await create({ plan_id: 'basic', plan_unit_price: 700, setup_fee: 0 });
      expect(subscription.plan_unit_price).toBe(700);
      expect(invoice!.total).toBe(700);
      await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.current_term_end + 60 });
      const { list } = await s.cb.invoice.invoicesForSubscription(subscription.id);
      expect(list.map((x) => x.invoice.total)).toEqual([700, 700]);
      const changed = (await s.cb.subscription.update(subscription.id, unknownToSdk({ plan_unit_price: 800 }))) as never as { subscription: Any };
      expect(changed.subscription.plan_unit_price).toBe(800);
    });

    it('plan_quantity_in_decimal and an addon\'s quantity_in_decimal charge for fractional quantities, exactly', async () => {
      const { subscription, invoice } = await create({ plan_id: 'storage', plan_quantity_in_decimal: '2.5', addons: [{ id: 'seat', quantity_in_decimal: '1.25' }] });
      expect(subscription.plan_quantity_in_decimal).toBe('2.5');
      expect(subscription.addons[0]).toMatchObject({ id: 'seat', quantity_in_decimal: '1.25' });
      // 2.5 x 2.50 = 6.25, 1.25 x 5.00 = 6.25
      expect(lines(invoice)).toEqual([['plan', 'storage', 625], ['addon', 'seat', 625]]);
      const { estimate } = (await s.cb.estimate.createSubscription(unknownToSdk({ subscription: { plan_id: 'storage', plan_quantity_in_decimal: '0.5' } }))) as never as { estimate: Any };
      expect(estimate.invoice_estimate.total).toBe(125);
      const e = await failure(s.cb.subscription.create(unknownToSdk({ plan_id: 'basic', plan_quantity_in_decimal: '1.5', customer: { email: email() } })));
      expect(e).toMatchObject({ http_status_code: 400, param: 'plan_quantity_in_decimal' });
    });

    it('a plan\'s redirect_url must be on an allowed origin, and takes the customer there after checkout with id and state', async () => {
      const off = await failure(s.cb.plan.create({ id: 'elsewhere', name: 'Elsewhere', redirect_url: 'https://evil.example/thanks' }));
      expect(off).toMatchObject({ http_status_code: 400, param: 'redirect_url' });
      await s.cb.plan.create({ id: 'welcome', name: 'Welcome', price: 500, redirect_url: `${ORIGIN}/welcome` });
      const { hosted_page } = await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'welcome' }, customer: { email: email() } });
      const done = await submit(hosted_page as Any);
      expect(done.redirect_url).toBe(`${ORIGIN}/welcome?id=${String(hosted_page.id)}&state=succeeded`);
      // The page's own redirect_url, when given, wins (seed: it overrides the settings).
      const own = await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'welcome' }, customer: { email: email() }, redirect_url: `${ORIGIN}/mine` });
      expect((await submit(own.hosted_page as Any)).redirect_url).toBe(`${ORIGIN}/mine?id=${String(own.hosted_page.id)}&state=succeeded`);
    });

    it('every attribute but the id and giftable can change', async () => {
      await s.cb.plan.create({ id: 'present', name: 'Present', giftable: true });
      const e = await failure(s.cb.plan.update('present', unknownToSdk({ giftable: false })));
      expect(e).toMatchObject({ http_status_code: 400, param: 'giftable' });
      expect(e.message).toMatch(/cannot be changed/);
      const same = await s.cb.plan.update('present', unknownToSdk({ giftable: true, name: 'Present 2' }));
      expect(same.plan).toMatchObject({ giftable: true, name: 'Present 2' });
      expect((await failure(s.cb.plan.update('basic', unknownToSdk({ giftable: true })))).param).toBe('giftable');
    });

    it('tax_profile_id is refused by name (one site-wide tax profile), on plans and addons, create and update', async () => {
      const before = await s.snapshot();
      // Thunks, called one at a time: three requests made at once would leave the later ones' rejections unhandled
      // while the first is awaited (vitest fails the run on that when the machine is slow).
      for (const call of [
        () => s.cb.plan.create({ id: 'taxed', name: 'Taxed', tax_profile_id: 'eu-digital' }),
        () => s.cb.plan.update('basic', { tax_profile_id: 'eu-digital' }),
        () => s.api('/api/v2/addons', { form: { id: 'taxed', name: 'Taxed', charge_type: 'recurring', tax_profile_id: 'eu' } }).then(async (r) => {
          throw Object.assign(await r.json(), { status: r.status });
        }),
      ]) {
        const e = await failure(call());
        expect(e).toMatchObject({ param: 'tax_profile_id' });
        expect(e.message).toMatch(/one tax profile/);
      }
      expect(await s.snapshot()).toBe(before);
    });
  });

  describe('addons-api-v1.txt', () => {
    it('charge_type is required on create, as the seed documents (the v1 samples always send it)', async () => {
      const res = await s.api('/api/v1/addons', { form: { id: 'no-type', name: 'No type', price: '100' } });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ param: 'charge_type', api_error_code: 'param_wrong_value' });
    });

    it('a coupon names only existing addons and plans; deleting an addon removes it from the coupons that name it', async () => {
      await s.cb.addon.create({ id: 'tmp_addon', name: 'Temporary', charge_type: 'recurring', price: 100 });
      const bad = await failure(s.cb.coupon.create(unknownToSdk({ id: 'BAD', name: 'Bad', discount_type: 'percentage', discount_percentage: 10, duration_type: 'forever', apply_on: 'each_specified_item', addon_constraint: 'specific', addon_ids: ['tmp_addon', 'ghost'] })));
      expect(bad).toMatchObject({ http_status_code: 400, param: 'addon_ids[1]' });
      const badPlan = await failure(s.cb.coupon.create(unknownToSdk({ id: 'BADP', name: 'Bad', discount_type: 'percentage', discount_percentage: 10, duration_type: 'forever', apply_on: 'each_specified_item', plan_constraint: 'specific', plan_ids: ['ghost-plan'] })));
      expect(badPlan).toMatchObject({ http_status_code: 400, param: 'plan_ids[0]' });
      await s.cb.coupon.create(unknownToSdk({ id: 'TMP10', name: 'Tmp 10', discount_type: 'percentage', discount_percentage: 10, duration_type: 'forever', apply_on: 'each_specified_item', addon_constraint: 'specific', addon_ids: ['tmp_addon', 'seat'] }));
      await s.cb.addon.delete('tmp_addon');
      expect((await s.cb.coupon.retrieve('TMP10')).coupon.addon_ids).toEqual(['seat']);
    });
  });

  describe('applicable-addons.txt: event-based charges', () => {
    const change = async (id: string, plan_id: string) => (await s.cb.subscription.update(id, { plan_id })) as never as { invoice?: Any };
    const activations = (invoice: Any | undefined) => lines(invoice).filter((l: unknown[]) => l[1] === 'activation').length;

    it('XYZ -> other -> XYZ charges the activation fee again when it is charged every time (charge_once=false)', async () => {
      const { subscription, invoice } = await create({ plan_id: 'xyz' });
      expect(activations(invoice)).toBe(1);
      expect(activations((await change(subscription.id, 'basic')).invoice)).toBe(0);
      expect(activations((await change(subscription.id, 'xyz')).invoice)).toBe(1);
    });

    it('... and only the first time when charge_once=true', async () => {
      const { subscription, invoice } = await create({ plan_id: 'basic', setup_fee: 0 });
      expect(activations(invoice)).toBe(0);
      expect(activations((await change(subscription.id, 'xyz-once')).invoice)).toBe(1);
      await change(subscription.id, 'basic');
      expect(activations((await change(subscription.id, 'xyz-once')).invoice)).toBe(0);
    });

    it('trial start charges at creation; activation when the trial ends, through the time machine', async () => {
      const { subscription, invoice } = await create({ plan_id: 'trial' });
      expect(subscription.status).toBe('in_trial');
      expect(lines(invoice)).toEqual([['addon', 'trial-fee', 300]]);
      await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.trial_end + 60 });
      expect((await s.cb.subscription.retrieve(subscription.id)).subscription.status).toBe('active');
      const { list } = await s.cb.invoice.invoicesForSubscription(subscription.id);
      const activated = list.map((x) => x.invoice as Any).find((i) => i.recurring);
      expect(lines(activated)).toEqual([['plan', 'trial', 2000], ['addon', 'activation', 1500]]);
    });

    it('a gift plan cannot have event-based addons (only on demand)', async () => {
      const e = await failure(s.cb.plan.create({ id: 'gift-box', name: 'Gift box', giftable: true, event_based_addons: [{ id: 'activation', on_event: 'subscription_creation', charge_once: true }] }));
      expect(e).toMatchObject({ http_status_code: 400, param: 'event_based_addons' });
      expect(e.message).toMatch(/gift/);
    });

    it('the customer-level charge_addon takes any non-recurring addon, whatever a plan\'s applicability says', async () => {
      const { subscription, customer } = await create({ plan_id: 'seats-only' });
      const onSub = await failure(s.cb.invoice.chargeAddon({ subscription_id: subscription.id, addon_id: 'gift-wrap', addon_quantity: 1 }));
      expect(onSub).toMatchObject({ http_status_code: 400, param: 'addon_id' });
      const { invoice } = (await s.cb.invoice.chargeAddon({ customer_id: customer.id, addon_id: 'gift-wrap', addon_quantity: 2 })) as never as { invoice: Any };
      expect(lines(invoice)).toEqual([['addon', 'gift-wrap', 1400]]);
      expect(invoice.customer_id).toBe(customer.id);
    });
  });

  describe('coupon codes (hosted-page-checkout-existing.txt: "coupon ids or coupon codes")', () => {
    beforeAll(async () => {
      await s.cb.coupon.create(unknownToSdk({ id: 'SPRING', name: 'Spring', discount_type: 'percentage', discount_percentage: 20, duration_type: 'forever', apply_on: 'invoice_amount' }));
      await s.api('/api/v2/coupon_sets', { form: { coupon_id: 'SPRING', name: 'Spring codes', id: 'spring-set' } });
      const res = await s.api('/api/v2/coupon_sets/spring-set/add_coupon_codes', { form: { 'code[0]': 'SPRING-A1', 'code[1]': 'SPRING-B2', 'code[2]': 'SPRING-C3' } });
      expect(res.status, await res.clone().text()).toBe(200);
    });

    it('a code stands for its coupon in coupon_ids, is redeemed once, and then refused', async () => {
      const { subscription, invoice } = await create({ plan_id: 'basic', setup_fee: 0, coupon_ids: ['SPRING-A1'] });
      expect(invoice!.total).toBe(800);
      expect(subscription.coupons.map((c: Any) => c.coupon_id)).toEqual(['SPRING']);
      const code = await (await s.api('/api/v2/coupon_codes/SPRING-A1')).json();
      expect(code.coupon_code).toMatchObject({ code: 'SPRING-A1', status: 'redeemed', coupon_id: 'SPRING', coupon_set_name: 'Spring codes' });
      const again = await failure(s.cb.subscription.create({ plan_id: 'basic', coupon_ids: ['SPRING-A1'], customer: { email: email() } }));
      expect(again).toMatchObject({ http_status_code: 400, param: 'coupon_ids[0]' });
      expect(again.message).toMatch(/redeemed/);
    });

    it('an archived code is refused; an estimate and a checkout take codes too', async () => {
      await s.api('/api/v2/coupon_codes/SPRING-B2/archive', { form: {} });
      const e = await failure(s.cb.estimate.createSubscription({ subscription: { plan_id: 'basic' }, coupon_ids: ['SPRING-B2'] }));
      expect(e).toMatchObject({ http_status_code: 400, param: 'coupon_ids[0]' });
      expect(e.message).toMatch(/archived/);
      const { estimate } = (await s.cb.estimate.createSubscription({ subscription: { plan_id: 'basic', setup_fee: 0 }, coupon_ids: ['SPRING-C3'] })) as never as { estimate: Any };
      expect(estimate.invoice_estimate.total).toBe(800);
      const { hosted_page } = await s.cb.hostedPage.checkoutNew({ subscription: { plan_id: 'basic', setup_fee: 0 }, coupon_ids: ['SPRING-C3'], customer: { email: email() } });
      const done = await submit(hosted_page as Any);
      expect(done.hosted_page.content.invoice.total).toBe(800);
      expect((await (await s.api('/api/v2/coupon_codes/SPRING-C3')).json()).coupon_code.status).toBe('redeemed');
    });

    it('refuses a code that is already taken, a set for an unknown coupon, and a code with odd characters', async () => {
      const dup = await s.api('/api/v2/coupon_sets/spring-set/add_coupon_codes', { form: { 'code[0]': 'SPRING-A1' } });
      expect((await dup.json()).param).toBe('code[0]');
      const ghost = await s.api('/api/v2/coupon_sets', { form: { coupon_id: 'GHOST', name: 'Ghost', id: 'ghost-set' } });
      expect((await ghost.json()).param).toBe('coupon_id');
      const odd = await s.api('/api/v2/coupon_sets/spring-set/add_coupon_codes', { form: { 'code[0]': 'has space' } });
      expect((await odd.json()).param).toBe('code[0]');
    });
  });

  describe('hosted-page-checkout-existing.txt: a checkout_existing_for_items page completed, for each change_option', () => {
    beforeAll(async () => {
      await s.cb.plan.create({ id: 'pro', name: 'Pro', price: 2000 });
    });
    /** A subscription on basic, ten days into its term, and the page that changes it to pro with two seats. */
    // Times come from the subscription: the time machine's travels have moved the site's clock past the test's.
    const pageFor = async (params: Any | ((now: number) => Any)) => {
      const { subscription } = await create({ plan_id: 'basic', setup_fee: 0 });
      s.clock.advance(10 * DAY);
      const now = (subscription.current_term_start as number) + 10 * DAY;
      if (typeof params === 'function') params = params(now);
      const { hosted_page } = await s.cb.hostedPage.checkoutExistingForItems(unknownToSdk({
        subscription: { id: subscription.id },
        subscription_items: [{ item_price_id: 'pro' }, { item_price_id: 'seat', quantity: 2 }],
        redirect_url: `${ORIGIN}/changed`,
        ...params,
      }));
      const page = hosted_page as Any;
      const view = await (await open(page)).json() as Any;
      return { subscription, page, view, since: now };
    };
    /** The events about this subscription since `since`, oldest first. */
    const eventsOf = async (subscriptionId: string, since: number) => {
      const { list } = await s.cb.event.list(formKeys({ limit: 100, 'occurred_at[after]': since - 1, 'sort_by[asc]': 'occurred_at' }));
      return list.map((x) => x.event as Any).filter((e) => e.content.subscription?.id === subscriptionId || e.content.hosted_page?.content?.subscription?.id === subscriptionId).map((e) => e.event_type);
    };
    const invoicesOf = async (id: string) => (await s.cb.invoice.invoicesForSubscription(id)).list.map((x) => x.invoice as Any);

    it('immediately: prorated now, the invoice equal to the estimate the page showed, events, and the redirect', async () => {
      const { subscription, page, view, since } = await pageFor({ change_option: 'immediately' });
      const shown = view.estimate.invoice_estimate;
      expect(view.estimate.credit_note_estimates).toHaveLength(1); // the unused part of basic
      const done = await submit(page);
      expect(done.redirect_url).toBe(`${ORIGIN}/changed?id=${String(page.id)}&state=succeeded`);
      const invoice = done.hosted_page.content.invoice;
      expect({ total: invoice.total, lines: lines(invoice) }).toEqual({ total: shown.total, lines: lines(shown) });
      expect(invoice.status).toBe('paid');
      const after = (await s.cb.subscription.retrieve(subscription.id)).subscription as Any;
      expect(after).toMatchObject({ plan_id: 'pro', addons: [{ id: 'seat', quantity: 2 }] });
      expect(await eventsOf(subscription.id, since)).toEqual(expect.arrayContaining(['subscription_changed', 'payment_succeeded', 'hosted_page_completed']));
    });

    it('end_of_term: nothing now; at the renewal the subscription changes and bills what the page said', async () => {
      const { subscription, page, view, since } = await pageFor({ change_option: 'end_of_term' });
      expect(view.estimate.invoice_estimate).toBeUndefined();
      const next = view.estimate.next_invoice_estimate;
      expect(lines(next)).toEqual([['plan', 'pro', 2000], ['addon', 'seat', 1000]]);
      const done = await submit(page);
      expect(done.redirect_url).toBe(`${ORIGIN}/changed?id=${String(page.id)}&state=succeeded`);
      expect(done.hosted_page.content.invoice).toBeUndefined();
      const scheduled = (await s.cb.subscription.retrieve(subscription.id)).subscription as Any;
      expect(scheduled).toMatchObject({ plan_id: 'basic', has_scheduled_changes: true });
      await s.cb.timeMachine.travelForward('delorean', { destination_time: subscription.current_term_end + 60 });
      const renewed = (await s.cb.subscription.retrieve(subscription.id)).subscription as Any;
      expect(renewed).toMatchObject({ plan_id: 'pro', has_scheduled_changes: false });
      const last = (await invoicesOf(subscription.id)).find((i) => i.date === subscription.current_term_end);
      expect({ total: last?.total, lines: lines(last) }).toEqual({ total: next.total, lines: lines(next) });
      expect(await eventsOf(subscription.id, since)).toEqual(expect.arrayContaining(['subscription_changes_scheduled', 'hosted_page_completed', 'subscription_changed', 'subscription_renewed']));
    });

    it('specific_date: the change and its proration on that date, as the page showed', async () => {
      let at = 0;
      const { subscription, page, view, since } = await pageFor((now) => ({ change_option: 'specific_date', changes_scheduled_at: (at = now + 5 * DAY) }));
      // Nothing is invoiced now: the prorated invoice of that date is the next one.
      expect(view.estimate.invoice_estimate).toBeUndefined();
      const shown = view.estimate.next_invoice_estimate;
      expect(shown.date).toBe(at);
      await submit(page);
      expect((await s.cb.subscription.retrieve(subscription.id)).subscription).toMatchObject({ plan_id: 'basic', has_scheduled_changes: true });
      await s.cb.timeMachine.travelForward('delorean', { destination_time: at + 60 });
      expect((await s.cb.subscription.retrieve(subscription.id)).subscription).toMatchObject({ plan_id: 'pro', has_scheduled_changes: false });
      const raised = (await invoicesOf(subscription.id)).find((i) => i.date === at);
      expect({ total: raised?.total, lines: lines(raised) }).toEqual({ total: shown.total, lines: lines(shown) });
      expect(await eventsOf(subscription.id, since)).toEqual(expect.arrayContaining(['subscription_changes_scheduled', 'subscription_changed']));
    });

    it('billing_cycles and subscription[trial_end] take effect', async () => {
      const { subscription, page } = await pageFor({ billing_cycles: 3 });
      await submit(page);
      expect((await s.cb.subscription.retrieve(subscription.id)).subscription.remaining_billing_cycles).toBe(3);
      const trial = await create({ plan_id: 'trial' });
      const end = (trial.subscription.trial_start as number) + 20 * DAY;
      const { hosted_page } = await s.cb.hostedPage.checkoutExistingForItems(unknownToSdk({ subscription: { id: trial.subscription.id, trial_end: end }, subscription_items: [{ item_price_id: 'trial' }] }));
      await submit(hosted_page as Any);
      expect((await s.cb.subscription.retrieve(trial.subscription.id)).subscription).toMatchObject({ status: 'in_trial', trial_end: end });
    });
  });

  /** Completes a hosted page as its frame does: open it, then submit with a fresh test card. */
  function pageCall(page: Any, action = '', body?: unknown): Promise<Response> {
    const token = new URL(page.url as string).hash.replace('#token=', '');
    const headers = { 'x-paylit-hosted-page-token': token, 'content-type': 'application/json', origin: s.url };
    return fetch(`${s.url}/api/browser/v2/hosted_pages/${String(page.id)}${action}`, { headers, ...(body !== undefined && { method: 'POST', body: JSON.stringify(body) }) });
  }
  const open = (page: Any) => pageCall(page);
  async function submit(page: Any): Promise<Any> {
    expect((await open(page)).status).toBe(200);
    const res = await pageCall(page, '/submit', { card_token: await cardToken(s) });
    const body = (await res.json()) as Any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body;
  }
});
