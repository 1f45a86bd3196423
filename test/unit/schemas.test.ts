import { describe, expect, it } from 'vitest';
import { fieldErrors, parseOrThrow, PaylitValidationError } from '../../src/core/errors.js';
import { addonSchema } from '../../src/core/schemas/addon.js';
import { metaData } from '../../src/core/schemas/common.js';
import { couponSchema } from '../../src/core/schemas/coupon.js';
import { addressSchema, customerSchema } from '../../src/core/schemas/customer.js';
import { eventSchema } from '../../src/core/schemas/event.js';
import { hostedPageSchema } from '../../src/core/schemas/hosted-page.js';
import { invoiceSchema } from '../../src/core/schemas/invoice.js';
import { planSchema } from '../../src/core/schemas/plan.js';
import { subscriptionSchema } from '../../src/core/schemas/subscription.js';
import { taxProfileSchema } from '../../src/core/tax.js';
import { demoAddons, demoCoupons, demoPlans, demoTaxProfile } from '../../src/server/seed/catalog.js';

/** The params a bad input is refused for. */
function badParams(schema: Parameters<typeof parseOrThrow>[0], input: unknown): string[] {
  try {
    parseOrThrow(schema, input);
  } catch (e) {
    expect(e).toBeInstanceOf(PaylitValidationError);
    return (e as PaylitValidationError).errors.map((x) => x.param);
  }
  throw new Error('expected the input to be refused');
}

describe('addon schema (seed: addons API v1)', () => {
  it('the sample request gives the sample response, with the seed defaults', () => {
    const addon = parseOrThrow(addonSchema, {
      id: 'sms_pack',
      name: 'Sms Pack',
      invoice_name: 'sample data pack',
      charge_type: 'recurring',
      price: 200,
      period: 1,
      period_unit: 'month',
    });
    expect(addon).toMatchObject({
      id: 'sms_pack', name: 'Sms Pack', invoice_name: 'sample data pack', type: 'on_off', charge_type: 'recurring',
      price: 200, period: 1, period_unit: 'month', status: 'active', enabled_in_portal: true, object: 'addon', taxable: true,
    });
  });

  it('the sample addon JSON parses as it is', () => {
    const ssl = { id: 'ssl', name: 'SSL', type: 'on_off', charge_type: 'recurring', price: 495, period: 1, period_unit: 'month', status: 'active', enabled_in_portal: true, object: 'addon', taxable: true };
    expect(parseOrThrow(addonSchema, ssl)).toMatchObject(ssl);
  });

  const valid = { id: 'a', name: 'A', price: 100 };
  it.each([
    ['id over 100 chars', { ...valid, id: 'x'.repeat(101) }, 'id'],
    ['id with a space', { ...valid, id: 'has space' }, 'id'],
    ['name over 50 chars', { ...valid, name: 'n'.repeat(51) }, 'name'],
    ['missing name', { id: 'a' }, 'name'],
    ['invoice_name over 100', { ...valid, invoice_name: 'n'.repeat(101) }, 'invoice_name'],
    ['description over 500', { ...valid, description: 'd'.repeat(501) }, 'description'],
    ['unit over 30', { ...valid, type: 'quantity', unit: 'u'.repeat(31) }, 'unit'],
    ['invoice_notes over 1000', { ...valid, invoice_notes: 'n'.repeat(1001) }, 'invoice_notes'],
    ['negative price', { ...valid, price: -1 }, 'price'],
    ['fractional price (not minor units)', { ...valid, price: 1.5 }, 'price'],
    ['price as a string', { ...valid, price: '100' }, 'price'],
    ['period 0', { ...valid, period: 0 }, 'period'],
    ['bad type', { ...valid, type: 'metered' }, 'type'],
    ['bad charge_type', { ...valid, charge_type: 'sometimes' }, 'charge_type'],
    ['bad period_unit', { ...valid, period_unit: 'fortnight' }, 'period_unit'],
    ['bad status', { ...valid, status: 'paused' }, 'status'],
    ['unknown parameter', { ...valid, colour: 'red' }, 'colour'],
    ['period on a non-recurring addon', { ...valid, charge_type: 'non_recurring', period: 1 }, 'period'],
    ['unit on an on/off addon', { ...valid, unit: 'seat' }, 'unit'],
    ['tiered addon without tiers', { ...valid, type: 'tiered' }, 'tiers'],
    ['meta_data not an object', { ...valid, meta_data: 'x' }, 'meta_data'],
  ])('refuses %s, naming the field', (_n, input, param) => {
    expect(badParams(addonSchema, input)).toContain(param);
  });
});

