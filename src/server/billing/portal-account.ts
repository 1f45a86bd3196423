import { type PortalAccountParams, portalAccountParams } from '../../core/params/portal.js';
import type { Customer } from '../../core/schemas/customer.js';
import type { Invoice } from '../../core/schemas/invoice.js';
import type { PaymentSource } from '../../core/schemas/payment.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { invalidState, notFound } from '../errors.js';
import type { Payments } from '../payments/payments.js';
import type { Customers } from './customers.js';
import type { InvoiceDocuments } from './invoice-documents.js';
import type { Invoices } from './invoices.js';
import type { Lookups } from './lookups.js';
import type { PortalSession } from './records.js';

/** The customer's contact fields as the portal shows and edits them: the list the portal's schema takes (core). */
export const contactOf = (c: Customer): PortalAccountParams =>
  Object.fromEntries(Object.keys(portalAccountParams.shape).map((k) => [k, c[k as keyof PortalAccountParams]])) as PortalAccountParams;

const SOURCE = 'portal';
/** Subscriptions that will charge the customer's card again. */
const CHARGING = ['future', 'in_trial', 'active', 'non_renewing'];

/**
 * The portal's account sections for the customer of a portal session: the account's contact fields, the cards
 * (PAYMENT_SOURCES, ADD_PAYMENT_SOURCE) and the invoices (BILLING_HISTORY: pay a due one, download a copy). Another
 * customer's card or invoice is not found; every write has its events, with `source: portal`.
 */
export class PortalAccount {
  constructor(
    private readonly d: Deps,
    private readonly lookups: Lookups,
    private readonly customers: Customers,
    private readonly invoices: Invoices,
    private readonly payments: Payments,
    private readonly documents: InvoiceDocuments,
  ) {}

  /** EDIT_ACCOUNT_DETAILS: names, email, company, phone (customer_changed). */
  async update(trx: Db, s: PortalSession, p: PortalAccountParams) {
    const c = await this.customers.update(trx, s.customer_id, p, { source: SOURCE });
    return { customer: { id: c.id, ...contactOf(c) } };
  }

  private async source(db: Db, s: PortalSession, id: string): Promise<PaymentSource> {
    const ps = await this.d.stores.paymentSources.get(db, id);
    if (!ps || ps.customer_id !== s.customer_id) throw notFound('payment_source', id);
    return ps;
  }

  /** A card from the card frame (3-D Secure done there where the card asks): payment_source_added, card_added. */
  async addCard(trx: Db, s: PortalSession, token: string, primary: boolean | undefined) {
    const customer = await this.lookups.customer(trx, s.customer_id);
    const r = await this.payments.saveCard(trx, customer, token, this.d.clock.now(), SOURCE, { primary: primary ?? false });
    return { payment_source: publicSource(r.payment_source, r.customer.primary_payment_source_id) };
  }

  /**
   * Makes a card the primary one: customer_changed, and payment_source_updated (the portal's paymentSourceUpdate; its
   * role changed), in the same transaction. Making the primary card primary again changes nothing and sends nothing.
   */
  async makePrimary(trx: Db, s: PortalSession, id: string) {
    const ps = await this.source(trx, s, id);
    const customer = await this.lookups.customer(trx, s.customer_id);
    const now = this.d.clock.now();
    const r = await this.payments.assignPrimary(trx, customer, ps, now, SOURCE);
    if (customer.primary_payment_source_id !== ps.id) await this.d.outbox.emit(trx, 'payment_source_updated', { customer: r.customer, payment_source: r.payment_source }, SOURCE, now);
    return { payment_source: publicSource(r.payment_source, r.customer.primary_payment_source_id) };
  }

  /** Removes a card, never the only card of a customer whose subscriptions collect automatically. */
  async removeCard(trx: Db, s: PortalSession, id: string) {
    const ps = await this.source(trx, s, id);
    const customer = await this.lookups.customer(trx, s.customer_id);
    const others = (await this.d.stores.paymentSources.list(trx, { limit: 2, columns: { customer_id: { is: customer.id } } })).items.filter((x) => x.id !== ps.id);
    if (!others.length && customer.auto_collection === 'on') {
      const subs = (await this.d.stores.subscriptions.list(trx, { limit: 100, columns: { customer_id: { is: customer.id } } })).items;
      const charging = subs.find((x) => CHARGING.includes(x.status));
      if (charging) throw invalidState(`This is the only card paying for subscription ${charging.id}. Add another card before you remove this one.`, 'payment_source_id');
    }
    const r = await this.payments.deleteSource(trx, ps, this.d.clock.now(), SOURCE);
    return { payment_source: { id: r.payment_source.id, deleted: true } };
  }

  private async invoice(db: Db, s: PortalSession, id: string): Promise<Invoice> {
    const invoice = await this.d.stores.invoices.get(db, id);
    if (!invoice || invoice.customer_id !== s.customer_id) throw notFound('invoice', id);
    return invoice;
  }

  /** Pays a due invoice now, with the primary card or a new one (which becomes primary). A decline changes nothing. */
  async pay(trx: Db, s: PortalSession, id: string, token: string | undefined) {
    const invoice = await this.invoice(trx, s, id);
    let customer = await this.lookups.customer(trx, s.customer_id);
    if (invoice.status !== 'payment_due' && invoice.status !== 'not_paid') throw invalidState(`The invoice ${invoice.id} is ${invoice.status.replace('_', ' ')}; there is nothing to pay.`);
    if (token !== undefined) customer = (await this.payments.saveCard(trx, customer, token, this.d.clock.now(), SOURCE, { primary: true, currency_code: invoice.currency_code, paying: async () => invoice.amount_due })).customer;
    const r = await this.invoices.collect(trx, invoice, customer, SOURCE);
    return { invoice: publicInvoice(r.invoice) };
  }

  /** A short-lived link to the invoice's PDF. */
  async pdf(db: Db, s: PortalSession, id: string, baseUrl: string) {
    return { download: this.documents.link(await this.invoice(db, s, id), baseUrl) };
  }
}

/** What the portal shows of an invoice. */
export function publicInvoice(i: Invoice) {
  return {
    id: i.id,
    date: i.date,
    status: i.status,
    total: i.total,
    amount_paid: i.amount_paid,
    amount_due: i.amount_due,
    credits_applied: i.credits_applied,
    currency_code: i.currency_code,
    subscription_id: i.subscription_id,
    payable: (i.status === 'payment_due' || i.status === 'not_paid') && i.amount_due > 0,
  };
}

/** What the portal shows of a card. */
export function publicSource(p: PaymentSource, primaryId: string | undefined) {
  return {
    id: p.id,
    type: p.type,
    status: p.status,
    primary: p.id === primaryId,
    card: p.card && { brand: p.card.brand, last4: p.card.last4, expiry_month: p.card.expiry_month, expiry_year: p.card.expiry_year },
  };
}
