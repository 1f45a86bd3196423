import type { Customer } from '../../core/schemas/customer.js';
import type { Invoice } from '../../core/schemas/invoice.js';
import type { PaymentSource, Transaction } from '../../core/schemas/payment.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import { type Db, keepOnRollback } from '../db/transaction.js';
import type { EventSource } from '../events/outbox.js';
import { type Deps, nextVersion } from '../context.js';
import { newId } from '../ids.js';
import { type DeclineCode, declineMessage, PaymentError } from './gateway.js';

/** The declines a bank gave: recorded as failed transactions even when the work that asked rolls back. */
const BANK_DECLINES: ReadonlySet<DeclineCode> = new Set(['card_declined', 'insufficient_funds', 'authentication_failed']);

/** A declined interactive attempt, as its transaction will show it. */
interface Declined {
  customer_id: string;
  type: 'payment' | 'authorization';
  amount: number;
  currency_code: string;
  error_code: DeclineCode;
  masked_card_number?: string | undefined;
  id_at_gateway?: string | undefined;
  subscription_id?: string | undefined;
  now: number;
}

/**
 * Dunning (README, "Payments"): after a renewal's payment fails, it is retried this many days after each failure,
 * by the site's clock (so the time machine drives it). When the last retry fails the invoice is marked `not_paid`
 * and the subscription is cancelled with `cancel_reason: not_paid`.
 */
export const DUNNING_RETRY_DAYS = [1, 3, 5];

/**
 * What a card is being saved to pay now, in minor units of the operation's currency. Asked only when the bank refuses
 * the card, so an operation that goes through is priced once.
 */
export type Paying = () => Promise<number>;

export interface Collected {
  invoice: Invoice;
  transaction?: Transaction | undefined;
  /** The last dunning retry failed. */
  exhausted: boolean;
}

/** Saved cards and the collection of invoices, through the gateway, with their events. */
export class Payments {
  constructor(private readonly d: Deps) {}

  /**
   * Saves a card token as a payment source (card_added, payment_source_added). It becomes the customer's primary
   * card when `primary` is set (a checkout's card pays) or the customer has none yet. When the card is saved to pay
   * (`paying`), a refusal is on record as the failed payment of that amount; a card only added, as the failed
   * zero-amount authorization that verifying it is.
   */
  async saveCard(
    trx: Db,
    customer: Customer,
    tokenId: string,
    now: number,
    source: EventSource,
    o: { primary?: boolean; currency_code?: string | undefined; paying?: Paying | undefined } = {},
  ): Promise<{ customer: Customer; payment_source: PaymentSource }> {
    const primary = o.primary ?? true;
    let card;
    try {
      card = await this.d.gateway.save(trx, tokenId, now);
    } catch (e) {
      // Saving verifies the card with the bank: a refusal is a failed authorization, kept though the save rolls back.
      if (e instanceof PaymentError && BANK_DECLINES.has(e.declineCode)) {
        const token = await this.d.gateway.token(trx, tokenId);
        const amount = await this.attempted(o.paying);
        this.keepDeclined(trx, {
          customer_id: customer.id,
          type: amount > 0 ? 'payment' : 'authorization',
          amount,
          currency_code: o.currency_code ?? customer.preferred_currency_code ?? 'USD',
          error_code: e.declineCode,
          masked_card_number: token && `************${token.last4}`,
          now,
        });
      }
      throw e;
    }
    const ps: PaymentSource = {
      id: newId('pm'),
      customer_id: customer.id,
      type: 'card',
      reference_id: card.reference_id,
      status: 'valid',
      gateway: this.d.gateway.name,
      gateway_account_id: this.d.gateway.accountId,
      card: {
        brand: card.brand,
        last4: card.last4,
        expiry_month: card.expiry_month,
        expiry_year: card.expiry_year,
        masked_number: `************${card.last4}`,
        funding_type: 'not_known',
        object: 'card',
      },
      created_at: now,
      updated_at: now,
      resource_version: nextVersion(now),
      deleted: false,
      object: 'payment_source',
    };
    await this.d.stores.paymentSources.insert(trx, ps);
    const next = await this.d.stores.customers.update(trx, {
      ...customer,
      primary_payment_source_id: primary || !customer.primary_payment_source_id ? ps.id : customer.primary_payment_source_id,
      card_status: 'valid',
      updated_at: now,
      resource_version: nextVersion(now, customer.resource_version),
    });
    await this.d.outbox.emit(trx, 'payment_source_added', { customer: next, payment_source: ps }, source);
    await this.d.outbox.emit(trx, 'card_added', { customer: next, card: { ...ps.card, customer_id: customer.id, payment_source_id: ps.id, gateway: this.d.gateway.name, status: 'valid' } }, source);
    return { customer: next, payment_source: ps };
  }