describe('free-form objects (meta_data, content)', () => {
  it('take any keys and values, as a copy without a __proto__ key, and refuse what is not an object', () => {
    const input = JSON.parse('{"credits":500,"nested":{"a":[1,"x"]},"__proto__":{"polluted":true}}') as unknown;
    const out = parseOrThrow(metaData, input);
    expect(out).toEqual({ credits: 500, nested: { a: [1, 'x'] } });
    expect(out).not.toBe(input);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const bad of ['x', 1, null, [1], true]) expect(badParams(planSchema, { id: 'p', name: 'P', meta_data: bad })).toEqual(['meta_data']);
    expect(badParams(hostedPageSchema.shape.content, 'x')).toHaveLength(1);
  });
});

describe('plan schema (seed: plans)', () => {
  const valid = { id: 'p', name: 'P' };
  it('applies the Chargebee defaults and Paylit\'s addon_required', () => {
    expect(parseOrThrow(planSchema, valid)).toMatchObject({
      price: 0, currency_code: 'USD', period: 1, period_unit: 'month', pricing_model: 'flat_fee', status: 'active',
      enabled_in_hosted_pages: true, enabled_in_portal: true, taxable: true, giftable: false, addon_applicability: 'all',
      addon_required: false, free_quantity: 0, object: 'plan',
    });
  });

  it('keeps every attribute of the seed', () => {
    const full = {
      ...valid, invoice_name: 'Pro', description: 'd', price: 1000, price_in_decimal: '10.00', currency_code: 'EUR',
      period: 3, period_unit: 'month', trial_period: 14, trial_period_unit: 'day', billing_cycles: 12,
      pricing_model: 'per_unit', free_quantity: 2, setup_cost: 500, status: 'archived', archived_at: 1,
      enabled_in_hosted_pages: false, enabled_in_portal: false, taxable: false, giftable: false,
      redirect_url: 'https://merchant.example/thanks', meta_data: { a: 1 }, is_shippable: true,
      shipping_frequency_period: 1, shipping_frequency_period_unit: 'month', sku: 'SKU', accounting_code: '4000',
      accounting_category1: 'EU', show_description_in_invoices: true, show_description_in_quotes: true,
      addon_applicability: 'restricted', applicable_addons: [{ id: 'x' }],
      attached_addons: [{ id: 'y', quantity: 2, type: 'mandatory' }],
      event_based_addons: [{ id: 'z', quantity: 1, on_event: 'plan_activation', charge_once: false }],
      addon_required: true,
    };
    expect(parseOrThrow(planSchema, full)).toMatchObject(full);
  });

  it.each([
    ['tier list with a gap', { ...valid, pricing_model: 'tiered', tiers: [{ starting_unit: 1, ending_unit: 10, price: 1 }, { starting_unit: 12, price: 1 }] }, 'tiers[1][starting_unit]'],
    ['tier list with an overlap', { ...valid, pricing_model: 'volume', tiers: [{ starting_unit: 1, ending_unit: 10, price: 1 }, { starting_unit: 10, price: 1 }] }, 'tiers[1][starting_unit]'],
    ['first tier not at 1', { ...valid, pricing_model: 'stairstep', tiers: [{ starting_unit: 2, price: 1 }] }, 'tiers[0][starting_unit]'],
    ['open tier in the middle', { ...valid, pricing_model: 'tiered', tiers: [{ starting_unit: 1, price: 1 }, { starting_unit: 2, price: 1 }] }, 'tiers[0][ending_unit]'],
    ['closed last tier', { ...valid, pricing_model: 'tiered', tiers: [{ starting_unit: 1, ending_unit: 5, price: 1 }] }, 'tiers[0][ending_unit]'],
    ['negative tier price', { ...valid, pricing_model: 'tiered', tiers: [{ starting_unit: 1, price: -1 }] }, 'tiers[0][price]'],
    ['tiers on a flat fee plan', { ...valid, tiers: [{ starting_unit: 1, price: 1 }] }, 'tiers'],
    ['free quantity on a flat fee plan', { ...valid, free_quantity: 3 }, 'free_quantity'],
    ['trial without unit', { ...valid, trial_period: 14 }, 'trial_period_unit'],
    ['bad period unit', { ...valid, period_unit: 'decade' }, 'period_unit'],
    ['period 0', { ...valid, period: 0 }, 'period'],
    ['bad pricing model', { ...valid, pricing_model: 'usage' }, 'pricing_model'],
    ['currency not ISO', { ...valid, currency_code: 'usd' }, 'currency_code'],
    ['negative setup cost', { ...valid, setup_cost: -5 }, 'setup_cost'],
    ['bad redirect_url', { ...valid, redirect_url: 'not a url' }, 'redirect_url'],
    ['applicable_addons without restricted', { ...valid, applicable_addons: [{ id: 'x' }] }, 'applicable_addons'],
    ['bad attached addon type', { ...valid, attached_addons: [{ id: 'x', type: 'optional' }] }, 'attached_addons[0][type]'],
    ['addon attached twice', { ...valid, attached_addons: [{ id: 'x' }, { id: 'x' }] }, 'attached_addons[1][id]'],
    ['bad on_event', { ...valid, event_based_addons: [{ id: 'x', on_event: 'payday' }] }, 'event_based_addons[0][on_event]'],
    ['bad price_in_decimal', { ...valid, price_in_decimal: '1,50' }, 'price_in_decimal'],
    ['negative free_quantity_in_decimal', { ...valid, pricing_model: 'per_unit', free_quantity_in_decimal: '-1' }, 'free_quantity_in_decimal'],
    ['addon_required not boolean', { ...valid, addon_required: 'yes' }, 'addon_required'],
  ])('refuses %s, naming the field', (_n, input, param) => {
    expect(badParams(planSchema, input)).toContain(param);
  });
});

