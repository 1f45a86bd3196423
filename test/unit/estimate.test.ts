import { describe, expect, it } from 'vitest';
import { PaylitValidationError } from '../../src/core/errors.js';
import { estimateNewSubscription, estimateSubscriptionChange } from '../../src/core/estimate.js';
import type { InvoiceEstimate } from '../../src/core/invoice-builder.js';
import { subscriptionSchema, type Subscription, type SubscriptionInput } from '../../src/core/schemas/subscription.js';
import { demoTaxProfile } from '../../src/server/seed/catalog.js';
import { addons, at, coupon, coupons, getPlan, JAN31, plan } from '../support/catalog.js';

const ctx = { addons, now: JAN31 };
const lines = (inv: InvoiceEstimate | undefined) => inv?.line_items.map((l) => [l.entity_type, l.entity_id, l.amount]);
const paramOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof PaylitValidationError) return e.param;
    throw e;
  }
  throw new Error('expected a validation error');
};
const totalsAddUp = (inv: InvoiceEstimate) => {
  const sum = (k: 'amount' | 'discount_amount' | 'tax_amount') => inv.line_items.reduce((a, l) => a + l[k], 0);
  expect(inv.sub_total).toBe(sum('amount'));
  expect(inv.tax).toBe(sum('tax_amount'));
  expect(inv.total).toBe(inv.sub_total - sum('discount_amount') + inv.tax);
  expect(inv.amount_due).toBe(inv.total - inv.credits_applied);
};

