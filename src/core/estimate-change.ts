import { addonsAfterPlanChange, applicabilityIn, eventAddonsFor, resolveAddons, type ChosenAddon, type ResolvedAddon } from './addon-choice.js';
import { couponActiveAt } from './discounts.js';
import { invalid, sameNames } from './errors.js';
import { buildInvoice, type Charge } from './invoice-builder.js';
import { addPeriod } from './periods.js';
import type { Factor } from './pricing.js';
import type { Coupon } from './schemas/coupon.js';
import type { AddonEvent, Plan } from './schemas/plan.js';
import type { Subscription } from './schemas/subscription.js';
import type { Estimate, EstimateContext, SubscriptionTerms } from './estimate-types.js';
import { checkCoupons, checkPlanQuantity, invoiceOptions, type Items, itemFields, itemsOf, oneTimeCharges, setupCharge, termCharges } from './estimate-lines.js';

export type ChangeOption = 'immediately' | 'end_of_term' | 'specific_date';

export interface SubscriptionChangeInput extends SubscriptionTerms {
  readonly subscription: Subscription;
  /** The subscription's current plan. */
  readonly currentPlan: Plan;
  /** The plan to move to; absent keeps the current plan. */
  readonly plan?: Plan | undefined;
  /** true: `addons` replaces the subscription's list; false: it is merged into it. */
  readonly replace_addon_list?: boolean | undefined;
  readonly mandatory_items_to_remove?: readonly string[] | undefined;
  /** Coupons now on the subscription, with when each was applied. */
  readonly currentCoupons?: ReadonlyArray<{ coupon: Coupon; applied_at: number }> | undefined;
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
  const applicability = applicabilityIn(ctx, newPlan);
  const planChanged = newPlan.id !== oldPlan.id;
  // In a trial or before a future start nothing has been paid for: a change only alters the first invoice.
  const unbilled = sub.status === 'in_trial' || sub.status === 'future';
  // The setup fee is charged once, on the first invoice: once that is out, a new one would change nothing.
  if (input.setup_fee !== undefined && !unbilled) {
    throw invalid(n('setup_fee'), `applies only before the first invoice (in trial or future), not when ${sub.status}`);
  }

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
    planUnitPrice: input.plan_unit_price ?? (planChanged ? undefined : sub.plan_unit_price),
    planUnitPriceDecimal: input.plan_unit_price_in_decimal ?? (planChanged ? undefined : sub.plan_unit_price_in_decimal),
    addons: recurring.map(priced),
  };

  const charged = new Set((sub.charged_event_based_addons ?? []).map((c) => c.id));
  const reactivating = cancelled && (input.reactivate ?? true);
  const events: AddonEvent[] = [];
  if (reactivating) events.push('subscription_activation', 'plan_activation');
  else if (planChanged) events.push('plan_activation');
  const eventNow = eventAddonsFor(applicability, events, charged);

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
      ...(input.billing_cycles !== undefined && { remaining_billing_cycles: input.billing_cycles }),
    },
    credit_note_estimates: [],
    amount_due_now: 0,
    removed_addons: removed,
    object: 'estimate',
  };
  const s = est.subscription_estimate;
  const eventCharges = (at: number) =>
    oneTimeCharges(eventNow, currency, at);
  const renewal = (items: Items, at: number, anchor: number, k: number) =>
    buildInvoice(termCharges(items, at, addPeriod(anchor, k * items.plan.period, items.plan.period_unit)),
      invoiceOptions(ctx, currency, at, true, couponSet.filter((c) => couponActiveAt(c.coupon, c.applied_at, at, false)).map((c) => c.coupon)));

  if (unbilled) {
    const firstAt = sub.status === 'future' ? (sub.start_date ?? termEnd) : (sub.trial_end ?? termEnd);
    est.next_invoice_estimate = buildInvoice(
      [...termCharges(newItems, firstAt, addPeriod(firstAt, newPlan.period, newPlan.period_unit)), ...setupCharge(newPlan, input.setup_fee ?? sub.setup_fee ?? newPlan.setup_cost ?? 0, firstAt)],
      invoiceOptions(ctx, currency, firstAt, true, coupons),
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
    ? buildInvoice(credits, invoiceOptions(ctx, currency, at, false, kept.map((k) => k.coupon), undefined, 'cn'))
    : undefined;
  const creditTotal = creditNote?.total ?? 0;
  const invoice = buildInvoice(charges, invoiceOptions(ctx, currency, at, !cancelled, coupons, creditTotal));
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
