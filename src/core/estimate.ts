import { addonRequirement, applicabilityIn, eventAddonsFor, resolveAddons } from './addon-choice.js';
import { couponActiveAt } from './discounts.js';
import { invalid, PaylitValidationError, sameNames } from './errors.js';
import { buildInvoice } from './invoice-builder.js';
import { addPeriod } from './periods.js';
import type { AddonEvent, Plan } from './schemas/plan.js';
import type { Estimate, EstimateContext, SubscriptionEstimate, SubscriptionTerms } from './estimate-types.js';
import { checkCoupons, checkPlanQuantity, invoiceOptions, type Items, itemFields, oneTimeCharges, setupCharge, termCharges } from './estimate-lines.js';

/**
 * Estimates: what a new subscription, a renewal, a one-time charge or a change costs, now and next. The checkout
 * widget shows these numbers and the server charges them, from these functions.
 */
export type { Estimate, EstimateContext, SubscriptionEstimate } from './estimate-types.js';
export { addonSpec, planSpec } from './specs.js';
export * from './estimate-renewal.js';
export * from './estimate-change.js';

export interface NewSubscriptionInput extends SubscriptionTerms {
  readonly plan: Plan;
  /** Unix seconds; 0 skips the plan's trial. */
  readonly trial_end?: number | undefined;
  /** A future date makes the subscription `future`; a past one backdates the first term. */
  readonly start_date?: number | undefined;
  /** A checkout page is created before the customer picks a pack: the addon rule is checked at submit instead. */
  readonly defer_addon_requirement?: boolean | undefined;
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
  const applicability = applicabilityIn(ctx, plan);
  const resolved = resolveAddons(plan, applicability, input.addons ?? [], { allowNonRecurring: invoicedNow, names: n });
  const required = input.defer_addon_requirement ? undefined : addonRequirement(plan, resolved, n('addons'));
  if (required) throw new PaylitValidationError([required]);
  const coupons = input.coupons ?? [];
  checkCoupons(coupons, plan, now, n);

  const currency = plan.currency_code;
  const recurring = resolved.filter((r) => r.addon.charge_type === 'recurring');
  const oneTime = resolved.filter((r) => r.addon.charge_type === 'non_recurring');
  const items: Items = { plan, planQuantity, planUnitPrice: input.plan_unit_price, planUnitPriceDecimal: input.plan_unit_price_in_decimal, addons: recurring };
  const setupFee = input.setup_fee ?? plan.setup_cost ?? 0;
  const billingCycles = input.billing_cycles ?? plan.billing_cycles;

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

  if (invoicedNow) {
    const termEndAt = addPeriod(start, plan.period, plan.period_unit);
    Object.assign(sub, { current_term_start: start, current_term_end: termEndAt });
    const charges = termCharges(items, start, termEndAt).concat(
      setupCharge(plan, setupFee, now),
      oneTimeCharges(oneTime, currency, now),
      oneTimeCharges(eventNow, currency, now),
    );
    est.invoice_estimate = buildInvoice(charges, invoiceOptions(ctx, currency, now, true, coupons));
    if (billingCycles === undefined || billingCycles > 1) {
      sub.next_billing_at = termEndAt;
      if (billingCycles !== undefined) sub.remaining_billing_cycles = billingCycles - 1;
      const nextEnd = addPeriod(start, 2 * plan.period, plan.period_unit);
      const nextCoupons = coupons.filter((c) => couponActiveAt(c, now, termEndAt, false));
      est.next_invoice_estimate = buildInvoice(termCharges(items, termEndAt, nextEnd), invoiceOptions(ctx, currency, termEndAt, true, nextCoupons));
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
      est.invoice_estimate = buildInvoice(oneTimeCharges(eventNow, currency, now), invoiceOptions(ctx, currency, now, false, coupons));
    }
    const firstEnd = addPeriod(firstAt, plan.period, plan.period_unit);
    const firstCoupons = coupons.filter((c) => couponActiveAt(c, now, firstAt, est.invoice_estimate === undefined));
    est.next_invoice_estimate = buildInvoice(
      termCharges(items, firstAt, firstEnd).concat(setupCharge(plan, setupFee, firstAt), oneTimeCharges(eventLater, currency, firstAt)),
      invoiceOptions(ctx, currency, firstAt, true, firstCoupons),
    );
  }
  est.amount_due_now = est.invoice_estimate?.amount_due ?? 0;
  return est;
}

/** A subscription's recurring items at the prices it was sold at. */
