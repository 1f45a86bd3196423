import {
  addonRequirement, addonsAfterPlanChange, applicableAddons, eventAddonsFor, periodFactor, resolveAddons,
  type ChosenAddon, type EventAddon, type ResolvedAddon,
} from './applicability.js';
import { couponActiveAt, couponProblem } from './discounts.js';
import { type FieldError, invalid, type ParamNames, PaylitValidationError, sameNames } from './errors.js';
import { buildInvoice, type Charge, type InvoiceEstimate } from './invoice-builder.js';
import { addPeriod, termContaining } from './periods.js';
import { type Factor, ONE, priceLine, type Quantity } from './pricing.js';
import { type Addon, addonPricingModel } from './schemas/addon.js';
import { addonSpec, planSpec } from './specs.js';
import type { Coupon } from './schemas/coupon.js';
import type { Address } from './schemas/customer.js';
import type { AddonEvent, Plan } from './schemas/plan.js';
import type { Subscription, SubscriptionStatus } from './schemas/subscription.js';
import type { TaxProfile } from './tax.js';

/** What every estimate needs besides the subscription itself. */
export interface EstimateContext {
  /** The addon catalog (all addons; applicability picks from it). */
  readonly addons: readonly Addon[];
  readonly taxProfile?: TaxProfile | undefined;
  readonly billingAddress?: Address | undefined;
  readonly taxExempt?: boolean | undefined;
  /** Unix seconds. Injected, never read from a clock here. */
  readonly now: number;
  /** How the caller's API names core's parameters (checkout_new's `subscription[plan_id]`); errors carry those names. */
  readonly names?: ParamNames | undefined;
}

export interface SubscriptionEstimate {
  status: SubscriptionStatus;
  plan_id: string;
  plan_quantity: number;
  plan_quantity_in_decimal?: string;
  currency_code: string;
  addons: Array<{ id: string; quantity: number; quantity_in_decimal?: string }>;
  trial_start?: number;
  trial_end?: number;
  start_date?: number;
  current_term_start?: number;
  current_term_end?: number;
  next_billing_at?: number;
  remaining_billing_cycles?: number;
  has_scheduled_changes: boolean;
  /** Event-based addons charged by this operation (for charge_once bookkeeping). */
  charged_event_based_addons: string[];
  object: 'subscription_estimate';
}

export interface Estimate {
  created_at: number;
  subscription_estimate: SubscriptionEstimate;
  /** The invoice raised now; absent when nothing is invoiced now. */
  invoice_estimate?: InvoiceEstimate;
  /** The next invoice: the renewal, the end of trial, or a scheduled change. */
  next_invoice_estimate?: InvoiceEstimate;
  /** Credits for unused time on an immediate change, prorated by seconds. */
  credit_note_estimates: InvoiceEstimate[];
  /** What the customer pays now, in minor units. */
  amount_due_now: number;
  /** Addons removed by a plan change, with why. */
  removed_addons: Array<{ id: string; reason: string }>;
  object: 'estimate';
}

export { addonSpec, planSpec } from './specs.js';

const scale = (f: Factor, k: number): Factor => ({ num: f.num * k, den: f.den });

interface Items {
  plan: Plan;
  planQuantity: Quantity;
  planUnitPrice?: number | undefined;
  planUnitPriceDecimal?: string | undefined;
  /** Recurring addons, with the unit price they are billed at. */
  addons: Array<{ addon: Addon; quantity: Quantity; periodFactor: number; unitPrice?: number | undefined; unitPriceDecimal?: string | undefined }>;
}

function planCharge(items: Items, from: number, to: number, factor: Factor): Charge {
  const { plan } = items;
  return {
    entity_type: 'plan',
    entity_id: plan.id,
    description: plan.invoice_name ?? plan.name,
    pricing_model: plan.pricing_model,
    priced: priceLine(planSpec(plan, items.planUnitPrice, items.planUnitPriceDecimal), items.planQuantity, plan.currency_code, factor),
    date_from: from,
    date_to: to,
    taxable: plan.taxable,
  };
}

