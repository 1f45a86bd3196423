import * as z from 'zod/mini';
import { currencyCode, decimalString, freeFormObject, id, metaData, money, positiveCount, timestamp } from './common.js';
import { addressSchema } from './customer.js';
import { addonEvent, periodUnit, subscriptionStatus } from './common.js';

export { subscriptionStatus };
export type SubscriptionStatus = z.infer<typeof subscriptionStatus>;

export const subscriptionAddonSchema = z.strictObject({
  id,
  quantity: positiveCount,
  quantity_in_decimal: z.optional(decimalString),
  /** The unit price the subscription was sold at; renewals keep it even if the catalog price changes. */
  unit_price: z.optional(money),
  unit_price_in_decimal: z.optional(decimalString),
  amount: z.optional(z.int()),
  trial_end: z.optional(timestamp),
  remaining_billing_cycles: z.optional(z.int()),
  object: z._default(z.literal('addon'), 'addon'),
});
export type SubscriptionAddon = z.infer<typeof subscriptionAddonSchema>;

export const subscriptionSchema = z.strictObject({
  id,
  customer_id: id,
  plan_id: id,
  plan_quantity: z._default(positiveCount, 1),
  plan_quantity_in_decimal: z.optional(decimalString),
  plan_unit_price: z.optional(money),
  plan_unit_price_in_decimal: z.optional(decimalString),
  plan_amount: z.optional(z.int()),
  plan_free_quantity: z.optional(z.int()),
  setup_fee: z.optional(money),
  billing_period: z.optional(positiveCount),
  billing_period_unit: z.optional(periodUnit),
  currency_code: currencyCode,
  status: subscriptionStatus,
  trial_start: z.optional(timestamp),
  trial_end: z.optional(timestamp),
  start_date: z.optional(timestamp),
  current_term_start: z.optional(timestamp),
  current_term_end: z.optional(timestamp),
  next_billing_at: z.optional(timestamp),
  remaining_billing_cycles: z.optional(z.int()),
  started_at: z.optional(timestamp),
  activated_at: z.optional(timestamp),
  cancelled_at: z.optional(timestamp),
  cancel_reason: z.optional(z.string()),
  has_scheduled_changes: z._default(z.boolean(), false),
  addons: z._default(z.array(subscriptionAddonSchema), []),
  event_based_addons: z.optional(
    z.array(z.strictObject({ id, quantity: positiveCount, on_event: addonEvent, charge_once: z.boolean() })),
  ),
  charged_event_based_addons: z.optional(
    z.array(z.strictObject({ id, last_charged_at: timestamp })),
  ),
  coupons: z.optional(
    z.array(
      z.strictObject({
        coupon_id: id,
        apply_till: z.optional(timestamp),
        applied_count: z.int(),
        /** Paylit: when the coupon was added, which limited-period coupons count from. */
        applied_at: z.optional(timestamp),
        object: z._default(z.literal('coupon'), 'coupon'),
      }),
    ),
  ),
  /**
   * Paylit: the anchor the terms are counted from, so the day of month never drifts (31 Jan, 28 Feb, 31 Mar).
   * Set when a term series starts (activation, term reset).
   */
  billing_anchor_at: z.optional(timestamp),
  /** Paylit: one-time addons to invoice with the next renewal (seed 000, "Charge Addon at Term End"). */
  charges_at_term_end: z.optional(
    z.array(z.strictObject({ addon_id: id, addon_quantity: positiveCount, added_at: timestamp })),
  ),
  /** Paylit: the change waiting for end of term or a specific date; `has_scheduled_changes` says whether there is one. */
  scheduled_changes: z.optional(z.strictObject({ at: timestamp, change: freeFormObject })),
  cancel_schedule_created_at: z.optional(timestamp),
  shipping_address: z.optional(addressSchema),
  due_invoices_count: z._default(z.int(), 0),
  meta_data: z.optional(metaData),
  deleted: z._default(z.boolean(), false),
  created_at: z.optional(timestamp),
  updated_at: z.optional(timestamp),
  resource_version: z.optional(z.int()),
  object: z._default(z.literal('subscription'), 'subscription'),
});
export type Subscription = z.infer<typeof subscriptionSchema>;
export type SubscriptionInput = z.input<typeof subscriptionSchema>;
