import { type Estimate, estimateAddonInvoice } from '../../core/estimate.js';
import type { ParamNames } from '../../core/errors.js';
import type { ChangeParams } from '../../core/params/change.js';
import { addPeriod } from '../../core/periods.js';
import type { Customer } from '../../core/schemas/customer.js';
import type { Invoice } from '../../core/schemas/invoice.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { invalidState } from '../errors.js';
import type { EventSource } from '../events/outbox.js';
import type { Usages } from '../catalog/usages.js';
import { type BillingResult, type Origin, pick, stamp, subscriptionAddon } from './common.js';
import type { Estimates } from './estimates.js';
import type { Invoices } from './invoices.js';
import type { Lookups } from './lookups.js';
import { redeem } from './subscriptions.js';

/**
 * Changing a subscription: its plan, quantity, addons and coupons (now, at term end or on a date), cancelling and
 * its undo, reactivating, and charges scheduled for the next renewal.
 */
export class Changes {
  constructor(
    private readonly d: Deps,
    private readonly lookups: Lookups,
    private readonly estimates: Estimates,
    private readonly invoices: Invoices,
    private readonly usages: Usages,
  ) {}

  private save(trx: Db, sub: Subscription, now: number): Promise<Subscription> {
    return this.d.stores.subscriptions.update(trx, stamp(sub, now));
  }

  /** A subscription event, with the customer's primary card as Chargebee sends it (`content.card`) when there is one. */
  private async emit(trx: Db, type: Parameters<Deps['outbox']['emit']>[1], content: { customer?: Customer | undefined } & Record<string, unknown>, source: EventSource, at: number) {
    const primary = content.customer?.primary_payment_source_id;
    const ps = primary !== undefined ? await this.d.stores.paymentSources.get(trx, primary) : undefined;
    const card = ps && { ...ps.card, customer_id: ps.customer_id, payment_source_id: ps.id, gateway: this.d.gateway.name, status: 'valid' };
    return this.d.outbox.emit(trx, type, { ...content, ...(card && { card }) }, source, at);
  }

  /**
   * Changes a subscription now, or schedules the change for end of term or a specific date (kept on the
   * subscription and applied when it is due, by the life cycle).
   */
  async change(trx: Db, sub: Subscription, p: ChangeParams, o: Origin & { names?: ParamNames | undefined } = {}): Promise<BillingResult & { estimate: Estimate }> {
    const now = this.d.clock.now();
    const source = o.source ?? 'api';
    const customer = await this.lookups.customer(trx, sub.customer_id, 'subscription[id]');
    const option = p.change_option ?? 'immediately';
    if (option !== 'immediately' && sub.status !== 'in_trial' && sub.status !== 'future') {
      // Validate now, so a bad change fails here rather than silently at term end.
      const { estimate } = await this.estimates.change(trx, sub, p, customer, now, o.names);
      const at = option === 'end_of_term' ? (sub.current_term_end ?? now) : (p.changes_scheduled_at ?? now);
      const { change_option: _o, changes_scheduled_at: _c, ...change } = p;
      const next = await this.save(trx, { ...sub, has_scheduled_changes: true, scheduled_changes: { at, change: { ...change } } }, now);
      await this.emit(trx, 'subscription_changes_scheduled', { subscription: next, customer }, source, now);
      return { subscription: next, customer, estimate };
    }
    return this.apply(trx, sub, { ...p, change_option: 'immediately' }, customer, now, source, o.names);
  }

  /** Reactivates a cancelled subscription now, with a new term. */
  async reactivate(trx: Db, sub: Subscription, o: Origin = {}): Promise<BillingResult & { estimate: Estimate }> {
    if (sub.status !== 'cancelled') {
      throw invalidState(`The subscription ${sub.id} is ${sub.status}; only a cancelled subscription can be reactivated (a non-renewing one: remove_scheduled_cancellation).`);
    }
    return this.change(trx, sub, { reactivate: true, change_option: 'immediately' }, o);
  }