function addonCharge(
  a: { addon: Addon; quantity: Quantity; periodFactor: number; unitPrice?: number | undefined; unitPriceDecimal?: string | undefined },
  currency: string,
  from: number,
  to: number,
  factor: Factor,
): Charge {
  return {
    entity_type: 'addon',
    entity_id: a.addon.id,
    description: a.addon.invoice_name ?? a.addon.name,
    pricing_model: addonPricingModel(a.addon.type),
    priced: priceLine(addonSpec(a.addon, a.unitPrice, a.unitPriceDecimal), a.quantity, currency, scale(factor, a.periodFactor)),
    date_from: from,
    date_to: to,
    taxable: a.addon.taxable,
  };
}

function oneTimeCharges(items: ReadonlyArray<{ addon: Addon; quantity: Quantity }>, currency: string, at: number): Charge[] {
  return items.map((a) => addonCharge({ ...a, periodFactor: 1 }, currency, at, at, ONE));
}

function setupCharge(plan: Plan, amount: number, at: number): Charge[] {
  if (amount <= 0) return [];
  return [
    {
      entity_type: 'plan_setup',
      entity_id: plan.id,
      description: `${plan.invoice_name ?? plan.name} Setup Fee`,
      pricing_model: 'flat_fee',
      priced: { amount, unit_amount: amount, quantity: 1 },
      date_from: at,
      date_to: at,
      taxable: plan.taxable,
    },
  ];
}

/** The charges of one full term (times `factor`) for the recurring items. */
function termCharges(items: Items, from: number, to: number, factor: Factor = ONE): Charge[] {
  return [
    planCharge(items, from, to, factor),
    ...items.addons.map((a) => addonCharge(a, items.plan.currency_code, from, to, factor)),
  ];
}

function checkPlanQuantity(plan: Plan, q: Quantity | undefined, param = 'plan_quantity'): Quantity {
  if (q === undefined) return 1;
  if (typeof q === 'number' && (!Number.isSafeInteger(q) || q < 1)) throw invalid(param, 'must be a whole number of at least 1');
  if (typeof q === 'string' && (/^-/.test(q) || /^0+(\.0*)?$/.test(q))) throw invalid(param, 'must be greater than 0');
  if (plan.pricing_model === 'flat_fee' && String(q) !== '1') throw invalid(param, `plan "${plan.id}" is flat fee and has no quantity`);
  return q;
}

/** Coupons usable on a new invoice, or errors naming `coupon_ids[i]`. */
function checkCoupons(coupons: readonly Coupon[], plan: Plan, now: number, names: ParamNames): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  coupons.forEach((c, i) => {
    const p = names(`coupon_ids[${String(i)}]`);
    if (seen.has(c.id)) errors.push({ param: p, message: `coupon "${c.id}" is given twice` });
    seen.add(c.id);
    const problem = couponProblem(c, plan.currency_code, now);
    if (problem) errors.push({ param: p, message: problem });
  });
  if (errors.length) throw new PaylitValidationError(errors);
}

/** A quantity as Chargebee shows it: the whole part, plus the exact decimal when it is one. */
const quantityFields = (q: Quantity): { quantity: number; quantity_in_decimal?: string } =>
  typeof q === 'number' ? { quantity: q } : { quantity: Number.parseInt(q, 10), quantity_in_decimal: q };

/** The plan and recurring addons a subscription estimate shows. */
function itemFields(plan: Plan, planQuantity: Quantity, recurring: readonly ResolvedAddon[]) {
  const q = quantityFields(planQuantity);
  return {
    plan_id: plan.id,
    plan_quantity: q.quantity,
    ...(q.quantity_in_decimal !== undefined && { plan_quantity_in_decimal: q.quantity_in_decimal }),
    addons: recurring.map((r) => ({ id: r.addon.id, ...quantityFields(r.quantity) })),
  };
}

export interface NewSubscriptionInput {
  readonly plan: Plan;
  readonly plan_quantity?: Quantity | undefined;
  readonly addons?: readonly ChosenAddon[] | undefined;
  readonly coupons?: readonly Coupon[] | undefined;
  /** Unix seconds; 0 skips the plan's trial. */
  readonly trial_end?: number | undefined;
  readonly billing_cycles?: number | undefined;
  /** A future date makes the subscription `future`; a past one backdates the first term. */
  readonly start_date?: number | undefined;
  /** A checkout page is created before the customer picks a pack: the addon rule is checked at submit instead. */
  readonly defer_addon_requirement?: boolean | undefined;
  /** Overrides the plan's setup cost for this subscription (seed: it may be changed or made zero). */
  readonly setup_fee?: number | undefined;
}