  /**
   * The amount a refused card was saved to pay. Pricing fails only where the operation would have failed after the
   * card anyway; the customer is told of the refusal, and the record falls back to the bare authorization.
   */
  private async attempted(paying: Paying | undefined): Promise<number> {
    if (!paying) return 0;
    try {
      return Math.max(0, await paying());
    } catch {
      return 0;
    }
  }

  /** Deletes a payment source; the customer's primary moves to another card if there is one. */
  async deleteSource(trx: Db, ps: PaymentSource, now: number, source: EventSource = 'api'): Promise<{ customer: Customer | undefined; payment_source: PaymentSource }> {
    await this.d.gateway.forget(trx, ps.reference_id);
    await this.d.stores.paymentSources.remove(trx, ps.id);
    let customer = await this.d.stores.customers.get(trx, ps.customer_id);
    if (customer?.primary_payment_source_id === ps.id) {
      const others = (await trx.selectFrom('payment_sources').select('id').where('site_id', '=', this.d.site.id).where('customer_id', '=', customer.id).orderBy('created_at', 'desc').limit(1).execute())[0];
      const { primary_payment_source_id: _p, ...rest } = customer;
      customer = await this.d.stores.customers.update(trx, {
        ...rest,
        ...(others && { primary_payment_source_id: others.id }),
        card_status: others ? 'valid' : 'no_card',
        updated_at: now,
        resource_version: nextVersion(now, customer.resource_version),
      });
    }
    const deleted = { ...ps, deleted: true };
    await this.d.outbox.emit(trx, 'payment_source_deleted', { customer, payment_source: deleted }, source, now);
    await this.d.outbox.emit(trx, 'card_deleted', { customer, card: { ...ps.card, customer_id: ps.customer_id, payment_source_id: ps.id } }, source, now);
    return { customer, payment_source: deleted };
  }

  /** Makes a card the customer's primary one (assign_payment_role=primary): the customer changed (customer_changed). */
  async assignPrimary(trx: Db, customer: Customer, ps: PaymentSource, now: number, source: EventSource): Promise<{ customer: Customer; payment_source: PaymentSource }> {
    if (customer.primary_payment_source_id === ps.id) return { customer, payment_source: ps };
    const next = await this.d.stores.customers.update(trx, { ...customer, primary_payment_source_id: ps.id, card_status: 'valid', updated_at: now, resource_version: nextVersion(now, customer.resource_version) });
    await this.d.outbox.emit(trx, 'customer_changed', { customer: next, payment_source: ps }, source, now);
    return { customer: next, payment_source: ps };
  }