  /** Applies a change at `now`: the new items, the prorated invoice, the credit left over, and the event. */
  async apply(trx: Db, sub: Subscription, p: ChangeParams, customer: Customer, now: number, source: EventSource = 'api', names?: ParamNames): Promise<BillingResult & { estimate: Estimate }> {
    const { estimate, plan, coupons, codes, current, ctx } = await this.estimates.change(trx, sub, p, customer, now, names);
    const at = p.reactivate_from ?? now;
    const se = estimate.subscription_estimate;
    const addonById = new Map(ctx.addons.map((a) => [a.id, a]));
    const previous = new Map(sub.addons.map((a) => [a.id, a]));
    const planChanged = plan.id !== sub.plan_id;
    const reactivated = sub.status === 'cancelled' && se.status === 'active';
    const termReset = se.current_term_start !== sub.current_term_start;
    const kept = p.replace_coupon_list ? [] : (sub.coupons ?? []).filter((c) => !coupons.some((n) => n.id === c.coupon_id));
    const invoiceEst = estimate.invoice_estimate;
    const next: Subscription = {
      ...sub,
      plan_id: plan.id,
      plan_quantity: se.plan_quantity,
      ...(se.plan_quantity_in_decimal !== undefined ? { plan_quantity_in_decimal: se.plan_quantity_in_decimal } : {}),
      ...(planChanged && {
        plan_unit_price: plan.price,
        plan_unit_price_in_decimal: plan.price_in_decimal,
        billing_period: plan.period,
        billing_period_unit: plan.period_unit,
        setup_fee: plan.setup_cost,
      }),
      // The call's own price or setup fee for this subscription (seed: plans), kept for its renewals.
      ...(p.plan_unit_price !== undefined && { plan_unit_price: p.plan_unit_price, plan_unit_price_in_decimal: p.plan_unit_price_in_decimal }),
      ...(p.plan_unit_price === undefined && p.plan_unit_price_in_decimal !== undefined && { plan_unit_price_in_decimal: p.plan_unit_price_in_decimal }),
      ...(p.setup_fee !== undefined && { setup_fee: p.setup_fee }),
      status: se.status,
      ...pick(se, ['current_term_start', 'current_term_end', 'next_billing_at']),
      ...(termReset && se.current_term_start !== undefined && { billing_anchor_at: se.current_term_start }),
      addons: se.addons.map((a) => {
        const prev = previous.get(a.id);
        return prev ? { ...prev, quantity: a.quantity, ...(a.quantity_in_decimal !== undefined && { quantity_in_decimal: a.quantity_in_decimal }) } : subscriptionAddon(a, addonById.get(a.id));
      }),
      charged_event_based_addons: [
        ...(sub.charged_event_based_addons ?? []).filter((c) => !se.charged_event_based_addons.includes(c.id)),
        ...se.charged_event_based_addons.map((id) => ({ id, last_charged_at: at })),
      ],
      coupons: [
        ...kept,
        ...coupons.map((c) => ({
          coupon_id: c.id,
          applied_count: invoiceEst?.discounts.some((x) => x.entity_id === c.id) ? 1 : 0,
          applied_at: at,
          ...(c.duration_type === 'limited_period' && { apply_till: addPeriod(at, c.duration_month ?? 0, 'month') }),
          object: 'coupon' as const,
        })),
      ],
    };
    // The terms left and a new trial end, as the call sets them.
    if (p.billing_cycles !== undefined) next.remaining_billing_cycles = p.billing_cycles;
    if (p.trial_end !== undefined && (sub.status === 'in_trial' || sub.status === 'future')) {
      next.trial_end = p.trial_end;
      if (sub.status === 'in_trial') Object.assign(next, { current_term_end: p.trial_end, next_billing_at: p.trial_end });
    }
    if (reactivated) {
      next.activated_at = at;
      delete next.cancelled_at;
      delete next.cancel_reason;
    }
    let cust = customer;
    let invoice: Invoice | undefined;
    if (invoiceEst) {
      ({ invoice, customer: cust } = await this.invoices.raise(trx, { ...invoiceEst, date: p.invoice_date ?? invoiceEst.date }, {
        customer: cust,
        subscription_id: sub.id,
        subscription: next,
        now,
        interactive: source !== 'scheduled_job',
        source,
      }));
      if (invoice.status === 'payment_due') next.due_invoices_count += 1;
    }
    // Prorated credit beyond what this invoice could absorb stays with the customer for the next invoices.
    const credit = estimate.credit_note_estimates.reduce((t, c) => t + c.total, 0);
    const excess = credit - (invoiceEst?.credits_applied ?? 0);
    if (excess > 0) cust = await this.d.stores.customers.update(trx, stamp({ ...cust, refundable_credits: cust.refundable_credits + excess }, now));
    const saved = await this.save(trx, next, now);
    await this.usages.link(trx, 'plan', [plan.id], 'subscription', sub.id);
    await this.usages.link(trx, 'addon', next.addons.map((a) => a.id), 'subscription', sub.id);
    await this.usages.link(trx, 'coupon', coupons.map((c) => c.id), 'subscription', sub.id);
    await redeem(this.d, trx, coupons.filter((c) => !current.some((k) => k.coupon.id === c.id)), codes, now);
    await this.emit(trx, reactivated ? 'subscription_reactivated' : 'subscription_changed', { subscription: saved, customer: cust, ...(invoice && { invoice }) }, source, now);
    return { subscription: saved, customer: cust, invoice, estimate };
  }