/**
 * Estimates a new subscription: what is due now and what the next invoice will be. The checkout widget shows
 * these numbers and the server charges them, from this one function.
 */
export function estimateNewSubscription(input: NewSubscriptionInput, ctx: EstimateContext): Estimate {
  const { plan } = input;
  const now = ctx.now;
  const n = ctx.names ?? sameNames;
  if (plan.status !== 'active') throw invalid(n('plan_id'), `plan "${plan.id}" is ${plan.status}`);
  const planQuantity = checkPlanQuantity(plan, input.plan_quantity, n('plan_quantity'));
  if (input.billing_cycles !== undefined && (!Number.isSafeInteger(input.billing_cycles) || input.billing_cycles < 1)) {
    throw invalid(n('billing_cycles'), 'must be a whole number of at least 1');
  }
  const start = input.start_date ?? now;
  const future = start > now;
  let trialEnd: number | undefined;
  if (input.trial_end !== undefined && input.trial_end !== 0) {
    if (input.trial_end <= start) throw invalid(n('trial_end'), 'must be after the start date');
    trialEnd = input.trial_end;
  } else if (input.trial_end === undefined && plan.trial_period !== undefined && plan.trial_period_unit !== undefined) {
    trialEnd = addPeriod(start, plan.trial_period, plan.trial_period_unit);
  }
  const invoicedNow = !future && trialEnd === undefined;
  const applicability = applicableAddons(plan, ctx.addons);
  const resolved = resolveAddons(plan, applicability, input.addons ?? [], { allowNonRecurring: invoicedNow, names: n });
  const required = input.defer_addon_requirement ? undefined : addonRequirement(plan, resolved, n('addons'));
  if (required) throw new PaylitValidationError([required]);
  const coupons = input.coupons ?? [];
  checkCoupons(coupons, plan, now, n);

  const currency = plan.currency_code;
  const recurring = resolved.filter((r) => r.addon.charge_type === 'recurring');
  const oneTime = resolved.filter((r) => r.addon.charge_type === 'non_recurring');
  const items: Items = { plan, planQuantity, addons: recurring };
  const setupFee = input.setup_fee ?? plan.setup_cost ?? 0;
  const billingCycles = input.billing_cycles ?? plan.billing_cycles;
  const invoiceOpts = { currency, taxProfile: ctx.taxProfile, address: ctx.billingAddress, taxExempt: ctx.taxExempt };

  // Events of this operation, in the order they happen.
  const nowEvents: AddonEvent[] = ['subscription_creation'];
  if (trialEnd !== undefined && !future) nowEvents.push('subscription_trial_start');
  if (invoicedNow) nowEvents.push('subscription_activation', 'plan_activation');
  const eventNow = eventAddonsFor(applicability, nowEvents);
  const charged = new Set(eventNow.map((e) => e.addon.id));
  const activationEvents: AddonEvent[] = invoicedNow ? [] : ['subscription_activation', 'plan_activation'];
  if (future && trialEnd !== undefined) activationEvents.unshift('subscription_trial_start');
  const eventLater = eventAddonsFor(applicability, activationEvents, charged);

  const sub: SubscriptionEstimate = {
    status: future ? 'future' : trialEnd !== undefined ? 'in_trial' : 'active',
    ...itemFields(plan, planQuantity, recurring),
    currency_code: currency,
    has_scheduled_changes: false,
    charged_event_based_addons: [...charged],
    object: 'subscription_estimate',
    ...(future && { start_date: start }),
  };

  const est: Estimate = {
    created_at: now,
    subscription_estimate: sub,
    credit_note_estimates: [],
    amount_due_now: 0,
    removed_addons: [],
    object: 'estimate',
  };

  const eventCharges = (list: EventAddon[], at: number) =>
    oneTimeCharges(list.map((e) => ({ addon: e.addon, quantity: e.quantity })), currency, at);

  if (invoicedNow) {
    const termEndAt = addPeriod(start, plan.period, plan.period_unit);
    Object.assign(sub, { current_term_start: start, current_term_end: termEndAt });
    const charges = [
      ...termCharges(items, start, termEndAt),
      ...setupCharge(plan, setupFee, now),
      ...oneTimeCharges(oneTime, currency, now),
      ...eventCharges(eventNow, now),
    ];
    est.invoice_estimate = buildInvoice(charges, { ...invoiceOpts, date: now, recurring: true, coupons });
    if (billingCycles === undefined || billingCycles > 1) {
      sub.next_billing_at = termEndAt;
      if (billingCycles !== undefined) sub.remaining_billing_cycles = billingCycles - 1;
      const nextEnd = addPeriod(start, 2 * plan.period, plan.period_unit);
      const nextCoupons = coupons.filter((c) => couponActiveAt(c, now, termEndAt, false));
      est.next_invoice_estimate = buildInvoice(termCharges(items, termEndAt, nextEnd), {
        ...invoiceOpts, date: termEndAt, recurring: true, coupons: nextCoupons,
      });
    } else {
      sub.remaining_billing_cycles = 0;
    }
  } else {
    // Trial or future start: the first real invoice falls at trial end (or start), with the setup fee.
    const firstAt = trialEnd ?? start;
    if (trialEnd !== undefined) Object.assign(sub, { trial_start: start, trial_end: trialEnd });
    if (!future) Object.assign(sub, { current_term_start: start, current_term_end: trialEnd });
    sub.next_billing_at = firstAt;
    if (billingCycles !== undefined) sub.remaining_billing_cycles = billingCycles;
    if (eventNow.length) {
      est.invoice_estimate = buildInvoice(eventCharges(eventNow, now), { ...invoiceOpts, date: now, recurring: false, coupons });
    }
    const firstEnd = addPeriod(firstAt, plan.period, plan.period_unit);
    const firstCoupons = coupons.filter((c) => couponActiveAt(c, now, firstAt, est.invoice_estimate === undefined));
    est.next_invoice_estimate = buildInvoice(
      [...termCharges(items, firstAt, firstEnd), ...setupCharge(plan, setupFee, firstAt), ...eventCharges(eventLater, firstAt)],
      { ...invoiceOpts, date: firstAt, recurring: true, coupons: firstCoupons },
    );
  }
  est.amount_due_now = est.invoice_estimate?.amount_due ?? 0;
  return est;
}