  /**
   * Charges what the invoice has due to the customer's primary card, in the caller's transaction.
   * Interactive (a customer or the merchant's API call is waiting): a decline throws a 402 and the whole
   * transaction rolls back, so nothing is created and the customer can try another card. Otherwise (renewals,
   * dunning retries): the failure is recorded, payment_failed emitted, and the next retry scheduled.
   * No card, or auto_collection off: the invoice stays payment_due.
   */
  async collect(
    trx: Db,
    invoice: Invoice,
    customer: Customer,
    o: { subscription?: Subscription | undefined; interactive: boolean; now: number; source: EventSource; force?: boolean },
  ): Promise<Collected> {
    // A not_paid invoice (dunning gave up) is collected only when someone asks (collect_payment, the portal's Pay).
    const collectable = invoice.status === 'payment_due' || (o.interactive && invoice.status === 'not_paid');
    if (invoice.amount_due === 0 || !collectable || (customer.auto_collection === 'off' && !o.force) || !customer.primary_payment_source_id) {
      return { invoice, exhausted: false };
    }
    const ps = await this.d.stores.paymentSources.get(trx, customer.primary_payment_source_id);
    if (!ps) return { invoice, exhausted: false };
    const attempt = (invoice.dunning_attempts ?? 0) + 1;
    const result = await this.d.gateway.charge(
      trx,
      { reference_id: ps.reference_id, amount: invoice.amount_due, currency_code: invoice.currency_code, idempotency_key: `invoice:${invoice.id}:${String(attempt)}` },
      o.now,
    );
    if (result.status === 'failure' && o.interactive) {
      this.keepDeclined(trx, {
        customer_id: customer.id,
        type: 'payment',
        amount: invoice.amount_due,
        currency_code: invoice.currency_code,
        error_code: result.error_code,
        masked_card_number: ps.card.masked_number,
        id_at_gateway: result.id,
        subscription_id: invoice.subscription_id,
        now: o.now,
      });
      throw new PaymentError(result.error_code);
    }
    const ok = result.status === 'success';
    const txn: Transaction = {
      id: newId('txn'),
      customer_id: customer.id,
      ...(invoice.subscription_id !== undefined && { subscription_id: invoice.subscription_id }),
      payment_source_id: ps.id,
      payment_method: 'card',
      gateway: this.d.gateway.name,
      gateway_account_id: this.d.gateway.accountId,
      id_at_gateway: result.id,
      type: 'payment',
      date: o.now,
      amount: invoice.amount_due,
      currency_code: invoice.currency_code,
      status: ok ? 'success' : 'failure',
      ...(!ok && { error_code: result.error_code, error_text: declineMessage(result.error_code) }),
      masked_card_number: ps.card.masked_number,
      linked_invoices: [
        { invoice_id: invoice.id, applied_amount: ok ? invoice.amount_due : 0, applied_at: o.now, invoice_date: invoice.date, invoice_total: invoice.total, invoice_status: ok ? 'paid' : invoice.status },
      ],
      created_at: o.now,
      updated_at: o.now,
      resource_version: nextVersion(o.now),
      deleted: false,
      object: 'transaction',
    };
    await this.d.stores.transactions.insert(trx, txn);
    const link = { txn_id: txn.id, applied_amount: ok ? txn.amount : 0, applied_at: o.now, txn_status: txn.status as 'success' | 'failure', txn_date: o.now, txn_amount: txn.amount };
    const { next_retry_at: _n, ...base } = invoice;
    let next: Invoice;
    let exhausted = false;
    if (ok) {
      next = {
        ...base,
        status: 'paid',
        paid_at: o.now,
        amount_paid: invoice.amount_paid + invoice.amount_due,
        amount_due: 0,
        linked_payments: [...(invoice.linked_payments ?? []), link],
        ...(invoice.dunning_status !== undefined && { dunning_status: 'success' as const }),
      };
    } else {
      const wait = DUNNING_RETRY_DAYS[attempt - 1];
      exhausted = wait === undefined;
      next = {
        ...base,
        dunning_attempts: attempt,
        dunning_status: exhausted ? 'exhausted' : 'in_progress',
        ...(wait !== undefined && { next_retry_at: o.now + wait * 86_400 }),
        ...(exhausted && { status: 'not_paid' as const }),
        linked_payments: [...(invoice.linked_payments ?? []), link],
      };
    }
    next = { ...next, updated_at: o.now, resource_version: nextVersion(o.now, invoice.resource_version) };
    await this.d.stores.invoices.update(trx, next);
    const content = { transaction: txn, invoice: next, customer, ...(o.subscription && { subscription: o.subscription }) };
    await this.d.outbox.emit(trx, ok ? 'payment_succeeded' : 'payment_failed', content, o.source, o.now);
    return { invoice: next, transaction: txn, exhausted };
  }

  /**
   * A declined interactive attempt rolls its checkout or API call back whole (nothing is created, the customer can
   * try another card), yet merchants need the attempt on record (card testing shows as a run of them). So it is
   * written after the rollback, as a failed transaction of the customer (for a new checkout: the id the customer
   * gets if they go on to pay), linked to no invoice, and to the subscription only when that still exists.
   */
  private keepDeclined(trx: Db, a: Declined): void {
    keepOnRollback(trx, async (after) => {
      const subscriptionId = a.subscription_id !== undefined && (await this.d.stores.subscriptions.get(after, a.subscription_id)) ? a.subscription_id : undefined;
      const txn: Transaction = {
        id: newId('txn'),
        customer_id: a.customer_id,
        ...(subscriptionId !== undefined && { subscription_id: subscriptionId }),
        payment_method: 'card',
        gateway: this.d.gateway.name,
        gateway_account_id: this.d.gateway.accountId,
        ...(a.id_at_gateway !== undefined && { id_at_gateway: a.id_at_gateway }),
        type: a.type,
        date: a.now,
        amount: a.amount,
        currency_code: a.currency_code,
        status: 'failure',
        error_code: a.error_code,
        error_text: declineMessage(a.error_code),
        ...(a.masked_card_number !== undefined && { masked_card_number: a.masked_card_number }),
        linked_invoices: [],
        created_at: a.now,
        updated_at: a.now,
        resource_version: nextVersion(a.now),
        deleted: false,
        object: 'transaction',
      };
      await this.d.stores.transactions.insert(after, txn);
    });
  }
}
