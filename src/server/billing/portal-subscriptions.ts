import { applicableAddons } from '../../core/applicability.js';
import { estimateAddonInvoice } from '../../core/estimate.js';
import type { ChangeParams } from '../../core/params/change.js';
import type { PortalChangeParams } from '../../core/params/portal.js';
import type { Addon } from '../../core/schemas/addon.js';
import type { Customer } from '../../core/schemas/customer.js';
import type { PortalSettings } from '../../core/schemas/portal-settings.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { invalidState, notFound, paramError } from '../errors.js';
import type { Payments } from '../payments/payments.js';
import { readPortalSettings } from '../site.js';
import type { Changes } from './changes.js';
import { publicItem } from './checkout-view.js';
import type { Estimates } from './estimates.js';
import type { Invoices } from './invoices.js';
import type { Lookups } from './lookups.js';
import type { PortalSession } from './records.js';

const SOURCE = 'portal';
const LIVE: ReadonlySet<Subscription['status']> = new Set(['future', 'in_trial', 'active', 'non_renewing']);
/** An item as the customer reads it: the catalog's `invoice_name` where it has one (the merchant's `name` is theirs). */
const forCustomer = <T extends { name: string; invoice_name?: string | undefined }>(item: T): T => ({ ...publicItem(item), name: item.invoice_name ?? item.name });
const notAllowed = (what: string) => invalidState(`${what} is not offered in this shop's portal. Contact the shop to do it.`);

/**
 * The portal's subscription sections (SUBSCRIPTION_DETAILS, SUBSCRIPTION_CANCELLATION, EDIT_SUBSCRIPTION,
 * VIEW_SCHEDULED_CHANGES, credit packs) for the customer of a portal session: only their own subscriptions (another
 * customer's is not found), only what the site's portal settings allow, and the same billing rules, estimates and
 * events as the merchant API, with `source: portal`.
 */
export class PortalSubscriptions {
  constructor(
    private readonly d: Deps,
    private readonly lookups: Lookups,
    private readonly estimates: Estimates,
    private readonly changes: Changes,
    private readonly invoices: Invoices,
    private readonly payments: Payments,
  ) {}

  /** The session customer's subscription, or not found (whether it does not exist or is someone else's). */
  async owned(db: Db, s: PortalSession, id: string): Promise<Subscription> {
    const sub = await this.lookups.subscription(db, id);
    if (!sub || sub.customer_id !== s.customer_id) throw notFound('subscription', id);
    return sub;
  }

  /** SUBSCRIPTION_DETAILS: the subscription, its plan, the next invoice, what is scheduled, and what may be done. */
  async view(db: Db, s: PortalSession, id: string) {
    const sub = await this.owned(db, s, id);
    const settings = await readPortalSettings(db, this.d.site.id);
    const plan = await this.lookups.plan(db, sub.plan_id, 'subscription[id]');
    const renewal = await this.estimates.renewalOf(db, sub);
    const scheduled = sub.scheduled_changes;
    const change = scheduled?.change as Partial<ChangeParams> | undefined;
    return {
      subscription: publicSubscription(sub),
      plan: forCustomer(plan),
      addons: await Promise.all(sub.addons.map(async (a) => {
        const addon = await this.d.stores.addons.get(db, a.id);
        return { ...a, name: addon ? forCustomer(addon).name : a.id };
      })),
      next_invoice: renewal?.invoice_estimate && { date: renewal.invoice_estimate.date, total: renewal.invoice_estimate.total, amount_due: renewal.invoice_estimate.amount_due, currency_code: renewal.invoice_estimate.currency_code },
      scheduled_changes: scheduled && {
        at: scheduled.at,
        ...(change?.plan_id !== undefined && { plan_id: change.plan_id, plan_name: forCustomer(await this.lookups.plan(db, change.plan_id, 'plan_id')).name }),
        ...(change?.plan_quantity !== undefined && { plan_quantity: change.plan_quantity }),
        ...(change?.addons !== undefined && { addons: change.addons }),
      },
      charges_at_term_end: (await this.lookups.termEndCharges(db, sub)).map((c) => ({ addon_id: c.addon.id, name: forCustomer(c.addon).name, quantity: c.quantity })),
      actions: this.actions(sub, settings),
    };
  }

