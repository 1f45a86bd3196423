import { sql } from 'kysely';
import type { ChosenAddon } from '../../core/applicability.js';
import { invalid, PaylitValidationError } from '../../core/errors.js';
import {
  type AppliedCoupon, type Estimate, type EstimateContext, estimateAddonInvoice, estimateNewSubscription,
  estimateRenewal, estimateSubscriptionChange, type SubscriptionChangeInput,
} from '../../core/estimate.js';
import type { InvoiceEstimate } from '../../core/invoice-builder.js';
import { addPeriod } from '../../core/periods.js';
import type { Addon } from '../../core/schemas/addon.js';
import type { Coupon } from '../../core/schemas/coupon.js';
import type { Address, Customer } from '../../core/schemas/customer.js';
import type { Invoice } from '../../core/schemas/invoice.js';
import type { Plan } from '../../core/schemas/plan.js';
import type { Subscription, SubscriptionAddon } from '../../core/schemas/subscription.js';
import { type Db, transaction } from '../db/transaction.js';
import { ApiError, invalidState, paramError } from '../http/errors.js';
import { type Deps, nextVersion } from '../context.js';
import type { EventSource } from '../events/outbox.js';
import type { EventType } from '../../core/schemas/event.js';
import { Payments } from '../payments/payments.js';
import type { ChangeParams, NewSubscriptionParams } from './records.js';

export type { ChangeParams, NewSubscriptionParams } from './records.js';

export { newId } from '../context.js';
import { newId } from '../context.js';

export interface BillingResult {
  subscription: Subscription;
  customer: Customer;
  invoice?: Invoice | undefined;
}

const chosen = (addons: NewSubscriptionParams['addons']): ChosenAddon[] =>
  (addons ?? []).map((a) => ({ id: a.id, ...(a.quantity !== undefined && { quantity: a.quantity }) }));

/**
 * The billing life cycle of a site: subscriptions, their invoices, changes, cancellations and renewals. Every
 * method takes the caller's transaction, so a route's whole change commits or rolls back together. Amounts come
 * only from `src/core`'s estimate functions, the same ones the widget runs.
 */
export class Billing {
  private readonly payments: Payments;

  /** `source` is what the events this service writes name as their origin. */
  constructor(
    private readonly d: Deps,
    private readonly source: EventSource = 'api',
  ) {
    this.payments = new Payments(d);
  }

  private emit(trx: Db, type: EventType, content: Record<string, unknown>, at?: number, source: EventSource = this.source) {
    return this.d.outbox.emit(trx, type, content, source, at);
  }

  private get s() {
    return this.d.stores;
  }

  async context(trx: Db, customer: Pick<Customer, 'billing_address' | 'taxability'> | undefined, now: number): Promise<EstimateContext> {
    return {
      addons: await this.s.addons.all(trx),
      taxProfile: this.d.taxProfile,
      billingAddress: customer?.billing_address,
      taxExempt: customer?.taxability === 'exempt',
      now,
    };
  }

  async plan(trx: Db, id: string, param = 'plan_id'): Promise<Plan> {
    const plan = await this.s.plans.get(trx, id);
    if (!plan) throw paramError(param, `plan "${id}" does not exist`);
    return plan;
  }

  async coupons(trx: Db, ids: readonly string[] | undefined, param = 'coupon_ids'): Promise<Coupon[]> {
    const out: Coupon[] = [];
    for (const [i, id] of (ids ?? []).entries()) {
      const c = await this.s.coupons.get(trx, id);
      if (!c) throw paramError(`${param}[${String(i)}]`, `coupon "${id}" does not exist`);
      out.push(c);
    }
    return out;
  }

  async addon(trx: Db, id: string, param = 'addon_id'): Promise<Addon> {
    const a = await this.s.addons.get(trx, id);
    if (!a) throw paramError(param, `addon "${id}" does not exist`);
    return a;
  }

  async customer(trx: Db, id: string, param = 'customer_id'): Promise<Customer> {
    const c = await this.s.customers.get(trx, id);
    if (!c) throw paramError(param, `customer "${id}" does not exist`);
    return c;
  }

  async subscription(trx: Db, id: string): Promise<Subscription | undefined> {
    return this.s.subscriptions.get(trx, id);
  }