/** A subscription's recurring items at the prices it was sold at. */
function itemsOf(sub: Subscription, plan: Plan, catalog: readonly Addon[]): Items {
  return {
    plan,
    planQuantity: sub.plan_quantity_in_decimal ?? sub.plan_quantity,
    planUnitPrice: sub.plan_unit_price,
    planUnitPriceDecimal: sub.plan_unit_price_in_decimal,
    addons: sub.addons.flatMap((a) => {
      const addon = catalog.find((x) => x.id === a.id);
      if (!addon) return [];
      // Not applicableAddons: it leaves out archived addons, which subscriptions already on them keep paying for.
      const f = periodFactor(plan, addon);
      const factor = 'factor' in f ? f.factor : 1;
      return [{ addon, quantity: a.quantity_in_decimal ?? a.quantity, periodFactor: factor, unitPrice: a.unit_price, unitPriceDecimal: a.unit_price_in_decimal }];
    }),
  };
}

/** A coupon on a subscription, with the catalog coupon it refers to. */
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
    events = eventAddonsFor(applicableAddons(plan, ctx.addons), ['subscription_activation', 'plan_activation'], charged);
    charges.push(...oneTimeCharges(events.map((e) => ({ addon: e.addon, quantity: e.quantity })), currency, at));
  }
  charges.push(...oneTimeCharges(input.charges ?? [], currency, at));
  const coupons = (input.coupons ?? []).filter((c) => couponActiveAt(c.coupon, c.applied_at, at, c.applied_count === 0));
  const invoice = buildInvoice(charges, {
    currency, date: at, recurring: true, coupons: coupons.map((c) => c.coupon),
    taxProfile: ctx.taxProfile, address: ctx.billingAddress, taxExempt: ctx.taxExempt,
  });
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
  return buildInvoice(oneTimeCharges([{ addon, quantity: q }], input.currency, ctx.now), {
    currency: input.currency, date: ctx.now, recurring: false,
    taxProfile: ctx.taxProfile, address: ctx.billingAddress, taxExempt: ctx.taxExempt,
  });
}