describe('the other resources', () => {
  it('coupon: percentage and fixed amount, with their rules', () => {
    expect(parseOrThrow(couponSchema, { id: 'c', name: 'C', discount_type: 'percentage', discount_percentage: 12.5 }).duration_type).toBe('forever');
    expect(badParams(couponSchema, { id: 'c', name: 'C', discount_type: 'fixed_amount' })).toEqual(expect.arrayContaining(['discount_amount', 'currency_code']));
    expect(badParams(couponSchema, { id: 'c', name: 'C', discount_type: 'percentage', discount_percentage: 101 })).toContain('discount_percentage');
    expect(badParams(couponSchema, { id: 'c', name: 'C', discount_type: 'percentage', discount_percentage: 10, duration_type: 'limited_period' })).toContain('duration_month');
  });
  it('address and customer', () => {
    expect(parseOrThrow(addressSchema, { line1: '1 Main St', city: 'Springfield', state_code: 'IL', zip: '62701', country: 'US' }).country).toBe('US');
    expect(badParams(addressSchema, { country: 'USA' })).toContain('country');
    expect(badParams(customerSchema, { id: 'c1', email: 'not-an-email' })).toContain('email');
    expect(badParams(customerSchema, { id: 'c1', billing_address: { zip: 'z'.repeat(21) } })).toContain('billing_address[zip]');
  });
  it('subscription, invoice, hosted page and event', () => {
    expect(badParams(subscriptionSchema, { id: 's', customer_id: 'c', plan_id: 'p', currency_code: 'USD', status: 'sleeping' })).toContain('status');
    expect(badParams(invoiceSchema, { id: 'i' })).toEqual(expect.arrayContaining(['customer_id', 'line_items']));
    const page = { id: 'hp_1', type: 'checkout_new', url: 'http://127.0.0.1:8787/hosted/checkout/hp_1', state: 'created', created_at: 1, expires_at: 2 };
    expect(parseOrThrow(hostedPageSchema, page).embed).toBe(true);
    expect(badParams(hostedPageSchema, { ...page, pass_thru_content: 'x'.repeat(2049) })).toContain('pass_thru_content');
    expect(badParams(hostedPageSchema, { ...page, layout: 'popup' })).toContain('layout');
    expect(badParams(hostedPageSchema, { ...page, state: 'done' })).toContain('state');
    expect(badParams(eventSchema, { id: 'ev', occurred_at: 1, event_type: 'something_happened', content: {} })).toContain('event_type');
    expect(badParams(taxProfileSchema, { rates: [{ country: 'DE', rate: '120', name: 'x' }] })).toContain('rates[0][rate]');
  });
  it('messages are written for people', () => {
    const r = planSchema.safeParse({ id: 'p', name: 'n'.repeat(51), price: -1, colour: 1 });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(fieldErrors(r.error)).toEqual(expect.arrayContaining([
      { param: 'name', message: 'must be at most 50 characters' },
      { param: 'price', message: 'must be at least 0' },
      { param: 'colour', message: 'is not a known parameter' },
    ]));
  });
  it('the demo catalog is valid', () => {
    for (const p of demoPlans) parseOrThrow(planSchema, p);
    for (const a of demoAddons) parseOrThrow(addonSchema, a);
    for (const c of demoCoupons) parseOrThrow(couponSchema, c);
    parseOrThrow(taxProfileSchema, demoTaxProfile);
  });
});
