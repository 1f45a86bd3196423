import { estimateRenewal } from '../../core/estimate.js';
import { PaylitError } from '../../core/errors.js';
import type { Invoice } from '../../core/schemas/invoice.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import { type Deps, nextVersion } from '../context.js';
import type { DueWork } from '../db/due-work.js';
import { type Db, transaction } from '../db/transaction.js';
import type { Payments } from '../payments/payments.js';
import type { Changes } from './changes.js';
import { stamp } from './common.js';
import type { Invoices } from './invoices.js';
import type { Lookups } from './lookups.js';

const SOURCE = 'scheduled_job';

/**
 * The life cycle time drives: future starts, trial ends, renewals (with charges scheduled for term end), scheduled
 * changes and cancellations, and dunning retries, each at its own moment, so invoices carry the dates they would have
 * had. The scheduler runs it as time passes; the time machine runs it on travel.
 */
export class Lifecycle {
  constructor(
    private readonly d: Deps,
    private readonly due: DueWork,
    private readonly lookups: Lookups,
    private readonly invoices: Invoices,
    private readonly changes: Changes,
    private readonly payments: Payments,
  ) {}

  /** Runs everything due by `until`, one transaction per step. Returns how many steps ran. */
  async processDue(until: number): Promise<number> {
    const { db } = this.d.storage;
    let steps = 0;
    for (let item = await this.due.next(db, until); item; item = await this.due.next(db, until)) {
      const current = item;
      // Re-read inside the step's transaction, since another instance may have moved things on.
      const ran = await transaction(db, async (trx) => {
        if (!(await this.due.claim(trx, current, until))) return false;
        if (current.kind === 'invoice') {
          const invoice = await this.d.stores.invoices.get(trx, current.id);
          return invoice ? this.retryPayment(trx, invoice) : false;
        }
        const sub = await this.d.stores.subscriptions.get(trx, current.id);
        return sub ? this.step(trx, sub, until) : false;
      });
      if (ran) steps += 1;
      if (steps > 100_000) throw new Error('processDue: too many steps; is a subscription stuck?');
    }
    return steps;
  }

  private saveSubscription(trx: Db, sub: Subscription, at: number) {
    return this.d.stores.subscriptions.update(trx, stamp(sub, at));
  }

  /** A dunning retry of a renewal's failed payment (Payments.DUNNING_RETRY_DAYS); the last failure cancels. */
  private async retryPayment(trx: Db, invoice: Invoice): Promise<boolean> {
    const at = invoice.next_retry_at ?? this.d.clock.now();
    const customer = await this.lookups.customer(trx, invoice.customer_id, 'invoice[customer_id]');
    const sub = invoice.subscription_id !== undefined ? await this.d.stores.subscriptions.get(trx, invoice.subscription_id) : undefined;
    const c = await this.payments.collect(trx, invoice, customer, { subscription: sub, interactive: false, now: at, source: SOURCE });
    if (!c.transaction) {
      // Nothing to charge any more (the card was removed, auto collection turned off): dunning stops here.
      const { next_retry_at: _n, ...rest } = invoice;
      await this.d.stores.invoices.update(trx, { ...rest, dunning_status: 'stopped', updated_at: at, resource_version: nextVersion(at, invoice.resource_version) });
      return true;
    }
    if (sub && c.invoice.status === 'paid') {
      await this.saveSubscription(trx, { ...sub, due_invoices_count: Math.max(0, sub.due_invoices_count - 1) }, at);
    } else if (sub && c.exhausted && sub.status !== 'cancelled') {
      await this.changes.cancelAt(trx, sub, customer, at, { cancel_reason: 'not_paid' }, SOURCE);
    }
    return true;
  }

  /** Runs the subscription's earliest due event if it falls at or before `until`. */
  private async step(trx: Db, sub: Subscription, until: number): Promise<boolean> {
    const customer = await this.lookups.customer(trx, sub.customer_id, 'subscription[id]');
    const change = sub.scheduled_changes;
    const lifecycleAt = sub.status === 'future' ? sub.start_date : sub.status === 'in_trial' ? sub.trial_end : sub.current_term_end;
    if (change && change.at <= until && (lifecycleAt === undefined || change.at <= lifecycleAt)) {
      const { scheduled_changes: _s, ...rest } = sub;
      const cleared: Subscription = { ...rest, has_scheduled_changes: false };
      // A change due at the term's end is the renewal's: the items change now and the renewal (its invoice, its
      // event, the cycles left and the charges kept for term end) runs next, on the new items.
      const atRenewal = change.at === lifecycleAt && (sub.status === 'active' || sub.status === 'non_renewing');
      try {
        await this.changes.apply(trx, cleared, { ...change.change, change_option: atRenewal ? 'end_of_term' : 'immediately' }, customer, change.at, SOURCE);
      } catch (e) {
        // The catalog moved on since the change was scheduled (an addon archived, a coupon expired): the change is
        // dropped rather than blocking the subscription's renewals for ever. The estimate runs before any write.
        if (!(e instanceof PaylitError)) throw e;
        const saved = await this.saveSubscription(trx, cleared, change.at);
        await this.d.outbox.emit(trx, 'subscription_scheduled_changes_removed', { subscription: saved, customer }, SOURCE, change.at);
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
      await this.d.outbox.emit(trx, 'subscription_started', { subscription: saved, customer }, SOURCE, at);
      return true;
    }
    if (sub.status === 'non_renewing' || (sub.status === 'active' && sub.remaining_billing_cycles === 0)) {
      await this.changes.cancelAt(trx, sub, customer, at, {}, SOURCE);
      return true;
    }
    // A renewal, a trial end or a future start: one invoice for the new term.
    const plan = await this.lookups.plan(trx, sub.plan_id, 'subscription[id]');
    const ctx = await this.lookups.context(trx, customer, at);
    const applied = await this.lookups.applied(trx, sub);
    const r = estimateRenewal({ subscription: sub, plan, coupons: applied, at, charges: await this.lookups.termEndCharges(trx, sub) }, ctx);
    const { invoice } = await this.invoices.raise(trx, r.invoice, {
      customer,
      subscription_id: sub.id,
      subscription: sub,
      first: r.activation && sub.status === 'future',
      now: at,
      interactive: false,
      source: SOURCE,
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
    await this.d.outbox.emit(trx, type, { subscription: saved, customer, invoice }, SOURCE, at);
    return true;
  }
}
