import type { ParamNames } from '../../core/errors.js';
import { type Estimate, estimateNewSubscription, estimateRenewal, estimateSubscriptionChange } from '../../core/estimate.js';
import type { ChangeParams } from '../../core/params/change.js';
import type { NewSubscriptionParams } from '../../core/params/checkout.js';
import type { Customer } from '../../core/schemas/customer.js';
import type { Subscription } from '../../core/schemas/subscription.js';
import type { CatalogSnapshot } from '../catalog-store.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { chosen, planQuantity, quantityNames } from './common.js';
import type { Lookups } from './lookups.js';

type Payer = Pick<Customer, 'billing_address' | 'taxability'> | undefined;

/**
 * The numbers of every billing operation, from `src/core`'s estimate functions and the records they need: the same
 * functions the widget runs, so what a customer is shown is what the server charges. Nothing is written here.
 */
export class Estimates {
  constructor(
    private readonly d: Deps,
    private readonly lookups: Lookups,
  ) {}

  /** A new subscription. `defer` leaves the addon rule to the submit (a page made before the pack is chosen). */
  async newSubscription(trx: Db, p: Omit<NewSubscriptionParams, 'id'>, customer: Payer, now: number, o: { defer?: boolean; names?: ParamNames | undefined; catalog?: CatalogSnapshot } = {}) {
    const n = quantityNames(p, o.names);
    const catalog = o.catalog ?? (await this.lookups.catalog(trx));
    const plan = await this.lookups.plan(trx, p.plan_id, n('plan_id'), catalog);
    const { coupons, codes } = await this.lookups.coupons(trx, p.coupon_ids, n('coupon_ids'));
    const ctx = await this.lookups.context(trx, customer, now, n, catalog);
    const estimate = estimateNewSubscription(
      {
        plan,
        plan_quantity: planQuantity(p, n),
        addons: chosen(p.addons, n),
        coupons,
        trial_end: p.trial_end,
        billing_cycles: p.billing_cycles,
        start_date: p.start_date,
        setup_fee: p.setup_fee,
        plan_unit_price: p.plan_unit_price,
        plan_unit_price_in_decimal: p.plan_unit_price_in_decimal,
        defer_addon_requirement: o.defer ?? false,
      },
      ctx,
    );
    return { estimate, plan, coupons, codes, ctx };
  }

  /** A change to a subscription, as of `now` (or the backdated `reactivate_from`). */
  async change(trx: Db, sub: Subscription, p: ChangeParams, customer: Customer | undefined, now: number, names?: ParamNames) {
    const n = quantityNames(p, names);
    const catalog = await this.lookups.catalog(trx);
    const currentPlan = await this.lookups.plan(trx, sub.plan_id, n('subscription[id]'), catalog);
    const plan = p.plan_id !== undefined ? await this.lookups.plan(trx, p.plan_id, n('plan_id'), catalog) : currentPlan;
    const { coupons, codes } = await this.lookups.coupons(trx, p.coupon_ids, n('coupon_ids'));
    const current = await this.lookups.applied(trx, sub);
    const ctx = await this.lookups.context(trx, customer, now, n, catalog);
    const estimate = estimateSubscriptionChange(
      {
        subscription: sub,
        currentPlan,
        plan,
        plan_quantity: planQuantity(p, n),
        addons: p.addons ? chosen(p.addons, n) : undefined,
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
        plan_unit_price: p.plan_unit_price,
        plan_unit_price_in_decimal: p.plan_unit_price_in_decimal,
        setup_fee: p.setup_fee,
        billing_cycles: p.billing_cycles,
      },
      { ...ctx, now: p.reactivate_from ?? now },
    );
    return { estimate, plan, currentPlan, coupons, codes, current, ctx };
  }

  /** The renewal the subscription's next term will bring, with any charges scheduled for it. */
  async renewalOf(trx: Db, sub: Subscription): Promise<Estimate | undefined> {
    const at = nextRenewalAt(sub);
    if (at === undefined) return undefined;
    const customer = await this.d.stores.customers.get(trx, sub.customer_id);
    const catalog = await this.lookups.catalog(trx);
    const plan = await this.lookups.plan(trx, sub.plan_id, 'subscription[id]', catalog);
    const ctx = await this.lookups.context(trx, customer, at, undefined, catalog);
    const r = estimateRenewal({ subscription: sub, plan, coupons: await this.lookups.applied(trx, sub), at, charges: await this.lookups.termEndCharges(trx, sub) }, ctx);
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
}

/** When the subscription next renews (or starts, or leaves its trial), if it will. */
function nextRenewalAt(sub: Subscription): number | undefined {
  if (sub.status === 'future') return sub.trial_end ?? sub.start_date;
  if (sub.status === 'in_trial') return sub.trial_end;
  if (sub.status === 'active' && sub.remaining_billing_cycles !== 0) return sub.current_term_end;
  return undefined;
}
