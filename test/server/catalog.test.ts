import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, formKeys, unknownToSdk, failure, link, type TestServer } from './harness.js';

describe.each(backends)('catalog API on $kind', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await backend.start();
  });
  afterAll(async () => {
    await s.close();
  });

  describe('addons (seed: addons API v1)', () => {
    it('the seed\'s sample create request returns the sample response shape, on /api/v1 too', async () => {
      const res = await s.api('/api/v1/addons', {
        form: { id: 'sms_pack', name: 'Sms Pack', invoice_name: 'sample data pack', charge_type: 'recurring', price: '200', period: '1', period_unit: 'month' },
      });
      expect(res.status).toBe(200);
      expect((await res.json()).addon).toMatchObject({
        id: 'sms_pack', name: 'Sms Pack', invoice_name: 'sample data pack', type: 'on_off', charge_type: 'recurring', price: 200,
        period: 1, period_unit: 'month', status: 'active', enabled_in_portal: true, object: 'addon', taxable: true,
      });
      const { addon } = await s.cb.addon.retrieve('sms_pack');
      expect(addon.invoice_name).toBe('sample data pack');
    });

    it('creates through the SDK with every field, including meta_data as JSON', async () => {
      const { addon } = await s.cb.addon.create({
        id: 'credits-100', name: '100 credits', invoice_name: 'Credit pack', description: 'A pack', type: 'quantity',
        charge_type: 'non_recurring', price: 1000, unit: 'pack', enabled_in_portal: false, taxable: false,
        invoice_notes: 'Thanks', meta_data: { credits: 100 },
      });
      expect(addon).toMatchObject({ type: 'quantity', charge_type: 'non_recurring', period_unit: 'not_applicable', unit: 'pack', enabled_in_portal: false, taxable: false, meta_data: { credits: 100 } });
    });

    it('refuses a duplicate id with duplicate_entry, naming id, and changes nothing', async () => {
      const before = await s.snapshot();
      const e = await failure(s.cb.addon.create({ id: 'sms_pack', name: 'Again', charge_type: 'recurring' }));
      expect(e).toMatchObject({ http_status_code: 400, api_error_code: 'duplicate_entry', param: 'id' });
      expect(await s.snapshot()).toBe(before);
    });

    it.each([
      ['id over 100 characters', { id: 'x'.repeat(101), name: 'N' }, 'id'],
      ['name over 50', { id: 'a1', name: 'n'.repeat(51) }, 'name'],
      ['missing name', { id: 'a1' }, 'name'],
      ['missing id', { name: 'N' }, 'id'],
      ['invoice_name over 100', { id: 'a1', name: 'N', invoice_name: 'i'.repeat(101) }, 'invoice_name'],
      ['description over 500', { id: 'a1', name: 'N', description: 'd'.repeat(501) }, 'description'],
      ['unit over 30', { id: 'a1', name: 'N', type: 'quantity', unit: 'u'.repeat(31) }, 'unit'],
      ['invoice_notes over 1000', { id: 'a1', name: 'N', invoice_notes: 'n'.repeat(1001) }, 'invoice_notes'],
      ['negative price', { id: 'a1', name: 'N', price: '-1' }, 'price'],
      ['price not a number', { id: 'a1', name: 'N', price: 'ten' }, 'price'],
      ['period 0', { id: 'a1', name: 'N', period: '0' }, 'period'],
      ['bad enum', { id: 'a1', name: 'N', charge_type: 'weekly' }, 'charge_type'],
      ['bad boolean', { id: 'a1', name: 'N', taxable: 'maybe' }, 'taxable'],
      ['misspelled parameter', { id: 'a1', name: 'N', prise: '100' }, 'prise'],
      ['server-owned field', { id: 'a1', name: 'N', status: 'archived' }, 'status'],
      ['meta_data not JSON', { id: 'a1', name: 'N', meta_data: '{oops' }, 'meta_data'],
      ['tier list with a gap', { id: 'a1', name: 'N', type: 'tiered', 'tiers[starting_unit][0]': '1', 'tiers[ending_unit][0]': '5', 'tiers[price][0]': '10', 'tiers[starting_unit][1]': '7', 'tiers[price][1]': '5' }, 'tiers[starting_unit][1]'],
    ])('refuses %s with a 400 naming the param, and changes nothing', async (_n, form, param) => {
      const before = await s.snapshot();
      const res = await s.api('/api/v2/addons', { form: form as Record<string, string> });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body).toMatchObject({ api_error_code: 'param_wrong_value', type: 'invalid_request', http_status_code: 400, param });
      expect(body.message).toContain(param);
      expect(await s.snapshot()).toBe(before);
    });

    it('accepts JSON bodies too, with strict types', async () => {
      const ok = await s.api('/api/v2/addons', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'json-addon', name: 'JSON', charge_type: 'recurring', price: 300 }) });
      expect(ok.status).toBe(200);
      const bad = await s.api('/api/v2/addons', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'json-2', name: 'JSON', charge_type: 'recurring', price: '300' }) });
      expect((await bad.json()).param).toBe('price');
    });

    it('lists with limit and an opaque offset; next_offset only while more remain', async () => {
      for (let i = 0; i < 23; i++) {
        s.clock.advance(1);
        await s.cb.addon.create({ id: `page-${String(i).padStart(2, '0')}`, name: `Page ${String(i)}`, charge_type: 'recurring' });
      }
      const seen: string[] = [];
      let offset: string | undefined;
      let pages = 0;
      do {
        const r = await s.cb.addon.list(formKeys({ limit: 10, offset, 'sort_by[asc]': 'created_at', 'id[starts_with]': 'page-' }));
        seen.push(...r.list.map((x) => x.addon.id));
        offset = r.next_offset;
        pages++;
      } while (offset);
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `page-${String(i).padStart(2, '0')}`));
      const exact = await s.cb.addon.list(formKeys({ limit: 3, 'id[in]': '["page-00","page-01","page-02"]' }));
      expect(exact.list).toHaveLength(3);
      expect(exact.next_offset).toBeUndefined();
    });

    it('id[starts_with] takes the prefix as written: an underscore is an underscore, not any character', async () => {
      for (const id of ['pack_a', 'pack_b', 'packxa']) await s.cb.addon.create({ id, name: id, charge_type: 'recurring' });
      const ids = async (prefix: string) => ((await (await s.api(`/api/v2/addons?limit=100&id[starts_with]=${encodeURIComponent(prefix)}`)).json()).list as Array<{ addon: { id: string } }>).map((x) => x.addon.id).sort();
      expect(await ids('pack_')).toEqual(['pack_a', 'pack_b']);
      expect(await ids('pack')).toEqual(['pack_a', 'pack_b', 'packxa']);
      expect(await ids('pack_a')).toEqual(['pack_a']);
    });

    it('filters by status, charge_type and id, sorts by created_at either way', async () => {
      const nonRecurring = await s.api('/api/v2/addons?limit=100&charge_type[is]=non_recurring');
      expect((await nonRecurring.json()).list.map((x: { addon: { id: string } }) => x.addon.id)).toEqual(['credits-100']);
      const desc = await s.api('/api/v2/addons?limit=2&sort_by[desc]=created_at&id[starts_with]=page-');
      expect((await desc.json()).list.map((x: { addon: { id: string } }) => x.addon.id)).toEqual(['page-22', 'page-21']);
      const archived = await s.api('/api/v2/addons?status[is]=archived');
      expect((await archived.json()).list).toEqual([]);
    });

    it.each([
      ['limit 0', 'limit=0', 'limit'],
      ['limit 101', 'limit=101', 'limit'],
      ['a forged offset', 'offset=abc', 'offset'],
      ['a bad status', 'status[is]=gone', 'status[is]'],
      ['an unknown filter', 'colour[is]=red', 'colour'],
      ['a bad sort field', 'sort_by[asc]=name', 'sort_by[asc]'],
    ])('refuses a list with %s', async (_n, qs, param) => {
      const res = await s.api(`/api/v2/addons?${qs}`);
      expect(res.status).toBe(400);
      expect((await res.json()).param).toBe(param);
    });

    it('updates any field before the addon is linked', async () => {
      const { addon } = await s.cb.addon.update('sms_pack', { invoice_name: 'sample data pack 2', description: 'now with a description', price: 250 });
      expect(addon).toMatchObject({ invoice_name: 'sample data pack 2', description: 'now with a description', price: 250 });
      expect(addon.resource_version).toBeGreaterThan(0);
    });

    it('once linked to a subscription, only name, invoice_name and price may change', async () => {
      await link(s, 'addon', 'sms_pack');
      const ok = await s.cb.addon.update('sms_pack', { name: 'SMS', invoice_name: 'SMS pack', price: 300 });
      expect(ok.addon).toMatchObject({ name: 'SMS', price: 300 });
      const before = await s.snapshot();
      const e = await failure(s.cb.addon.update('sms_pack', { period: 3 }));
      expect(e).toMatchObject({ http_status_code: 400, param: 'period' });
      expect(await s.snapshot()).toBe(before);
    });

    it('delete archives a linked addon, which then cannot be edited; an unlinked one is removed', async () => {
      const archived = await s.cb.addon.delete('sms_pack');
      expect(archived.addon).toMatchObject({ status: 'archived', archived_at: s.clock.now() });
      const e = await failure(s.cb.addon.update('sms_pack', { name: 'Back' }));
      expect(e).toMatchObject({ http_status_code: 400, api_error_code: 'invalid_state_for_request' });
      const removed = await s.cb.addon.delete('json-addon');
      expect(removed.addon.status).toBe('deleted');
      const gone = await failure(s.cb.addon.retrieve('json-addon'));
      expect(gone).toMatchObject({ http_status_code: 404, api_error_code: 'resource_not_found' });
    });
  });

  describe('plans (seed: plans, applicable addons)', () => {
    beforeAll(async () => {
      await s.cb.addon.create({ id: 'support', name: 'Support', charge_type: 'recurring', price: 4900, period: 1, period_unit: 'month' });
      await s.cb.addon.create({ id: 'fee', name: 'Fee', charge_type: 'non_recurring', price: 500 });
    });

    it('creates a plan with tiers and applicability through the SDK', async () => {
      const { plan } = await s.cb.plan.create({
        id: 'api-tiered', name: 'API tiered', pricing_model: 'tiered', period: 1, period_unit: 'month',
        tiers: [{ starting_unit: 1, ending_unit: 10, price: 500 }, { starting_unit: 11, price: 300 }],
        addon_applicability: 'restricted', applicable_addons: [{ id: 'credits-100' }],
        attached_addons: [{ id: 'support', quantity: 1, type: 'mandatory' }],
        event_based_addons: [{ id: 'fee', quantity: 1, on_event: 'subscription_creation', charge_once: true }],
        meta_data: { tier: 'pro' },
      });
      expect(plan).toMatchObject({
        pricing_model: 'tiered',
        tiers: [{ starting_unit: 1, ending_unit: 10, price: 500 }, { starting_unit: 11, price: 300 }],
        addon_applicability: 'restricted',
        applicable_addons: [{ id: 'credits-100' }],
        attached_addons: [{ id: 'support', quantity: 1, type: 'mandatory' }],
        event_based_addons: [{ id: 'fee', quantity: 1, on_event: 'subscription_creation', charge_once: true }],
        meta_data: { tier: 'pro' },
      });
    });

    it('creates the Paylit extension addon_required and reads it back', async () => {
      await s.api('/api/v2/plans', { form: { id: 'packs', name: 'Packs', addon_required: 'true', addon_applicability: 'restricted', 'applicable_addons[id][0]': 'credits-100' } });
      expect((await s.cb.plan.retrieve('packs')).plan).toMatchObject({ addon_required: true });
    });

    it.each([
      ['an attached addon that does not exist', { 'attached_addons[id][0]': 'nope', 'attached_addons[type][0]': 'mandatory' }, 'attached_addons[id][0]'],
      ['an archived attached addon', { 'attached_addons[id][0]': 'sms_pack' }, 'attached_addons[id][0]'],
      ['a tier list with an overlap', { pricing_model: 'volume', 'tiers[starting_unit][0]': '1', 'tiers[ending_unit][0]': '10', 'tiers[price][0]': '1', 'tiers[starting_unit][1]': '10', 'tiers[price][1]': '1' }, 'tiers[starting_unit][1]'],
      ['a negative setup cost', { setup_cost: '-1' }, 'setup_cost'],
      ['a bad period unit', { period_unit: 'decade' }, 'period_unit'],
      ['a bad event', { 'event_based_addons[id][0]': 'fee', 'event_based_addons[on_event][0]': 'payday' }, 'event_based_addons[on_event][0]'],
      ['a recurring event-based addon', { 'event_based_addons[id][0]': 'support', 'event_based_addons[on_event][0]': 'plan_activation' }, 'event_based_addons[id][0]'],
      ['free quantity on flat fee', { free_quantity: '3' }, 'free_quantity'],
    ])('refuses %s, naming the param, and changes nothing', async (_n, form, param) => {
      const before = await s.snapshot();
      const res = await s.api('/api/v2/plans', { form: { id: 'bad-plan', name: 'Bad', ...form } });
      expect(res.status).toBe(400);
      expect((await res.json()).param).toBe(param);
      expect(await s.snapshot()).toBe(before);
    });

    it('updates freely before subscriptions; afterwards the billing shape is fixed and the price changes only on flat/per-unit', async () => {
      await s.cb.plan.create({ id: 'basic', name: 'Basic', price: 1000, pricing_model: 'flat_fee' });
      expect((await s.cb.plan.update('basic', { period: 3 })).plan.period).toBe(3);
      await link(s, 'plan', 'basic');
      expect((await s.cb.plan.update('basic', { price: 1200, description: 'More' })).plan).toMatchObject({ price: 1200, description: 'More' });
      expect(await failure(s.cb.plan.update('basic', { period_unit: 'year' }))).toMatchObject({ http_status_code: 400, param: 'period_unit' });
      await link(s, 'plan', 'api-tiered');
      expect(await failure(s.cb.plan.update('api-tiered', { price: 1 }))).toMatchObject({ http_status_code: 400, param: 'price' });
    });

    it('copies a plan to a new id', async () => {
      const { plan } = await s.cb.plan.copy(unknownToSdk({ from_site: s.site.id, id_at_from_site: 'api-tiered', id_at_to_site: 'api-tiered-2' }));
      expect(plan).toMatchObject({ id: 'api-tiered-2', pricing_model: 'tiered', status: 'active' });
      expect(await failure(s.cb.plan.copy({ from_site: s.site.id, id_at_from_site: 'api-tiered', id_at_to_site: 'api-tiered-2' } as never))).toMatchObject({ api_error_code: 'duplicate_entry' });
    });

    it('delete archives a plan with subscriptions and removes one without', async () => {
      expect((await s.cb.plan.delete('basic')).plan.status).toBe('archived');
      expect((await s.cb.plan.delete('api-tiered-2')).plan.status).toBe('deleted');
      const list = await s.api('/api/v2/plans?status[is]=archived');
      expect((await list.json()).list.map((x: { plan: { id: string } }) => x.plan.id)).toEqual(['basic']);
    });
  });

  describe('coupons and customers', () => {
    it('coupons: create, retrieve, list, delete', async () => {
      const { coupon } = await s.cb.coupon.create({ apply_on: 'invoice_amount', id: 'TEN', name: '10%', discount_type: 'percentage', discount_percentage: 10, duration_type: 'forever' });
      expect(coupon).toMatchObject({ id: 'TEN', discount_percentage: 10, status: 'active' });
      expect((await s.cb.coupon.retrieve('TEN')).coupon.name).toBe('10%');
      expect((await s.cb.coupon.list({ limit: 5 })).list.map((x) => x.coupon.id)).toContain('TEN');
      expect(await failure(s.cb.coupon.create({ apply_on: 'invoice_amount', id: 'FIX', name: 'Fix', discount_type: 'fixed_amount', duration_type: 'forever' }))).toMatchObject({ http_status_code: 400, param: 'discount_amount' });
      expect((await s.cb.coupon.delete('TEN')).coupon.status).toBe('deleted');
    });

    it('customers: create with a generated id, retrieve, update, update_billing_info, list by email', async () => {
      const { customer } = await s.cb.customer.create({ first_name: 'Ada', email: 'ada@example.com' });
      expect(customer.id).toMatch(/^cus_/);
      const updated = await s.cb.customer.update(customer.id, { last_name: 'Lovelace', company: 'Engines Ltd' });
      expect(updated.customer).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', company: 'Engines Ltd' });
      const billed = await s.cb.customer.updateBillingInfo(customer.id, { billing_address: { line1: '12 St James Sq', city: 'London', zip: 'SW1Y 4JH', country: 'GB' } });
      expect(billed.customer.billing_address).toMatchObject({ line1: '12 St James Sq', country: 'GB', object: 'billing_address' });
      const found = await s.cb.customer.list(formKeys({ 'email[is]': 'ada@example.com' }));
      expect(found.list.map((x) => x.customer.id)).toEqual([customer.id]);
      expect(await failure(s.cb.customer.updateBillingInfo(customer.id, { billing_address: { country: 'Britain' } }))).toMatchObject({ http_status_code: 400, param: 'billing_address[country]' });
      expect(await failure(s.cb.customer.create({ id: customer.id }))).toMatchObject({ api_error_code: 'duplicate_entry' });
      expect(await failure(s.cb.customer.create({ email: 'not-an-email' }))).toMatchObject({ param: 'email' });
    });
  });

  describe('authentication and the request log', () => {
    it('refuses a missing or wrong key with 401 api_authentication_failed', async () => {
      for (const key of [null, 'wrong', s.site.publishable_key]) {
        const res = await s.api('/api/v2/plans', { key });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ api_error_code: 'api_authentication_failed', http_status_code: 401 });
      }
    });
    it('logs one line per request (method, path, status, ms) and never a key', async () => {
      await s.api('/api/v2/plans?limit=1');
      const line = s.logs.findLast((l) => l.startsWith('GET /api/v2/plans '));
      expect(line).toMatch(/^GET \/api\/v2\/plans 200 \d+\.\dms$/);
      const all = s.logs.join('\n');
      expect(all).not.toContain(s.site.api_key);
      expect(all).not.toContain(s.site.publishable_key);
    });
  });
});