  /** The coupons on a subscription, with their catalog records. */
  private async applied(trx: Db, sub: Subscription): Promise<AppliedCoupon[]> {
    const out: AppliedCoupon[] = [];
    for (const c of sub.coupons ?? []) {
      const coupon = await this.s.coupons.get(trx, c.coupon_id);
      if (coupon) out.push({ coupon, applied_at: c.applied_at ?? sub.created_at ?? 0, applied_count: c.applied_count });
    }
    return out;
  }

  // ------------------------------------------------------------------ estimates

  async estimateNew(trx: Db, p: NewSubscriptionParams, customer: Pick<Customer, 'billing_address' | 'taxability'> | undefined, now: number, deferAddonRequirement = false) {
    const plan = await this.plan(trx, p.plan_id);
    const coupons = await this.coupons(trx, p.coupon_ids);
    const ctx = await this.context(trx, customer, now);
    const estimate = estimateNewSubscription(
      {
        plan,
        plan_quantity: p.plan_quantity,
        addons: chosen(p.addons),
        coupons,
        trial_end: p.trial_end,
        billing_cycles: p.billing_cycles,
        start_date: p.start_date,
        defer_addon_requirement: deferAddonRequirement,
      },
      ctx,
    );
    return { estimate, plan, coupons, ctx };
  }

  async estimateChange(trx: Db, sub: Subscription, p: ChangeParams, customer: Customer | undefined, now: number) {
    const currentPlan = await this.plan(trx, sub.plan_id, 'subscription[id]');
    const plan = p.plan_id !== undefined ? await this.plan(trx, p.plan_id) : currentPlan;
    const coupons = await this.coupons(trx, p.coupon_ids);
    const current = await this.applied(trx, sub);
    const ctx = await this.context(trx, customer, now);
    const estimate = estimateSubscriptionChange(
      {
        subscription: sub,
        currentPlan,
        plan,
        plan_quantity: p.plan_quantity,
        addons: p.addons ? chosen(p.addons) : undefined,
        replace_addon_list: p.replace_addon_list,
        mandatory_items_to_remove: p.mandatory_items_to_remove,
        currentCoupons: current,
        coupons,
        replace_coupon_list: p.replace_coupon_list,
        change_option: p.change_option,
        changes_scheduled_at: p.changes_scheduled_at,
        force_term_reset: p.force_term_reset,
        terms_to_charge: p.terms_to_charge,
        reactivate: p.reactivate,
      },
      { ...ctx, now: p.reactivate_from ?? now },
    );
    return { estimate, plan, currentPlan, coupons, current, ctx };
  }

  /** The renewal the subscription's next term will bring, with any charges scheduled for it. */
  async estimateRenewalOf(trx: Db, sub: Subscription): Promise<Estimate | undefined> {
    const at = this.nextRenewalAt(sub);
    if (at === undefined) return undefined;
    const customer = await this.s.customers.get(trx, sub.customer_id);
    const plan = await this.plan(trx, sub.plan_id, 'subscription[id]');
    const ctx = await this.context(trx, customer, at);
    const r = estimateRenewal({ subscription: sub, plan, coupons: await this.applied(trx, sub), at, charges: await this.termEndCharges(trx, sub) }, ctx);
    return {
      created_at: this.d.clock.now(),
      subscription_estimate: {
        status: sub.status === 'in_trial' || sub.status === 'future' ? 'active' : sub.status,
        plan_id: sub.plan_id,
        plan_quantity: sub.plan_quantity,
        currency_code: sub.currency_code,
        addons: sub.addons.map((a) => ({ id: a.id, quantity: a.quantity })),
        current_term_start: r.term.start,
        current_term_end: r.term.end,
        next_billing_at: r.term.end,
        has_scheduled_changes: sub.has_scheduled_changes,
        charged_event_based_addons: [...r.chargedEventAddons],
        object: 'subscription_estimate',
      },
      invoice_estimate: r.invoice,
      credit_note_estimates: [],
      amount_due_now: 0,
      removed_addons: [],
      object: 'estimate',
    };
  }

