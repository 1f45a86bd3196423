import * as z from 'zod/mini';
import type { Addon } from './addon.js';
import {
  addonEvent, addonPeriodUnit, addonType, attachmentType, count, currencyCode, id, metaData, money, nonNegativeDecimal, periodUnit, positiveCount, pricingModel, status, subscriptionStatus, hostedPageType, tier, timestamp,
} from './common.js';
import type { Coupon } from './coupon.js';
import type { HostedPage } from './hosted-page.js';
import type { AttachedAddon, EventBasedAddon, Plan } from './plan.js';
import type { Subscription, SubscriptionAddon } from './subscription.js';

/**
 * The catalog's resources as the browser reads them: the API's answers and the elements' properties are checked where
 * they enter, once, with these. Each checks every field the browser reads (src/core's estimates, the elements, the
 * hosted pages), with the resource's type, bounds and default; the fields it does not read (accounting codes, SKUs,
 * invoice notes, timestamps, the server's cross-field rules, which the server enforces on every write) pass through
 * unchecked as the server sent them, so a newer server may add fields. The full resource schemas (plan.ts, addon.ts,
 * …) stay the server's: they cost a browser bundle about 2 KB gzip for fields it never reads.
 *
 * Typed as the resource: `shape` may only name the resource's fields, each with the resource's own type.
 */
const view =
  <T>() =>
  <const S extends { [K in keyof T]?: z.ZodMiniType<T[K], unknown> }>(shape: S & Record<Exclude<keyof S, keyof T>, never>): z.ZodMiniType<T> =>
    z.looseObject(shape as Record<string, z.ZodMiniType>) as unknown as z.ZodMiniType<T>;

const text = z.string();
const optionalText = z.optional(text);

/** A plan as the checkout, the pickers and the core's estimates read it. */
export const browserPlan = view<Plan>()({
  id,
  name: text,
  invoice_name: optionalText,
  description: optionalText,
  price: z._default(money, 0),
  price_in_decimal: z.optional(nonNegativeDecimal),
  currency_code: z._default(currencyCode, 'USD'),
  period: z._default(positiveCount, 1),
  period_unit: z._default(periodUnit, 'month'),
  trial_period: z.optional(positiveCount),
  trial_period_unit: z.optional(z.enum(['day', 'month'])),
  billing_cycles: z.optional(positiveCount),
  pricing_model: z._default(pricingModel, 'flat_fee'),
  tiers: z.optional(z.array(tier)),
  free_quantity: z._default(count, 0),
  free_quantity_in_decimal: z.optional(nonNegativeDecimal),
  setup_cost: z.optional(money),
  status: z._default(status, 'active'),
  taxable: z._default(z.boolean(), true),
  addon_applicability: z._default(z.enum(['all', 'restricted']), 'all'),
  applicable_addons: z.optional(z.array(view<{ id: string }>()({ id }))),
  attached_addons: z.optional(
    z.array(
      view<AttachedAddon>()({
        id,
        quantity: z._default(positiveCount, 1),
        quantity_in_decimal: z.optional(nonNegativeDecimal),
        billing_cycles: z.optional(positiveCount),
        type: z._default(attachmentType, 'recommended'),
      }),
    ),
  ),
  event_based_addons: z.optional(
    z.array(
      view<EventBasedAddon>()({
        id,
        quantity: z._default(positiveCount, 1),
        quantity_in_decimal: z.optional(nonNegativeDecimal),
        on_event: addonEvent,
        charge_once: z._default(z.boolean(), true),
      }),
    ),
  ),
  addon_required: z._default(z.boolean(), false),
});

type AddonIn = Omit<Addon, 'period_unit'> & { period_unit?: Addon['period_unit'] | undefined };
/**
 * An addon as the checkout, the addon picker, the credit balance and the core's estimates read it. Its period set as
 * addonSchema's transform sets it, by an overwrite (no pipe or transform in the browser's zod: 0.3 KB gzip with the
 * address element's).
 */
export const browserAddon = view<AddonIn>()({
    id,
    name: text,
    invoice_name: optionalText,
    type: z._default(addonType, 'on_off'),
    charge_type: z._default(z.enum(['recurring', 'non_recurring']), 'recurring'),
    price: z._default(money, 0),
    price_in_decimal: z.optional(nonNegativeDecimal),
    currency_code: z._default(currencyCode, 'USD'),
    period: z.optional(positiveCount),
    period_unit: z.optional(addonPeriodUnit),
    tiers: z.optional(z.array(tier)),
    status: z._default(status, 'active'),
    taxable: z._default(z.boolean(), true),
    meta_data: z.optional(metaData),
  })
  // As addonSchema: a recurring addon bills every `period period_unit` (default 1 month); a non-recurring one has none.
  .check(z.overwrite((a): AddonIn => (a.charge_type === 'recurring' ? { ...a, period: a.period ?? 1, period_unit: a.period_unit ?? 'month' } : { ...a, period_unit: a.period_unit ?? 'not_applicable' }))) as z.ZodMiniType<Addon>;

const constraint = z._default(z.enum(['none', 'all', 'specific']), 'all');
/** A coupon as the checkout and the core's discounts read it. */
export const browserCoupon = view<Coupon>()({
  id,
  name: text,
  invoice_name: optionalText,
  discount_type: z.enum(['fixed_amount', 'percentage']),
  discount_amount: z.optional(money),
  discount_percentage: z.optional(z.number().check(z.minimum(0.01), z.maximum(100))),
  currency_code: z.optional(currencyCode),
  duration_type: z._default(z.enum(['one_time', 'forever', 'limited_period']), 'forever'),
  duration_month: z.optional(positiveCount),
  valid_till: z.optional(timestamp),
  max_redemptions: z.optional(positiveCount),
  redemptions: z._default(count, 0),
  status: z._default(z.enum(['active', 'expired', 'archived', 'deleted']), 'active'),
  apply_on: z._default(z.enum(['invoice_amount', 'each_specified_item']), 'invoice_amount'),
  plan_constraint: constraint,
  addon_constraint: constraint,
  plan_ids: z.optional(z.array(id)),
  addon_ids: z.optional(z.array(id)),
});

/** The subscription a `checkout_existing` page changes, as its panel and the checkout read it. */
export const browserSubscription = view<Subscription>()({
  plan_id: id,
  plan_quantity: z._default(positiveCount, 1),
  currency_code: currencyCode,
  status: subscriptionStatus,
  next_billing_at: z.optional(timestamp),
  addons: z._default(z.array(view<SubscriptionAddon>()({ id, quantity: positiveCount })), []),
});

/** A hosted page as the checkout reads it (and hands to its success event). */
export const browserHostedPage = view<HostedPage>()({
  id: z.string(),
  type: hostedPageType,
  state: z.enum(['created', 'requested', 'succeeded', 'cancelled', 'acknowledged']),
  expires_at: timestamp,
});