describe('estimate for a new subscription', () => {
  it('credit packs (seed 000): the $0 base plan with two 500-credit packs', () => {
    const est = estimateNewSubscription({ plan: getPlan('credits-starter'), addons: [{ id: 'credits-500', quantity: 2 }] }, ctx);
    expect(lines(est.invoice_estimate)).toEqual([
      ['plan', 'credits-starter', 0],
      ['addon', 'credits-500', 9000],
    ]);
    expect(est.amount_due_now).toBe(9000);
    expect(est.subscription_estimate).toMatchObject({
      status: 'active', current_term_start: JAN31, current_term_end: at('2025-02-28T00:00:00Z'), next_billing_at: at('2025-02-28T00:00:00Z'),
    });
    // Packs are non-recurring: the renewal bills only the $0 plan.
    expect(lines(est.next_invoice_estimate)).toEqual([['plan', 'credits-starter', 0]]);
    expect(est.subscription_estimate.addons).toEqual([]);
    const line = est.invoice_estimate?.line_items[1];
    expect(line).toMatchObject({ quantity: 2, unit_amount: 4500, description: 'Credit pack (500 credits)' });
    totalsAddUp(est.invoice_estimate!);
  });

  it('refuses the credit-pack plan without a pack, naming addons', () => {
    expect(paramOf(() => estimateNewSubscription({ plan: getPlan('credits-starter') }, ctx))).toBe('addons');
  });

  it('per unit with free quantity: 100 GB at $2 with 10 GB free is $180', () => {
    const est = estimateNewSubscription({ plan: getPlan('storage-per-gb'), plan_quantity: 100 }, ctx);
    expect(est.amount_due_now).toBe(18000);
  });

  it('a recurring monthly addon on a yearly plan is charged for twelve months', () => {
    const est = estimateNewSubscription({ plan: getPlan('hustle-yearly'), addons: [{ id: 'priority-support' }] }, ctx);
    expect(lines(est.invoice_estimate)).toEqual([
      ['plan', 'hustle-yearly', 49000],
      ['addon', 'priority-support', 4900 * 12],
    ]);
    expect(est.subscription_estimate.current_term_end).toBe(at('2026-01-31T00:00:00Z'));
  });

  it('mandatory addons are attached on Scale', () => {
    const est = estimateNewSubscription({ plan: getPlan('scale-monthly') }, ctx);
    expect(lines(est.invoice_estimate)).toEqual([
      ['plan', 'scale-monthly', 9900],
      ['addon', 'priority-support', 4900],
      ['addon', 'analytics', 2900],
    ]);
  });

  it('trial: nothing due now, the first charge (with the setup cost) falls at the trial end', () => {
    const trialPlan = plan({ id: 't', name: 'T', price: 4900, setup_cost: 9900, trial_period: 1, trial_period_unit: 'month' });
    const est = estimateNewSubscription({ plan: trialPlan }, ctx);
    expect(est.invoice_estimate).toBeUndefined();
    expect(est.amount_due_now).toBe(0);
    expect(est.subscription_estimate).toMatchObject({ status: 'in_trial', trial_start: JAN31, trial_end: at('2025-02-28T00:00:00Z'), next_billing_at: at('2025-02-28T00:00:00Z') });
    expect(est.next_invoice_estimate?.date).toBe(at('2025-02-28T00:00:00Z'));
    expect(lines(est.next_invoice_estimate)).toEqual([['plan', 't', 4900], ['plan_setup', 't', 9900]]);
  });

  it('trial with an event-based addon on subscription creation: only that is invoiced now', () => {
    const est = estimateNewSubscription({ plan: getPlan('pro-trial') }, ctx);
    expect(lines(est.invoice_estimate)).toEqual([['addon', 'onboarding', 2500]]);
    expect(est.subscription_estimate.charged_event_based_addons).toEqual(['onboarding']);
    expect(lines(est.next_invoice_estimate)).toEqual([['plan', 'pro-trial', 4900], ['plan_setup', 'pro-trial', 9900]]);
  });

  it('trial_end = 0 skips the trial; setup_fee can be overridden', () => {
    const est = estimateNewSubscription({ plan: getPlan('pro-trial'), trial_end: 0, setup_fee: 0 }, ctx);
    expect(est.subscription_estimate.status).toBe('active');
    expect(lines(est.invoice_estimate)).toEqual([['plan', 'pro-trial', 4900], ['addon', 'onboarding', 2500]]);
  });

  it('non-recurring addons are refused on a trial (seed)', () => {
    const trialStarter = plan({ ...getPlan('credits-starter'), id: 'ts', trial_period: 7, trial_period_unit: 'day' });
    expect(paramOf(() => estimateNewSubscription({ plan: trialStarter, addons: [{ id: 'credits-100' }] }, ctx))).toBe('addons[id][0]');
  });

  it('a future start: status future, nothing now, first invoice at the start', () => {
    const start = at('2025-03-01T00:00:00Z');
    const est = estimateNewSubscription({ plan: getPlan('grow-monthly'), start_date: start }, ctx);
    expect(est.subscription_estimate.status).toBe('future');
    expect(est.invoice_estimate).toBeUndefined();
    expect(est.next_invoice_estimate?.date).toBe(start);
  });

  it('billing_cycles = 1: no renewal', () => {
    const est = estimateNewSubscription({ plan: getPlan('grow-monthly'), billing_cycles: 1 }, ctx);
    expect(est.next_invoice_estimate).toBeUndefined();
    expect(est.subscription_estimate.remaining_billing_cycles).toBe(0);
  });

  it('coupons: a one-time percentage on the first invoice only, a forever fixed amount on every invoice', () => {
    const est = estimateNewSubscription(
      { plan: getPlan('hustle-monthly'), addons: [{ id: 'analytics' }], coupons: [coupons.get('WELCOME10')!, coupons.get('FIVEOFF')!] },
      ctx,
    );
    const inv = est.invoice_estimate!;
    // 10% of 4900 = 490 and of 2900 = 290; then $5 split in proportion to what is left (4410 : 2610).
    expect(inv.line_items.map((l) => l.discount_amount)).toEqual([490 + 314, 290 + 186]);
    expect(inv.discounts.map((d) => [d.entity_id, d.amount])).toEqual([['WELCOME10', 780], ['FIVEOFF', 500]]);
    expect(inv.total).toBe(7800 - 1280);
    totalsAddUp(inv);
    expect(est.next_invoice_estimate!.discounts.map((d) => d.entity_id)).toEqual(['FIVEOFF']);
  });

  it('a coupon never takes a line below zero', () => {
    const big = coupon({ id: 'BIG', name: 'Big', discount_type: 'fixed_amount', discount_amount: 1_000_000, currency_code: 'USD' });
    const inv = estimateNewSubscription({ plan: getPlan('grow-monthly'), coupons: [big] }, ctx).invoice_estimate!;
    expect(inv.line_items[0]).toMatchObject({ amount: 1900, discount_amount: 1900 });
    expect(inv.total).toBe(0);
  });

  it('refuses a coupon in another currency, naming coupon_ids[i]', () => {
    const eur = coupon({ id: 'EUR5', name: 'EUR', discount_type: 'fixed_amount', discount_amount: 500, currency_code: 'EUR' });
    expect(paramOf(() => estimateNewSubscription({ plan: getPlan('grow-monthly'), coupons: [eur] }, ctx))).toBe('coupon_ids[0]');
  });

  it('tax by country and region, exclusive, rounded once per line', () => {
    const ny = estimateNewSubscription(
      { plan: getPlan('hustle-monthly'), addons: [{ id: 'analytics' }] },
      { ...ctx, taxProfile: demoTaxProfile, billingAddress: { country: 'US', state_code: 'NY' } },
    ).invoice_estimate!;
    // 8.875% of 4900 = 434.875 -> 435; of 2900 = 257.375 -> 257
    expect(ny.line_items.map((l) => l.tax_amount)).toEqual([435, 257]);
    expect(ny.taxes).toEqual([{ name: 'NY sales tax', amount: 692, description: 'NY sales tax', object: 'tax' }]);
    totalsAddUp(ny);
    const texas = estimateNewSubscription({ plan: getPlan('hustle-monthly') }, { ...ctx, taxProfile: demoTaxProfile, billingAddress: { country: 'US', state_code: 'TX' } });
    expect(texas.invoice_estimate!.tax).toBe(0);
    const exempt = estimateNewSubscription({ plan: getPlan('hustle-monthly') }, { ...ctx, taxProfile: demoTaxProfile, billingAddress: { country: 'DE' }, taxExempt: true });
    expect(exempt.invoice_estimate!.tax).toBe(0);
    const de = estimateNewSubscription({ plan: getPlan('hustle-monthly-eur') }, { ...ctx, taxProfile: demoTaxProfile, billingAddress: { country: 'DE' } });
    expect(de.invoice_estimate!.tax).toBe(855); // 19% of 4500
  });

  it('tax applies after discounts and only to taxable lines', () => {
    const untaxed = plan({ id: 'u', name: 'U', price: 1000, taxable: false });
    const inv = estimateNewSubscription({ plan: untaxed }, { ...ctx, taxProfile: demoTaxProfile, billingAddress: { country: 'GB' } }).invoice_estimate!;
    expect(inv.tax).toBe(0);
    const disc = estimateNewSubscription({ plan: getPlan('grow-monthly'), coupons: [coupons.get('WELCOME10')!] }, { ...ctx, taxProfile: demoTaxProfile, billingAddress: { country: 'GB' } }).invoice_estimate!;
    expect(disc.line_items[0]).toMatchObject({ amount: 1900, discount_amount: 190, tax_amount: 342 }); // 20% of 1710
  });

  it('refuses bad input naming the param', () => {
    expect(paramOf(() => estimateNewSubscription({ plan: getPlan('grow-monthly'), plan_quantity: 2 }, ctx))).toBe('plan_quantity');
    expect(paramOf(() => estimateNewSubscription({ plan: getPlan('storage-per-gb'), plan_quantity: 0 }, ctx))).toBe('plan_quantity');
    expect(paramOf(() => estimateNewSubscription({ plan: getPlan('grow-monthly'), billing_cycles: 0 }, ctx))).toBe('billing_cycles');
    expect(paramOf(() => estimateNewSubscription({ plan: plan({ id: 'a', name: 'A', status: 'archived' }) }, ctx))).toBe('plan_id');
    expect(paramOf(() => estimateNewSubscription({ plan: getPlan('grow-monthly'), trial_end: JAN31 - 1 }, ctx))).toBe('trial_end');
  });

  it('multi-decimal plan quantity', () => {
    const metered = plan({ id: 'm', name: 'M', pricing_model: 'per_unit', price_in_decimal: '0.015' });
    const est = estimateNewSubscription({ plan: metered, plan_quantity: '333.3' }, ctx);
    expect(est.invoice_estimate!.line_items[0]).toMatchObject({ amount: 500, quantity_in_decimal: '333.3', unit_amount_in_decimal: '0.015' });
    expect(est.subscription_estimate.plan_quantity_in_decimal).toBe('333.3');
  });
});