export type ChangeOption = 'immediately' | 'end_of_term' | 'specific_date';

export interface SubscriptionChangeInput {
  readonly subscription: Subscription;
  /** The subscription's current plan. */
  readonly currentPlan: Plan;
  /** The plan to move to; absent keeps the current plan. */
  readonly plan?: Plan | undefined;
  readonly plan_quantity?: Quantity | undefined;
  readonly addons?: readonly ChosenAddon[] | undefined;
  /** true: `addons` replaces the subscription's list; false: it is merged into it. */
  readonly replace_addon_list?: boolean | undefined;
  readonly mandatory_items_to_remove?: readonly string[] | undefined;
  /** Coupons now on the subscription, with when each was applied. */
  readonly currentCoupons?: ReadonlyArray<{ coupon: Coupon; applied_at: number }> | undefined;
  readonly coupons?: readonly Coupon[] | undefined;
  readonly replace_coupon_list?: boolean | undefined;
  readonly change_option?: ChangeOption | undefined;
  readonly changes_scheduled_at?: number | undefined;
  readonly force_term_reset?: boolean | undefined;
  readonly terms_to_charge?: number | undefined;
  readonly reactivate?: boolean | undefined;
}

/**
 * Estimates a change to an existing subscription (seed 004's parameters that affect money).
 *
 * Immediately, within the same term: changed items are credited for the unused part of the term and charged for
 * the same part at their new price, both prorated by seconds. When the term resets (new billing period,
 * force_term_reset, or reactivation) the unused time is credited and the new items are charged for a full term,
 * `terms_to_charge` times. At end of term or a specific date nothing is due now: the change shows in the next
 * invoice.
 */