  private nextRenewalAt(sub: Subscription): number | undefined {
    if (sub.status === 'future') return sub.trial_end ?? sub.start_date;
    if (sub.status === 'in_trial') return sub.trial_end;
    if (sub.status === 'active' && sub.remaining_billing_cycles !== 0) return sub.current_term_end;
    return undefined;
  }

  private async termEndCharges(trx: Db, sub: Subscription): Promise<Array<{ addon: Addon; quantity: number }>> {
    const out: Array<{ addon: Addon; quantity: number }> = [];
    for (const c of sub.charges_at_term_end ?? []) {
      const addon = await this.s.addons.get(trx, c.addon_id);
      if (addon) out.push({ addon, quantity: c.addon_quantity });
    }
    return out;
  }

  // ------------------------------------------------------------------ writes

  private stamp<T extends { resource_version?: number | undefined }>(r: T, now: number): T {
    return { ...r, updated_at: now, resource_version: nextVersion(now, r.resource_version) };
  }

  async saveCustomer(trx: Db, c: Customer, now: number): Promise<Customer> {
    return this.s.customers.update(trx, this.stamp(c, now));
  }

  private async saveSubscription(trx: Db, sub: Subscription, now: number): Promise<Subscription> {
    return this.s.subscriptions.update(trx, this.stamp(sub, now));
  }

  /** Records which subscriptions and invoices use which catalog items (catalog edits and deletes consult it). */
  private async link(trx: Db, type: 'plan' | 'addon' | 'coupon', ids: Iterable<string>, resourceType: 'subscription' | 'invoice', resourceId: string) {
    const rows = [...new Set(ids)].map((item_id) => ({ site_id: this.d.site.id, item_type: type, item_id, resource_type: resourceType, resource_id: resourceId }));
    if (rows.length) await trx.insertInto('item_usages').values(rows).onConflict((oc) => oc.doNothing()).execute();
  }

