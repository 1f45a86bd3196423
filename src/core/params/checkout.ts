import * as z from 'zod/mini';
import { metaData, money, nonNegativeDecimal } from '../schemas/common.js';
import { addressSchema, customerSchema } from '../schemas/customer.js';
import { booleanParam, countParam, idParam, timestampParam, urlParam } from './common.js';

/**
 * The checkout's parameter family: what a customer chooses on a checkout (the cart, and who pays), and what a
 * merchant sets up around it. The browser's routes take these, the merchant's checkout_new and subscription calls
 * spread them (under `subscription[...]` where Chargebee puts them), the adapter's payloads are their types, and the
 * server stores a page's request in their shape. Add a checkout parameter here and every one of them has it.
 */

/** A quantity in more decimals than whole units ("2.5"), where the plan or addon is priced per unit (seed: plans). */
export const decimalQuantityParam = nonNegativeDecimal;

/** `addons[id][0]=credits-500&addons[quantity][0]=2` (or `addons[quantity_in_decimal][0]=2.5`). */
export const addonsParam = z.array(z.strictObject({ id: idParam, quantity: z.optional(countParam), quantity_in_decimal: z.optional(decimalQuantityParam) })).check(z.maxLength(100));
export const couponIdsParam = z.array(idParam).check(z.maxLength(20));

/** An address as a caller gives it (the object name may come back as the API gave it). */
export const addressParam = addressSchema;

const c = customerSchema.shape;
/** The customer fields a customer fills in on a checkout. */
export const contactParams = { email: c.email, first_name: c.first_name, last_name: c.last_name, company: c.company, phone: c.phone, vat_number: c.vat_number, locale: c.locale };
export const contactParam = z.strictObject(contactParams);
/** The customer a merchant's call creates (or, with an id alone, names): the contact fields and the account's settings. */
export const customerParam = z.strictObject({
  id: z.optional(idParam),
  ...contactParams,
  preferred_currency_code: c.preferred_currency_code,
  auto_collection: z.optional(z.enum(['on', 'off'])),
  taxability: z.optional(z.enum(['taxable', 'exempt'])),
  meta_data: z.optional(metaData),
});

/** The cart: a plan, its quantity, addons and coupons. */
export const cartParams = {
  plan_id: idParam,
  plan_quantity: z.optional(countParam),
  addons: z.optional(addonsParam),
  coupon_ids: z.optional(couponIdsParam),
};

/** Who pays, and where to. */
export const payerParams = {
  customer: z.optional(customerParam),
  billing_address: z.optional(addressParam),
  shipping_address: z.optional(addressParam),
};

/**
 * The subscription's own fields: what Chargebee puts under `subscription[...]` on checkout_new and the estimates, and
 * at the top of POST /subscriptions. The merchant's alone: a browser chooses only the cart.
 */
export const subscriptionParams = {
  plan_id: cartParams.plan_id,
  plan_quantity: cartParams.plan_quantity,
  plan_quantity_in_decimal: z.optional(decimalQuantityParam),
  /** Overrides the plan's price for this subscription (seed: plans FAQ); renewals keep it. */
  plan_unit_price: z.optional(money),
  plan_unit_price_in_decimal: z.optional(nonNegativeDecimal),
  /** Overrides the plan's setup cost, or makes it zero (seed: plans). */
  setup_fee: z.optional(money),
  trial_end: z.optional(timestampParam),
  start_date: z.optional(timestampParam),
};

/** How an API that puts the subscription's fields under `subscription[...]` names core's parameters. */
export const underSubscription = (p: string): string => (Object.hasOwn(subscriptionParams, p) ? `subscription[${p}]` : p);

/** How many terms the subscription runs before it ends on its own. */
export const termParams = {
  billing_cycles: z.optional(countParam),
};

/** A new subscription's parameters, as the billing service takes them from any route. */
export const newSubscriptionParams = z.strictObject({
  id: z.optional(idParam),
  ...subscriptionParams,
  addons: cartParams.addons,
  coupon_ids: cartParams.coupon_ids,
  ...termParams,
  meta_data: z.optional(metaData),
  shipping_address: z.optional(addressParam),
});
export type NewSubscriptionParams = z.output<typeof newSubscriptionParams>;

/** What the customer's browser may change on an open checkout page. */
export const checkoutChoicesParams = z.strictObject({
  plan_id: z.optional(idParam),
  plan_quantity: cartParams.plan_quantity,
  addons: cartParams.addons,
  coupon_ids: cartParams.coupon_ids,
  customer: z.optional(contactParam),
  billing_address: payerParams.billing_address,
});
export type CheckoutChoicesParams = z.output<typeof checkoutChoicesParams>;

/** How a hosted page behaves: where it sends the customer after, what it carries back, how it opens. */
export const pageParams = {
  redirect_url: z.optional(urlParam),
  cancel_url: z.optional(urlParam),
  pass_thru_content: z.optional(z.string().check(z.maxLength(2048))),
  embed: z.optional(booleanParam),
  iframe_messaging: z.optional(booleanParam),
  layout: z.optional(z.enum(['in_app', 'full_page'])),
};
export type PageParams = z.output<z.ZodMiniObject<typeof pageParams>>;

/** A new checkout as a page keeps it: the subscription to make, its cart, who pays. */
export const newCheckoutParams = z.strictObject({ id: z.optional(idParam), ...subscriptionParams, addons: cartParams.addons, coupon_ids: cartParams.coupon_ids, ...termParams, ...payerParams });
export type NewCheckoutParams = z.output<typeof newCheckoutParams>;