export function estimateSubscriptionChange(input: SubscriptionChangeInput, ctx: EstimateContext): Estimate {
  const sub = input.subscription;
  const now = ctx.now;
  const oldPlan = input.currentPlan;
  const newPlan = input.plan ?? oldPlan;
  const option = input.change_option ?? 'immediately';
  const n = ctx.names ?? sameNames;
  if (sub.plan_id !== oldPlan.id) throw invalid(n('subscription[id]'), 'the current plan does not match the subscription');
  if (newPlan.status !== 'active' && newPlan.id !== oldPlan.id) throw invalid(n('plan_id'), `plan "${newPlan.id}" is ${newPlan.status}`);
  if (newPlan.currency_code !== sub.currency_code) {
    throw invalid(n('plan_id'), `plan "${newPlan.id}" is in ${newPlan.currency_code}, the subscription in ${sub.currency_code}`);
  }
  if (option === 'specific_date') {
    if (input.changes_scheduled_at === undefined) throw invalid(n('changes_scheduled_at'), 'is required when change_option is specific_date');
    if (input.changes_scheduled_at < now) throw invalid(n('changes_scheduled_at'), 'cannot be in the past');
  } else if (input.changes_scheduled_at !== undefined) {
    throw invalid(n('changes_scheduled_at'), 'is only allowed when change_option is specific_date');
  }
  if (input.terms_to_charge !== undefined && (!Number.isSafeInteger(input.terms_to_charge) || input.terms_to_charge < 1)) {
    throw invalid(n('terms_to_charge'), 'must be a whole number of at least 1');
  }
  const cancelled = sub.status === 'cancelled';
  if (input.reactivate && !['cancelled', 'non_renewing', 'active'].includes(sub.status)) {
    throw invalid(n('reactivate'), `a subscription in status ${sub.status} cannot be reactivated`);
  }
  if (cancelled && option !== 'immediately') throw invalid(n('change_option'), 'a cancelled subscription can only change immediately');

  const planQuantity = checkPlanQuantity(newPlan, input.plan_quantity ?? sub.plan_quantity_in_decimal ?? sub.plan_quantity, n('plan_quantity'));
  const applicability = applicableAddons(newPlan, ctx.addons);
  const planChanged = newPlan.id !== oldPlan.id;
  // In a trial or before a future start nothing has been paid for: a change only alters the first invoice.
  const unbilled = sub.status === 'in_trial' || sub.status === 'future';

  // The addon choices after the change, before mandatory ones are attached.
  const current: ChosenAddon[] = sub.addons.map((a) => ({ id: a.id, quantity: a.quantity_in_decimal ?? a.quantity }));
  let base = current;
  let removed: Array<{ id: string; reason: string }> = [];
  if (planChanged) ({ keep: base, removed } = addonsAfterPlanChange(oldPlan, applicability, current));
  else {
    const mandatory = new Set(applicability.offered.filter((o) => o.kind === 'mandatory').map((o) => o.addon.id));
    base = current.filter((c) => !mandatory.has(c.id));
  }
  let chosen: ChosenAddon[];
  if (input.replace_addon_list) chosen = [...(input.addons ?? [])];
  else {
    const given = new Map((input.addons ?? []).map((a) => [a.id, a]));
    chosen = [...base.filter((b) => !given.has(b.id)), ...(input.addons ?? [])];
  }
  const existing = sub.addons.flatMap((a) => ctx.addons.filter((x) => x.id === a.id));
  const resolved = resolveAddons(newPlan, applicability, chosen, {
    allowNonRecurring: option === 'immediately' && !unbilled,
    mandatoryToRemove: input.mandatory_items_to_remove,
    existing,
    names: n,
  });
  const currency = sub.currency_code;
  const recurring = resolved.filter((r) => r.addon.charge_type === 'recurring');
  const oneTime = resolved.filter((r) => r.addon.charge_type === 'non_recurring');

  // Coupons after the change.
  const newCoupons = input.coupons ?? [];
  checkCoupons(newCoupons, newPlan, now, n);
  const kept = input.replace_coupon_list ? [] : (input.currentCoupons ?? []);
  const couponSet = [
    ...kept.filter((k) => !newCoupons.some((c) => c.id === k.coupon.id)),
    ...newCoupons.map((coupon) => ({ coupon, applied_at: now })),
  ];

  // Prices: items already on the subscription keep the price they were sold at; new items take the catalog's.
  const oldPriceOf = new Map(sub.addons.map((a) => [a.id, a]));
  const priced = (r: ResolvedAddon) => {
    const prev = oldPriceOf.get(r.addon.id);
    return { ...r, unitPrice: prev?.unit_price, unitPriceDecimal: prev?.unit_price_in_decimal };
  };
  const oldItems = itemsOf(sub, oldPlan, existing);
  const newItems: Items = {
    plan: newPlan,
    planQuantity,
    planUnitPrice: planChanged ? undefined : sub.plan_unit_price,
    planUnitPriceDecimal: planChanged ? undefined : sub.plan_unit_price_in_decimal,
    addons: recurring.map(priced),
  };

  const charged = new Set((sub.charged_event_based_addons ?? []).map((c) => c.id));
  const reactivating = cancelled && (input.reactivate ?? true);
  const events: AddonEvent[] = [];
  if (reactivating) events.push('subscription_activation', 'plan_activation');
  else if (planChanged) events.push('plan_activation');
  const eventNow = eventAddonsFor(applicability, events, charged);

  const invoiceOpts = { currency, taxProfile: ctx.taxProfile, address: ctx.billingAddress, taxExempt: ctx.taxExempt };
  const coupons = couponSet.map((c) => c.coupon);
  const termStart = sub.current_term_start ?? now;
  const termEnd = sub.current_term_end ?? now;
  const periodChanged = newPlan.period !== oldPlan.period || newPlan.period_unit !== oldPlan.period_unit;
  const terms = input.terms_to_charge ?? 1;

  const est: Estimate = {
    created_at: now,
    subscription_estimate: {
      status: reactivating ? 'active' : sub.status,
      ...itemFields(newPlan, planQuantity, recurring),
      currency_code: currency,
      has_scheduled_changes: option !== 'immediately' && !unbilled,
      charged_event_based_addons: eventNow.map((e) => e.addon.id),
      object: 'subscription_estimate',
      ...(sub.current_term_start !== undefined && { current_term_start: sub.current_term_start }),
      ...(sub.current_term_end !== undefined && { current_term_end: sub.current_term_end }),
      ...(sub.next_billing_at !== undefined && { next_billing_at: sub.next_billing_at }),
    },
    credit_note_estimates: [],
    amount_due_now: 0,
    removed_addons: removed,
    object: 'estimate',
  };
  const s = est.subscription_estimate;
  const eventCharges = (at: number) =>
    oneTimeCharges(eventNow.map((e) => ({ addon: e.addon, quantity: e.quantity })), currency, at);
  const renewal = (items: Items, at: number, anchor: number, k: number) =>
    buildInvoice(termCharges(items, at, addPeriod(anchor, k * items.plan.period, items.plan.period_unit)), {
      ...invoiceOpts, date: at, recurring: true, coupons: couponSet.filter((c) => couponActiveAt(c.coupon, c.applied_at, at, false)).map((c) => c.coupon),
    });

  if (unbilled) {
    const firstAt = sub.status === 'future' ? (sub.start_date ?? termEnd) : (sub.trial_end ?? termEnd);
    est.next_invoice_estimate = buildInvoice(
      [...termCharges(newItems, firstAt, addPeriod(firstAt, newPlan.period, newPlan.period_unit)), ...setupCharge(newPlan, sub.setup_fee ?? newPlan.setup_cost ?? 0, firstAt)],
      { ...invoiceOpts, date: firstAt, recurring: true, coupons },
    );
    return est;
  }
  if (option === 'end_of_term') {
    est.next_invoice_estimate = renewal(newItems, termEnd, termEnd, 1);
    return est;
  }

  const at = option === 'specific_date' ? (input.changes_scheduled_at ?? now) : now;
  const resetTerm = reactivating || periodChanged || input.force_term_reset === true || at >= termEnd;
  const credits: Charge[] = [];
  const charges: Charge[] = [];
  if (resetTerm) {
    if (!cancelled && at < termEnd) {
      const unused: Factor = { num: termEnd - at, den: Math.max(1, termEnd - termStart) };
      credits.push(...termCharges(oldItems, at, termEnd, unused));
    }
    const newEnd = addPeriod(at, terms * newPlan.period, newPlan.period_unit);
    charges.push(...termCharges(newItems, at, newEnd, { num: terms, den: 1 }));
    Object.assign(s, { current_term_start: at, current_term_end: newEnd, next_billing_at: newEnd });
  } else {
    // Same term: credit and charge only what changed, for the part of the term that is left.
    const left: Factor = { num: termEnd - at, den: Math.max(1, termEnd - termStart) };
    const key = (c: Charge) => `${c.entity_type}:${c.entity_id ?? ''}`;
    const before = new Map(termCharges(oldItems, termStart, termEnd).map((c) => [key(c), c]));
    const after = termCharges(newItems, termStart, termEnd);
    const afterKeys = new Set(after.map(key));
    const oldByKey = new Map(termCharges(oldItems, at, termEnd, left).map((c) => [key(c), c]));
    const afterProrated = termCharges(newItems, at, termEnd, left);
    for (const [i, c] of after.entries()) {
      const prev = before.get(key(c));
      if (prev && prev.priced.amount === c.priced.amount) continue;
      if (prev) credits.push(oldByKey.get(key(c))!);
      charges.push(afterProrated[i]!);
    }
    for (const [k, c] of before) if (!afterKeys.has(k)) credits.push(oldByKey.get(key(c))!);
  }
  charges.push(...oneTimeCharges(oneTime, currency, at), ...eventCharges(at));

  const creditNote = credits.length
    ? buildInvoice(credits, { ...invoiceOpts, date: at, recurring: false, coupons: kept.map((k) => k.coupon), idPrefix: 'cn' })
    : undefined;
  const creditTotal = creditNote?.total ?? 0;
  const invoice = buildInvoice(charges, {
    ...invoiceOpts, date: at, recurring: !cancelled, coupons, credits: creditTotal,
  });
  if (creditNote) est.credit_note_estimates.push({ ...creditNote, amount_due: 0, credits_applied: 0 });
  if (option === 'immediately') {
    if (charges.length || creditNote) est.invoice_estimate = invoice;
    est.amount_due_now = invoice.amount_due;
    const nextAt = s.current_term_end ?? termEnd;
    est.next_invoice_estimate = renewal(newItems, nextAt, nextAt, 1);
  } else {
    est.next_invoice_estimate = invoice;
  }
  return est;
}
