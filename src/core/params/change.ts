import * as z from 'zod/mini';
import { addonsParam, couponIdsParam, subscriptionParams } from './checkout.js';
import { booleanParam, countParam, idParam, timestampParam } from './common.js';

/**
 * The parameter family of a change to an existing subscription (subscription update, its estimate, and
 * checkout_existing): the new plan and quantity, addons and coupons (merged or replacing), when it applies, and what
 * it does to the term.
 */
export const changeOption = z.enum(['immediately', 'end_of_term', 'specific_date']);

export const changeParams = {
  plan_id: z.optional(idParam),
  plan_quantity: z.optional(countParam),
  plan_quantity_in_decimal: subscriptionParams.plan_quantity_in_decimal,
  plan_unit_price: subscriptionParams.plan_unit_price,
  plan_unit_price_in_decimal: subscriptionParams.plan_unit_price_in_decimal,
  setup_fee: subscriptionParams.setup_fee,
  addons: z.optional(addonsParam),
  replace_addon_list: z.optional(booleanParam),
  coupon_ids: z.optional(couponIdsParam),
  replace_coupon_list: z.optional(booleanParam),
  /** Chargebee's older spelling of change_option=end_of_term. */
  end_of_term: z.optional(booleanParam),
  change_option: z.optional(changeOption),
  changes_scheduled_at: z.optional(timestampParam),
  force_term_reset: z.optional(booleanParam),
  reactivate: z.optional(booleanParam),
  terms_to_charge: z.optional(countParam),
  /** The terms the subscription runs from now before it ends on its own (it then cancels at term end). */
  billing_cycles: z.optional(countParam),
};

/** A change's own fields but the plan and its quantity, for the calls that name those under subscription[...]. */
export const { plan_id: _planId, plan_quantity: _planQuantity, ...changeFieldsUnderSubscription } = changeParams;

/**
 * A change as the billing service applies it, however it arrived: `end_of_term` folded into change_option, and
 * checkout_existing_for_items' own fields (mandatory items to remove, a backdated invoice or reactivation).
 */
export const changeRequest = z.strictObject({
  ...changeParams,
  end_of_term: z.optional(z.never()),
  mandatory_items_to_remove: z.optional(z.array(idParam).check(z.maxLength(100))),
  invoice_date: z.optional(timestampParam),
  reactivate_from: z.optional(timestampParam),
  /** A new end for the trial of a subscription in trial (checkout_existing_for_items' `subscription[trial_end]`). */
  trial_end: z.optional(timestampParam),
});
export type ChangeParams = Omit<z.output<typeof changeRequest>, 'end_of_term'>;

/**
 * checkout_existing_for_items (seed 004): the change as an item list (the plan first, then addons), with the rules on
 * invoice_date, reactivate_from, changes_scheduled_at, force_term_reset and invoice_usages.
 */
export const itemsChangeParams = z.strictObject({
  subscription: z.strictObject({ id: idParam, trial_end: z.optional(timestampParam) }),
  subscription_items: z.optional(z.array(z.strictObject({ item_price_id: idParam, quantity: z.optional(countParam) })).check(z.maxLength(100))),
  mandatory_items_to_remove: z.optional(z.array(idParam).check(z.maxLength(100))),
  replace_items_list: z.optional(booleanParam),
  invoice_date: z.optional(timestampParam),
  invoice_immediately: z.optional(booleanParam),
  billing_cycles: z.optional(countParam),
  terms_to_charge: changeParams.terms_to_charge,
  reactivate_from: z.optional(timestampParam),
  billing_alignment_mode: z.optional(z.enum(['immediate', 'delayed'])),
  coupon_ids: changeParams.coupon_ids,
  replace_coupon_list: changeParams.replace_coupon_list,
  reactivate: changeParams.reactivate,
  force_term_reset: changeParams.force_term_reset,
  change_option: changeParams.change_option,
  changes_scheduled_at: changeParams.changes_scheduled_at,
  invoice_usages: z.optional(booleanParam),
  allow_offline_payment_methods: z.optional(booleanParam),
});
export type ItemsChangeParams = z.output<typeof itemsChangeParams>;
