import { sql } from 'kysely';
import { applicableAddons } from '../../core/applicability.js';
import { estimateAddonInvoice } from '../../core/estimate.js';
import type { InvoiceEstimate } from '../../core/invoice-builder.js';
import type { Customer } from '../../core/schemas/customer.js';
import type { Invoice } from '../../core/schemas/invoice.js';
import type { Transaction } from '../../core/schemas/payment.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import { type Deps, nextVersion } from '../context.js';
import type { Db } from '../db/transaction.js';
import { invalidState, paramError } from '../errors.js';
import type { EventSource } from '../events/outbox.js';
import type { Usages } from '../catalog/usages.js';
import type { Payments } from '../payments/payments.js';
import { stamp } from './common.js';
import type { Lookups } from './lookups.js';

export interface RaiseOptions {
  customer: Customer;
  subscription_id?: string | undefined;
  /** The subscription as it will be saved, for the events' content. */
  subscription?: Subscription | undefined;
  first?: boolean;
  now: number;
  /** Someone waits for the answer: a decline rolls the whole change back (see Payments.collect). */
  interactive?: boolean;
  source?: EventSource | undefined;
}

/** Invoices: raised from core's estimates, numbered per site, settled from credits and the customer's card. */
export class Invoices {
  constructor(
    private readonly d: Deps,
    private readonly lookups: Lookups,
    private readonly usages: Usages,
    private readonly payments: Payments,
  ) {}

  /**
   * Turns an invoice estimate into an invoice: numbers it, applies the customer's refundable credits, and settles
   * what it can. An invoice with nothing due is paid; otherwise it waits for payment (`payment_due`).
   */
  async raise(trx: Db, est: InvoiceEstimate, o: RaiseOptions): Promise<{ invoice: Invoice; customer: Customer; exhausted?: boolean }> {
    let customer = o.customer;
    const fromBalance = Math.min(customer.refundable_credits, est.amount_due);
    if (fromBalance > 0) customer = await this.d.stores.customers.update(trx, stamp({ ...customer, refundable_credits: customer.refundable_credits - fromBalance }, o.now));
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
    await this.d.stores.invoices.insert(trx, invoice);
    const items = (type: 'plan' | 'addon') =>
      invoice.line_items.filter((l) => (type === 'plan' ? l.entity_type === 'plan' || l.entity_type === 'plan_setup' : l.entity_type === type)).flatMap((l) => (l.entity_id ? [l.entity_id] : []));
    await this.usages.link(trx, 'plan', items('plan'), 'invoice', id);
    await this.usages.link(trx, 'addon', items('addon'), 'invoice', id);
    await this.usages.link(trx, 'coupon', invoice.discounts.flatMap((x) => (x.entity_id ? [x.entity_id] : [])), 'invoice', id);
    const source = o.source ?? 'api';
    await this.d.outbox.emit(trx, 'invoice_generated', { invoice }, source, o.now);
    const collected = await this.payments.collect(trx, invoice, customer, { subscription: o.subscription, interactive: o.interactive ?? true, now: o.now, source });
    return { invoice: collected.invoice, customer, exhausted: collected.exhausted };
  }

  /** An invoice for a one-time addon, charged now (seed 000, "Create Invoice for Addon"). */
  async chargeAddon(
    trx: Db,
    o: { customer: Customer; subscription?: Subscription | undefined; addon_id: string; addon_quantity?: number | undefined; source?: EventSource | undefined },
  ): Promise<{ invoice: Invoice; customer: Customer }> {
    const now = this.d.clock.now();
    const addon = await this.lookups.addon(trx, o.addon_id);
    if (o.subscription?.status === 'cancelled') throw invalidState(`The subscription ${o.subscription.id} is cancelled.`, 'subscription_id');
    const currency = o.subscription?.currency_code ?? o.customer.preferred_currency_code ?? addon.currency_code;
    const ctx = await this.lookups.context(trx, o.customer, now);
    if (o.subscription) {
      // Seed (applicable addons): only the customer-level charge takes any addon; a subscription's follows its plan.
      const plan = await this.lookups.plan(trx, o.subscription.plan_id);
      const rules = applicableAddons(plan, ctx.addons);
      if (![...rules.offered, ...rules.eventBased].some((x) => x.addon.id === addon.id)) {
        throw paramError('addon_id', `"${addon.id}" is not applicable to the plan "${plan.id}" of this subscription; charge it to the customer (customer_id) instead`);
      }
    }
    const est = estimateAddonInvoice({ addon, quantity: o.addon_quantity, currency }, ctx);
    const r = await this.raise(trx, est, { customer: o.customer, subscription_id: o.subscription?.id, subscription: o.subscription, now, source: o.source });
    if (o.subscription && r.invoice.status === 'payment_due') {
      await this.d.stores.subscriptions.update(trx, stamp({ ...o.subscription, due_invoices_count: o.subscription.due_invoices_count + 1 }, now));
    }
    return r;
  }

  /**
   * Collects a `payment_due` or `not_paid` invoice now with the customer's primary card (collect_payment, the portal's
   * Pay). A decline throws (a 402) and changes nothing; a payment lowers the subscription's due invoice count.
   */
  async collect(trx: Db, invoice: Invoice, customer: Customer, source: EventSource): Promise<{ invoice: Invoice; customer: Customer; transaction?: Transaction | undefined }> {
    if (invoice.status !== 'payment_due' && invoice.status !== 'not_paid') throw invalidState(`The invoice ${invoice.id} is ${invoice.status}; only a payment_due or not_paid invoice can be paid.`);
    if (!customer.primary_payment_source_id) throw invalidState('There is no card to charge: add a card first.', 'payment_source_id');
    const now = this.d.clock.now();
    const sub = invoice.subscription_id !== undefined ? await this.d.stores.subscriptions.get(trx, invoice.subscription_id) : undefined;
    // Interactive: a decline throws and rolls back, so payment_succeeded carries the subscription as it is once paid.
    const paid = sub && stamp({ ...sub, due_invoices_count: Math.max(0, sub.due_invoices_count - 1) }, now);
    const c = await this.payments.collect(trx, invoice, customer, { subscription: paid, interactive: true, now, source, force: true });
    if (paid && c.invoice.status === 'paid') await this.d.stores.subscriptions.update(trx, paid);
    return { invoice: c.invoice, customer, transaction: c.transaction };
  }

  /** The next number of a per-site counter (invoice numbers), inside the caller's transaction. */
  private async nextNumber(trx: Db, counter: string): Promise<number> {
    const name = `${counter}:${this.d.site.id}`;
    await trx.insertInto('sequences').values({ name, value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await trx.updateTable('sequences').set({ value: sql`value + 1` }).where('name', '=', name).returning('value').executeTakeFirstOrThrow();
    return Number(row.value);
  }
}