  private actions(sub: Subscription, settings: PortalSettings) {
    const live = LIVE.has(sub.status);
    return {
      cancel: live && sub.status !== 'non_renewing' && settings.cancel !== 'off' ? settings.cancel : null,
      remove_scheduled_cancellation: sub.status === 'non_renewing',
      reactivate: sub.status === 'cancelled' && settings.reactivate,
      change: live && settings.change !== 'off' ? (settings.change === 'either' ? ['immediately', 'end_of_term'] : [settings.change]) : [],
      remove_scheduled_changes: sub.scheduled_changes !== undefined,
      packs: live,
    };
  }

  /**
   * EDIT_SUBSCRIPTION's choices: the plans enabled in the portal in the subscription's currency (its own plan always),
   * and the addons of that currency (the elements work out, with core, which apply to which plan).
   */
  async options(db: Db, s: PortalSession, id: string) {
    const sub = await this.owned(db, s, id);
    const [plans, addons] = await Promise.all([this.d.stores.plans.all(db, { status: ['active'] }), this.d.stores.addons.all(db, { status: ['active'] })]);
    const offered = plans.filter((p) => p.id === sub.plan_id || (p.enabled_in_portal && p.currency_code === sub.currency_code));
    const current = offered.some((p) => p.id === sub.plan_id) ? [] : [await this.lookups.plan(db, sub.plan_id, 'subscription[id]')];
    const onSub = new Set(sub.addons.map((a) => a.id));
    return {
      plans: [...current, ...offered].map(forCustomer),
      addons: addons.filter((a) => a.currency_code === sub.currency_code && (a.enabled_in_portal || onSub.has(a.id))).map(forCustomer),
      packs: (await this.packs(db, sub)).map(forCustomer),
      change_options: this.actions(sub, await readPortalSettings(db, this.d.site.id)).change,
    };
  }

  /** The one-time addons (credit packs) the customer may buy for this subscription's plan. */
  private async packs(db: Db, sub: Subscription): Promise<Addon[]> {
    const plan = await this.lookups.plan(db, sub.plan_id, 'subscription[id]');
    const catalog = await this.d.stores.addons.all(db, { status: ['active'] });
    return applicableAddons(plan, catalog)
      .offered.map((o) => o.addon)
      .filter((a) => a.charge_type === 'non_recurring' && a.enabled_in_portal && a.currency_code === sub.currency_code);
  }

  /** A portal change as billing takes it, refused where the portal does not allow it. */
  private async changeOf(db: Db, sub: Subscription, p: PortalChangeParams): Promise<ChangeParams> {
    const settings = await readPortalSettings(db, this.d.site.id);
    if (settings.change === 'off') throw notAllowed('Changing a subscription');
    if (!LIVE.has(sub.status)) throw invalidState(`The subscription ${sub.id} is ${sub.status}; reactivate it before changing it.`);
    const option = p.change_option ?? (settings.change === 'end_of_term' ? 'end_of_term' : 'immediately');
    if (settings.change !== 'either' && option !== settings.change) {
      throw paramError('change_option', settings.change === 'immediately' ? 'this shop applies changes at once' : 'this shop applies changes at the end of the term');
    }
    if (p.plan_id !== undefined && p.plan_id !== sub.plan_id) {
      const plan = await this.lookups.plan(db, p.plan_id, 'plan_id');
      if (!plan.enabled_in_portal || plan.status !== 'active') throw paramError('plan_id', `plan "${plan.id}" is not offered in the portal`);
      if (plan.currency_code !== sub.currency_code) throw paramError('plan_id', `plan "${plan.id}" is priced in ${plan.currency_code}; this subscription is in ${sub.currency_code}`);
      // The credit-pack rule of the checkout: moving onto a plan that needs a pack takes one (seed: prepaid credit packs).
      if (plan.addon_required && !(p.addons ?? []).some((a) => (a.quantity ?? 1) >= 1)) throw paramError('addons', `plan "${plan.id}" needs at least one addon (such as a credit pack) to be chosen`);
    }
    const onSub = new Set(sub.addons.map((a) => a.id));
    for (const [i, a] of (p.addons ?? []).entries()) {
      const addon = await this.lookups.addon(db, a.id, `addons[id][${String(i)}]`);
      if (!addon.enabled_in_portal && !onSub.has(addon.id)) throw paramError(`addons[id][${String(i)}]`, `addon "${addon.id}" is not offered in the portal`);
    }
    return {
      ...(p.plan_id !== undefined && { plan_id: p.plan_id }),
      ...(p.plan_quantity !== undefined && { plan_quantity: p.plan_quantity }),
      ...(p.addons !== undefined && { addons: p.addons, replace_addon_list: true }),
      change_option: option,
    };
  }