describe('estimate for a change to an existing subscription (seed 004)', () => {
  const FEB28 = at('2025-02-28T00:00:00Z');
  const FEB14 = at('2025-02-14T00:00:00Z');
  const sub = (s: Partial<SubscriptionInput> = {}): Subscription =>
    subscriptionSchema.parse({
      id: 'sub_1', customer_id: 'cus_1', plan_id: 'hustle-monthly', plan_quantity: 1, plan_unit_price: 4900,
      currency_code: 'USD', status: 'active', current_term_start: JAN31, current_term_end: FEB28, next_billing_at: FEB28,
      addons: [], ...s,
    });
  const mid = { addons, now: FEB14 };

  it('adding an addon mid-term charges it for the rest of the term, prorated by seconds', () => {
    const est = estimateSubscriptionChange({ subscription: sub(), currentPlan: getPlan('hustle-monthly'), addons: [{ id: 'extra-seat', quantity: 2 }] }, mid);
    expect(lines(est.invoice_estimate)).toEqual([['addon', 'extra-seat', 1000]]); // 2000 × 14/28 days
    expect(est.credit_note_estimates).toEqual([]);
    expect(est.amount_due_now).toBe(1000);
    expect(est.subscription_estimate.addons).toEqual([{ id: 'extra-seat', quantity: 2 }]);
    expect(lines(est.next_invoice_estimate)).toEqual([['plan', 'hustle-monthly', 4900], ['addon', 'extra-seat', 2000]]);
  });

  it('proration is by seconds, not days', () => {
    const oneHourIn = JAN31 + 3600;
    const est = estimateSubscriptionChange({ subscription: sub(), currentPlan: getPlan('hustle-monthly'), addons: [{ id: 'extra-seat', quantity: 1 }] }, { addons, now: oneHourIn });
    const termSeconds = FEB28 - JAN31;
    expect(est.invoice_estimate!.line_items[0]!.amount).toBe(Math.round((1000 * (termSeconds - 3600)) / termSeconds));
  });

  it('upgrade within the same period: credit the old plan, charge the new one, for the unused part', () => {
    const est = estimateSubscriptionChange({ subscription: sub(), currentPlan: getPlan('hustle-monthly'), plan: getPlan('scale-monthly') }, mid);
    expect(lines(est.credit_note_estimates[0])).toEqual([['plan', 'hustle-monthly', 2450]]);
    expect(lines(est.invoice_estimate)).toEqual([
      ['plan', 'scale-monthly', 4950],
      ['addon', 'priority-support', 2450],
      ['addon', 'analytics', 1450],
    ]);
    expect(est.invoice_estimate!.credits_applied).toBe(2450);
    expect(est.amount_due_now).toBe(4950 + 2450 + 1450 - 2450);
    expect(est.subscription_estimate.current_term_end).toBe(FEB28);
  });

  it('downgrade from Scale removes its mandatory addons and credits them', () => {
    const s = sub({ plan_id: 'scale-monthly', plan_unit_price: 9900, addons: [{ id: 'priority-support', quantity: 1, unit_price: 4900 }, { id: 'analytics', quantity: 1, unit_price: 2900 }] });
    const est = estimateSubscriptionChange({ subscription: s, currentPlan: getPlan('scale-monthly'), plan: getPlan('hustle-monthly') }, mid);
    expect(est.removed_addons.map((r) => r.id)).toEqual(['priority-support', 'analytics']);
    expect(est.subscription_estimate.addons).toEqual([]);
    expect(lines(est.credit_note_estimates[0])).toEqual([['plan', 'scale-monthly', 4950], ['addon', 'priority-support', 2450], ['addon', 'analytics', 1450]]);
    expect(lines(est.invoice_estimate)).toEqual([['plan', 'hustle-monthly', 2450]]);
    expect(est.amount_due_now).toBe(0);
    expect(est.invoice_estimate!.credits_applied).toBe(2450);
  });

  it('monthly to yearly resets the term: unused time credited, a full year charged', () => {
    const est = estimateSubscriptionChange({ subscription: sub(), currentPlan: getPlan('hustle-monthly'), plan: getPlan('hustle-yearly') }, mid);
    expect(lines(est.credit_note_estimates[0])).toEqual([['plan', 'hustle-monthly', 2450]]);
    expect(lines(est.invoice_estimate)).toEqual([['plan', 'hustle-yearly', 49000]]);
    expect(est.subscription_estimate).toMatchObject({ current_term_start: FEB14, current_term_end: at('2026-02-14T00:00:00Z') });
  });

  it('force_term_reset with terms_to_charge charges that many terms in advance', () => {
    const est = estimateSubscriptionChange({ subscription: sub(), currentPlan: getPlan('hustle-monthly'), force_term_reset: true, terms_to_charge: 3 }, mid);
    expect(lines(est.invoice_estimate)).toEqual([['plan', 'hustle-monthly', 14700]]);
    expect(est.subscription_estimate.current_term_end).toBe(at('2025-05-14T00:00:00Z'));
    expect(est.amount_due_now).toBe(14700 - 2450);
  });

  it('end_of_term: nothing now; the renewal carries the change', () => {
    const est = estimateSubscriptionChange({ subscription: sub(), currentPlan: getPlan('hustle-monthly'), plan: getPlan('scale-monthly'), change_option: 'end_of_term' }, mid);
    expect(est.invoice_estimate).toBeUndefined();
    expect(est.amount_due_now).toBe(0);
    expect(est.subscription_estimate.has_scheduled_changes).toBe(true);
    expect(est.next_invoice_estimate!.date).toBe(FEB28);
    expect(lines(est.next_invoice_estimate)).toEqual([['plan', 'scale-monthly', 9900], ['addon', 'priority-support', 4900], ['addon', 'analytics', 2900]]);
  });

  it('specific_date: prorated from that date, nothing now', () => {
    const d = at('2025-02-21T00:00:00Z');
    const est = estimateSubscriptionChange({ subscription: sub(), currentPlan: getPlan('hustle-monthly'), addons: [{ id: 'extra-seat', quantity: 4 }], change_option: 'specific_date', changes_scheduled_at: d }, mid);
    expect(est.amount_due_now).toBe(0);
    expect(est.next_invoice_estimate!.date).toBe(d);
    expect(lines(est.next_invoice_estimate)).toEqual([['addon', 'extra-seat', 1000]]); // 4000 × 7/28
  });

  it('refuses specific_date without a date or in the past, and a bad terms_to_charge', () => {
    const base = { subscription: sub(), currentPlan: getPlan('hustle-monthly') };
    expect(paramOf(() => estimateSubscriptionChange({ ...base, change_option: 'specific_date' }, mid))).toBe('changes_scheduled_at');
    expect(paramOf(() => estimateSubscriptionChange({ ...base, change_option: 'specific_date', changes_scheduled_at: FEB14 - 1 }, mid))).toBe('changes_scheduled_at');
    expect(paramOf(() => estimateSubscriptionChange({ ...base, changes_scheduled_at: FEB28 }, mid))).toBe('changes_scheduled_at');
    expect(paramOf(() => estimateSubscriptionChange({ ...base, terms_to_charge: 0 }, mid))).toBe('terms_to_charge');
    expect(paramOf(() => estimateSubscriptionChange({ ...base, plan: getPlan('hustle-monthly-eur') }, mid))).toBe('plan_id');
  });

  it('replace_addon_list replaces; otherwise the list is merged', () => {
    const s = sub({ addons: [{ id: 'extra-seat', quantity: 2, unit_price: 1000 }] });
    const merged = estimateSubscriptionChange({ subscription: s, currentPlan: getPlan('hustle-monthly'), addons: [{ id: 'analytics' }] }, mid);
    expect(merged.subscription_estimate.addons.map((a) => a.id)).toEqual(['extra-seat', 'analytics']);
    const replaced = estimateSubscriptionChange({ subscription: s, currentPlan: getPlan('hustle-monthly'), addons: [{ id: 'analytics' }], replace_addon_list: true }, mid);
    expect(replaced.subscription_estimate.addons.map((a) => a.id)).toEqual(['analytics']);
    expect(lines(replaced.credit_note_estimates[0])).toEqual([['addon', 'extra-seat', 1000]]);
  });

  it('existing items keep the price they were sold at; a new catalog price applies to new subscriptions only', () => {
    const s = sub({ plan_unit_price: 3900 });
    const est = estimateSubscriptionChange({ subscription: s, currentPlan: getPlan('hustle-monthly'), addons: [{ id: 'extra-seat' }] }, mid);
    expect(lines(est.next_invoice_estimate)).toEqual([['plan', 'hustle-monthly', 3900], ['addon', 'extra-seat', 1000]]);
  });

  it('an addon archived since it was sold is still credited at its period scaling (×12 on a yearly plan)', () => {
    const archivedSupport = { ...addons.find((a) => a.id === 'priority-support')!, status: 'archived' as const };
    const catalog = [...addons.filter((a) => a.id !== 'priority-support'), archivedSupport];
    const s = sub({ plan_id: 'hustle-yearly', plan_unit_price: 49000, current_term_end: at('2026-01-31T00:00:00Z'), next_billing_at: at('2026-01-31T00:00:00Z'), addons: [{ id: 'priority-support', quantity: 1, unit_price: 4900 }] });
    const est = estimateSubscriptionChange({ subscription: s, currentPlan: getPlan('hustle-yearly'), replace_addon_list: true, addons: [] }, { addons: catalog, now: FEB14 });
    const termSeconds = at('2026-01-31T00:00:00Z') - JAN31;
    const unused = at('2026-01-31T00:00:00Z') - FEB14;
    expect(lines(est.credit_note_estimates[0])).toEqual([['addon', 'priority-support', Math.round((4900 * 12 * unused) / termSeconds)]]);
  });

  it('an archived addon already on the subscription stays through other changes; it is never newly attached', () => {
    const archivedSeat = { ...addons.find((a) => a.id === 'extra-seat')!, status: 'archived' as const };
    const catalog = [...addons.filter((a) => a.id !== 'extra-seat'), archivedSeat];
    const s = sub({ addons: [{ id: 'extra-seat', quantity: 2, unit_price: 1000 }] });
    const est = estimateSubscriptionChange({ subscription: s, currentPlan: getPlan('hustle-monthly'), addons: [{ id: 'analytics' }] }, { addons: catalog, now: FEB14 });
    expect(est.subscription_estimate.addons.map((a) => a.id)).toEqual(['extra-seat', 'analytics']);
    expect(lines(est.invoice_estimate)).toEqual([['addon', 'analytics', 1450]]);
    const fresh = sub();
    expect(paramOf(() => estimateSubscriptionChange({ subscription: fresh, currentPlan: getPlan('hustle-monthly'), addons: [{ id: 'extra-seat' }] }, { addons: catalog, now: FEB14 }))).toBe('addons[id][0]');
  });

  it('reactivating a cancelled subscription starts a new term now, with no credit', () => {
    const s = sub({ status: 'cancelled', current_term_start: undefined, current_term_end: undefined, next_billing_at: undefined });
    const est = estimateSubscriptionChange({ subscription: s, currentPlan: getPlan('hustle-monthly'), reactivate: true }, mid);
    expect(est.subscription_estimate).toMatchObject({ status: 'active', current_term_start: FEB14, current_term_end: at('2025-03-14T00:00:00Z') });
    expect(est.credit_note_estimates).toEqual([]);
    expect(est.amount_due_now).toBe(4900);
  });

  it('coupon_ids add to the subscription\'s coupons unless replace_coupon_list', () => {
    const five = coupons.get('FIVEOFF')!;
    const ten = coupons.get('WELCOME10')!;
    const base = { subscription: sub(), currentPlan: getPlan('hustle-monthly'), force_term_reset: true, currentCoupons: [{ coupon: five, applied_at: JAN31 }] };
    const added = estimateSubscriptionChange({ ...base, coupons: [ten] }, mid);
    expect(added.invoice_estimate!.discounts.map((d) => d.entity_id)).toEqual(['WELCOME10', 'FIVEOFF']);
    const replaced = estimateSubscriptionChange({ ...base, coupons: [ten], replace_coupon_list: true }, mid);
    expect(replaced.invoice_estimate!.discounts.map((d) => d.entity_id)).toEqual(['WELCOME10']);
  });
});