  /** The next number of a per-site counter (invoice numbers), inside the caller's transaction. */
  private async nextNumber(trx: Db, counter: string): Promise<number> {
    const name = `${counter}:${this.d.site.id}`;
    await trx.insertInto('sequences').values({ name, value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await trx.updateTable('sequences').set({ value: sql`value + 1` }).where('name', '=', name).returning('value').executeTakeFirstOrThrow();
    return Number(row.value);
  }

  /**
   * Turns an invoice estimate into an invoice: numbers it, applies the customer's refundable credits, and settles
   * what it can. An invoice with nothing due is paid; otherwise it waits for payment (`payment_due`).
   */
  async raiseInvoice(
    trx: Db,
    est: InvoiceEstimate,
    o: {
      customer: Customer;
      subscription_id?: string | undefined;
      /** The subscription as it will be saved, for the events' content. */
      subscription?: Subscription | undefined;
      first?: boolean;
      now: number;
      /** Someone waits for the answer: a decline rolls the whole change back (see Payments.collect). */
      interactive?: boolean;
      source?: EventSource;
    },
  ): Promise<{ invoice: Invoice; customer: Customer; exhausted?: boolean }> {
    let customer = o.customer;
    const fromBalance = Math.min(customer.refundable_credits, est.amount_due);
    if (fromBalance > 0) customer = await this.saveCustomer(trx, { ...customer, refundable_credits: customer.refundable_credits - fromBalance }, o.now);
    const amountDue = est.amount_due - fromBalance;
    const id = String(await this.nextNumber(trx, 'invoice'));
    const paid = amountDue === 0;
    const invoice: Invoice = {
      id,
      customer_id: customer.id,
      ...(o.subscription_id !== undefined && { subscription_id: o.subscription_id }),
      recurring: est.recurring,
      status: paid ? 'paid' : 'payment_due',
      price_type: est.price_type,
      date: est.date,
      due_date: est.date,
      ...(paid && { paid_at: o.now }),
      currency_code: est.currency_code,
      sub_total: est.sub_total,
      total: est.total,
      tax: est.tax,
      amount_paid: 0,
      amount_adjusted: 0,
      credits_applied: est.credits_applied + fromBalance,
      amount_due: amountDue,
      line_items: est.line_items.map((l) => ({
        ...l,
        ...(o.subscription_id !== undefined && { subscription_id: o.subscription_id }),
        customer_id: customer.id,
      })),
      discounts: est.discounts,
      taxes: est.taxes,
      line_item_taxes: est.line_item_taxes,
      line_item_discounts: est.line_item_discounts,
      ...(customer.billing_address && { billing_address: customer.billing_address }),
      first_invoice: o.first ?? false,
      generated_at: o.now,
      created_at: o.now,
      updated_at: o.now,
      resource_version: nextVersion(o.now),
      deleted: false,
      object: 'invoice',
    };
    await this.s.invoices.insert(trx, invoice);
    const items = (type: 'plan' | 'addon') =>
      invoice.line_items.filter((l) => (type === 'plan' ? l.entity_type === 'plan' || l.entity_type === 'plan_setup' : l.entity_type === type)).flatMap((l) => (l.entity_id ? [l.entity_id] : []));
    await this.link(trx, 'plan', items('plan'), 'invoice', id);
    await this.link(trx, 'addon', items('addon'), 'invoice', id);
    await this.link(trx, 'coupon', invoice.discounts.flatMap((x) => (x.entity_id ? [x.entity_id] : [])), 'invoice', id);
    const source = o.source ?? this.source;
    await this.emit(trx, 'invoice_generated', { invoice }, o.now, source);
    const collected = await this.payments.collect(trx, invoice, customer, { subscription: o.subscription, interactive: o.interactive ?? true, now: o.now, source });
    return { invoice: collected.invoice, customer, exhausted: collected.exhausted };
  }

  private async redeem(trx: Db, coupons: readonly Coupon[], now: number): Promise<void> {
    for (const c of coupons) {
      const current = await this.s.coupons.get(trx, c.id);
      if (current) await this.s.coupons.update(trx, this.stamp({ ...current, redemptions: current.redemptions + 1 }, now));
    }
  }

  /** Creates a subscription and its first invoice for an existing customer, in the caller's transaction. */
  async createSubscription(trx: Db, p: NewSubscriptionParams, customer: Customer): Promise<BillingResult> {
    const now = this.d.clock.now();
    if (p.id !== undefined && (await this.s.subscriptions.get(trx, p.id))) throw paramError('id', `subscription "${p.id}" already exists`);
    const { estimate, plan, coupons, ctx } = await this.estimateNew(trx, p, customer, now);
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
      plan_unit_price: plan.price,
      ...(plan.price_in_decimal !== undefined && { plan_unit_price_in_decimal: plan.price_in_decimal }),
      ...(plan.setup_cost !== undefined && { setup_fee: plan.setup_cost }),
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
    if (first) ({ invoice, customer: cust } = await this.raiseInvoice(trx, first, { customer, subscription_id: id, subscription: sub, first: true, now }));
    if (invoice?.status === 'payment_due') sub.due_invoices_count = 1;
    await this.s.subscriptions.insert(trx, sub);
    await this.emit(trx, 'subscription_created', { subscription: sub, customer: cust, ...(invoice && { invoice }) }, now);
    await this.link(trx, 'plan', [plan.id], 'subscription', id);
    await this.link(trx, 'addon', [...sub.addons.map((a) => a.id), ...(plan.event_based_addons ?? []).map((e) => e.id)], 'subscription', id);
    await this.link(trx, 'coupon', coupons.map((c) => c.id), 'subscription', id);
    await this.redeem(trx, coupons, now);
    return { subscription: sub, customer: cust, invoice };
  }

  /**
   * Changes a subscription now, or schedules the change for end of term or a specific date (kept on the
   * subscription and applied by `processDue`).
   */
  async changeSubscription(trx: Db, sub: Subscription, p: ChangeParams): Promise<BillingResult & { estimate: Estimate }> {
    const now = this.d.clock.now();
    const customer = await this.customer(trx, sub.customer_id, 'subscription[id]');
    const option = p.change_option ?? 'immediately';
    if (option !== 'immediately' && sub.status !== 'in_trial' && sub.status !== 'future') {
      // Validate now, so a bad change fails here rather than silently at term end.
      const { estimate } = await this.estimateChange(trx, sub, p, customer, now);
      const at = option === 'end_of_term' ? (sub.current_term_end ?? now) : (p.changes_scheduled_at ?? now);
      const { change_option: _o, changes_scheduled_at: _c, ...change } = p;
      const next = await this.saveSubscription(trx, { ...sub, has_scheduled_changes: true, scheduled_changes: { at, change: { ...change } } }, now);
      await this.emit(trx, 'subscription_changes_scheduled', { subscription: next, customer }, now);
      return { subscription: next, customer, estimate };
    }
    return this.applyChange(trx, sub, { ...p, change_option: 'immediately' }, customer, now);
  }

  private async applyChange(trx: Db, sub: Subscription, p: ChangeParams, customer: Customer, now: number, source: EventSource = this.source): Promise<BillingResult & { estimate: Estimate }> {
    const { estimate, plan, coupons, current, ctx } = await this.estimateChange(trx, sub, p, customer, now);
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
    if (reactivated) {
      next.activated_at = at;
      delete next.cancelled_at;
      delete next.cancel_reason;
    }
    let cust = customer;
    let invoice: Invoice | undefined;
    if (invoiceEst) {
      ({ invoice, customer: cust } = await this.raiseInvoice(trx, { ...invoiceEst, date: p.invoice_date ?? invoiceEst.date }, {
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
    if (excess > 0) cust = await this.saveCustomer(trx, { ...cust, refundable_credits: cust.refundable_credits + excess }, now);
    const saved = await this.saveSubscription(trx, next, now);
    await this.link(trx, 'plan', [plan.id], 'subscription', sub.id);
    await this.link(trx, 'addon', next.addons.map((a) => a.id), 'subscription', sub.id);
    await this.link(trx, 'coupon', coupons.map((c) => c.id), 'subscription', sub.id);
    await this.redeem(trx, coupons.filter((c) => !current.some((k) => k.coupon.id === c.id)), now);
    await this.emit(trx, reactivated ? 'subscription_reactivated' : 'subscription_changed', { subscription: saved, customer: cust, ...(invoice && { invoice }) }, now, source);
    return { subscription: saved, customer: cust, invoice, estimate };
  }

  /** Cancels now, or at the end of the term (`non_renewing`). Charges scheduled for term end are invoiced on cancel. */
  async cancel(trx: Db, sub: Subscription, o: { end_of_term?: boolean | undefined; cancel_reason_code?: string | undefined }): Promise<BillingResult> {
    const now = this.d.clock.now();
    const customer = await this.customer(trx, sub.customer_id, 'subscription[id]');
    if (sub.status === 'cancelled') throw invalidState(`The subscription ${sub.id} is already cancelled.`);
    const reason = o.cancel_reason_code !== undefined ? { cancel_reason: o.cancel_reason_code } : {};
    if (o.end_of_term && (sub.status === 'active' || sub.status === 'non_renewing')) {
      const at = sub.current_term_end ?? now;
      const next = await this.saveSubscription(trx, { ...sub, status: 'non_renewing', cancelled_at: at, cancel_schedule_created_at: now, ...reason }, now);
      await this.emit(trx, 'subscription_cancellation_scheduled', { subscription: next, customer }, now);
      return { subscription: next, customer };
    }
    if (o.end_of_term && sub.status === 'in_trial') {
      // Chargebee: a trial cancelled at term end stops when the trial ends.
      const at = sub.trial_end ?? now;
      const next = await this.saveSubscription(trx, { ...sub, status: 'non_renewing', cancelled_at: at, current_term_end: at, cancel_schedule_created_at: now, ...reason }, now);
      await this.emit(trx, 'subscription_cancellation_scheduled', { subscription: next, customer }, now);
      return { subscription: next, customer };
    }
    return this.cancelAt(trx, sub, customer, now, reason);
  }

  private async cancelAt(trx: Db, sub: Subscription, customer: Customer, at: number, extra: Partial<Subscription> = {}, source: EventSource = this.source): Promise<BillingResult> {
    let cust = customer;
    let invoice: Invoice | undefined;
    const charges = await this.termEndCharges(trx, sub);
    if (charges.length) {
      const ctx = await this.context(trx, customer, at);
      // One invoice per scheduled charge, each exactly core's estimate for it; usually there is one.
      for (const c of charges) {
        const est = estimateAddonInvoice({ addon: c.addon, quantity: c.quantity, currency: sub.currency_code }, ctx);
        // Not interactive: a declined card must not stop a cancellation; the invoice goes to dunning.
        ({ invoice, customer: cust } = await this.raiseInvoice(trx, est, { customer: cust, subscription_id: sub.id, subscription: sub, now: at, interactive: false, source }));
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
    const saved = await this.saveSubscription(trx, next, at);
    await this.emit(trx, 'subscription_cancelled', { subscription: saved, customer: cust, ...(invoice && { invoice }) }, at, source);
    return { subscription: saved, customer: cust, invoice };
  }

  async removeScheduledCancellation(trx: Db, sub: Subscription): Promise<BillingResult> {
    const now = this.d.clock.now();
    const customer = await this.customer(trx, sub.customer_id, 'subscription[id]');
    if (sub.status !== 'non_renewing') throw invalidState(`The subscription ${sub.id} has no scheduled cancellation (it is ${sub.status}).`);
    const { cancelled_at: _c, cancel_schedule_created_at: _s, cancel_reason: _r, ...rest } = sub;
    const status = sub.trial_end !== undefined && sub.activated_at === undefined ? 'in_trial' : 'active';
    const next: Subscription = { ...rest, status, ...(status === 'active' && sub.current_term_end !== undefined && { next_billing_at: sub.current_term_end }) };
    const saved = await this.saveSubscription(trx, next, now);
    await this.emit(trx, 'subscription_scheduled_cancellation_removed', { subscription: saved, customer }, now);
    return { subscription: saved, customer };
  }

  /** Adds a one-time addon to the next renewal invoice (seed 000, "Charge Addon at Term End"). */
  async chargeAddonAtTermEnd(trx: Db, sub: Subscription, addonId: string, quantity: number | undefined): Promise<BillingResult & { estimate?: Estimate | undefined }> {
    const now = this.d.clock.now();
    const customer = await this.customer(trx, sub.customer_id, 'subscription[id]');
    if (sub.status === 'cancelled') throw invalidState(`The subscription ${sub.id} is cancelled; there is no term end to charge at.`);
    const addon = await this.addon(trx, addonId);
    // The same checks as an immediate charge: non-recurring, active, the subscription's currency, a valid quantity.
    estimateAddonInvoice({ addon, quantity, currency: sub.currency_code }, await this.context(trx, customer, now));
    const next = await this.saveSubscription(trx, {
      ...sub,
      charges_at_term_end: [...(sub.charges_at_term_end ?? []), { addon_id: addon.id, addon_quantity: quantity ?? 1, added_at: now }],
    }, now);
    await this.link(trx, 'addon', [addon.id], 'subscription', sub.id);
    await this.emit(trx, 'subscription_changed', { subscription: next, customer }, now);
    return { subscription: next, customer, estimate: await this.estimateRenewalOf(trx, next) };
  }

  /** An invoice for a one-time addon, charged now (seed 000, "Create Invoice for Addon"). */
  async chargeAddon(trx: Db, o: { customer: Customer; subscription?: Subscription | undefined; addon_id: string; addon_quantity?: number | undefined }): Promise<{ invoice: Invoice; customer: Customer }> {
    const now = this.d.clock.now();
    const addon = await this.addon(trx, o.addon_id);
    if (o.subscription?.status === 'cancelled') throw invalidState(`The subscription ${o.subscription.id} is cancelled.`, 'subscription_id');
    const currency = o.subscription?.currency_code ?? o.customer.preferred_currency_code ?? addon.currency_code;
    const est = estimateAddonInvoice({ addon, quantity: o.addon_quantity, currency }, await this.context(trx, o.customer, now));
    const r = await this.raiseInvoice(trx, est, { customer: o.customer, subscription_id: o.subscription?.id, subscription: o.subscription, now });
    if (o.subscription && r.invoice.status === 'payment_due') {
      await this.saveSubscription(trx, { ...o.subscription, due_invoices_count: o.subscription.due_invoices_count + 1 }, now);
    }
    return r;
  }

  // ------------------------------------------------------------------ time

  /**
   * Runs every subscription's life cycle up to `until`: future starts, trial ends, renewals (with charges scheduled
   * for term end), scheduled changes and cancellations, each at its own moment, so invoices carry the dates they
   * would have had. The time machine calls it on travel; the renewal scheduler calls it as time passes.
   * Returns how many steps ran.
   */
  async processDue(until: number): Promise<number> {
    const { db } = this.d.storage;
    const site = this.d.site.id;
    let steps = 0;
    for (;;) {
      // The earliest due subscription step and the earliest dunning retry: whichever comes first runs first.
      const sub = await db.selectFrom('subscriptions').select(['id', 'due_at']).where('site_id', '=', site).where('due_at', '<=', until).orderBy('due_at').limit(1).executeTakeFirst();
      const inv = await db.selectFrom('invoices').select(['id', 'retry_at']).where('site_id', '=', site).where('retry_at', '<=', until).orderBy('retry_at').limit(1).executeTakeFirst();
      if (!sub && !inv) return steps;
      const retryFirst = inv !== undefined && (sub === undefined || Number(inv.retry_at) < Number(sub.due_at));
      // One transaction per step; re-read inside it, since another instance may have moved things on.
      const ran = await transaction(db, async (trx) => {
        // Claim the row first: on PostgreSQL this locks it, and an instance that waited finds it moved on.
        if (retryFirst) {
          const claim = await trx.updateTable('invoices').set({ retry_at: sql`retry_at` }).where('site_id', '=', site).where('id', '=', inv.id).where('retry_at', '<=', until).executeTakeFirst();
          if (Number(claim.numUpdatedRows) === 0) return false;
          const invoice = await this.s.invoices.get(trx, inv.id);
          return invoice ? this.retryPayment(trx, invoice) : false;
        }
        const claim = await trx.updateTable('subscriptions').set({ due_at: sql`due_at` }).where('site_id', '=', site).where('id', '=', sub!.id).where('due_at', '<=', until).executeTakeFirst();
        if (Number(claim.numUpdatedRows) === 0) return false;
        const current = await this.s.subscriptions.get(trx, sub!.id);
        return current ? this.step(trx, current, until) : false;
      });
      if (ran) steps += 1;
      if (steps > 100_000) throw new Error('processDue: too many steps; is a subscription stuck?');
    }
  }

  /** A dunning retry of a renewal's failed payment (Payments.DUNNING_RETRY_DAYS); the last failure cancels. */
  private async retryPayment(trx: Db, invoice: Invoice): Promise<boolean> {
    const at = invoice.next_retry_at ?? this.d.clock.now();
    const customer = await this.customer(trx, invoice.customer_id, 'invoice[customer_id]');
    const sub = invoice.subscription_id !== undefined ? await this.s.subscriptions.get(trx, invoice.subscription_id) : undefined;
    const c = await this.payments.collect(trx, invoice, customer, { subscription: sub, interactive: false, now: at, source: 'scheduled_job' });
    if (!c.transaction) {
      // Nothing to charge any more (the card was removed, auto collection turned off): dunning stops here.
      const { next_retry_at: _n, ...rest } = invoice;
      await this.s.invoices.update(trx, { ...rest, dunning_status: 'stopped', updated_at: at, resource_version: nextVersion(at, invoice.resource_version) });
      return true;
    }
    if (sub && c.invoice.status === 'paid') {
      await this.saveSubscription(trx, { ...sub, due_invoices_count: Math.max(0, sub.due_invoices_count - 1) }, at);
    } else if (sub && c.exhausted && sub.status !== 'cancelled') {
      await this.cancelAt(trx, sub, customer, at, { cancel_reason: 'not_paid' }, 'scheduled_job');
    }
    return true;
  }

  /** Runs the subscription's earliest due event if it falls at or before `until`. */
  private async step(trx: Db, sub: Subscription, until: number): Promise<boolean> {
    const customer = await this.customer(trx, sub.customer_id, 'subscription[id]');
    const change = sub.scheduled_changes;
    const lifecycleAt = sub.status === 'future' ? sub.start_date : sub.status === 'in_trial' ? sub.trial_end : sub.current_term_end;
    if (change && change.at <= until && (lifecycleAt === undefined || change.at <= lifecycleAt)) {
      const { scheduled_changes: _s, ...rest } = sub;
      const cleared: Subscription = { ...rest, has_scheduled_changes: false };
      try {
        await this.applyChange(trx, cleared, { ...change.change, change_option: 'immediately' }, customer, change.at, 'scheduled_job');
      } catch (e) {
        // The catalog moved on since the change was scheduled (an addon archived, a coupon expired): the change is
        // dropped rather than blocking the subscription's renewals for ever. The estimate runs before any write.
        if (!(e instanceof PaylitValidationError) && !(e instanceof ApiError && e.status === 400)) throw e;
        const saved = await this.saveSubscription(trx, cleared, change.at);
        await this.emit(trx, 'subscription_scheduled_changes_removed', { subscription: saved, customer }, change.at, 'scheduled_job');
      }
      return true;
    }
    if (lifecycleAt === undefined || lifecycleAt > until) {
      // Nothing due after all (stale due_at): store again so due_at is recomputed.
      await this.saveSubscription(trx, sub, sub.updated_at ?? 0);
      return false;
    }
    const at = lifecycleAt;
    if (sub.status === 'future' && sub.trial_end !== undefined) {
      const next: Subscription = { ...sub, status: 'in_trial', started_at: at, current_term_start: at, current_term_end: sub.trial_end, next_billing_at: sub.trial_end };
      const saved = await this.saveSubscription(trx, next, at);
      await this.emit(trx, 'subscription_started', { subscription: saved, customer }, at, 'scheduled_job');
      return true;
    }
    if (sub.status === 'non_renewing' || (sub.status === 'active' && sub.remaining_billing_cycles === 0)) {
      await this.cancelAt(trx, sub, customer, at, {}, 'scheduled_job');
      return true;
    }
    // A renewal, a trial end or a future start: one invoice for the new term.
    const plan = await this.plan(trx, sub.plan_id, 'subscription[id]');
    const ctx = await this.context(trx, customer, at);
    const applied = await this.applied(trx, sub);
    const r = estimateRenewal({ subscription: sub, plan, coupons: applied, at, charges: await this.termEndCharges(trx, sub) }, ctx);
    const { invoice } = await this.raiseInvoice(trx, r.invoice, {
      customer,
      subscription_id: sub.id,
      subscription: sub,
      first: r.activation && sub.status === 'future',
      now: at,
      interactive: false,
      source: 'scheduled_job',
    });
    const cycles = sub.remaining_billing_cycles;
    const { charges_at_term_end: _c, ...rest } = sub;
    const next: Subscription = {
      ...rest,
      status: 'active',
      current_term_start: r.term.start,
      current_term_end: r.term.end,
      billing_anchor_at: r.anchor,
      next_billing_at: r.term.end,
      ...(r.activation && { activated_at: at, ...(sub.started_at === undefined && { started_at: at }) }),
      ...(cycles !== undefined && { remaining_billing_cycles: Math.max(0, cycles - 1) }),
      charged_event_based_addons: [
        ...(sub.charged_event_based_addons ?? []).filter((c) => !r.chargedEventAddons.includes(c.id)),
        ...r.chargedEventAddons.map((id) => ({ id, last_charged_at: at })),
      ],
      coupons: (sub.coupons ?? []).map((c) => (r.couponsUsed.includes(c.coupon_id) ? { ...c, applied_count: c.applied_count + 1 } : c)),
      due_invoices_count: sub.due_invoices_count + (invoice.status === 'payment_due' ? 1 : 0),
    };
    if (cycles !== undefined && cycles - 1 <= 0) delete next.next_billing_at;
    const saved = await this.saveSubscription(trx, next, at);
    const type = sub.status === 'future' ? 'subscription_started' : sub.status === 'in_trial' ? 'subscription_activated' : 'subscription_renewed';
    await this.emit(trx, type, { subscription: saved, customer, invoice }, at, 'scheduled_job');
    return true;
  }
}

function subscriptionAddon(a: { id: string; quantity: number; quantity_in_decimal?: string | undefined }, addon: Addon | undefined): SubscriptionAddon {
  if (!addon) throw invalid('addons', `addon "${a.id}" does not exist`);
  return {
    id: a.id,
    quantity: a.quantity,
    ...(a.quantity_in_decimal !== undefined && { quantity_in_decimal: a.quantity_in_decimal }),
    unit_price: addon.price,
    ...(addon.price_in_decimal !== undefined && { unit_price_in_decimal: addon.price_in_decimal }),
    object: 'addon',
  };
}

/** The named fields of `o` that are defined. */
function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