  /** The proration a change would bring, before the customer confirms: the numbers the change will charge. */
  async estimate(db: Db, s: PortalSession, id: string, p: PortalChangeParams) {
    const sub = await this.owned(db, s, id);
    const change = await this.changeOf(db, sub, p);
    const customer = await this.lookups.customer(db, sub.customer_id, 'subscription[id]');
    const { estimate } = await this.estimates.change(db, sub, change, customer, this.d.clock.now());
    return { estimate };
  }

  /**
   * Pays with a new card first where one is given: it becomes the primary card, as in a checkout. `paying` prices the
   * action, for the record of a card the bank refuses.
   */
  private async payWith(trx: Db, customerId: string, token: string | undefined, paying: (customer: Customer) => Promise<number>): Promise<Customer> {
    const customer = await this.lookups.customer(trx, customerId);
    if (token === undefined) return customer;
    return (await this.payments.saveCard(trx, customer, token, this.d.clock.now(), SOURCE, { primary: true, paying: () => paying(customer) })).customer;
  }

  /** What a change charges now: its estimate's amount due. */
  private dueNow(trx: Db, sub: Subscription, change: ChangeParams) {
    return async (customer: Customer) => (await this.estimates.change(trx, sub, change, customer, this.d.clock.now())).estimate.amount_due_now;
  }

  async change(trx: Db, s: PortalSession, id: string, p: PortalChangeParams) {
    const sub = await this.owned(trx, s, id);
    const change = await this.changeOf(trx, sub, p);
    await this.payWith(trx, s.customer_id, p.card_token, this.dueNow(trx, sub, change));
    const { subscription, invoice, estimate } = await this.changes.change(trx, sub, change, { source: SOURCE });
    return { subscription: publicSubscription(subscription), ...(invoice && { invoice: { id: invoice.id, status: invoice.status, total: invoice.total, amount_paid: invoice.amount_paid, amount_due: invoice.amount_due } }), estimate };
  }

  async removeScheduledChanges(trx: Db, s: PortalSession, id: string) {
    const r = await this.changes.removeScheduledChanges(trx, await this.owned(trx, s, id), { source: SOURCE });
    return { subscription: publicSubscription(r.subscription) };
  }

  /** SUBSCRIPTION_CANCELLATION: at the end of the term or now, as the site sets it. */
  async cancel(trx: Db, s: PortalSession, id: string, reason: string | undefined) {
    const settings = await readPortalSettings(trx, this.d.site.id);
    if (settings.cancel === 'off') throw notAllowed('Cancelling');
    const sub = await this.owned(trx, s, id);
    const r = await this.changes.cancel(trx, sub, { end_of_term: settings.cancel === 'end_of_term', cancel_reason_code: reason, source: SOURCE });
    return { subscription: publicSubscription(r.subscription) };
  }

