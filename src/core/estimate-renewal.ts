import { applicabilityIn, eventAddonsFor } from './addon-choice.js';
import type { EventAddon } from './applicability.js';
import { couponActiveAt } from './discounts.js';
import { invalid, sameNames } from './errors.js';
import { buildInvoice, type Charge, type InvoiceEstimate } from './invoice-builder.js';
import { termContaining } from './periods.js';
import type { Quantity } from './pricing.js';
import type { Addon } from './schemas/addon.js';
import type { Coupon } from './schemas/coupon.js';
import type { Plan } from './schemas/plan.js';
import type { Subscription } from './schemas/subscription.js';
import type { EstimateContext } from './estimate-types.js';
import { invoiceOptions, itemsOf, oneTimeCharges, setupCharge, termCharges } from './estimate-lines.js';

export interface AppliedCoupon {
  readonly coupon: Coupon;
  readonly applied_at: number;
  /** How many invoices it has discounted so far. */
  readonly applied_count: number;
}

export interface RenewalInput {
  readonly subscription: Subscription;
  /** The subscription's plan. */
  readonly plan: Plan;
  readonly coupons?: readonly AppliedCoupon[] | undefined;
  /** One-time addons scheduled for this renewal (charge_addon_at_term_end). */
  readonly charges?: ReadonlyArray<{ addon: Addon; quantity: Quantity }> | undefined;
  /** When the renewal happens: the end of the term, of the trial, or the start date of a future subscription. */
  readonly at: number;
}

export interface Renewal {
  readonly invoice: InvoiceEstimate;
  /** The term the invoice pays for. */
  readonly term: { start: number; end: number };
  /** The term series' anchor after this renewal. */
  readonly anchor: number;
  /** True when this ends a trial or starts a future subscription (setup fee and activation events apply). */
  readonly activation: boolean;
  /** Event-based addons charged now. */
  readonly chargedEventAddons: readonly string[];
  /** Coupon ids that discounted this invoice. */
  readonly couponsUsed: readonly string[];
}

/**
 * The invoice a subscription raises when its term renews, its trial ends or its future start arrives: a full term
 * of the plan and recurring addons at the prices the subscription was sold at, plus (on activation) the setup fee
 * and the activation event addons, plus the one-time charges scheduled for term end. Terms are counted from the
 * anchor so the day of month never drifts.
 */
export function estimateRenewal(input: RenewalInput, ctx: EstimateContext): Renewal {
  const { subscription: sub, plan, at } = input;
  if (sub.plan_id !== plan.id) throw invalid((ctx.names ?? sameNames)('subscription[id]'), 'the plan does not match the subscription');
  const activation = sub.status === 'in_trial' || sub.status === 'future';
  const anchor = activation ? at : (sub.billing_anchor_at ?? sub.current_term_start ?? at);
  const { start, end } = termContaining(anchor, at, plan.period, plan.period_unit);
  const items = itemsOf(sub, plan, ctx.addons);
  const currency = sub.currency_code;
  const charges: Charge[] = termCharges(items, start, end);
  let events: EventAddon[] = [];
  if (activation) {
    charges.push(...setupCharge(plan, sub.setup_fee ?? plan.setup_cost ?? 0, at));
    const charged = new Set((sub.charged_event_based_addons ?? []).map((c) => c.id));
    events = eventAddonsFor(applicabilityIn(ctx, plan), ['subscription_activation', 'plan_activation'], charged);
    charges.push(...oneTimeCharges(events, currency, at));
  }
  charges.push(...oneTimeCharges(input.charges ?? [], currency, at));
  const coupons = (input.coupons ?? []).filter((c) => couponActiveAt(c.coupon, c.applied_at, at, c.applied_count === 0));
  const invoice = buildInvoice(charges, invoiceOptions(ctx, currency, at, true, coupons.map((c) => c.coupon)));
  return {
    invoice,
    term: { start, end },
    anchor,
    activation,
    chargedEventAddons: events.map((e) => e.addon.id),
    couponsUsed: invoice.discounts.flatMap((d) => (d.entity_id ? [d.entity_id] : [])),
  };
}

export interface AddonInvoiceInput {
  readonly addon: Addon;
  readonly quantity?: Quantity | undefined;
  /** The currency of the customer's subscription, when there is one. */
  readonly currency: string;
}

/**
 * The invoice for a one-time addon charged now (seed 000, "Create Invoice for Addon": replenishing credits).
 * Errors name `addon_id` and `addon_quantity`.
 */
export function estimateAddonInvoice(input: AddonInvoiceInput, ctx: EstimateContext): InvoiceEstimate {
  const { addon } = input;
  const n = ctx.names ?? sameNames;
  if (addon.status !== 'active') throw invalid(n('addon_id'), `addon "${addon.id}" is ${addon.status}`);
  if (addon.charge_type !== 'non_recurring') throw invalid(n('addon_id'), `addon "${addon.id}" is recurring; only non-recurring addons can be charged on their own`);
  if (addon.currency_code !== input.currency) {
    throw invalid(n('addon_id'), `addon "${addon.id}" is priced in ${addon.currency_code}, the subscription in ${input.currency}`);
  }
  const q = input.quantity ?? 1;
  if (typeof q === 'number' ? !Number.isSafeInteger(q) || q < 1 : /^-|^0+(\.0*)?$/.test(q)) {
    throw invalid(n('addon_quantity'), 'must be at least 1');
  }
  if (addon.type === 'on_off' && String(q) !== '1') throw invalid(n('addon_quantity'), `addon "${addon.id}" is on/off and has no quantity`);
  return buildInvoice(oneTimeCharges([{ addon, quantity: q }], input.currency, ctx.now), invoiceOptions(ctx, input.currency, ctx.now, false));
}
