import { type FieldError, type ParamNames, PaylitValidationError } from '../../core/errors.js';
import type { ChangeParams, ItemsChangeParams } from '../../core/params/change.js';
import { addPeriod } from '../../core/periods.js';
import type { Deps } from '../context.js';
import type { Db } from '../db/transaction.js';
import { paramError } from '../errors.js';

/** One calendar month before `t` (13 Jan -> 13 Dec; 31 Mar -> 28 Feb). */
export const monthBack = (t: number) => addPeriod(t, -1, 'month');

/**
 * checkout_existing_for_items, exactly as seed 004: the item list (a plan first) becomes a change, and every
 * constraint on invoice_date, reactivate_from, changes_scheduled_at, force_term_reset and invoice_usages is a 400
 * naming it. Returns the change and how its parameters are named in this call (for the estimate's errors).
 */
export async function itemsChange(d: Deps, db: Db, p: ItemsChangeParams): Promise<{ change: ChangeParams; names: ParamNames }> {
  const now = d.clock.now();
  const errors: FieldError[] = [];
  const sub = await d.stores.subscriptions.get(db, p.subscription.id);
  if (!sub) throw paramError('subscription[id]', `subscription "${p.subscription.id}" does not exist`);
  const items = p.subscription_items ?? [];
  const named = new Map<string, string>();
  let planId: string | undefined;
  let planQuantity: number | undefined;
  const addons: Array<{ id: string; quantity?: number | undefined }> = [];
  for (const [i, item] of items.entries()) {
    const isPlan = !!(await d.stores.plans.get(db, item.item_price_id));
    const param = `subscription_items[item_price_id][${String(i)}]`;
    if (i === 0) {
      if (!isPlan) errors.push({ param, message: `the first item must be a plan; "${item.item_price_id}" is not one` });
      planId = item.item_price_id;
      planQuantity = item.quantity;
      named.set('plan_id', param).set('plan_quantity', 'subscription_items[quantity][0]');
    } else if (isPlan) {
      errors.push({ param, message: `"${item.item_price_id}" is a plan; only the first item may be a plan` });
    } else {
      const k = String(addons.length);
      named.set(`addons[id][${k}]`, param).set(`addons[quantity][${k}]`, `subscription_items[quantity][${String(i)}]`);
      addons.push({ id: item.item_price_id, quantity: item.quantity });
    }
  }
  if (p.invoice_immediately === false) {
    errors.push({ param: 'invoice_immediately', message: 'changes are invoiced at once here; charges are not kept unbilled for a later invoice' });
  }
  if (p.invoice_date !== undefined) {
    const why = (m: string) => errors.push({ param: 'invoice_date', message: m });
    if (p.invoice_immediately !== true) why('is allowed only with invoice_immediately=true');
    if (p.invoice_date >= now) why('must be in the past');
    else if (p.invoice_date < monthBack(now)) why('may be at most one calendar month in the past');
    if (p.changes_scheduled_at !== undefined && p.invoice_date < p.changes_scheduled_at) why('cannot be earlier than changes_scheduled_at');
    if (p.reactivate_from !== undefined && p.invoice_date < p.reactivate_from) why('cannot be earlier than reactivate_from');
    const trialEnd = p.subscription.trial_end ?? sub.trial_end;
    if (trialEnd !== undefined && p.invoice_date < trialEnd) why('cannot be earlier than trial_end');
  }
  if (p.reactivate_from !== undefined) {
    const why = (m: string) => errors.push({ param: 'reactivate_from', message: m });
    if (sub.status !== 'cancelled') why(`applies only to a cancelled subscription; this one is ${sub.status}`);
    if (p.changes_scheduled_at !== undefined) why('give either reactivate_from or changes_scheduled_at, not both');
    if (p.reactivate === false) why('cannot be given with reactivate=false');
    if (p.reactivate_from < now) {
      // Backdating: only before the month's accounting close day, not before the items last changed, and at most
      // one billing period of the plan back.
      const day = new Date(now * 1000).getUTCDate();
      if (day > d.backdatingDayLimit) why(`cannot be backdated after day ${String(d.backdatingDayLimit)} of the month (PAYLIT_BACKDATING_DAY_LIMIT)`);
      const plan = await d.stores.plans.get(db, planId ?? sub.plan_id);
      if (plan && p.reactivate_from < addPeriod(now, -plan.period, plan.period_unit)) {
        why(`may be backdated at most one billing period of the plan (${String(plan.period)} ${plan.period_unit})`);
      }
      let lastChange = 0;
      for (const id of [planId ?? sub.plan_id, ...addons.map((a) => a.id), ...sub.addons.map((a) => a.id)]) {
        const item = (await d.stores.plans.get(db, id)) ?? (await d.stores.addons.get(db, id));
        lastChange = Math.max(lastChange, item?.updated_at ?? 0);
      }
      if (p.reactivate_from < lastChange) why("cannot be earlier than the last change to the subscription's plan or addons");
    }
  }
  if (p.billing_alignment_mode !== undefined) errors.push({ param: 'billing_alignment_mode', message: 'applies only to calendar billing, which this site does not use' });
  if (p.force_term_reset === true && !['active', 'non_renewing', 'cancelled'].includes(sub.status)) {
    errors.push({ param: 'force_term_reset', message: `applies only to active, non-renewing or cancelled subscriptions; this one is ${sub.status}` });
  }
  if (p.reactivate === true && sub.status !== 'cancelled') errors.push({ param: 'reactivate', message: `applies only to a cancelled subscription; this one is ${sub.status}` });
  // Seed 004 pairs force_term_reset with invoice_usages where usage-based billing invoices usage mid-term. This
  // backend bills no usage: there is none to invoice, so the pairing does not apply and invoice_usages=true is refused.
  if (p.invoice_usages === true) errors.push({ param: 'invoice_usages', message: 'this site bills no usage, so there is none to invoice' });
  if (p.allow_offline_payment_methods === true) errors.push({ param: 'allow_offline_payment_methods', message: 'this site takes cards only; there are no offline payment methods to allow' });
  const trialEnd = p.subscription.trial_end;
  if (trialEnd !== undefined) {
    if (sub.status !== 'in_trial' && sub.status !== 'future') errors.push({ param: 'subscription[trial_end]', message: `applies only to a subscription in trial; this one is ${sub.status}` });
    else if (trialEnd <= now) errors.push({ param: 'subscription[trial_end]', message: "must be after the site's current time" });
  }
  if (errors.length) throw new PaylitValidationError(errors);
  const change: ChangeParams = {
    ...(planId !== undefined && { plan_id: planId }),
    ...(planQuantity !== undefined && { plan_quantity: planQuantity }),
    ...(items.length > 0 && { addons }),
    replace_addon_list: p.replace_items_list,
    mandatory_items_to_remove: p.mandatory_items_to_remove,
    coupon_ids: p.coupon_ids,
    replace_coupon_list: p.replace_coupon_list,
    change_option: p.change_option,
    changes_scheduled_at: p.changes_scheduled_at,
    force_term_reset: p.force_term_reset,
    terms_to_charge: p.terms_to_charge,
    reactivate: p.reactivate ?? (p.reactivate_from !== undefined ? true : undefined),
    invoice_date: p.invoice_date,
    reactivate_from: p.reactivate_from,
    billing_cycles: p.billing_cycles,
    trial_end: trialEnd,
  };
  return { change, names: (x) => named.get(x) ?? x };
}