  async removeScheduledCancellation(trx: Db, s: PortalSession, id: string) {
    const r = await this.changes.removeScheduledCancellation(trx, await this.owned(trx, s, id), { source: SOURCE });
    return { subscription: publicSubscription(r.subscription) };
  }

  async reactivate(trx: Db, s: PortalSession, id: string, token: string | undefined) {
    const settings = await readPortalSettings(trx, this.d.site.id);
    if (!settings.reactivate) throw notAllowed('Reactivating a subscription');
    const sub = await this.owned(trx, s, id);
    await this.payWith(trx, s.customer_id, token, this.dueNow(trx, sub, { reactivate: true, change_option: 'immediately' }));
    const r = await this.changes.reactivate(trx, sub, { source: SOURCE });
    return { subscription: publicSubscription(r.subscription), ...(r.invoice && { invoice: { id: r.invoice.id, status: r.invoice.status, total: r.invoice.total, amount_paid: r.invoice.amount_paid } }) };
  }

  private async pack(trx: Db, sub: Subscription, addonId: string): Promise<Addon> {
    if (!LIVE.has(sub.status)) throw invalidState(`The subscription ${sub.id} is ${sub.status}; there is nothing to top up.`);
    const pack = (await this.packs(trx, sub)).find((a) => a.id === addonId);
    if (!pack) throw paramError('addon_id', `addon "${addonId}" is not a pack offered for this plan`);
    return pack;
  }

  /** A credit pack now: an invoice for it, charged at once (invoices/charge_addon). */
  async buyPack(trx: Db, s: PortalSession, id: string, p: { addon_id: string; addon_quantity?: number | undefined; card_token?: string | undefined }) {
    const sub = await this.owned(trx, s, id);
    const pack = await this.pack(trx, sub, p.addon_id);
    const customer = await this.payWith(trx, s.customer_id, p.card_token, async (c) =>
      estimateAddonInvoice({ addon: pack, quantity: p.addon_quantity, currency: sub.currency_code }, await this.lookups.context(trx, c, this.d.clock.now())).amount_due,
    );
    const { invoice } = await this.invoices.chargeAddon(trx, { customer, subscription: sub, addon_id: p.addon_id, addon_quantity: p.addon_quantity, source: SOURCE });
    return { invoice: { id: invoice.id, status: invoice.status, total: invoice.total, amount_paid: invoice.amount_paid, amount_due: invoice.amount_due, currency_code: invoice.currency_code } };
  }

  /** A credit pack at the next renewal (charge_addon_at_term_end). */
  async schedulePack(trx: Db, s: PortalSession, id: string, p: { addon_id: string; addon_quantity?: number | undefined }) {
    const sub = await this.owned(trx, s, id);
    if (sub.status === 'non_renewing') throw invalidState(`The subscription ${sub.id} ends at the end of its term and does not renew, so no pack can be added to a renewal. Buy it now instead.`);
    await this.pack(trx, sub, p.addon_id);
    const r = await this.changes.chargeAddonAtTermEnd(trx, sub, p.addon_id, p.addon_quantity, { source: SOURCE });
    return { subscription: publicSubscription(r.subscription), ...(r.estimate?.invoice_estimate && { next_invoice: { date: r.estimate.invoice_estimate.date, total: r.estimate.invoice_estimate.total } }) };
  }
}

/** What the portal shows of a subscription. */
export function publicSubscription(x: Subscription) {
  return {
    id: x.id,
    plan_id: x.plan_id,
    plan_quantity: x.plan_quantity,
    status: x.status,
    currency_code: x.currency_code,
    current_term_start: x.current_term_start,
    current_term_end: x.current_term_end,
    next_billing_at: x.next_billing_at,
    cancelled_at: x.cancelled_at,
    addons: x.addons,
    shipping_address: x.shipping_address,
    has_scheduled_changes: x.has_scheduled_changes,
    charges_at_term_end: x.charges_at_term_end,
    due_invoices_count: x.due_invoices_count,
  };
}
