import type { Coupon } from '../../core/schemas/coupon.js';
import type { CouponCode } from '../../core/schemas/coupon-code.js';
import type { Customer } from '../../core/schemas/customer.js';
import type { Invoice } from '../../core/schemas/invoice.js';
import type { NewSubscriptionParams } from '../../core/params/checkout.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import { addPeriod } from '../../core/periods.js';
import { type Deps, nextVersion } from '../context.js';
import { newId } from '../ids.js';
import type { Db } from '../db/transaction.js';
import { paramError } from '../errors.js';
import type { Usages } from '../catalog/usages.js';
import { type BillingResult, type Origin, pick, stamp, subscriptionAddon } from './common.js';
import type { Estimates } from './estimates.js';
import type { Invoices } from './invoices.js';

/** Starting a subscription: its first term, its first invoice and its charge, its events, and what it uses. */
export class Subscriptions {
  constructor(
    private readonly d: Deps,
    private readonly estimates: Estimates,
    private readonly invoices: Invoices,
    private readonly usages: Usages,
  ) {}

  /** Creates a subscription and its first invoice for an existing customer, in the caller's transaction. */
  async create(trx: Db, p: NewSubscriptionParams, customer: Customer, o: Origin = {}): Promise<BillingResult> {
    const now = this.d.clock.now();
    const source = o.source ?? 'api';
    if (p.id !== undefined && (await this.d.stores.subscriptions.get(trx, p.id))) throw paramError('id', `subscription "${p.id}" already exists`);
    const { estimate, plan, coupons, codes, ctx } = await this.estimates.newSubscription(trx, p, customer, now);
    const se = estimate.subscription_estimate;
    const addonById = new Map(ctx.addons.map((a) => [a.id, a]));
    const id = p.id ?? newId('sub');
    const first = estimate.invoice_estimate;
    const sub: Subscription = {
      id,
      customer_id: customer.id,
      plan_id: plan.id,
      plan_quantity: se.plan_quantity,
      ...(se.plan_quantity_in_decimal !== undefined && { plan_quantity_in_decimal: se.plan_quantity_in_decimal }),
      // The subscription's own price and setup fee where the call overrides the plan's (seed: plans).
      plan_unit_price: p.plan_unit_price ?? plan.price,
      ...((p.plan_unit_price_in_decimal ?? (p.plan_unit_price === undefined ? plan.price_in_decimal : undefined)) !== undefined && {
        plan_unit_price_in_decimal: p.plan_unit_price_in_decimal ?? plan.price_in_decimal,
      }),
      ...((p.setup_fee ?? plan.setup_cost) !== undefined && { setup_fee: p.setup_fee ?? plan.setup_cost }),
      billing_period: plan.period,
      billing_period_unit: plan.period_unit,
      currency_code: plan.currency_code,
      status: se.status,
      ...pick(se, ['trial_start', 'trial_end', 'start_date', 'current_term_start', 'current_term_end', 'next_billing_at', 'remaining_billing_cycles']),
      ...(se.status !== 'future' && { started_at: p.start_date ?? now }),
      ...(se.status === 'active' && { activated_at: p.start_date ?? now, billing_anchor_at: se.current_term_start }),
      has_scheduled_changes: false,
      addons: se.addons.map((a) => subscriptionAddon(a, addonById.get(a.id))),
      charged_event_based_addons: se.charged_event_based_addons.map((eid) => ({ id: eid, last_charged_at: now })),
      coupons: coupons.map((c) => ({
        coupon_id: c.id,
        applied_count: first?.discounts.some((x) => x.entity_id === c.id) ? 1 : 0,
        applied_at: now,
        ...(c.duration_type === 'limited_period' && { apply_till: addPeriod(now, c.duration_month ?? 0, 'month') }),
        object: 'coupon' as const,
      })),
      ...(p.meta_data && { meta_data: p.meta_data }),
      ...(p.shipping_address && { shipping_address: { ...p.shipping_address, object: 'shipping_address' as const } }),
      due_invoices_count: 0,
      deleted: false,
      created_at: now,
      updated_at: now,
      resource_version: nextVersion(now),
      object: 'subscription',
    };
    let invoice: Invoice | undefined;
    let cust = customer;
    if (first) ({ invoice, customer: cust } = await this.invoices.raise(trx, first, { customer, subscription_id: id, subscription: sub, first: true, now, source }));
    if (invoice?.status === 'payment_due') sub.due_invoices_count = 1;
    await this.d.stores.subscriptions.insert(trx, sub);
    await this.d.outbox.emit(trx, 'subscription_created', { subscription: sub, customer: cust, ...(invoice && { invoice }) }, source, now);
    await this.usages.link(trx, 'plan', [plan.id], 'subscription', id);
    await this.usages.link(trx, 'addon', [...sub.addons.map((a) => a.id), ...(plan.event_based_addons ?? []).map((e) => e.id)], 'subscription', id);
    await this.usages.link(trx, 'coupon', coupons.map((c) => c.id), 'subscription', id);
    await redeem(this.d, trx, coupons, codes, now);
    return { subscription: sub, customer: cust, invoice };
  }
}

/** Counts one redemption of each coupon, and marks the codes given as redeemed (a code is used once). */
export async function redeem(d: Deps, trx: Db, coupons: readonly Coupon[], codes: readonly CouponCode[], now: number): Promise<void> {
  for (const c of coupons) {
    const current = await d.stores.coupons.get(trx, c.id);
    if (current) await d.stores.coupons.update(trx, stamp({ ...current, redemptions: current.redemptions + 1 }, now));
  }
  for (const code of codes) await d.stores.couponCodes.update(trx, stamp({ ...code, id: code.code, status: 'redeemed' as const }, now));
}