  /** Cancels now, or at the end of the term (`non_renewing`). Charges scheduled for term end are invoiced on cancel. */
  async cancel(trx: Db, sub: Subscription, o: { end_of_term?: boolean | undefined; cancel_reason_code?: string | undefined } & Origin): Promise<BillingResult> {
    const now = this.d.clock.now();
    const source = o.source ?? 'api';
    const customer = await this.lookups.customer(trx, sub.customer_id, 'subscription[id]');
    if (sub.status === 'cancelled') throw invalidState(`The subscription ${sub.id} is already cancelled.`);
    const reason = o.cancel_reason_code !== undefined ? { cancel_reason: o.cancel_reason_code } : {};
    if (o.end_of_term && (sub.status === 'active' || sub.status === 'non_renewing')) {
      const at = sub.current_term_end ?? now;
      const next = await this.save(trx, { ...sub, status: 'non_renewing', cancelled_at: at, cancel_schedule_created_at: now, ...reason }, now);
      await this.emit(trx, 'subscription_cancellation_scheduled', { subscription: next, customer }, source, now);
      return { subscription: next, customer };
    }
    if (o.end_of_term && sub.status === 'in_trial') {
      // Chargebee: a trial cancelled at term end stops when the trial ends.
      const at = sub.trial_end ?? now;
      const next = await this.save(trx, { ...sub, status: 'non_renewing', cancelled_at: at, current_term_end: at, cancel_schedule_created_at: now, ...reason }, now);
      await this.emit(trx, 'subscription_cancellation_scheduled', { subscription: next, customer }, source, now);
      return { subscription: next, customer };
    }
    return this.cancelAt(trx, sub, customer, now, reason, source);
  }

  /** Ends the subscription at `at`, invoicing the charges scheduled for its term end first. */
  async cancelAt(trx: Db, sub: Subscription, customer: Customer, at: number, extra: Partial<Subscription> = {}, source: EventSource = 'api'): Promise<BillingResult> {
    let cust = customer;
    let invoice: Invoice | undefined;
    const charges = await this.lookups.termEndCharges(trx, sub);
    if (charges.length) {
      const ctx = await this.lookups.context(trx, customer, at);
      // One invoice per scheduled charge, each exactly core's estimate for it; usually there is one.
      for (const c of charges) {
        const est = estimateAddonInvoice({ addon: c.addon, quantity: c.quantity, currency: sub.currency_code }, ctx);
        // Not interactive: a declined card must not stop a cancellation; the invoice goes to dunning.
        ({ invoice, customer: cust } = await this.invoices.raise(trx, est, { customer: cust, subscription_id: sub.id, subscription: sub, now: at, interactive: false, source }));
      }
    }
    const { next_billing_at: _n, scheduled_changes: _s, charges_at_term_end: _c, ...rest } = sub;
    const next: Subscription = {
      ...rest,
      ...extra,
      status: 'cancelled',
      cancelled_at: at,
      has_scheduled_changes: false,
      ...(sub.current_term_end !== undefined && sub.current_term_end > at && { current_term_end: at }),
    };
    const saved = await this.save(trx, next, at);
    await this.emit(trx, 'subscription_cancelled', { subscription: saved, customer: cust, ...(invoice && { invoice }) }, source, at);
    return { subscription: saved, customer: cust, invoice };
  }

  async removeScheduledCancellation(trx: Db, sub: Subscription, o: Origin = {}): Promise<BillingResult> {
    const now = this.d.clock.now();
    const customer = await this.lookups.customer(trx, sub.customer_id, 'subscription[id]');
    if (sub.status !== 'non_renewing') throw invalidState(`The subscription ${sub.id} has no scheduled cancellation (it is ${sub.status}).`);
    const { cancelled_at: _c, cancel_schedule_created_at: _s, cancel_reason: _r, ...rest } = sub;
    const status = sub.trial_end !== undefined && sub.activated_at === undefined ? 'in_trial' : 'active';
    const next: Subscription = { ...rest, status, ...(status === 'active' && sub.current_term_end !== undefined && { next_billing_at: sub.current_term_end }) };
    const saved = await this.save(trx, next, now);
    await this.emit(trx, 'subscription_scheduled_cancellation_removed', { subscription: saved, customer }, o.source ?? 'api', now);
    return { subscription: saved, customer };
  }

  /** Drops the change waiting for the end of term or its date (Chargebee's remove_scheduled_changes). */
  async removeScheduledChanges(trx: Db, sub: Subscription, o: Origin = {}): Promise<BillingResult> {
    const now = this.d.clock.now();
    const customer = await this.lookups.customer(trx, sub.customer_id, 'subscription[id]');
    if (!sub.scheduled_changes) throw invalidState(`The subscription ${sub.id} has no scheduled changes.`);
    const { scheduled_changes: _s, ...rest } = sub;
    const saved = await this.save(trx, { ...rest, has_scheduled_changes: false }, now);
    await this.emit(trx, 'subscription_scheduled_changes_removed', { subscription: saved, customer }, o.source ?? 'api', now);
    return { subscription: saved, customer };
  }

  /** Adds a one-time addon to the next renewal invoice (seed 000, "Charge Addon at Term End"). */
  async chargeAddonAtTermEnd(trx: Db, sub: Subscription, addonId: string, quantity: number | undefined, o: Origin = {}): Promise<BillingResult & { estimate?: Estimate | undefined }> {
    const now = this.d.clock.now();
    const customer = await this.lookups.customer(trx, sub.customer_id, 'subscription[id]');
    if (sub.status === 'cancelled') throw invalidState(`The subscription ${sub.id} is cancelled; there is no term end to charge at.`);
    const addon = await this.lookups.addon(trx, addonId);
    // The same checks as an immediate charge: non-recurring, active, the subscription's currency, a valid quantity.
    estimateAddonInvoice({ addon, quantity, currency: sub.currency_code }, await this.lookups.context(trx, customer, now));
    const next = await this.save(trx, {
      ...sub,
      charges_at_term_end: [...(sub.charges_at_term_end ?? []), { addon_id: addon.id, addon_quantity: quantity ?? 1, added_at: now }],
    }, now);
    await this.usages.link(trx, 'addon', [addon.id], 'subscription', sub.id);
    await this.emit(trx, 'subscription_changed', { subscription: next, customer }, o.source ?? 'api', now);
    return { subscription: next, customer, estimate: await this.estimates.renewalOf(trx, next) };
  }
}
